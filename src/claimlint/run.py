"""One `claimlint check` run: which files, which packs, lint each, collect the results.

The command line (cli.py) turns flags into `CheckOptions`; everything after that lives here,
so the CLI stays a thin layer and other front ends can reuse the run.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from claimlint.engine import Linter, lint_file, lint_text
from claimlint.inputs import InputError, decode, discover
from claimlint.readers import format_for
from claimlint.report import RunResult


@dataclass
class CheckOptions:
    paths: list[str]
    packs: list = field(default_factory=list)  # loaded packs.Pack objects
    language: str = "blank"
    stdin_filename: str | None = None


def run_check(options: CheckOptions) -> RunResult:
    """Lint every input; raises segment.LanguageError before any file if the pipeline is missing."""
    linter = Linter(options.packs, language=options.language)
    run = RunResult()
    inputs, errors = discover([p for p in options.paths if p != "-"])
    run.errors.extend(errors)
    if inputs or "-" in options.paths:
        linter.segmenter  # load the language pipeline once, before any file
    if "-" in options.paths:
        name = options.stdin_filename or "-"
        try:
            text = decode(sys.stdin.buffer.read(), name)
        except InputError as exc:
            run.errors.append(str(exc))
        else:
            run.files.append(lint_text(linter, name, text, format_for(name) or "markdown"))
    for item in inputs:
        run.files.append(lint_file(linter, item.path, item.format))
    run.errors.extend(r.error for r in run.files if r.error)
    return run
