"""`claimlint check` without typer: its body, and a strict parser for its plain command lines.

Importing typer (with click and pydantic) costs ~0.1 s, as much as everything else a
result-cache hit does. The body of `check` lives here, free of typer, and cli.py's typer
command calls it. `main` (the entry point, from client.py) runs it directly when `parse`
reads the command line as typer would for sure: only `check`, known options each given once
as `--name value`, `--name=value` or `-x value`, flags, and paths. Anything else (help, `--`,
a value typer would reject or might read otherwise, an unknown option) goes through typer,
which parses and reports it as always. Messages go through typer.echo, imported only then.
"""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github", "junit")
FAIL_ON = ("error", "warning", "info", "never")


class Exit(Exception):
    """Leave `check` with this exit code (cli.py turns it into typer.Exit)."""

    def __init__(self, exit_code: int) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


def echo(message: str, err: bool = False) -> None:
    import typer  # only when there is something to say: typer.echo's exact behaviour

    typer.echo(message, err=err)


def fail(message: str) -> Exit:
    echo(f"claimlint: error: {message}", err=True)
    return Exit(EXIT_ERROR)


def config(config_file: Path | None, isolated: bool):
    from claimlint.config import Config, ConfigError, discover, load

    if isolated:
        return Config()
    path = config_file or discover()
    if path is None:
        return Config()
    if config_file is not None and not config_file.is_file():
        raise fail(f"{config_file}: no such configuration file")
    try:
        return load(Path(path))
    except ConfigError as exc:
        raise fail(str(exc)) from None


def lint(paths, pack, config_file, isolated, stdin_filename, language, baseline_file=None,
         changed_since=None, progress=False, **limits):
    """Run a check from command-line values; returns (run, config)."""
    from claimlint.kinds import KindError
    from claimlint.packs import PackError
    from claimlint.run import CheckOptions, RunError, run_check

    configuration = config(config_file, isolated)
    baseline = None
    if baseline_file is not None:
        from claimlint.baseline import BaselineError, load as load_baseline

        try:
            baseline = load_baseline(str(baseline_file))
        except BaselineError as exc:
            raise fail(str(exc)) from None
    options = CheckOptions(
        paths=list(paths), extra_packs=list(pack or []), config=configuration,
        language=language or configuration.language or "blank", stdin_filename=stdin_filename,
        baseline=baseline, changed_since=changed_since, progress=progress, **limits,
    )
    try:
        return run_check(options), configuration
    except (RunError, PackError, KindError) as exc:
        raise fail(str(exc)) from None
    except Exception as exc:
        from claimlint.segment import LanguageError  # not imported before: a cache hit never needs it

        if isinstance(exc, LanguageError):
            raise fail(str(exc)) from None
        raise


def check(paths: list[str], output_format: str = "text", output: Path | None = None,
          fail_on: str | None = None, pack: list[str] | None = None, config_file: Path | None = None,
          isolated: bool = False, baseline: Path | None = None, changed_since: str | None = None,
          stdin_filename: str | None = None, language: str | None = None,
          max_file_size: int = 10_000_000, fail_fast: bool = False, jobs: int = 0,
          no_cache: bool = False, cache_dir: Path | None = None, profile: bool = False) -> int:
    """The body of `claimlint check`: its exit code, or raises Exit."""
    import importlib
    import io
    import time

    started = time.perf_counter()
    if no_cache:
        cache = None
    elif cache_dir is not None:
        cache = str(cache_dir)
    else:
        from claimlint.cache import default_dir

        cache = str(default_dir())
    run, configuration = lint(paths, pack, config_file, isolated, stdin_filename, language, baseline,
                              changed_since, progress=output_format == "text" and not profile,
                              max_file_size=max_file_size, fail_fast=fail_fast, jobs=jobs, cache_dir=cache,
                              profile=profile)
    report_started = time.perf_counter()
    report = importlib.import_module(f"claimlint.report.{output_format}")
    if output is not None:
        from claimlint.writes import atomic_write

        buffer = io.StringIO()
        report.render(run, buffer)
        try:
            atomic_write(output, buffer.getvalue())
        except OSError as exc:
            raise fail(f"{output}: cannot write report: {exc.strerror or exc}") from None
    else:
        report.render(run, sys.stdout)
    if profile:
        print_profile(run.timings or {}, time.perf_counter() - report_started, time.perf_counter() - started)
    if run.errors:
        if output_format != "text" or output is not None:  # text on stdout lists them
            for error in run.errors:
                echo(f"claimlint: {error}", err=True)
        return EXIT_ERROR
    threshold = fail_on if fail_on is not None else (configuration.fail_on or "error")
    return exit_code(run, threshold)


