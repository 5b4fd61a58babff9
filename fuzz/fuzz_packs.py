"""atheris target: bytes -> claimlint.packs.parse_pack.

Allowed outcomes: a Pack, or PackError / KindError (one-line messages naming file:line).
Anything else (RecursionError, TypeError, a hang caught by -timeout) is a crash.
"""

import sys

import atheris

with atheris.instrument_imports():
    from claimlint.kinds import KindError
    from claimlint.packs import PackError, parse_pack


def TestOneInput(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        parse_pack(text, "fuzz.yaml")
    except (PackError, KindError) as exc:
        message = str(exc)
        if "\n" in message.strip() or not message.startswith("fuzz.yaml"):
            raise AssertionError(f"not a one-line message naming the file: {message[:200]!r}")


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
