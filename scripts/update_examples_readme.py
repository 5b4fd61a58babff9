"""Regenerate examples/README.md from a real run (tests/test_examples.py checks it is current).

Run from the repository root: python scripts/update_examples_readme.py (twice: the README lints itself)."""
import os
import subprocess
import sys
out = subprocess.run([sys.executable, "-m", "claimlint", "check", "examples/"], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})
text = f'''# Examples

Four articles, one per situation a health writer meets, and what claimlint says about them.

| file | what it is | what claimlint reports |
|---|---|---|
| `careful-article.md` | a careful, well-cited Markdown article: front matter, bracket markers and footnotes, a Sources list, a "not medical advice" line, `Is it a cure? It is far too early to use that word.` | nothing |
| `news-report.html` | an HTML news report with `<sup>` markers and an `<ol>` source list; it reports and gives no advice, so it needs no disclaimer | nothing |
| `plain-notes.txt` | plain text copied from the web: hard-wrapped lines, bare trailing digits as markers (`B-cells 1.` is ref 1, `remission 23, which` is refs 2 and 3) and a numbered source list | one uncited claim: in `roughly 1 in 25.` the digits are a number, not a marker |
| `hype-page.md` | a stem-cell clinic page that trips every category | uncited claims, overpromises, a dangling marker `[7]`, a missing disclaimer |

```sh
claimlint check examples/
```

lints them (and this README, which is clean: quoted examples are in code spans, which are never
prose), exits with status 1 because the hype page has errors, and prints:

```
{out.stdout.rstrip()}
```

The same run as JSON: `claimlint check examples/ --format json`. Why a rule fires, with its
sources and examples: `claimlint explain overpromise.cure`.
'''
open("examples/README.md", "w").write(text)
print(out.returncode)
