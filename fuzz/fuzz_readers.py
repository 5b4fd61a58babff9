"""atheris target: bytes -> decode -> the three readers -> citation markers.

Allowed outcomes: a Document (whose every block offset lies inside the source) or
inputs.InputError from decoding. Anything else is a crash for atheris to report.
"""

import sys

import atheris

with atheris.instrument_imports():
    from claimlint import citations
    from claimlint.inputs import InputError, decode
    from claimlint.readers import read_source


def TestOneInput(data: bytes) -> None:
    try:
        source = decode(data, "fuzz")
    except InputError:
        return
    for fmt in ("markdown", "html", "text"):
        doc = read_source(f"fuzz.{fmt}", source, fmt)
        sources = citations.find_sources(doc.blocks)
        for block in doc.blocks:
            if len(block.text) != len(block.offsets):
                raise AssertionError(f"{fmt}: {len(block.text)} chars but {len(block.offsets)} offsets")
            for offset in block.offsets:
                if not 0 <= offset < len(source):
                    raise AssertionError(f"{fmt}: offset {offset} outside a source of {len(source)}")
            for marker in citations.find_markers(block, sources):
                if not 0 <= marker.start <= marker.end <= len(block.text):
                    raise AssertionError(f"{fmt}: marker {marker} outside its block")


def main() -> None:
    sys.setrecursionlimit(3000)
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
