"""The opt-in `us-ftc` pack through the real CLI: uncited proof claims, animal or lab results
sold as human benefit, testimonials without typical results, "promising" as the only qualifier."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from claimlint.cli import app
from conftest import FILES, check_json

PAGES = FILES / "packs" / "us-ftc"
PACK = "us-ftc"


def _findings(name: str) -> list[tuple[int, int, str, str]]:
    _, data = check_json(PAGES / name, PACK)
    return [(f["line"], f["column"], f["rule"], f["text"]) for f in data["findings"]
            if f["rule"].startswith(PACK + ".")]


def test_landing_page_claims_are_flagged_and_the_cited_trial_is_not():
    assert _findings("glowcollagen-landing.md") == [
        (3, 17, "us-ftc.uncited-proof", "clinically proven"),
        (5, 1, "us-ftc.animal-lab-results", "In lab studies"),
        (8, 1, "us-ftc.preliminary-only", "Promising research shows that collagen peptides improve"),
    ]


def test_testimonials_without_typical_results_are_flagged_once_per_page():
    result = CliRunner().invoke(app, ["check", str(PAGES / "slimtea-testimonials.md"), "--pack", PACK,
                                      "--format", "json"])
    findings = [f for f in json.loads(result.stdout)["findings"] if f["rule"].startswith(PACK + ".")]
    assert [(f["line"], f["column"], f["rule"]) for f in findings] == [
        (1, 1, "us-ftc.testimonial-typical-results")]
    assert "'I lost 20 pounds'" in findings[0]["message"]
    assert findings[0]["reasons"][0] == "triggered by 'I lost 20 pounds' at line 7"


def test_testimonials_with_a_typical_results_statement_pass(tmp_path):
    page = tmp_path / "slimtea.md"
    text = (PAGES / "slimtea-testimonials.md").read_text(encoding="utf-8")
    page.write_text(text + "\nResults not typical: in our study, most users lost about 3 pounds in 8 weeks.\n",
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(page), "--pack", PACK, "--format", "json"])
    assert not [f for f in json.loads(result.stdout)["findings"] if f["rule"].startswith(PACK + ".")]


def test_careful_review_passes():
    assert _findings("careful-probiotic-review.md") == []
