from claimlint.client import main

main()
