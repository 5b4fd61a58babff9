"""The shapes every pipeline stage passes on: source text, blocks of prose, markers.

A reader turns a file into a `Document`: the original text plus `Block`s of prose. Each
block's `text` is what a person reads (markup, code and URLs left out) and `offsets[i]` is the
offset in `Document.source` of `text[i]`, so any span of prose maps back to line:column in the
original file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import accumulate

_LINE_END = re.compile(r"\r\n|\r|\n")
# A note after a heading's name, "REFERENCES (for Ask Jo)", "Sources (selected)": not part of the name
HEADING_NOTE = re.compile(r"\s*\([^()]{1,40}\)$")


class BlockKind:
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    TABLE_CELL = "table_cell"
    FOOTNOTE = "footnote"  # a footnote definition: always an entry of the source list
    COMMENT = "comment"  # an HTML / Markdown comment (for in-file directives)


@dataclass(frozen=True)
class Marker:
    """A citation marker, located in a block's prose (`start`/`end` index `Block.text`)."""

    start: int
    end: int
    style: str  # bracket, parenthesised, letter, footnote, superscript, sup, author-year, source-note, link,
    # reference-link ("[text][2]"), anchor, bare-digits
    labels: tuple[str, ...]  # the source entries it points to ("1", "note", "smith 2021")


@dataclass
class Block:
    kind: str
    text: str
    offsets: list[int]
    markers: list[Marker] = field(default_factory=list)
    label: str | None = None  # an ordered list item's number, a footnote definition's name
    level: int = 0  # heading level (1-6)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of prose characters [start, end)."""
        if not self.offsets:
            return 0, 0
        start = min(max(start, 0), len(self.offsets) - 1)
        end = min(max(end, start + 1), len(self.offsets))
        return self.offsets[start], self.offsets[end - 1] + 1


class LineIndex:
    """Line starts of a text, whatever its line ends (LF, CRLF, CR)."""

    def __init__(self, source: str) -> None:
        self.source = source
        if "\r" not in source:  # LF only (nearly every file): split in C, not line by line
            self.lines: list[str] = source.split("\n")
            self.starts = [0, *accumulate(len(line) + 1 for line in self.lines[:-1])]
            return
        self.starts = [0]
        self.lines = []
        pos = 0
        for match in _LINE_END.finditer(source):
            self.lines.append(source[pos : match.start()])
            pos = match.end()
            self.starts.append(pos)
        self.lines.append(source[pos:])

    def offset(self, line: int, column: int) -> int:
        """Offset of 0-based `line`, 0-based `column`."""
        return self.starts[line] + column

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset; columns count characters."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


@dataclass
class Document:
    path: str
    source: str
    format: str  # markdown, html, text
    blocks: list[Block] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # problems the reader worked around
    _index: LineIndex | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.source)
        return self._index

    def position(self, offset: int) -> tuple[int, int]:
        return self.lines.position(offset)


class ProseBuilder:
    """Collects prose characters with their source offsets, for readers."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.markers: list[Marker] = []

    def __len__(self) -> int:
        return len(self.chars)

    def add(self, text: str, source_offset: int) -> None:
        """Add text that stands verbatim in the source at `source_offset`."""
        self.chars.extend(text)
        self.offsets.extend(range(source_offset, source_offset + len(text)))

    def add_char(self, char: str, source_offset: int) -> None:
        """Add one prose character standing for source text at `source_offset` (an entity, a
        line break, a placeholder for removed markup)."""
        self.chars.append(char)
        self.offsets.append(source_offset)

    def separate(self, source_offset: int) -> None:
        """Make sure words on either side of removed markup stay apart."""
        if self.chars and not self.chars[-1].isspace():
            self.add_char(" ", source_offset)

    def mark(self, start: int, style: str, labels: tuple[str, ...]) -> None:
        """Record a structural marker covering prose from `start` to the current end."""
        self.markers.append(Marker(start, max(len(self.chars), start), style, labels))

    def text(self) -> str:
        return "".join(self.chars)

    def build(self, kind: str, **extra) -> Block | None:
        text = self.text()
        if not text.strip():
            return None
        return Block(kind, text, list(self.offsets), list(self.markers), **extra)
