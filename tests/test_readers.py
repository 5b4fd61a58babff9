"""The three readers: block kinds and texts, exact source offsets, what is never prose."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from claimlint.document import Block, BlockKind, Document
from claimlint.readers import format_for, read_source

FILES = Path(__file__).parent / "files" / "readers"
ALL_FILES = sorted(p for p in FILES.iterdir() if format_for(p.name))
ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?")

H, P, LI, Q, TD, FN, C = (
    BlockKind.HEADING,
    BlockKind.PARAGRAPH,
    BlockKind.LIST_ITEM,
    BlockKind.QUOTE,
    BlockKind.TABLE_CELL,
    BlockKind.FOOTNOTE,
    BlockKind.COMMENT,
)


def load(name: str) -> Document:
    source = (FILES / name).read_bytes().decode("utf-8")  # CRLF / CR line ends kept as they are
    return read_source(name, source, format_for(name))


def summary(doc: Document) -> list[tuple]:
    return [(b.kind, b.text, b.label) for b in doc.blocks]


def locate(doc: Document, needle: str, kind: str | None = None) -> tuple[Block, int]:
    for block in doc.blocks:
        if (kind is None or block.kind == kind) and needle in block.text:
            return block, block.text.index(needle)
    raise AssertionError(f"{needle!r} not in any block")


def position(doc: Document, needle: str, kind: str | None = None) -> tuple[int, int]:
    """1-based line:column of the prose `needle`'s first character."""
    block, at = locate(doc, needle, kind)
    return doc.position(block.offsets[at])


def source_of(doc: Document, needle: str) -> str:
    """The source text a (verbatim, one-line) prose span covers."""
    block, at = locate(doc, needle)
    start, end = block.source_span(at, at + len(needle))
    return doc.source[start:end]


def decoded_from_entity(source: str, offset: int, char: str) -> bool:
    match = ENTITY.match(source, offset)
    if not match:
        return False
    decoded = html.unescape(match.group())
    return char in decoded or (decoded == "\xa0" and char == " ")


# -- the exactness property, on every test file --------------------------------------------------


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_every_prose_character_maps_to_its_source(path: Path) -> None:
    doc = load(path.name)
    assert doc.blocks
    previous_start = -1
    for block in doc.blocks:
        assert len(block.text) == len(block.offsets)
        assert block.text == block.text.strip() or block.markers
        assert block.offsets[0] >= previous_start, "blocks are in document order"
        previous_start = block.offsets[0]
        assert block.offsets == sorted(block.offsets), "offsets never go backwards in a block"
        for i, char in enumerate(block.text):
            offset = block.offsets[i]
            assert 0 <= offset < len(doc.source)
            if char.isspace():
                continue
            assert doc.source[offset] == char or decoded_from_entity(doc.source, offset, char), (
                f"{path.name}: {block.text!r}[{i}] = {char!r} but source has "
                f"{doc.source[offset:offset + 10]!r} at {doc.position(offset)}"
            )
        for marker in block.markers:
            assert 0 <= marker.start < marker.end <= len(block.text)
            assert marker.labels


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_code_and_urls_are_never_prose(path: Path) -> None:
    doc = load(path.name)
    for block in doc.blocks:
        if block.kind == C:
            continue
        for never in ("http", "www.", "doi.org", "vitd --dose", "print(", "cures everything",
                      "bp --sleep", "document.write", "Enable JavaScript", "raw data", "dose.png",
                      "p { margin", "<", ">"):
            if never in ("<",) and path.suffix == ".html":
                continue  # "&lt; 6" is prose there
            assert never not in block.text, f"{path.name}: {never!r} in {block.text!r}"


# -- Markdown ------------------------------------------------------------------------------------

