"""The opt-in eu-nhc pack (EU Regulation 1924/2006) through the real CLI, on realistic pages:
weight-loss rate or amount (Art. 12(b)), endorsements by health professionals (Art. 12(c)) and
health claims without the varied-and-balanced-diet statement (Art. 10(2)(a))."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check_json

PACK = "eu-nhc"
PAGES = Path(__file__).resolve().parent / "files" / "packs" / PACK


def check(path: Path, *packs: str) -> tuple[int, dict]:
    return check_json(path, *packs)


def ours(data: dict) -> list[tuple[str, int, str]]:
    """(rule, line, text) of this pack's findings, in report order."""
    return [(f["rule"], f["line"], f["text"]) for f in data["findings"] if f["rule"].startswith(PACK + ".")]


def test_slimming_shop_page():
    code, data = check(PAGES / "slimming-shop.md", PACK)
    assert code == 1
    assert ours(data) == [
        ("eu-nhc.lifestyle-statement", 1, ""),
        ("eu-nhc.weight-loss-rate", 7, "Lose 6 kg"),
        ("eu-nhc.weight-loss-rate", 14, "dropped two dress sizes"),
        ("eu-nhc.professional-endorsement", 15, "Recommended by Dr Helen"),
        ("eu-nhc.weight-loss-rate", 16, "Shed the pounds fast"),
    ]
    lifestyle = next(f for f in data["findings"] if f["rule"] == "eu-nhc.lifestyle-statement")
    assert lifestyle["category"] == "disclaimer" and lifestyle["severity"] == "warning"
    assert "contributes to the maintenance of normal blood" in lifestyle["message"]
    assert "at line 9" in lifestyle["reasons"][0]
    rate = next(f for f in data["findings"] if f["rule"] == "eu-nhc.weight-loss-rate")
    assert (rate["category"], rate["severity"], rate["column"]) == ("regulatory", "error", 19)


def test_immune_gummies_html_page():
    code, data = check(PAGES / "immune-gummies.html", PACK)
    assert code == 1
    assert ours(data) == [
        ("eu-nhc.lifestyle-statement", 1, ""),
        ("eu-nhc.professional-endorsement", 11, "Nine out of ten pharmacists recommend"),
        ("eu-nhc.professional-endorsement", 17, "Dr. Patel's favourite"),
    ]
    lifestyle = next(f for f in data["findings"] if f["rule"] == "eu-nhc.lifestyle-statement")
    assert "'boost your immune system'" in lifestyle["message"]


@pytest.mark.parametrize("page", ["careful-vitamin-d.md", "careful-weight-article.md"])
def test_careful_pages_pass(page):
    _, data = check(PAGES / page, PACK)
    assert ours(data) == []


def test_the_pack_is_opt_in():
    _, data = check(PAGES / "slimming-shop.md")
    assert ours(data) == []
    assert not any(f["category"] == "regulatory" for f in data["findings"])


def test_the_statement_anywhere_on_the_page_satisfies_the_lifestyle_rule(tmp_path):
    page = tmp_path / "shop.md"
    text = (PAGES / "slimming-shop.md").read_text(encoding="utf-8")
    page.write_text(text + "\nEnjoy SlimLeaf as part of a varied and balanced diet and a healthy lifestyle.\n",
                    encoding="utf-8")
    _, data = check(page, PACK)
    assert [r for r, _, _ in ours(data)].count("eu-nhc.lifestyle-statement") == 0
    assert [r for r, _, _ in ours(data)].count("eu-nhc.weight-loss-rate") == 3
