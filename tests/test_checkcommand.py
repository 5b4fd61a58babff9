"""`claimlint check` read without typer (checkcommand.parse) behaves as the typer command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimlint import checkcommand
from conftest import ROOT


def test_plain_command_lines_are_read_like_typer_reads_them():
    values = checkcommand.parse(["check", "a.md", "-f", "json", "--fail-on=never", "-p", "x", "--pack", "y",
                                 "--jobs", "1", "--no-cache", "-o", "out.json", "b"])
    assert values == {"paths": ["a.md", "b"], "output_format": "json", "fail_on": "never", "pack": ["x", "y"],
                      "jobs": 1, "no_cache": True, "output": Path("out.json")}
    assert checkcommand.parse(["check", "-", "--stdin-filename", "x.md"])["paths"] == ["-"]


@pytest.mark.parametrize("argv", [
    ["check"], ["check", "--help"], ["check", "a.md", "-h"], ["check", "a.md", "--format", "xml"],
    ["check", "a.md", "--jobs", "-1"], ["check", "a.md", "--jobs", "²"], ["check", "a.md", "--no-cache", "--no-cache"],
    ["check", "a.md", "--format", "json", "-f", "text"], ["check", "--", "a.md"], ["check", "a.md", "--bogus"],
    ["check", "a.md", "-fjson"], ["check", "a.md", "--no-cache=1"], ["check", "a.md", "--output"],
    ["check", "a.md", "--config", ""], ["rules"], ["--version"],
])
def test_anything_else_is_left_to_typer(argv):
    assert checkcommand.parse(argv) is None


def _run(argv, through_typer):
    env = dict(os.environ, CLAIMLINT_NO_SERVER="1")
    if through_typer:
        command = [sys.executable, "-c", "import sys; sys.argv[0] = 'claimlint'; "
                   "from claimlint.cli import main; main()", *argv]
    else:
        command = [sys.executable, "-c", "import sys; sys.argv[0] = 'claimlint'; "
                   "from claimlint.client import main; main()", *argv]
    run = subprocess.run(command, capture_output=True, env=env, cwd=ROOT, timeout=300,
                         input=b"This tea cures arthritis.\n")
    return run.returncode, run.stdout, run.stderr


@pytest.mark.parametrize("argv", [
    ["check", "examples/hype-page.md", "--no-cache"],
    ["check", "examples", "--format", "json", "--no-cache", "--fail-on=warning"],
    ["check", "-", "--stdin-filename", "x.md", "-f", "github", "--no-cache"],
    ["check", "missing.md", "--no-cache", "--format", "json"],
    ["check", "examples", "--pack", "no-such-pack", "--no-cache"],
    ["check", "examples", "--config", "missing.yaml", "--no-cache"],
])
def test_the_same_output_and_exit_code_as_the_typer_command(argv, tmp_path):
    assert checkcommand.parse(argv) is not None
    assert _run(argv, through_typer=False) == _run(argv, through_typer=True)


def test_a_result_cache_hit_imports_neither_typer_nor_the_parsers(tmp_path):
    cache = tmp_path / "cache"
    script = ("import sys; sys.argv = ['claimlint', 'check', *sys.argv[1:]]\n"
              "from claimlint.client import main\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in ('typer', 'click', 'pydantic', 'rich', 'yaml', 'regex', 'spacy',"
              " 'markdown_it', 'importlib.metadata') if m in sys.modules), file=sys.stderr)\n")
    args = [sys.executable, "-c", script, "examples/hype-page.md", "--cache-dir", str(cache), "--format", "json"]
    env = dict(os.environ, CLAIMLINT_NO_SERVER="1")
    cold = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    warm = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert warm.stdout == cold.stdout
    assert warm.stderr.strip().splitlines()[-1] == "[]", warm.stderr


def test_the_fast_parser_knows_exactly_the_options_of_the_typer_command():
    """A new or renamed option of `claimlint check` must be taught to checkcommand too (or
    the fast path would read the command line differently from typer)."""
    import typer.main

    from claimlint.cli import app

    check = typer.main.get_command(app).commands["check"]
    typer_options, typer_flags = {}, {}
    for param in check.params:
        if param.param_type_name != "option" or param.name == "help":
            continue
        target = typer_flags if param.is_flag else typer_options
        for opt in param.opts:
            target[opt] = param.name
    fast_options = {opt: name for opt, (name, _) in checkcommand._VALUES.items()}
    assert fast_options == typer_options
    assert checkcommand._FLAGS == typer_flags
    from claimlint.cli import FailOn, OutputFormat

    assert set(checkcommand.FORMATS) == {f.value for f in OutputFormat}
    assert set(checkcommand.FAIL_ON) == {f.value for f in FailOn}