ARTICLE_MD = [
    (H, "Vitamin D and your bones", None),
    (P, "Vitamin D helps the body absorb calcium from food.[^1] Adults in the UK are advised to "
        "take 10 micrograms a day in autumn and winter2,3, according to NHS guidance.", None),
    (H, "Who is at risk?", None),
    (P, "People who rarely go outside, such as care-home residents, may not get enough "
        "sunlight[^note]. Blood levels are measured as 25(OH)D \u2014 a level below 25\xa0nmol/L "
        "is deficient. See also   and   for details.", None),
    (Q, "Supplements are not a substitute for a varied diet, said one dietitian at the "
        "caf\u00e9 \U0001F34A. She added that *most* people need no more than 10 \u00b5g.", None),
    (P, "Common sources include:", None),
    (LI, "oily fish such as salmon", None),
    (LI, "egg yolks", None),
    (LI, "especially free-range eggs", None),
    (LI, "fortified cereals", None),
    (LI, "Check your dose with a pharmacist.", "3"),
    (LI, "Do not take more than 100\xa0micrograms a day.", "4"),
    (P, "Keep supplements away from children.", None),
    (P, "Run  to compute intake. Dose tables  are below.", None),
    (TD, "Age group", None),
    (TD, "Daily dose | UK", None),
    (TD, "Adults", None),
    (TD, "10 \u00b5g", None),
    (TD, "Babies", None),
    (TD, "8.5 to 10 \u00b5g", None),
    (C, "claimlint-disable-next-line overpromise.cure", None),
    (P, "A trial found fewer fractures in older women[^1]. One review [3] disagreed.", None),
    (FN, "Holick MF. Vitamin D deficiency. N Engl J Med. 2007.", "1"),
    (FN, "Office for National Statistics, 2021.", "note"),
    (FN, "A second paragraph of the same note.", "note"),
]


def test_markdown_blocks() -> None:
    doc = load("article.md")
    assert summary(doc) == ARTICLE_MD
    assert [b.level for b in doc.blocks if b.kind == H] == [1, 2]
    assert doc.metadata == {
        "title": "Vitamin D and your bones",
        "author": "Dr Ana Pereira",
        "tags": ["nutrition", "bones"],
    }
    assert doc.notices == []
    assert doc.format == "markdown"


def test_markdown_markers() -> None:
    doc = load("article.md")
    intro = doc.blocks[1]
    found = [(m.style, intro.text[m.start:m.end], m.labels) for m in intro.markers]
    assert found == [
        ("footnote", "[^1]", ("1",)),
        ("sup", "2,3", ("2", "3")),
        ("link", "NHS guidance",
         ("https://www.nhs.uk/conditions/vitamins-and-minerals/vitamin-d/",)),
    ]
    risk = doc.blocks[3]
    assert [(m.style, m.labels) for m in risk.markers] == [
        ("footnote", ("note",)),
        ("link", ("https://doi.org/10.1000/xyz123",)),  # the autolink, left out of prose
        ("link", ("https://example.org/vitd",)),  # the bare URL, left out of prose
    ]
    trial = doc.blocks[21]
    assert [(m.style, trial.text[m.start:m.end], m.labels) for m in trial.markers] == [
        ("footnote", "[^1]", ("1",)),
        ("anchor", "[3]", ("3",)),
    ]


def test_markdown_positions() -> None:
    doc = load("article.md")
    assert position(doc, "Vitamin D and your bones") == (6, 3)  # after 5 lines of front matter
    assert position(doc, "2,3") == (9, 62)  # inside <sup>
    assert source_of(doc, "winter2,3") == "winter<sup>2,3"
    assert position(doc, "Who is at risk?") == (12, 1)  # setext heading
    assert position(doc, "caf\u00e9") == (20, 27)  # lazy continuation of a block quote
    assert position(doc, "\U0001F34A") == (20, 32)  # columns count characters, not bytes
    assert source_of(doc, "caf\u00e9 \U0001F34A.") == "caf\u00e9 \U0001F34A."
    assert position(doc, "*most*") == (21, 19)  # the escaped "*" itself, after its backslash
    assert position(doc, "She added") == (21, 3)
    assert position(doc, "especially free-range") == (27, 5)  # nested list item
    assert position(doc, "Keep supplements") == (33, 2)  # after a tab
    assert position(doc, "Daily dose") == (41, 15)
    assert position(doc, "| UK") == (41, 27)  # the pipe of "\|"
    assert position(doc, "8.5 to 10") == (44, 12)  # after a tab inside the row
    assert position(doc, "A second paragraph") == (54, 5)  # footnote definition, paragraph 2
    assert position(doc, "Holick") == (50, 7)
    assert position(doc, "claimlint-disable") == (46, 6)
    # an entity maps to its "&": "&mdash;" at line 16
    block, at = locate(doc, "\u2014")
    assert doc.source[block.offsets[at]:block.offsets[at] + 7] == "&mdash;"
    # a line break inside a paragraph is one space, standing at the line end
    block, at = locate(doc, "are advised")
    assert block.text[at + 3] == " " and doc.source[block.offsets[at + 3]] == "\n"


