"""The opt-in au-tga pack (Therapeutic Goods Act 1989 s 42DJ and the Therapeutic Goods Advertising
Code 2021) through the real CLI, on realistic pages: prohibited representations, absolute safety
and efficacy claims, and advertisements without "Always read the label"."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check_json

PACK = "au-tga"
PAGES = Path(__file__).resolve().parent / "files" / "packs" / PACK


def check(path: Path, *packs: str) -> tuple[int, dict]:
    return check_json(path, *packs)


def ours(data: dict) -> list[tuple[str, int, str]]:
    """(rule, line, text) of this pack's findings, in report order."""
    return [(f["rule"], f["line"], f["text"]) for f in data["findings"] if f["rule"].startswith(PACK + ".")]


def test_mushroom_tonic_page():
    code, data = check(PAGES / "mushroom-tonic.md", PACK)
    assert code == 1
    assert ours(data) == [
        ("au-tga.read-the-label", 1, ""),
        ("au-tga.prohibited-representation", 6, "fights"),
        ("au-tga.prohibited-representation", 11, "cured"),
        ("au-tga.absolute-claims", 14, "completely safe"),
        ("au-tga.absolute-claims", 14, "no side effects"),
    ]
    fights = next(f for f in data["findings"] if f["rule"] == "au-tga.prohibited-representation")
    assert (fights["category"], fights["severity"], fights["column"]) == ("regulatory", "error", 67)
    assert fights["reasons"] == ["'fights' with 'cancer' in the same sentence"]
    label = next(f for f in data["findings"] if f["rule"] == "au-tga.read-the-label")
    assert (label["category"], label["severity"]) == ("disclaimer", "warning")
    assert "'Take two capsules daily with food'" in label["message"]


def test_calm_capsules_html_page():
    code, data = check(PAGES / "calm-capsules.html", PACK)
    assert code == 1
    # Line 6 ("a natural antidepressant") names no condition, so the combination rule misses it.
    assert ours(data) == [
        ("au-tga.read-the-label", 1, ""),
        ("au-tga.prohibited-representation", 7, "helps you beat"),
        ("au-tga.absolute-claims", 8, "100% effective"),
        ("au-tga.absolute-claims", 8, "guaranteed to work"),
    ]


def test_sleep_spray_text_page():
    code, data = check(PAGES / "sleep-spray.txt", PACK)
    assert code == 1
    assert ours(data) == [
        ("au-tga.read-the-label", 1, ""),
        ("au-tga.absolute-claims", 3, "infallible"),
    ]
    label = next(f for f in data["findings"] if f["rule"] == "au-tga.read-the-label")
    assert "'Add to cart'" in label["message"]


@pytest.mark.parametrize("page", ["careful-depression-info.md", "careful-zinc-ad.md"])
def test_careful_pages_pass(page):
    _, data = check(PAGES / page, PACK)
    assert ours(data) == []


def test_the_pack_is_opt_in():
    _, data = check(PAGES / "mushroom-tonic.md")
    assert ours(data) == []


@pytest.mark.parametrize("statement", ["Always read the label and follow the directions for use.",
                                       "Always read the label."])
def test_short_and_long_mandatory_statement(tmp_path, statement):
    page = tmp_path / "ad.txt"
    text = (PAGES / "sleep-spray.txt").read_text(encoding="utf-8")
    page.write_text(text + "\n" + statement + "\n", encoding="utf-8")
    _, data = check(page, PACK)
    assert ours(data) == [("au-tga.absolute-claims", 3, "infallible")]
