"""GitHub Actions workflow commands: one annotation per finding on the pull request.

    ::error file=docs/a.md,line=12,col=5,endLine=12,endColumn=10,title=overpromise.cure::message
"""

from __future__ import annotations

from typing import TextIO

from claimlint.report import RunResult

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(run: RunResult, stream: TextIO) -> None:
    for f in run.findings:
        properties = (f"file={_property(f.path)},line={f.line},col={f.column},"
                      f"endLine={f.end_line},endColumn={f.end_column},title={_property(f.rule)}")
        stream.write(f"::{LEVELS.get(f.severity, 'warning')} {properties}::{_data(f.message)}\n")
    for error in run.errors:
        stream.write(f"::error title=claimlint::{_data(error)}\n")
