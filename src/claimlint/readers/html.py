"""HTML reader: visible prose only, with exact source offsets.

Python's `html.parser` with `convert_charrefs=False`, so every entity is its own event with a
position. `getpos()` counts lines by "\\n" only, so positions are converted with a table of
"\\n" line starts (exact for LF, CRLF and CR-only files alike). Whitespace runs collapse to one
space, as a browser shows them; tags that end a block (p, li, h1-h6, td, br...) start a new one.
"""

from __future__ import annotations

import html
from html.entities import html5
from html.parser import HTMLParser

from claimlint.document import Block, BlockKind, Document, ProseBuilder
from claimlint.readers import add_prose, anchor_label, finish, in_order, mark_span, sup_labels

BLOCK_TAGS = frozenset(
    "p li h1 h2 h3 h4 h5 h6 td th blockquote dt dd figcaption caption div section article "
    "header footer main aside nav ul ol dl table tr thead tbody tfoot figure form fieldset "
    "address details summary body html center legend hgroup menu".split()
)
SKIP_TAGS = frozenset(  # nav: menus and breadcrumbs ("Home > Pain relief > Gels") are not the article
    "head title script style noscript template svg math code pre textarea select iframe "
    "object canvas nav".split()
)
VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen".split()
)
HEAD_TAGS = frozenset("title meta link script style base noscript template".split())
LAYOUT_ROLES = frozenset({"presentation", "none"})  # ARIA: the table only lays out the page
HEADINGS = {f"h{n}": n for n in range(1, 7)}
WHITESPACE = " \t\n\r\f"
# An open element of these closes an open one of the same family, up to the given boundary.
IMPLIED_END = {
    "li": ({"li"}, {"ul", "ol", "menu"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "tr": ({"tr", "td", "th"}, {"table"}),
    "thead": ({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"}),
    "tbody": ({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"}),
    "tfoot": ({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"}),
}


def read(path: str, source: str) -> Document:
    doc = Document(path, source, "html")
    parser = _Parser(doc)
    try:
        parser.feed(source)
        parser.close()
    except Exception as error:  # html.parser is lenient, but never let markup stop a lint
        line, _ = parser.getpos()
        doc.notices.append(f"HTML could not be fully parsed (line {line}): {error}")
    parser.finish()
    doc.blocks = in_order(parser.blocks)
    return doc


class _Parser(HTMLParser):
    def __init__(self, doc: Document) -> None:
        super().__init__(convert_charrefs=False)
        self.doc = doc
        self.source = doc.source
        self.newlines = [0] + [i + 1 for i, ch in enumerate(doc.source) if ch == "\n"]
        self.blocks: list[Block] = []
        self.stack: list[dict] = []
        self.builder = ProseBuilder()
        self.block_id = 0  # which block the builder is filling (to drop stale marker starts)
        self.pending: list[str] = []  # inline text not yet in the builder (URLs may span
        self.pending_offsets: list[int] = []  # entities: "?a=1&amp;b=2")
        self.title: list[str] | None = None

    # -- positions ----------------------------------------------------------------------------

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.newlines[min(line - 1, len(self.newlines) - 1)] + column

    # -- stack --------------------------------------------------------------------------------

    def _open(self, tag: str) -> int | None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                return i
        return None

    def _skipping(self) -> bool:
        return any(entry["tag"] in SKIP_TAGS for entry in self.stack)

    def _pop_to(self, index: int) -> None:
        """Close open elements down to `index`; a block's prose is finished while its element
        is still on the stack (so its kind is known), inline markers before that."""
        while len(self.stack) > index:
            if self.stack[-1]["tag"] in BLOCK_TAGS:
                self._flush()
            self._closed(self.stack.pop())

    def _close_implied(self, tag: str) -> None:
        if "head" in (e["tag"] for e in self.stack) and tag not in HEAD_TAGS and tag != "head":
            self._pop_to(self._open("head"))
        if tag in BLOCK_TAGS:  # a block element ends an open <p> (inline elements in between)
            for i in range(len(self.stack) - 1, -1, -1):
                entry_tag = self.stack[i]["tag"]
                if entry_tag == "p":
                    self._pop_to(i)
                    break
                if entry_tag in BLOCK_TAGS or entry_tag in SKIP_TAGS:
                    break
        if tag in IMPLIED_END:
            closes, boundary = IMPLIED_END[tag]
            for i in range(len(self.stack) - 1, -1, -1):
                entry_tag = self.stack[i]["tag"]
                if entry_tag in boundary:
                    break
                if entry_tag in closes:
                    self._pop_to(i)
                    break

    # -- parser events ------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        offset = self._offset()
        if tag in VOID_TAGS:
            if tag == "meta" and values.get("name", "").lower() == "author":
                self.doc.metadata["author"] = values.get("content", "").strip()
            elif tag in ("br", "hr"):
                self._flush()
            elif tag == "img":
                self._space(offset)
            return
        self._close_implied(tag)
        if tag in BLOCK_TAGS:
            self._flush()
        elif tag in SKIP_TAGS:
            self._space(offset)
        entry: dict = {"tag": tag}
        if tag == "ol":
            entry["reversed"] = "reversed" in values and _integer(values.get("start")) is not None
            entry["next"] = _integer(values.get("start"), 1)
        elif tag == "li":
            entry["label"] = self._list_label(values)
            entry["first"] = True
        elif tag == "table":
            entry["layout"] = values.get("role", "").strip().lower() in LAYOUT_ROLES
        elif tag in ("td", "th"):
            table = self._open("table")
            entry["layout"] = table is not None and self.stack[table].get("layout", False)
        elif tag in ("a", "sup"):
            self._drain()
            entry.update(start=len(self.builder), block=self.block_id, href=values.get("href", ""))
        elif tag == "title":
            self.title = []
        self.stack.append(entry)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        index = self._open(tag)
        if index is None:  # a stray end tag
            if tag in ("br", "p"):  # browsers treat </br> and a lone </p> as a break
                self._flush()
            return
        self._pop_to(index)

    def handle_data(self, data: str) -> None:
        if self.title is not None and self._open("title") is not None:
            self.title.append(data)
            return
        if self._skipping():
            return
        offset = self._offset()
        for k, ch in enumerate(data):
            if ch in WHITESPACE:
                self._space(offset + k)
            else:
                self.pending.append(ch)
                self.pending_offsets.append(offset + k)

    def handle_entityref(self, name: str) -> None:
        offset = self._offset()
        after = offset + 1 + len(name)
        semicolon = self.source[after : after + 1] == ";"
        decoded = (html5.get(name + ";") if semicolon else None) or html5.get(name)
        if decoded is None:  # not an entity: the text stands as written
            decoded = self.source[offset : after + (1 if semicolon else 0)]
            self._entity_text(decoded, offset, verbatim=True)
        else:
            self._entity_text(decoded, offset)

    def handle_charref(self, name: str) -> None:
        self._entity_text(html.unescape(f"&#{name};"), self._offset())

    def _entity_text(self, text: str, offset: int, verbatim: bool = False) -> None:
        if self.title is not None and self._open("title") is not None:
            self.title.append(text)
            return
        if self._skipping():
            return
        for k, ch in enumerate(text):
            at = offset + k if verbatim else offset
            if ch in WHITESPACE or ch == "\xa0":
                self._space(at)
            else:
                self.pending.append(ch)
                self.pending_offsets.append(at)

    def handle_comment(self, data: str) -> None:
        offset = self._offset()
        if not self.source.startswith("<!--", offset):
            return
        start = offset + 4
        lo, hi = 0, len(data)
        while lo < hi and data[lo].isspace():
            lo += 1
        while hi > lo and data[hi - 1].isspace():
            hi -= 1
        builder = ProseBuilder()
        for k in range(lo, hi):
            ch = data[k]
            if ch == "\n" and k and data[k - 1] == "\r":
                continue
            builder.add_char(" " if ch in "\r\n" else ch, start + k)
        block = finish(builder, BlockKind.COMMENT)
        if block:
            self.blocks.append(block)

    # -- prose --------------------------------------------------------------------------------

    def _space(self, offset: int) -> None:
        last = self.pending[-1] if self.pending else (self.builder.chars[-1] if self.builder.chars else " ")
        if not last.isspace():
            self.pending.append(" ")
            self.pending_offsets.append(offset)

    def _drain(self) -> None:
        if self.pending:
            add_prose(self.builder, "".join(self.pending), self.pending_offsets)
            self.pending, self.pending_offsets = [], []

    def _flush(self) -> None:
        self._drain()
        if len(self.builder):
            kind, extra = self._kind()
            block = finish(self.builder, kind, **extra)
            if block:
                self.blocks.append(block)
        self.builder = ProseBuilder()
        self.block_id += 1

    def _kind(self) -> tuple[str, dict]:
        in_paragraph = False
        for entry in reversed(self.stack):
            tag = entry["tag"]
            if tag in HEADINGS:
                return BlockKind.HEADING, {"level": HEADINGS[tag]}
            if tag == "li":
                if entry["first"]:
                    entry["first"] = False
                    return BlockKind.LIST_ITEM, {"label": entry["label"]}
                return BlockKind.PARAGRAPH, {}
            if tag == "p":
                in_paragraph = True
            elif tag in ("td", "th"):
                # A cell of a layout table, or a <p> inside a cell, is page prose, not tabular data
                # (e-mail templates wrap the whole page in one presentation table).
                if entry.get("layout") or in_paragraph:
                    return BlockKind.PARAGRAPH, {}
                return BlockKind.TABLE_CELL, {}
            if tag == "blockquote":
                return BlockKind.QUOTE, {}
        return BlockKind.PARAGRAPH, {}

    def _list_label(self, values: dict[str, str]) -> str | None:
        for entry in reversed(self.stack):
            if entry["tag"] == "ul" or entry["tag"] == "menu":
                return None
            if entry["tag"] == "ol":
                number = _integer(values.get("value"), entry["next"])
                entry["next"] = number - 1 if entry["reversed"] else number + 1
                return str(number)
        return None

    def _closed(self, entry: dict) -> None:
        """An element ends: record its marker, or its metadata."""
        tag = entry["tag"]
        if tag in ("a", "sup") and entry["block"] == self.block_id:
            self._drain()
            text = self.builder.text()[entry["start"] :]
            if tag == "sup":
                mark_span(self.builder, entry["start"], "sup", sup_labels(text))
            elif entry["href"].startswith("#"):
                label = anchor_label(text)
                if label:
                    mark_span(self.builder, entry["start"], "anchor", (label,))
            elif entry["href"].lower().startswith(("http://", "https://")):
                mark_span(self.builder, entry["start"], "link", (entry["href"],))
        elif tag == "title" and self.title is not None:
            title = " ".join("".join(self.title).split())
            if title:
                self.doc.metadata.setdefault("title", title)
            self.title = None

    def finish(self) -> None:
        """End of input: close whatever was left open."""
        self._flush()
        self._pop_to(0)
        self._flush()


def _integer(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default
