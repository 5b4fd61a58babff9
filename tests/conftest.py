from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimlint.cli import app

ROOT = Path(__file__).resolve().parents[1]
FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture(scope="session")
def linter():
    from claimlint.engine import Linter
    from claimlint.packs import DEFAULT_PACKS, load_packs

    return Linter(load_packs(list(DEFAULT_PACKS)))


class Run:
    def __init__(self, result) -> None:
        self.exit_code = result.exit_code
        self.stdout = result.stdout
        self.stderr = result.stderr

    @property
    def json(self) -> dict:
        return json.loads(self.stdout)


@pytest.fixture
def cli():
    """Run the real CLI in-process: cli("check", "file.md") -> Run."""

    def run(*args: str, input: str | bytes | None = None) -> Run:
        return Run(CliRunner().invoke(app, [str(a) for a in args], input=input, catch_exceptions=False))

    return run


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory, monkeypatch):
    """Each test gets an empty result cache (the default one follows XDG_CACHE_HOME), so that no
    test writes to ~/.cache or sees another test's results, and its own runtime folder, so that
    no test uses a `claimlint server` the developer started."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    runtime = tmp_path_factory.mktemp("xdg-runtime")
    runtime.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))  # never talk to a developer's claimlint server
    monkeypatch.delenv("CLAIMLINT_SERVER", raising=False)


def check_json(path, *packs: str) -> tuple[int, dict]:
    """`claimlint check PATH --pack P... --format json` in-process; (exit code, report).
    An input error or an exit code other than 0/1 fails the test."""
    args = ["check", str(path), "--format", "json"]
    for pack in packs:
        args += ["--pack", pack]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert data["errors"] == []
    return result.exit_code, data
