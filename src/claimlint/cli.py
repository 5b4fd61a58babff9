"""The command line: `claimlint check`, `claimlint rules`, `claimlint explain`.

Exit codes are a contract: 0 no finding at or above --fail-on, 1 findings at or above it,
2 usage, configuration, rule-pack or input error.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from claimlint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="claimlint",
    help="Lint health and medical writing for uncited claims, overpromises, missing disclaimers and broken references.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="List rule packs and rules.", invoke_without_command=True, no_args_is_help=False)
app.add_typer(rules_app, name="rules")


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def fail(message: str) -> "typer.Exit":
    typer.echo(f"claimlint: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimlint {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    pass


def _packs(extra: list[str] | None):
    from claimlint.kinds import KindError
    from claimlint.packs import DEFAULT_PACKS, PackError, load_packs

    try:
        return load_packs(list(DEFAULT_PACKS) + list(extra or []))
    except (PackError, KindError) as exc:
        raise fail(str(exc)) from None


def _lint(*args, **kwargs):
    """checkcommand.lint (run a check from command-line values) inside a typer command."""
    from claimlint import checkcommand

    try:
        return checkcommand.lint(*args, **kwargs)
    except checkcommand.Exit as exc:
        raise typer.Exit(exc.exit_code) from None


@app.command()
def check(
    paths: List[str] = typer.Argument(..., help="Files and folders to lint; '-' reads standard input."),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically) instead of standard output."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit code 1 [default: error, or fail_on from the configuration]."),
    pack: Optional[List[str]] = typer.Option(None, "--pack", "-p", help="Add a rule pack (built-in name or YAML file); repeatable."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="Configuration file (default: .claimlint.yaml or [tool.claimlint] in pyproject.toml, looked up from here upwards)."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore every configuration file."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings that are not in this baseline file."),
    changed_since: Optional[str] = typer.Option(None, "--changed-since", help="Lint only files changed against this git ref (e.g. origin/main)."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="Name (and so format) of the text read from '-'."),
    language: Optional[str] = typer.Option(None, "--language", help="spaCy pipeline: 'blank' (built in) or an installed pipeline's name."),
    max_file_size: int = typer.Option(10_000_000, "--max-file-size", min=0, metavar="BYTES", help="Skip (exit 2) files bigger than this many bytes; 0 = no limit."),
    fail_fast: bool = typer.Option(False, "--fail-fast", help="Stop at the first file that cannot be linted (exit 2)."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes for many files; 0 = one per core, 1 = no workers."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the result cache."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Result cache folder [default: $XDG_CACHE_HOME/claimlint or ~/.cache/claimlint]."),
    profile: bool = typer.Option(False, "--profile", help="Print the time spent in each stage to standard error."),
) -> None:
    """Lint files and folders (recursively: .md .markdown .mdx .html .htm .txt)."""
    from claimlint import checkcommand

    try:
        code = checkcommand.check(
            paths, output_format.value, output, None if fail_on is None else fail_on.value, pack, config_file,
            isolated, baseline, changed_since, stdin_filename, language, max_file_size, fail_fast, jobs,
            no_cache, cache_dir, profile)
    except checkcommand.Exit as exc:
        code = exc.exit_code
    raise typer.Exit(code)


@app.command()
def init(
    path: Path = typer.Argument(Path(".claimlint.yaml"), help="Where to write the starter configuration."),
) -> None:
    """Write a commented starter .claimlint.yaml (never overwrites one)."""
    from claimlint.config import STARTER
    from claimlint.writes import atomic_write

    if path.exists():
        raise fail(f"{path} already exists; not overwriting it")
    atomic_write(path, STARTER)
    typer.echo(f"wrote {path}")


cache_app = typer.Typer(help="The result cache: where it is, its size, and emptying it.")
app.add_typer(cache_app, name="cache")
_CACHE_DIR_OPTION = typer.Option(None, "--cache-dir", help="Result cache folder [default: $XDG_CACHE_HOME/claimlint or ~/.cache/claimlint].")


def _cache_root(cache_dir: Optional[Path]) -> Path:
    from claimlint.cache import default_dir

    return cache_dir if cache_dir is not None else default_dir()


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{count / 1e3:.0f} kB"


@cache_app.command("info")
def cache_info(cache_dir: Optional[Path] = _CACHE_DIR_OPTION) -> None:
    """Show the cache folder, its entries and their size."""
    from claimlint.cache import MAX_AGE_DAYS, size

    root = _cache_root(cache_dir)
    found = size(root)
    typer.echo(f"{root}: {found.entries} entr{'y' if found.entries == 1 else 'ies'}, {_size(found.bytes)}"
               f" (entries older than {MAX_AGE_DAYS} days are deleted automatically)")


@cache_app.command("clean")
def cache_clean(
    cache_dir: Optional[Path] = _CACHE_DIR_OPTION,
    older_than: Optional[float] = typer.Option(None, "--older-than", min=0, help="Only entries written more than DAYS ago.", metavar="DAYS"),
) -> None:
    """Delete cached results (only files claimlint wrote there; nothing else in the folder)."""
    from claimlint import packfacts
    from claimlint.cache import prune

    root = _cache_root(cache_dir)
    removed = prune(root, None if older_than is None else older_than * 86400)
    facts = packfacts.clean(root, None if older_than is None else older_than * 86400)
    also = f" (and {_size(facts)} of remembered pack facts)" if facts else ""
    typer.echo(f"{root}: deleted {removed.entries} entr{'y' if removed.entries == 1 else 'ies'}, {_size(removed.bytes)}{also}")


baseline_app = typer.Typer(help="Record today's findings so that `check --baseline` reports only new ones.")
app.add_typer(baseline_app, name="baseline")


@baseline_app.command("create")
def baseline_create(
    file: Path = typer.Argument(..., help="The baseline file to write (JSON)."),
    paths: List[str] = typer.Argument(..., help="Files and folders to lint."),
    pack: Optional[List[str]] = typer.Option(None, "--pack", "-p", help="Add a rule pack; repeatable."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="Configuration file."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore every configuration file."),
    language: Optional[str] = typer.Option(None, "--language", help="spaCy pipeline."),
) -> None:
    """Lint PATHS and record every finding in FILE (rewriting it drops fixed findings)."""
    from claimlint.baseline import write

    run, _ = _lint(paths, pack, config_file, isolated, None, language)
    if run.errors:
        for error in run.errors:
            typer.echo(f"claimlint: {error}", err=True)
        raise typer.Exit(EXIT_ERROR)
    try:
        count = write(str(file), run.findings)
    except OSError as exc:
        raise fail(f"{file}: cannot write baseline: {exc.strerror or exc}") from None
    typer.echo(f"{file}: recorded {count} finding{'s' * (count != 1)} in {len(run.files)} file{'s' * (len(run.files) != 1)}")


@rules_app.callback(invoke_without_command=True)
def rules_list(
    ctx: typer.Context,
    pack: Optional[List[str]] = typer.Option(None, "--pack", "-p", help="Show only this pack (name or file); repeatable."),
) -> None:
    """List every rule: id, severity, category and what it flags."""
    if ctx.invoked_subcommand is not None:
        return
    from claimlint.packs import DEFAULT_PACKS, builtin_pack_names, load_pack

    names = list(pack) if pack else list(DEFAULT_PACKS) + [n for n in builtin_pack_names() if n not in DEFAULT_PACKS]
    from claimlint.packs import PackError

    for name in names:
        try:
            loaded = load_pack(name)
        except PackError as exc:
            raise fail(str(exc)) from None
        default = " (on by default)" if loaded.name in DEFAULT_PACKS else ""
        typer.echo(f"{loaded.name}{default}: {loaded.description}")
        for rule in loaded.rules:
            d = rule.definition
            summary = " ".join(d.why.split())
            summary = summary.split(". ")[0].rstrip(".") + "."
            typer.echo(f"  {d.id:<32} {d.severity:<8} {d.category:<12} {summary}")
        typer.echo("")


@rules_app.command("validate")
def rules_validate(
    files: List[Path] = typer.Argument(..., help="Rule pack files to check."),
) -> None:
    """Check packs against the schema and run their examples.

    Exit 0: valid and every example behaves; 1: an example fails; 2: a pack does not load."""
    from claimlint.engine import Linter
    from claimlint.packs import DEFAULT_PACKS, PackError, load_pack, load_packs
    from claimlint.segment import LanguageError
    from claimlint.selftest import run_examples

    broken = failed = False
    for file in files:
        try:
            pack = load_pack(str(file))
        except PackError as exc:
            typer.echo(f"{exc}", err=True)
            broken = True
            continue
        try:
            base = [p for p in load_packs(list(DEFAULT_PACKS)) if p.name != pack.name and p.name not in pack.ancestors]
            linter = Linter(base + [pack])
            count, failures = run_examples(linter, [pack])
        except (PackError, LanguageError) as exc:
            raise fail(str(exc)) from None
        for failure in failures:
            typer.echo(f"{file}: {failure}")
        failed = failed or bool(failures)
        status = "ok" if not failures else f"{len(failures)} example(s) failed"
        typer.echo(f"{file}: {status} ({len(pack.rules)} rules, {count} examples)")
    raise typer.Exit(EXIT_ERROR if broken else EXIT_FINDINGS if failed else EXIT_CLEAN)


@rules_app.command("schema")
def rules_schema() -> None:
    """Print the JSON Schema of a rule pack (for editors: completion and checking)."""
    from claimlint.schema import render

    typer.echo(render(), nl=False)


@rules_app.command("docs")
def rules_docs() -> None:
    """Print the rule reference (docs/rules.md) generated from the shipped packs."""
    from claimlint.explain import render_reference
    from claimlint.packs import DEFAULT_PACKS, builtin_pack_names, load_pack

    names = list(DEFAULT_PACKS) + [n for n in builtin_pack_names() if n not in DEFAULT_PACKS]
    typer.echo(render_reference([load_pack(n) for n in names], DEFAULT_PACKS), nl=False)


@app.command()
def explain(
    rule_id: str = typer.Argument(..., metavar="RULE", help="A rule id such as overpromise.cure."),
    pack: Optional[List[str]] = typer.Option(None, "--pack", "-p", help="Also look in this pack (name or file)."),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f"),
) -> None:
    """Show why a rule exists, its sources, and examples it flags and passes."""
    from claimlint.explain import find_rule, render_json, render_text

    packs = _packs(pack)
    rule = find_rule(packs, rule_id)
    if rule is None:
        known = sorted(r.definition.id for p in packs for r in p.rules)
        raise fail(f"unknown rule '{rule_id}' (known rules: {', '.join(known)})")
    typer.echo(render_json(rule) if output_format is OutputFormat.json else render_text(rule), nl=False)


server_app = typer.Typer(help="A warm process that `claimlint check` reuses: no start-up cost per run.")
app.add_typer(server_app, name="server")


def _server_call(action):
    from claimlint.server import ServerError

    try:
        return action()
    except ServerError as exc:
        raise fail(str(exc)) from None


def _describe(status: dict) -> str:
    idle = status["idle_timeout"]
    stops = f"stops after {idle:g} s idle" if idle > 0 else "never stops when idle"
    return (f"claimlint server: pid {status['pid']}, socket {status['socket']}, "
            f"{status['served']} check(s) served, up {status['uptime']:.0f} s, {stops}")


@server_app.command("start")
def server_start(
    idle_timeout: float = typer.Option(900, "--idle-timeout", min=0, metavar="SECONDS", help="Stop after this long without a request; 0 = never."),
) -> None:
    """Start the server in the background (if it is not running) and wait until it answers.

    While it runs, `claimlint check` hands its work to it (same output, same exit code) instead
    of loading spaCy and the packs again. It serves only this user, through a socket in a
    private folder; it stops when idle, on `claimlint server stop`, or when claimlint changes.
    CLAIMLINT_NO_SERVER=1 makes a check run in-process all the same."""
    from claimlint import server

    typer.echo(_describe(_server_call(lambda: server.start(idle_timeout))))


@server_app.command("run")
def server_run(
    idle_timeout: float = typer.Option(900, "--idle-timeout", min=0, metavar="SECONDS", help="Stop after this long without a request; 0 = never."),
) -> None:
    """Serve in the foreground (for editors and service managers) until idle or stopped."""
    from claimlint import server

    _server_call(lambda: server.run_foreground(idle_timeout))


@server_app.command("stop")
def server_stop() -> None:
    """Stop the running server (exit 0 also when none was running)."""
    from claimlint import server

    stopped = _server_call(server.stop)
    typer.echo("claimlint server: stopped" if stopped else "claimlint server: not running")


@server_app.command("status")
def server_status() -> None:
    """Show whether a server runs for this user and this install (exit 0 if it does, 1 if not)."""
    from claimlint import server

    status = _server_call(server.status)
    if status is None:
        typer.echo("claimlint server: not running")
        raise typer.Exit(EXIT_FINDINGS)
    typer.echo(_describe(status))


def main() -> None:
    """Entry point: Ctrl-C exits 130 and SIGTERM 143, quietly (see checkcommand.guarded)."""
    from claimlint.checkcommand import guarded

    guarded(app)
