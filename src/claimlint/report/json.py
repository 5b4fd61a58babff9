"""The JSON output contract (see README, "JSON output")."""

from __future__ import annotations

import json
from typing import TextIO

from claimlint import __version__
from claimlint.report import RunResult


def as_dict(run: RunResult) -> dict:
    linted = [r for r in run.files if r.error is None]
    return {
        "tool": "claimlint",
        "version": __version__,
        "summary": {"files": len(linted), "findings": len(run.findings), **run.counts()},
        "files": [
            {"path": r.path, "sentences": r.sentences, "claims": r.claims, "cited_claims": r.cited_claims,
             **({"notices": r.notices} if r.notices else {})}
            for r in linted
        ],
        "findings": [f.to_json() for f in run.findings],
        "errors": list(run.errors),
    }


def render(run: RunResult, stream: TextIO) -> None:
    write(as_dict(run), stream)
    stream.write("\n")


def write(data, stream: TextIO) -> None:
    """json.dump(data, stream, ensure_ascii=False, indent=2), the same text in far fewer
    writes: json.dump writes each of its hundreds of thousands of small chunks on its own."""
    chunks: list[str] = []
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data):
        chunks.append(chunk)
        if len(chunks) >= 16384:  # a few hundred KB at a time: the report is never all in memory
            stream.write("".join(chunks))
            chunks.clear()
    stream.write("".join(chunks))