def test_markdown_crlf_and_cr_only_files_give_the_same_positions() -> None:
    expected = [
        (H, "Iron needs", None),
        (P, "Pregnant women need more iron, especially in the third trimester1.", None),
        (Q, "Caf\u00e9 staff \U0001F969 advised eating red meat.", None),
        (TD, "Food", None),
        (TD, "Iron", None),
        (TD, "Lentils", None),
        (TD, "3.3 mg", None),
        (FN, "WHO guideline, 2016.", "1"),  # kept although nothing refers to it
    ]
    crlf, cr = load("crlf.md"), load("cr_only.md")
    assert "\r\n" in crlf.source and "\n" not in cr.source, "test files lost their line ends"
    for doc in (crlf, cr):
        assert summary(doc) == expected
        assert doc.metadata == {"title": "Iron in pregnancy"}
        assert position(doc, "Iron needs") == (4, 4)
        assert position(doc, "especially") == (7, 1)
        assert position(doc, "trimester1") == (7, 25)
        assert position(doc, "eating") == (10, 3)
        assert position(doc, "3.3 mg") == (14, 13)
        assert position(doc, "WHO") == (16, 7)
        assert source_of(doc, "staff \U0001F969 advised") == "staff \U0001F969 advised"
    block, at = locate(crlf, "iron, especially")
    assert crlf.source[block.offsets[at + 5]] == "\r"  # the joining space is the line end
    sup = crlf.blocks[1].markers[0]
    assert (sup.style, sup.labels) == ("sup", ("1",))


def test_markdown_broken_front_matter_gives_a_notice_and_prose_is_read() -> None:
    doc = load("broken_front_matter.md")
    assert doc.metadata == {}
    assert len(doc.notices) == 1
    assert doc.notices[0].startswith("front matter is not valid YAML (line 3): ")
    assert summary(doc) == [
        (H, "Zinc and colds", None),
        (P, "Zinc lozenges may shorten a cold by about a day.", None),
    ]
    assert position(doc, "Zinc lozenges") == (7, 1)


def test_markdown_front_matter_that_is_not_a_mapping() -> None:
    doc = read_source("list.md", "---\n- one\n- two\n---\nText.\n", "markdown")
    assert doc.metadata == {}
    assert doc.notices and "not a YAML mapping" in doc.notices[0]
    assert summary(doc) == [(P, "Text.", None)]


# -- HTML ----------------------------------------------------------------------------------------

ARTICLE_HTML = [  # the <nav> ("Home") is not prose
    (H, "Sleep and blood pressure", None),
    (C, "claimlint-disable-next-line overpromise.cure", None),
    (P, "Adults who sleep less than six hours a night have a higher risk of high blood "
        "pressure1\u20133. A cohort study of 4,000 caf\u00e9 workers \U0001F634 found the same4.",
     None),
    (P, "Try the calculator: at  .", None),
    (P, "Tips & tricks follow.", None),
    (Q, "Sleep is not a cure, but it helps.", None),
    (H, "What you can do", None),
    (LI, "Keep a regular bedtime.", None),
    (LI, "Avoid caffeine after 2 pm.", None),
    (TD, "Hours", None),
    (TD, "Risk", None),
    (TD, "< 6", None),
    (TD, "Higher", None),
    (H, "References", None),
    (LI, "Smith J, et al. Sleep duration. Hypertension. 2019.", "3"),
    (LI, "Lee K. Shift work. 2020.", "4"),
]


