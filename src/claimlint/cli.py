"""The command line: `claimlint check`, `claimlint rules`, `claimlint explain`.

Exit codes are a contract: 0 no finding at or above --fail-on, 1 findings at or above it,
2 usage, configuration, rule-pack or input error.
"""

from __future__ import annotations

import sys
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


@app.command()
def check(
    paths: List[str] = typer.Argument(..., help="Files and folders to lint; '-' reads standard input."),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output format."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Lowest severity that makes the exit code 1."),
    pack: Optional[List[str]] = typer.Option(None, "--pack", "-p", help="Add a rule pack (built-in name or YAML file); repeatable."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="Name (and so format) of the text read from '-'."),
    language: str = typer.Option("blank", "--language", help="spaCy pipeline: 'blank' (built in) or an installed pipeline's name."),
) -> None:
    """Lint files and folders (recursively: .md .markdown .mdx .html .htm .txt)."""
    from claimlint.run import CheckOptions, run_check
    from claimlint.segment import LanguageError

    options = CheckOptions(paths=list(paths), packs=_packs(pack), language=language, stdin_filename=stdin_filename)
    try:
        run = run_check(options)
    except LanguageError as exc:
        raise fail(str(exc)) from None
    if output_format is OutputFormat.json:
        from claimlint.report import json as report
    else:
        from claimlint.report import text as report
    report.render(run, sys.stdout)
    if run.errors:
        if output_format is not OutputFormat.text:  # text output already lists them
            for error in run.errors:
                typer.echo(f"claimlint: {error}", err=True)
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(_exit_code(run, fail_on))


def _exit_code(run, fail_on: FailOn) -> int:
    from claimlint.findings import SEVERITY_RANK

    if fail_on is FailOn.never:
        return EXIT_CLEAN
    threshold = SEVERITY_RANK[fail_on.value]
    return EXIT_FINDINGS if any(SEVERITY_RANK[f.severity] >= threshold for f in run.findings) else EXIT_CLEAN


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


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
