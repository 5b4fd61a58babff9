"""The shipped examples do what examples/README.md says they do."""

from __future__ import annotations

import re

from conftest import ROOT

EXAMPLES = ROOT / "examples"


def findings(cli, name):
    run = cli("check", EXAMPLES / name, "--format", "json")
    assert run.exit_code in (0, 1), run.stderr
    return run.json["findings"]


def test_careful_article_is_clean(cli):
    found = findings(cli, "careful-article.md")
    assert [f for f in found if f["category"] in ("overpromise", "reference", "disclaimer", "citation")] == []


def test_news_report_needs_no_disclaimer_and_is_cited(cli):
    assert findings(cli, "news-report.html") == []


def test_plain_text_bare_digit_markers_are_read(cli):
    found = findings(cli, "plain-notes.txt")
    assert [(f["line"], f["rule"]) for f in found] == [(14, "claims.uncited")]  # "roughly 1 in 25."


def test_hype_page_trips_every_category(cli):
    categories = {f["category"] for f in findings(cli, "hype-page.md")}
    assert {"citation", "overpromise", "reference", "disclaimer"} <= categories


def test_readme_summary_matches_a_real_run(cli):
    run = cli("check", EXAMPLES)
    summary = run.stdout.strip().splitlines()[-1]
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert summary in readme, f"examples/README.md is stale ({summary}): run scripts/update_examples_readme.py twice"
    assert re.search(r"exits? with (status )?1", readme)