def test_html_blocks_and_metadata() -> None:
    doc = load("article.html")
    assert summary(doc) == ARTICLE_HTML
    assert [b.level for b in doc.blocks if b.kind == H] == [1, 2, 2]
    assert doc.metadata == {"title": "Sleep & blood pressure", "author": "Dr Lena M\u00fcller"}
    assert doc.notices == []
    assert doc.format == "html"


def test_html_markers() -> None:
    doc = load("article.html")
    claim = doc.blocks[2]
    assert [(m.style, claim.text[m.start:m.end], m.labels) for m in claim.markers] == [
        ("sup", "1\u20133", ("1", "2", "3")),
        ("link", "cohort study", ("https://pubmed.ncbi.nlm.nih.gov/12345678/",)),
        ("anchor", "4", ("4",)),
        ("sup", "4", ("4",)),
    ]
    calc = doc.blocks[3]
    # the entity inside the URL is decoded in the label, and the URL is not prose
    assert [(m.style, m.labels) for m in calc.markers] == [
        ("link", ("https://example.org/calc?x=1&y=2",))
    ]


def test_html_positions() -> None:
    doc = load("article.html")
    assert position(doc, "Sleep and blood") == (13, 5)
    block, at = locate(doc, "blood pressure", H)
    assert doc.source[block.offsets[at + 5]:block.offsets[at + 5] + 6] == "&nbsp;"
    assert position(doc, "pressure1") == (16, 12)
    assert position(doc, "1\u20133") == (16, 25)  # <sup> content
    assert position(doc, "\u20133") == (16, 26)  # the "&#8211;" entity's "&"
    assert source_of(doc, "cohort study") == "cohort study"
    assert position(doc, "caf\u00e9 workers") == (17, 79)
    assert position(doc, "\U0001F634") == (17, 92)
    assert position(doc, "< 6") == (29, 9)  # "&lt;"
    assert position(doc, "Lee K.") == (34, 26)
    assert position(doc, "claimlint-disable") == (14, 6)
    assert position(doc, "Tips") == (20, 1)


def test_html_unclosed_and_stray_tags_still_read() -> None:
    doc = load("unclosed.html")
    assert summary(doc) == [
        (P, "Garlic may lower cholesterol slightly2", None),
        (P, "Results vary widely", None),
        (LI, "First point", None),
        (LI, "Second point", None),
        (P, "Ends here &unknown; without closing", None),
    ]
    garlic = doc.blocks[0]
    assert [(m.style, m.labels) for m in garlic.markers] == [("sup", ("2",))]
    assert position(doc, "Second point") == (6, 24)


def test_html_crlf_positions() -> None:
    source = (FILES / "article.html").read_bytes().decode("utf-8").replace("\n", "\r\n")
    doc = read_source("article.html", source, "html")
    assert summary(doc) == ARTICLE_HTML
    assert position(doc, "1\u20133") == (16, 25)
    assert position(doc, "Lee K.") == (34, 26)


# -- plain text ----------------------------------------------------------------------------------

ARTICLE_TXT = [
    (H, "HIGH BLOOD PRESSURE", None),
    (H, "What is it", None),  # a short line over a paragraph whose next line starts a sentence
    (P, "High blood pressure (hypertension) raises the risk of heart attacks and "
        "strokes. About one in four adults in the UK has it, according to   figures.", None),
    (H, "Ways to lower it", None),
    (LI, "Cut down on salt; aim for under 6 g a day.", None),
    (LI, "Exercise for 150 minutes a week, for example brisk walking.", None),
    (LI, "Drink less alcohol at the caf\u00e9 \U0001F37A.", None),
    (C, "claimlint-disable-next-line overpromise.cure", None),
    (P, "Beetroot juice cures hypertension, some blogs say.", None),
    (H, "Sources", None),
    (LI, "Whelton PK et al. 2017 guideline. Hypertension. 2018.", "1"),
    (LI, "NICE guideline NG136, 2019.", "2"),
]


