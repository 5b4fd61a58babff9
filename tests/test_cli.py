"""The command line through typer's runner and, for stdin and the installed script, a real
subprocess: exit codes, the JSON contract, text output, input errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import FILES, ROOT

CLI = FILES / "cli"
FINDING_KEYS = ["path", "line", "column", "end_line", "end_column", "rule", "category", "severity",
                "message", "text", "sentence", "reasons", "suggestions"]


def test_json_contract(cli):
    run = cli("check", CLI / "hype-crlf.txt", CLI / "clean.md", "--format", "json")
    assert run.exit_code == 1
    data = run.json
    assert list(data) == ["tool", "version", "summary", "files", "findings", "errors"]
    assert data["tool"] == "claimlint" and data["version"] == "0.1.0"
    assert data["summary"] == {"files": 2, "findings": 4, "error": 2, "warning": 2, "info": 0}
    assert data["files"] == [
        {"path": str(CLI / "hype-crlf.txt"), "sentences": 2, "claims": 1, "cited_claims": 0},
        {"path": str(CLI / "clean.md"), "sentences": 5, "claims": 1, "cited_claims": 1},
    ]
    claim = data["findings"][0]
    assert (claim["rule"], claim["category"], claim["severity"], claim["text"]) == (
        "claims.uncited", "citation", "warning", "Miracle tea cures arthritis.")
    # the word evidence's figures change whenever bench/fit_words.py refits it
    *cues, words, score, marker = claim["reasons"]
    assert cues == ["causal or efficacy verb 'cures'", "health term 'arthritis'", "promotional claim 'Miracle'"]
    assert re.fullmatch(r"word evidence [+-]\d+\.\d\d \('\w+' [+-]\d+\.\d\d(, '\w+' [+-]\d+\.\d\d){0,2}\)", words), words
    assert re.fullmatch(r"score \d+(\.\d+)? >= 2", score) and marker == "no citation marker"
    first = data["findings"][1]
    assert list(first) == FINDING_KEYS
    assert first == {
        "path": str(CLI / "hype-crlf.txt"), "line": 1, "column": 1, "end_line": 1, "end_column": 8,
        "rule": "overpromise.miracle", "category": "overpromise", "severity": "error",
        "message": "'Miracle' is hype; describe the effect and how sure we are of it.",
        "text": "Miracle", "sentence": "Miracle tea cures arthritis.",
        "reasons": ["'Miracle' matched", "none of its guards applied (negated, question, quoted, quotation, hedged)"],
        "suggestions": ["effective for some people", "showed a benefit in a trial"],
    }
    assert [(f["line"], f["column"], f["text"]) for f in data["findings"]] == [
        (1, 1, "Miracle tea cures arthritis."), (1, 1, "Miracle"), (1, 13, "cures"), (2, 7, "clinically proven")]


def test_text_of_every_finding_is_the_source_at_its_span(cli):
    run = cli("check", CLI / "nonascii.md", CLI / "hype-crlf.txt", "--format", "json")
    for finding in run.json["findings"]:
        lines = open(finding["path"], encoding="utf-8", newline="").read().splitlines()
        if finding["line"] == finding["end_line"]:
            line = lines[finding["line"] - 1]
            assert line[finding["column"] - 1 : finding["end_column"] - 1] == finding["text"]


def test_columns_count_characters_not_bytes(cli):
    run = cli("check", CLI / "nonascii.md", "--format", "json")
    cure = [f for f in run.json["findings"] if f["rule"] == "overpromise.cure"]
    assert [(f["line"], f["column"], f["end_column"], f["text"]) for f in cure] == [(3, 35, 39, "cure")]


@pytest.mark.parametrize(
    "args, code",
    [
        (["clean.md"], 0),
        (["hype-crlf.txt"], 1),
        (["hype-crlf.txt", "--fail-on", "never"], 0),
        (["empty.md"], 0),
        (["blank.md"], 0),
        (["image.md"], 2),
        (["latin1.txt"], 2),
        (["notes.rst"], 2),
        (["no-such-file.md"], 2),
        (["clean.md", "--format", "yaml"], 2),
        (["clean.md", "--fail-on", "fatal"], 2),
    ],
)
def test_exit_codes(cli, args, code):
    args = [str(CLI / a) if a.endswith((".md", ".txt", ".rst")) else a for a in args]
    assert cli("check", *args).exit_code == code


def test_fail_on_warning_counts_warnings(cli, tmp_path):
    article = tmp_path / "claim.md"
    article.write_text("Vitamin D lowers fracture risk by 20%.\n")
    assert cli("check", article).exit_code == 0
    assert cli("check", article, "--fail-on", "warning").exit_code == 1


@pytest.mark.parametrize(
    "name, message",
    [
        ("image.md", "image.md: binary file (contains NUL bytes); skipped"),
        ("latin1.txt", "latin1.txt: not valid UTF-8 (byte 0xe9 at offset 3); skipped"),
        ("notes.rst", "notes.rst: unsupported file type '.rst'"),
    ],
)
def test_bad_input_is_reported_and_the_rest_still_linted(cli, name, message):
    run = cli("check", CLI / name, CLI / "hype-crlf.txt", "--format", "json")
    assert run.exit_code == 2
    assert any(message in e for e in run.json["errors"])
    assert run.json["summary"]["files"] == 1 and run.json["summary"]["error"] == 2
    assert message in run.stderr


@pytest.mark.parametrize("name", ["bom.txt", "utf16.txt"])
def test_byte_order_marks(cli, name):
    run = cli("check", CLI / name, "--format", "json")
    assert [(f["line"], f["column"], f["text"]) for f in run.json["findings"] if f["category"] == "overpromise"] == [(1, 10, "cures")]


def test_folders_are_walked_in_a_stable_order(cli, tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "node_modules").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ["b/z.md", "a.html", "b/c.txt", "node_modules/x.md", ".git/y.md", "d.rst"]:
        (tmp_path / rel).write_text("<p>This tea cures colds.</p>" if rel.endswith("html") else "This tea cures colds.\n")
    run = cli("check", tmp_path, "--format", "json")
    assert [f["path"] for f in run.json["files"]] == [
        str(tmp_path / "a.html"), str(tmp_path / "b" / "c.txt"), str(tmp_path / "b" / "z.md")]
    assert run.exit_code == 1


def test_text_output_is_plain_when_not_a_terminal(cli):
    run = cli("check", CLI / "hype-crlf.txt")
    assert "\x1b[" not in run.stdout
    assert "\n  1:1  error   overpromise.miracle  'Miracle' is hype" in run.stdout
    assert "    Miracle tea cures arthritis." in run.stdout
    assert "    try: effective for some people | showed a benefit in a trial" in run.stdout
    assert run.stdout.rstrip().endswith(
        "1 file checked, 4 findings (2 errors, 2 warnings, 0 info); claims cited: 0/1")


def test_coloured_text_output_has_the_same_words_as_plain(cli, tmp_path, monkeypatch):
    """Plain output is written without rich; colour goes through rich. Tabs are expanded in both."""
    import re

    article = tmp_path / "a\ttab.md"
    article.write_text("Miracle tea cures arthritis.\n\n|a|b|\n|-|-|\n|Our miracle tea|cures colds|\n")
    plain = cli("check", article).stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = cli("check", article).stdout
    assert "\x1b[" in coloured and "\x1b[" not in plain
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert "\t" not in plain and "tab.md" in plain


def test_rules_lists_every_rule(cli):
    run = cli("rules")
    assert run.exit_code == 0
    from claimlint.packs import DEFAULT_PACKS, load_packs

    for pack in load_packs(list(DEFAULT_PACKS)):
        for rule in pack.rules:
            assert rule.definition.id in run.stdout
    assert "overpromise.cure" in run.stdout and "error" in run.stdout


def test_explain_renders_why_sources_and_examples(cli):
    run = cli("explain", "overpromise.cure")
    assert run.exit_code == 0
    for heading in ["What it flags", "Why", "Sources", "Flagged", "Not flagged", "Instead, try"]:
        assert f"\n{heading}\n" in run.stdout
    assert "  - There is no cure for lupus." in run.stdout
    data = json.loads(cli("explain", "overpromise.cure", "--format", "json").stdout)
    assert data["id"] == "overpromise.cure" and "There is no cure for lupus." in data["examples"]["pass"]


def test_explain_unknown_rule(cli):
    run = cli("explain", "overpromise.nope")
    assert run.exit_code == 2
    assert "unknown rule 'overpromise.nope' (known rules:" in run.stderr


def test_missing_language_pipeline_is_a_clear_error(cli):
    run = cli("check", CLI / "clean.md", "--language", "xx_no_such_pipeline")
    assert run.exit_code == 2
    assert "spaCy pipeline 'xx_no_such_pipeline' is not installed" in run.stderr
    assert "Traceback" not in run.stderr


def _claimlint() -> list[str]:
    script = shutil.which("claimlint", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "claimlint"]


def test_stdin_with_filename_through_a_real_process():
    text = (CLI / "hype-crlf.txt").read_bytes()
    proc = subprocess.run(
        _claimlint() + ["check", "-", "--stdin-filename", "article.txt", "--format", "json"],
        input=text, capture_output=True, timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["files"][0]["path"] == "article.txt"
    assert [(f["line"], f["column"]) for f in data["findings"]] == [(1, 1), (1, 1), (1, 13), (2, 7)]


def test_usage_error_is_exit_2_without_traceback():
    proc = subprocess.run(_claimlint() + ["check"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "Missing argument" in proc.stderr


def test_examples_folder_is_linted(cli):
    run = cli("check", ROOT / "examples", "--format", "json")
    assert run.exit_code in (0, 1)
    assert run.json["summary"]["files"] >= 4