def print_profile(timings: dict, report: float, total: float) -> None:
    """--profile: a small table on standard error. The per-file stages are summed over files
    (and over worker processes, so with --jobs they can add up to more than the wall time)."""
    import os

    counts = {k: timings.pop(k) for k in ("files linted", "cache hits", "workers") if k in timings}
    rows = [("read (parse)", timings.pop("read", 0.0)), ("cite", timings.pop("cite", 0.0)),
            ("segment", timings.pop("segment", 0.0)), ("classify", timings.pop("classify", 0.0)),
            ("rules", timings.pop("rules", 0.0))]
    lines = ["claimlint profile (seconds; per-file stages summed over files)"]
    lines += [f"  {name:<16} {value:9.3f}" for name, value in rows]
    lines += [f"  {name:<16} {value:9.3f}" for name, value in timings.items()]
    lines.append(f"  {'report':<16} {report:9.3f}")
    lines.append(f"  {'total (wall)':<16} {total:9.3f}")
    lines.append("  " + ", ".join(f"{k}: {v}" for k, v in counts.items()) + f", pid {os.getpid()}")
    echo("\n".join(lines), err=True)


def exit_code(run, fail_on: str) -> int:
    from claimlint.findings import SEVERITY_RANK

    if fail_on == "never":
        return EXIT_CLEAN
    threshold = SEVERITY_RANK[fail_on]
    return EXIT_FINDINGS if any(SEVERITY_RANK[f.severity] >= threshold for f in run.findings) else EXIT_CLEAN


# -- the command line, when it is plain enough to read without typer ---------------------------

_VALUES = {  # option -> (parameter, kind); kind: "str", "path", "int" (>= 0), a tuple of choices
    "--format": ("output_format", FORMATS), "-f": ("output_format", FORMATS),
    "--output": ("output", "path"), "-o": ("output", "path"),
    "--fail-on": ("fail_on", FAIL_ON),
    "--pack": ("pack", "str"), "-p": ("pack", "str"),
    "--config": ("config_file", "path"),
    "--baseline": ("baseline", "path"),
    "--changed-since": ("changed_since", "str"),
    "--stdin-filename": ("stdin_filename", "str"),
    "--language": ("language", "str"),
    "--max-file-size": ("max_file_size", "int"),
    "--jobs": ("jobs", "int"), "-j": ("jobs", "int"),
    "--cache-dir": ("cache_dir", "path"),
}
_FLAGS = {"--isolated": "isolated", "--fail-fast": "fail_fast", "--no-cache": "no_cache", "--profile": "profile"}
_REPEATABLE = {"pack"}


def parse(argv: list[str]) -> dict | None:
    """`check`'s keyword arguments from `claimlint ARGV`, or None to leave it to typer."""
    if argv[:1] != ["check"]:
        return None
    values: dict = {"paths": []}
    tokens = iter(argv[1:])
    for token in tokens:
        if token == "-" or not token.startswith("-"):
            values["paths"].append(token)
            continue
        if token in _FLAGS:
            if _FLAGS[token] in values:
                return None
            values[_FLAGS[token]] = True
            continue
        name, equals, value = token.partition("=")
        if name not in _VALUES or (equals and not name.startswith("--")):
            return None  # --help, --, an unknown or combined option: typer knows
        if not equals:
            value = next(tokens, None)
            if value is None:
                return None
        parameter, kind = _VALUES[name]
        if not value or (value.startswith("-") and value != "-"):
            return None
        if isinstance(kind, tuple):
            if value not in kind:
                return None
        elif kind == "int":
            if not (value.isascii() and value.isdigit()):
                return None
            value = int(value)
        elif kind == "path":
            value = Path(value)
        if parameter in _REPEATABLE:
            values.setdefault(parameter, []).append(value)
        elif parameter in values:
            return None
        else:
            values[parameter] = value
    return values if values["paths"] else None


def main(values: dict) -> None:
    """Run `check` with parsed values as the typer entry point would: same output, exit code,
    Ctrl-C and broken-pipe handling."""
    import errno

    def command() -> None:
        try:
            code = check(**values)
        except Exit as exc:
            code = exc.exit_code
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise
            from typer._click.utils import PacifyFlushWrapper  # as click does on a closed pipe

            sys.stdout = PacifyFlushWrapper(sys.stdout)
            sys.stderr = PacifyFlushWrapper(sys.stderr)
            code = 1
        sys.exit(code)

    guarded(command)


class _Interrupted(BaseException):
    """Raised by the SIGINT/SIGTERM handler; a BaseException so that neither click (which turns
    KeyboardInterrupt into "Aborted!" and exit 1) nor a per-file `except Exception` stops it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.exit_code = 128 + signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


def _interrupt(signum, frame) -> None:
    raise _Interrupted(signum)


def guarded(command) -> None:
    """Run the entry point: Ctrl-C exits 130 and SIGTERM 143, quietly; `finally` blocks (atomic
    writes' clean-up) run on the way out, so no partial file is left behind."""
    import os
    import signal

    for name in ("SIGINT", "SIGTERM"):
        try:
            signal.signal(getattr(signal, name), _interrupt)
        except (AttributeError, ValueError, OSError):  # not on this platform / not the main thread
            pass
    try:
        command()
    except (_Interrupted, KeyboardInterrupt) as exc:
        code = exc.exit_code if isinstance(exc, _Interrupted) else 130
        for name in ("SIGINT", "SIGTERM"):  # a second signal while leaving must not print a traceback
            try:
                signal.signal(getattr(signal, name), signal.SIG_IGN)
            except (AttributeError, ValueError, OSError):
                pass
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)
