"""The opt-in `uk-cap` pack through the real CLI: cure claims, claims to treat serious
conditions, discouraging essential treatment, foods that prevent, treat or cure."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from claimlint.cli import app
from conftest import FILES, check_json

PAGES = FILES / "packs" / "uk-cap"
PACK = "uk-cap"


def _findings(name: str) -> list[tuple[int, int, str, str]]:
    _, data = check_json(PAGES / name, PACK)
    return [(f["line"], f["column"], f["rule"], f["text"]) for f in data["findings"]
            if f["rule"].startswith(PACK + ".")]


def test_clinic_page_is_flagged():
    assert _findings("calmmind-clinic.md") == [
        (3, 37, "uk-cap.cure-claim", "cures"),
        (5, 14, "uk-cap.serious-condition", "treats"),
        (7, 18, "uk-cap.discourages-treatment", "you won't need your antidepressants"),
        (7, 77, "uk-cap.discourages-treatment", "no need to see a\ndoctor"),
    ]


def test_serious_condition_message_names_both_terms():
    result = CliRunner().invoke(app, ["check", str(PAGES / "calmmind-clinic.md"), "--pack", PACK,
                                      "--format", "json"])
    finding = next(f for f in json.loads(result.stdout)["findings"] if f["rule"] == "uk-cap.serious-condition")
    assert finding["message"].startswith("'treats' with 'depression'")
    assert finding["severity"] == "error" and finding["category"] == "regulatory"


def test_food_claims_in_plain_text_are_flagged():
    assert _findings("juice-bar.txt") == [
        (3, 1, "uk-cap.food-disease-claim", "This green juice prevents"),
        (5, 1, "uk-cap.food-disease-claim", "Our ginger tea treats"),
    ]


def test_careful_page_passes():
    assert _findings("careful-asthma-yoga.md") == []
