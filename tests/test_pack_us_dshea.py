"""The opt-in `us-dshea` pack through the real CLI: structure/function claims need the FDA
disclaimer of 21 CFR 101.93(c); disease claims are flagged with or without it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from claimlint.cli import app
from conftest import FILES, check_json

PAGES = FILES / "packs" / "us-dshea"
PACK = "us-dshea"


def _findings(name: str) -> list[tuple[int, int, str, str]]:
    _, data = check_json(PAGES / name, PACK)
    return [(f["line"], f["column"], f["rule"], f["text"]) for f in data["findings"]
            if f["rule"].startswith(PACK + ".")]


def test_supplement_page_without_the_fda_disclaimer_is_flagged():
    assert _findings("flexijoint-no-disclaimer.md") == [
        (1, 1, "us-dshea.fda-disclaimer", ""),
        (1, 1, "us-dshea.fda-disclaimer-intended-use", ""),
    ]


def test_disclaimer_finding_names_the_first_structure_function_claim():
    result = CliRunner().invoke(app, ["check", str(PAGES / "flexijoint-no-disclaimer.md"), "--pack", PACK,
                                      "--format", "json"])
    finding = next(f for f in json.loads(result.stdout)["findings"] if f["rule"] == "us-dshea.fda-disclaimer")
    assert finding["severity"] == "error" and finding["category"] == "disclaimer"
    assert "claim ('Supports joint')" in finding["message"]
    assert finding["reasons"][0] == "triggered by 'Supports joint' at line 7"
    assert finding["suggestions"][0].startswith("*These statements have not been evaluated")


def test_the_same_page_with_the_disclaimer_passes():
    assert _findings("flexijoint-with-disclaimer.md") == []


def test_disease_claim_is_flagged_even_with_the_disclaimer():
    assert _findings("elderberry-disease-claim.md") == [(7, 22, "us-dshea.disease-claim", "help prevent")]


def test_first_sentence_of_the_disclaimer_alone_is_not_enough():
    # The HTML page says the statements have not been evaluated by the FDA but never says the
    # product is not intended to diagnose, treat, cure or prevent any disease.
    assert _findings("sleep-drops.html") == [(1, 1, "us-dshea.fda-disclaimer-intended-use", "")]


def test_pack_is_opt_in():
    result = CliRunner().invoke(app, ["check", str(PAGES / "elderberry-disease-claim.md"), "--format", "json"])
    assert not [f for f in json.loads(result.stdout)["findings"] if f["rule"].startswith(PACK + ".")]


def test_disease_claim_makes_exit_code_1():
    result = CliRunner().invoke(app, ["check", str(PAGES / "elderberry-disease-claim.md"), "--pack", PACK,
                                      "--fail-on", "error", "--format", "json"])
    assert result.exit_code == 1
