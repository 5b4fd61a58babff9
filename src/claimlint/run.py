"""One `claimlint check` run: which files, which packs, lint each, collect the results.

The command line (cli.py) turns flags and the configuration file into `CheckOptions`;
everything after that lives here, so the CLI stays a thin layer and other front ends (the
pre-commit hook, `baseline create`) reuse the same run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from claimlint.config import Config, matches
from claimlint.engine import FileResult, Linter, lint_text
from claimlint.inputs import DEFAULT_MAX_FILE_SIZE, Input, InputError, decode, discover, read_stdin, read_text
from claimlint.packs import DEFAULT_PACKS, load_packs
from claimlint.readers import format_for
from claimlint.report import RunResult


class RunError(Exception):
    """A problem with the run as a whole (not one file): exit 2 with this message."""


@dataclass
class CheckOptions:
    paths: list[str]
    extra_packs: list[str] = field(default_factory=list)  # from --pack
    config: Config = field(default_factory=Config)
    language: str = "blank"
    stdin_filename: str | None = None
    baseline: Counter | None = None
    changed_since: str | None = None
    progress: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes; 0 = no limit
    fail_fast: bool = False  # stop at the first input that cannot be linted


class _Linters:
    """One Linter per distinct pack list (per-path overrides can add packs), built on demand."""

    def __init__(self, base: list[str], language: str) -> None:
        self.base = base
        self.language = language
        self._cache: dict[tuple[str, ...], Linter] = {}

    def get(self, extra: list[str]) -> Linter:
        names = tuple(dict.fromkeys(self.base + extra))
        if names not in self._cache:
            shared = next(iter(self._cache.values()), None)
            linter = Linter(load_packs(list(names)), language=self.language)
            if shared is not None:
                linter._segmenter = shared._segmenter  # one language pipeline per run
            self._cache[names] = linter
        return self._cache[names]


def changed_files(ref: str) -> set[str]:
    """Files changed against `ref` (committed, staged or not), as resolved paths."""
    def git(*args: str) -> str:
        try:
            proc = subprocess.run(["git", *args], capture_output=True, text=True, timeout=60)
        except FileNotFoundError:
            raise RunError("--changed-since needs git, which is not installed") from None
        if proc.returncode != 0:
            message = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "git failed"
            raise RunError(f"--changed-since {ref}: {message}")
        return proc.stdout

    top = Path(git("rev-parse", "--show-toplevel").strip())
    names = git("diff", "--name-only", "--diff-filter=ACMRT", ref, "--").splitlines()
    names += git("ls-files", "--others", "--exclude-standard").splitlines()
    return {str((top / name).resolve()) for name in names if name}


def _apply_config(result: FileResult, config: Config) -> FileResult:
    rules = config.for_path(result.path)
    kept = []
    for finding in result.findings:
        if rules.select and not any(matches(finding.rule, s) for s in rules.select):
            continue
        if any(matches(finding.rule, s) for s in rules.ignore):
            continue
        for selector, severity in rules.severity.items():
            if matches(finding.rule, selector):
                finding.severity = severity
        kept.append(finding)
    result.findings = kept
    return result


def _progress(total: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.console import Console

    return Progress(TextColumn("claimlint"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), transient=True)


def run_check(options: CheckOptions) -> RunResult:
    """Lint every input. Raises segment.LanguageError before any file if the pipeline is
    missing, RunError for a problem with the run itself, PackError for a broken pack."""
    config = options.config
    linters = _Linters(list(DEFAULT_PACKS) + config.packs + options.extra_packs, options.language)
    base = linters.get([])
    run = RunResult(rules={r.definition.id: r.definition for r in base.rules})
    inputs, errors = discover([p for p in options.paths if p != "-"])
    run.errors.extend(errors)
    given = {os.path.realpath(p) for p in options.paths if p != "-"}
    inputs = [i for i in inputs if os.path.realpath(i.path) in given or config.wants(i.path)]
    if options.changed_since:
        changed = changed_files(options.changed_since)
        inputs = [i for i in inputs if os.path.realpath(i.path) in changed]
    if inputs or "-" in options.paths:
        base.segmenter  # load the language pipeline once, before any file
    if "-" in options.paths:
        name = options.stdin_filename or "-"
        try:
            text = decode(read_stdin(name, sys.stdin.buffer, options.max_file_size), name)
        except InputError as exc:
            run.errors.append(str(exc))
        else:
            linter = linters.get(config.for_path(name).packs)
            run.files.append(_apply_config(lint_text(linter, name, text, format_for(name) or "markdown"), config))
    show = options.progress and len(inputs) > 20 and sys.stderr.isatty()
    with (_progress(len(inputs)) if show else _NoProgress()) as bar:
        task = bar.add_task("lint", total=len(inputs))
        for item in inputs:
            if options.fail_fast and (run.errors or (run.files and run.files[-1].error)):
                break  # --fail-fast: the first input that failed ends the run (exit 2)
            run.files.append(_lint_one(linters, config, item, options.max_file_size))
            bar.advance(task)
    for linter in linters._cache.values():
        run.rules.update({r.definition.id: r.definition for r in linter.rules})
    run.errors.extend(r.error for r in run.files if r.error)
    if options.baseline is not None:
        from claimlint.baseline import filter_new

        left = filter_new(run.findings, options.baseline)
        keep = {id(f) for f in left}
        for result in run.files:
            result.findings = [f for f in result.findings if id(f) in keep]
    return run


def _lint_one(linters: _Linters, config: Config, item: Input, max_size: int = DEFAULT_MAX_FILE_SIZE) -> FileResult:
    linter = linters.get(config.for_path(item.path).packs)
    try:
        text = read_text(item.path, max_size)  # regular files only, size-limited, never blocks
    except InputError as exc:
        return FileResult(item.path, error=str(exc))
    return _apply_config(lint_text(linter, item.path, text, item.format), config)


class _NoProgress:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def add_task(self, *args, **kwargs) -> int:
        return 0

    def advance(self, *args) -> None:
        return None