@pytest.mark.parametrize("name", ["article.txt", "crlf.txt"])
def test_text_blocks_and_positions(name: str) -> None:
    doc = load(name)
    assert summary(doc) == ARTICLE_TXT
    assert all(b.level == 2 for b in doc.blocks if b.kind == H)
    assert position(doc, "and strokes") == (5, 1)
    assert position(doc, "for example") == (12, 3)  # indented continuation of a list item
    assert position(doc, "\U0001F37A") == (13, 34)
    assert position(doc, "Whelton") == (19, 5)  # "[1] " is not prose
    assert position(doc, "NICE") == (20, 4)
    assert position(doc, "claimlint-disable") == (15, 1)
    block, at = locate(doc, "attacks and")
    assert doc.source[block.offsets[at + 7]] == ("\r" if name == "crlf.txt" else "\n")
    link = doc.blocks[2].markers
    assert [(m.style, m.labels) for m in link] == [
        ("link", ("https://www.nhs.uk/conditions/high-blood-pressure/",))
    ]


# -- dispatch ------------------------------------------------------------------------------------


def test_formats_and_dispatch() -> None:
    assert format_for("notes/a.MD") == "markdown"
    assert format_for("a.markdown") == format_for("b.mdx") == "markdown"
    assert format_for("a.htm") == format_for("b.html") == "html"
    assert format_for("a.txt") == "text"
    assert format_for("a.rst") is None and format_for("Makefile") is None
    assert read_source("x.txt", "Short title\n", "text").blocks[0].kind == H
    with pytest.raises(ValueError):
        read_source("x.rst", "text", "rst")


def test_text_rules_are_not_prose_and_underline_a_heading() -> None:
    source = (
        "Digest\n\n"
        "----------\n"
        "3. Turmeric, CBD and \"natural cures\"\n"
        "----------\n\n"
        "Gemma said turmeric cured her colitis.\n\n"
        "Dates for your diary\n"
        "====================\n"
        "Next meet-up on Thursday.\n"
    )
    doc = read_source("digest.txt", source, "text")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (BlockKind.HEADING, "Digest"),
        (BlockKind.HEADING, 'Turmeric, CBD and "natural cures"'),
        (BlockKind.PARAGRAPH, "Gemma said turmeric cured her colitis."),
        (BlockKind.HEADING, "Dates for your diary"),
        (BlockKind.PARAGRAPH, "Next meet-up on Thursday."),
    ]


def test_text_carousel_slides_are_items() -> None:
    source = (
        "(1/3) CASTOR OIL IN YOUR EYES?! Why I ditched my drops\n"
        "(2/3) In a study on rabbits, castor oil calmed inflammation (2)\n"
        "(2/3 cont.) Translation: it will dissolve your cataracts\n"
        "(3/3) 1/8 teaspoon is plenty\n"
    )
    doc = read_source("carousel.txt", source, "text")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (BlockKind.LIST_ITEM, "CASTOR OIL IN YOUR EYES?! Why I ditched my drops"),
        (BlockKind.LIST_ITEM, "In a study on rabbits, castor oil calmed inflammation (2)"),
        (BlockKind.LIST_ITEM, "Translation: it will dissolve your cataracts"),
        (BlockKind.LIST_ITEM, "1/8 teaspoon is plenty"),
    ]


def test_html_navigation_is_not_prose() -> None:
    source = ('<html><body><nav><a href="/">Home</a> &gt; <a href="/pain">Pain relief</a> &gt; Gels</nav>'
              "<p>Rub in a little gel three times a day.</p></body></html>")
    doc = read_source("page.html", source, "html")
    assert [block.text for block in doc.blocks] == ["Rub in a little gel three times a day."]


def test_html_layout_tables_hold_prose_and_data_tables_hold_cells() -> None:
    source = (
        '<table role="presentation"><tr><td><h1>Family bulletin</h1>'
        "Dehydration can make confusion worse.</td></tr></table>"
        "<table><tr><td><p>Older people often feel less thirsty.</p></td><td>Vitamin D</td>"
        "<td><blockquote><p>It was a miracle.</p></blockquote></td></tr></table>"
    )
    doc = read_source("page.html", source, "html")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (H, "Family bulletin"),
        (P, "Dehydration can make confusion worse."),
        (P, "Older people often feel less thirsty."),
        (TD, "Vitamin D"),
        (Q, "It was a miracle."),
    ]
