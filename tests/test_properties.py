"""Property tests (hypothesis): for any text, the readers, the segmenter, the marker parser and a
full lint never raise, and every position they report points at the source exactly.

Each property runs a bounded number of examples (deadline off: spaCy's first call is slow) so the
suite stays fast; set HYPOTHESIS_PROFILE=long for a deeper local run.
"""

from __future__ import annotations

import html
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimlint import citations
from claimlint.document import LineIndex
from claimlint.readers import read_source

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?")
SYNTAX = list("#*_-+>[](){}<>!`~|\\&;:/.,?\"'^=0123456789 \t\n\r") + [
    "\r\n", "\n\n", "---\n", "- ", "1. ", "> ", "```", "<p>", "</p>", "<b>", "<sup>1</sup>", "<!--", "-->",
    "<script>", "</script>", "[^1]", "[^1]: ", "[1]", "&amp;", "&nbsp;", "&#8212;", "&#x41;", "&bogus;",
    "http://x.org/a.", "www.doi.org/1", "\u00b9", "\u2070", "\u200b", "\u202e", "\ufeff", "\u0301",
    "\U0001F600", "\x00", "cures", "miracle", "Sources", "## Sources\n", "(Smith et al., 2021)",
    "This tea cures arthritis. ", "50% of people", "not medical advice",
]
TEXT = st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=6)), max_size=40).map("".join)
FORMATS = ["markdown", "html", "text"]


def _from_source(source: str, offset: int, char: str) -> bool:
    """The prose char is the source char, or comes from an entity or escape (or a NUL markdown-it
    replaced) at that offset."""
    if source[offset] == char:
        return True
    if char == "\ufffd" and source[offset] == "\0":
        return True
    match = ENTITY.match(source, offset)
    if match:
        decoded = html.unescape(match.group())
        return char in decoded or (decoded == "\xa0" and char == " ") or decoded == "\ufffd"
    return False


def _exact(doc) -> bool:
    return not any("could not be placed exactly" in n for n in doc.notices)


@pytest.mark.parametrize("fmt", FORMATS)
@given(source=TEXT)
def test_readers_never_raise_and_map_every_character(fmt, source):
    doc = read_source(f"x.{fmt}", source, fmt)
    for block in doc.blocks:
        assert len(block.text) == len(block.offsets)
        for i, char in enumerate(block.text):
            offset = block.offsets[i]
            assert 0 <= offset < len(source), (block.text, i)
            if char.isspace() or not _exact(doc):
                continue
            assert _from_source(source, offset, char), (block.text, i, char, source[offset : offset + 8])
        for marker in block.markers:
            assert 0 <= marker.start <= marker.end <= len(block.text)


@given(text=TEXT)
def test_segmenter_spans_lie_inside_the_text_in_order(segmenter, text):
    spans = segmenter.split(text)
    previous = 0
    for start, end in spans:
        assert previous <= start <= end <= len(text)
        previous = end
    [many] = segmenter.split_many([text])
    assert many == spans


@given(source=TEXT)
def test_marker_parser_never_raises_and_markers_lie_inside_their_block(source):
    doc = read_source("x.md", source, "markdown")
    sources = citations.find_sources(doc.blocks)
    for block in doc.blocks:
        for marker in citations.find_markers(block, sources):
            assert 0 <= marker.start <= marker.end <= len(block.text)


def _check_findings(source: str, result) -> None:
    assert result.error is None, result.error
    index = LineIndex(source)
    for finding in result.findings:
        assert 1 <= finding.line <= len(index.lines)
        assert 1 <= finding.end_line <= len(index.lines)
        assert 1 <= finding.column <= len(index.lines[finding.line - 1]) + 1
        assert 1 <= finding.end_column <= len(index.lines[finding.end_line - 1]) + 1
        start = index.offset(finding.line - 1, finding.column - 1)
        end = index.offset(finding.end_line - 1, finding.end_column - 1)
        assert start <= end
        assert source[start:end] == finding.text, (finding.rule, finding.text, source[start:end])


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=60)
@given(source=TEXT)
def test_every_finding_of_a_full_lint_is_the_source_at_its_span(linter, fmt, source):
    from claimlint.engine import lint_text

    _check_findings(source, lint_text(linter, f"x.{fmt}", source, fmt))


# -- Markdown generated from random trees round-trips its words ---------------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
WORDS = st.lists(WORD, min_size=1, max_size=8)
LEAF = WORDS.map(lambda words: ("p", words))
TREE = st.recursive(
    LEAF,
    lambda children: st.one_of(
        st.tuples(st.just("ul"), st.lists(children, min_size=1, max_size=3)),
        st.tuples(st.just("ol"), st.lists(children, min_size=1, max_size=3)),
        st.tuples(st.just("quote"), st.lists(children, min_size=1, max_size=3)),
    ),
    max_leaves=12,
)


def _render(node, prefix: str = "") -> list[str]:
    """Markdown lines of a node; every block ends with a blank line (inside its container)."""
    kind, body = node
    if kind == "p":
        return [prefix + " ".join(body), prefix.rstrip()]
    lines: list[str] = []
    for number, child in enumerate(body, start=1):
        if kind == "quote":
            lines += _render(child, prefix + "> ")
            continue
        marker = "- " if kind == "ul" else f"{number}. "
        child_lines = _render(child, prefix + " " * len(marker))
        first = child_lines[0][len(prefix) + len(marker):]
        lines.append(prefix + marker + first)
        lines += child_lines[1:]
    return lines


def _words(node) -> list[str]:
    kind, body = node
    return list(body) if kind == "p" else [w for child in body for w in _words(child)]


@given(trees=st.lists(TREE, min_size=1, max_size=4))
def test_markdown_from_random_trees_round_trips_its_words(trees):
    source = "\n".join(line for tree in trees for line in _render(tree) + [""])
    doc = read_source("x.md", source, "markdown")
    prose = [w for block in doc.blocks for w in block.text.split()]
    assert prose == [w for tree in trees for w in _words(tree)], source
    for block in doc.blocks:
        for char, offset in zip(block.text, block.offsets):
            assert char.isspace() or source[offset] == char


@pytest.fixture(scope="module")
def segmenter(linter):
    return linter.segmenter
