"""The opt-in editorial pack (HONcode, DISCERN, PIF TICK) through the real CLI, on realistic
pages: author and dates in front matter, review freshness, a sources section, and relative risk
changes given without an absolute baseline."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import check_json

PACK = "editorial"
PAGES = Path(__file__).resolve().parent / "files" / "packs" / PACK


def check(path: Path, *packs: str) -> tuple[int, dict]:
    return check_json(path, *packs)


def ours(data: dict) -> list[tuple[str, int]]:
    """(rule, line) of this pack's findings, in report order."""
    return [(f["rule"], f["line"]) for f in data["findings"] if f["rule"].startswith(PACK + ".")]


def with_review_date(tmp_path: Path, days_ago: int) -> Path:
    """The careful page, its `reviewed` date set `days_ago` days before today (so it never rots)."""
    reviewed = (dt.date.today() - dt.timedelta(days=days_ago)).isoformat()
    text = (PAGES / "careful-blood-pressure.md").read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^reviewed: .*$", f"reviewed: {reviewed}", text)
    assert count == 1
    page = tmp_path / "careful-blood-pressure.md"
    page.write_text(text, encoding="utf-8")
    return page


def test_stale_statins_page():
    code, data = check(PAGES / "stale-statins.md", PACK)
    assert code == 0  # every editorial rule is a warning: exit 1 only with --fail-on warning
    assert ours(data) == [
        ("editorial.review-due", 1),
        ("editorial.sources-section", 1),
        ("editorial.relative-risk", 13),
    ]
    due = next(f for f in data["findings"] if f["rule"] == "editorial.review-due")
    assert (due["category"], due["severity"]) == ("editorial", "warning")
    assert "2015-03-18 is" in due["message"] and "(limit 1095)" in due["message"]
    relative = next(f for f in data["findings"] if f["rule"] == "editorial.relative-risk")
    assert relative["text"].startswith("Taking a statin halves the risk")
    assert "'halves the risk'" in relative["message"]


def test_page_without_front_matter():
    _, data = check(PAGES / "no-frontmatter-smoking.md", PACK)
    # Line 5 ("twice as likely") is next to "1 in 5 adults", a prevalence, which the rule
    # accepts as an absolute figure: a documented limit of `near: 1`.
    assert ours(data) == [
        ("editorial.author", 1),
        ("editorial.dates", 1),
        ("editorial.dates", 1),
        ("editorial.relative-risk", 8),
    ]
    dates = [f["message"] for f in data["findings"] if f["rule"] == "editorial.dates"]
    assert sorted(dates) == sorted([
        "Front matter key 'published': missing (give the publication and last review dates as YYYY-MM-DD).",
        "Front matter key 'reviewed': missing (give the publication and last review dates as YYYY-MM-DD).",
    ])


def test_html_news_page():
    _, data = check(PAGES / "aspirin-news.html", PACK)
    # <meta name="author"> counts; HTML has no publication or review dates for claimlint.
    # The absolute figure on line 12 is two sentences after the relative one: too far.
    assert ours(data) == [
        ("editorial.dates", 1),
        ("editorial.dates", 1),
        ("editorial.sources-section", 1),
        ("editorial.relative-risk", 10),
    ]
    relative = next(f for f in data["findings"] if f["rule"] == "editorial.relative-risk")
    assert "'cuts the risk of a second stroke by 20%'" in relative["message"]
    assert relative["column"] == 6


def test_careful_page_reviewed_recently_passes(tmp_path):
    _, data = check(with_review_date(tmp_path, 30), PACK)
    assert ours(data) == []


@pytest.mark.parametrize("days_ago, due", [(1094, False), (1095, False), (1096, True), (4000, True)])
def test_review_is_due_after_three_years(tmp_path, days_ago, due):
    _, data = check(with_review_date(tmp_path, days_ago), PACK)
    assert ours(data) == ([("editorial.review-due", 1)] if due else [])


def test_a_future_review_date_is_not_stale(tmp_path):
    _, data = check(with_review_date(tmp_path, -60), PACK)
    assert ours(data) == []


def test_the_pack_is_opt_in():
    _, data = check(PAGES / "stale-statins.md")
    assert ours(data) == []
