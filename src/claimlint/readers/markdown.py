"""Markdown reader: markdown-it-py (CommonMark + GFM tables, strikethrough, front matter,
footnotes) with every prose character mapped back to its offset in the original source.

markdown-it gives block tokens a line map only. For each inline token we map its `content`
(the block's raw text with container prefixes removed) back onto source lines, then walk the
inline children with a cursor over that raw content, so escapes, entities, link destinations,
code spans and markup are located, not guessed.
"""

from __future__ import annotations

import html
import re
import string

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from claimlint.document import Block, BlockKind, Document, LineIndex, ProseBuilder
from claimlint.readers import add_prose, add_url, anchor_label, finish, in_order, mark_span, sup_labels

_MD = (
    MarkdownIt("commonmark")
    .enable("table")
    .enable("strikethrough")
    .use(front_matter_plugin)
    .use(footnote_plugin)
    # Keep footnote definitions where they stand (document order, positions) and keep the
    # unreferenced ones too: a later stage reports unused entries.
    .disable("footnote_tail")
)

_ESCAPE_OR_ENTITY = re.compile(r"[\\&]")
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")
_PUNCT = set(string.punctuation)
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_TAG_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)")
# "[POGP leaflet][2]": a reference-style link whose label is a number, as writers number sources
_NUMBERED_REFERENCE = re.compile(r"\[\d{1,4}\]")
_CONTAINERS = {"blockquote_open", "list_item_open", "footnote_reference_open"}
_OPENERS = _CONTAINERS | {"bullet_list_open", "ordered_list_open"}
_CLOSERS = {"bullet_list_close", "ordered_list_close", "list_item_close", "blockquote_close", "footnote_reference_close"}
# Container markers at a line's start: quote marks, bullets, ordered-list numbers, indentation.
_CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*")
_EMPHASIS = {"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"}


# libyaml parses front matter ten times faster than PyYAML's pure-Python parser, but the two
# disagree at the edges (libyaml accepts "[a?b]" and "|#", nests deeper before it gives up,
# words errors differently). Only plain block YAML with one-line lists of plain words
# ("tags: [a, b]"), on which fuzzing found no disagreement, goes to libyaml; anything libyaml
# rejects is parsed again by PyYAML, for the same notice.
_LIBYAML = getattr(yaml, "CSafeLoader", None)
_SIMPLE_FLOW_LIST = re.compile(r"\[[^][{}:?#'\"\n]*\]")
_NOT_PLAIN_YAML = re.compile(
    r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    r"|[][{}|>#!&*%@`\\\t]"  # flow collections, block scalars, comments, tags, anchors, escapes
)
_MAX_PLAIN_NESTING = 100  # PyYAML recurses per level: keep far from the recursion limit
_UNSURE = object()


def _load_plain_yaml(text: str):
    """yaml.safe_load(text) through libyaml where that is sure to agree, else _UNSURE."""
    plain = _LIBYAML is not None and not _NOT_PLAIN_YAML.search(_SIMPLE_FLOW_LIST.sub("", text))
    if plain and sum(text.count(c) for c in "-?:\n") <= _MAX_PLAIN_NESTING:
        try:
            return yaml.load(text, Loader=_LIBYAML)
        except Exception:
            pass
    return _UNSURE


def read(path: str, source: str) -> Document:
    doc = Document(path, source, "markdown")
    _Reader(doc).run()
    return doc


class _Reader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.index: LineIndex = doc.lines
        # markdown-it replaces NUL with U+FFFD; compare against lines treated the same way.
        lines = self.index.lines
        self.lines = [line.replace("\0", "\ufffd") for line in lines] if "\0" in doc.source else lines
        self.blocks: list[Block] = []
        self.stack: list[dict] = []  # open containers: list items, quotes, footnotes
        self.misaligned = 0

    # -- block level --------------------------------------------------------------------------

    def run(self) -> None:
        pending: tuple[str, dict] | None = None  # kind and extras of the next inline token
        table_row: dict | None = None
        deep = _MD.options["maxNesting"] - 1  # containers this deep lose their content: _too_deep
        lost: set[int] = set()
        # every token of every file passes here: the commonest kinds are tested first
        for token in _MD.parse(self.doc.source):
            kind = token.type
            if kind == "inline":
                if pending is not None and token.map is not None:
                    self._inline(token, pending, table_row)
                pending = None
            elif kind == "paragraph_open":
                pending = self._paragraph_kind()
            elif kind in _CLOSERS:
                if self.stack:
                    self.stack.pop()
            elif kind.endswith("_close"):
                continue
            elif kind in _OPENERS:
                self._open(token, kind)
                if kind in _CONTAINERS and token.level >= deep and token.map:
                    lost.update(range(token.map[0], min(token.map[1], len(self.lines))))
            elif kind == "heading_open":
                pending = (BlockKind.HEADING, {"level": int(token.tag[1:])})
            elif kind in ("th_open", "td_open"):
                pending = (BlockKind.TABLE_CELL, {})
            elif kind == "tr_open":
                table_row = {"line": token.map[0] if token.map else None, "column": 0}
            elif kind == "html_block":
                self._html_block(token)
            elif kind == "front_matter":
                self._front_matter(token)
        self._too_deep(lost)
        if self.misaligned:
            self.doc.notices.append(
                f"{self.misaligned} Markdown character(s) could not be placed exactly; "
                "their positions are approximate"
            )
        self.doc.blocks = in_order(self.blocks)

    def _open(self, token: Token, kind: str) -> None:
        """A list, list item, quote or footnote definition opens."""
        if kind == "list_item_open":
            ordered = bool(self.stack) and self.stack[-1].get("ordered", False)
            label = token.info if ordered and token.info else None
            self.stack.append({"type": "item", "label": label, "first": True})
        elif kind == "blockquote_open":
            self.stack.append({"type": "quote"})
        elif kind == "footnote_reference_open":
            self.stack.append({"type": "footnote", "label": str(token.meta.get("label", ""))})
        else:
            self.stack.append({"type": "list", "ordered": kind == "ordered_list_open"})

    def _too_deep(self, lost: set[int]) -> None:
        """markdown-it drops everything inside a container nested deeper than maxNesting (a guard
        against runaway recursion). Never lose those words: read each dropped line as plain
        prose, after its container markers ("> ", "- ", "1. "), and say so in a notice."""
        limit = _MD.options["maxNesting"]
        if not lost:
            return
        for number in sorted(lost):
            line = self.index.lines[number]
            start = _CONTAINER_PREFIX.match(line).end()
            text = line[start:].rstrip()
            if not text.strip():
                continue
            base = self.index.starts[number]
            builder = ProseBuilder()
            add_prose(builder, text, list(range(base + start, base + start + len(text))))
            block = finish(builder, BlockKind.PARAGRAPH)
            if block:
                self.blocks.append(block)
        self.doc.notices.append(
            f"{len(lost)} line(s) nested more than {limit} levels deep were read as plain text"
        )

    def _paragraph_kind(self) -> tuple[str, dict]:
        for container in self.stack:
            if container["type"] == "footnote":
                return BlockKind.FOOTNOTE, {"label": container["label"]}
        for container in reversed(self.stack):
            if container["type"] == "item":
                if container["first"]:
                    container["first"] = False
                    return BlockKind.LIST_ITEM, {"label": container["label"]}
                return BlockKind.PARAGRAPH, {}
            if container["type"] == "quote":
                return BlockKind.QUOTE, {}
        return BlockKind.PARAGRAPH, {}

    def _front_matter(self, token: Token) -> None:
        try:
            data = _load_plain_yaml(token.content)
            if data is _UNSURE:
                # called from here as before: a RecursionError's wording depends on the depth
                data = yaml.safe_load(token.content)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            # the YAML starts on the line after the opening "---" (1-based line 2)
            line = (token.map[0] if token.map else 0) + 2 + (mark.line if mark else 0)
            problem = getattr(error, "problem", None) or str(error).splitlines()[0]
            self.doc.notices.append(f"front matter is not valid YAML (line {line}): {problem}")
            return
        except (ValueError, TypeError, OverflowError, RecursionError) as error:
            # valid YAML syntax that cannot be built, e.g. the date 2021-13-45 (found by fuzzing)
            self.doc.notices.append(
                f"front matter could not be read ({type(error).__name__}: {error}); ignored"
            )
            return
        if data is None:
            return
        if not isinstance(data, dict):
            self.doc.notices.append(
                f"front matter is not a YAML mapping (it is a {type(data).__name__}); ignored"
            )
            return
        self.doc.metadata.update(data)

    def _html_block(self, token: Token) -> None:
        if "<!--" not in token.content or token.map is None:
            return
        content = token.content.rstrip("\n")
        offsets = self._map_lines(content, token.map[0])
        for match in _COMMENT.finditer(content):
            self._comment(content, offsets, match.start(1), match.end(1))

    def _comment(self, raw: str, offsets: list[int], start: int, end: int) -> None:
        while start < end and raw[start].isspace():
            start += 1
        while end > start and raw[end - 1].isspace():
            end -= 1
        builder = ProseBuilder()
        for k in range(start, end):
            builder.add_char(" " if raw[k] == "\n" else raw[k], offsets[k])
        block = finish(builder, BlockKind.COMMENT)
        if block:
            self.blocks.append(block)

    # -- raw content -> source offsets ----------------------------------------------------------

    def _map_lines(self, content: str, first_line: int) -> list[int]:
        """Source offset of every character of a token's raw `content`, whose line i lies on
        source line first_line + i (a suffix of it, or found in it for ATX headings)."""
        offsets: list[int] = []
        last = len(self.lines) - 1
        for i, text in enumerate(content.split("\n")):
            line = min(first_line + i, last)
            if i:
                # the "\n" before this content line stands for the previous line's end
                previous = min(first_line + i - 1, last)
                offsets.append(self.index.starts[previous] + len(self.lines[previous]))
            source_line = self.lines[line]
            core = text.lstrip(" \t")
            lead = len(text) - len(core)
            column = self._find_in_line(core, source_line)
            base = self.index.starts[line]
            limit = len(source_line)
            _extend_clamped(offsets, base, column - lead, lead, limit)
            _extend_clamped(offsets, base, column, len(core), limit)
        return offsets

    def _find_in_line(self, core: str, source_line: str) -> int:
        stripped, wanted = source_line.rstrip(), core.rstrip()
        if stripped.endswith(wanted):
            return len(stripped) - len(wanted)
        found = source_line.find(wanted)
        if found >= 0:
            return found
        self.misaligned += 1
        return max(len(stripped) - len(wanted), 0)

    def _map_cell(self, content: str, row: dict) -> list[int] | None:
        """Offsets of a table cell's content: found left to right in the row's source line;
        a "|" in the content was written "\\|"."""
        line = row["line"]
        if line is None or line >= len(self.lines):
            return None
        written = content.replace("|", "\\|")
        start = self.lines[line].find(written, row["column"])
        if start < 0:
            self.misaligned += 1
            return None
        row["column"] = start + len(written)
        base = self.index.starts[line]
        if "|" not in content:
            return list(range(base + start, base + start + len(content)))
        offsets, pos = [], start
        for ch in content:
            if ch == "|":
                pos += 1  # skip the backslash: the offset is the pipe's own
            offsets.append(base + pos)
            pos += 1
        return offsets

    # -- inline level -------------------------------------------------------------------------

    def _inline(self, token: Token, pending: tuple[str, dict], row: dict | None) -> None:
        kind, extra = pending
        content = token.content
        if not content.strip():
            return
        if kind == BlockKind.TABLE_CELL and row is not None:
            offsets = self._map_cell(content, row)
            if offsets is None:
                return
        else:
            offsets = self._map_lines(content, token.map[0])
        walker = _Inline(self, content, offsets)
        walker.walk(token.children or [])
        self.misaligned += walker.misaligned
        block = finish(walker.builder, kind, **extra)
        if block:
            self.blocks.append(block)


def _extend_clamped(offsets: list[int], base: int, first: int, count: int, limit: int) -> None:
    """offsets += [base + min(max(first + j, 0), limit) for j in range(count)], built from
    ranges (this runs for every character of every block)."""
    if first >= 0 and first + count <= limit + 1:  # the usual case: nothing to clamp
        offsets.extend(range(base + first, base + first + count))
        return
    below = min(count, max(0, -first))
    offsets.extend([base] * below)
    start = first + below
    inside = max(0, min(count - below, limit - start + 1))
    offsets.extend(range(base + start, base + start + inside))
    offsets.extend([base + limit] * (count - below - inside))


class _Inline:
    """Walks an inline token's children with a cursor over its raw content."""

    def __init__(self, reader: _Reader, raw: str, offsets: list[int]) -> None:
        self.reader = reader
        self.raw = raw
        self.offsets = offsets
        self.cur = 0
        self.builder = ProseBuilder()
        self.links: list[tuple[int, str]] = []
        self.sups: list[int] = []
        self.misaligned = 0

    def _offset(self, k: int) -> int:
        return self.offsets[min(k, len(self.offsets) - 1)]

    def walk(self, children: list[Token]) -> None:
        i = 0
        while i < len(children):
            tok = children[i]
            kind = tok.type
            if kind in ("text", "text_special"):
                self._text(tok.content)
            elif kind in ("softbreak", "hardbreak"):
                self._break()
            elif kind in _EMPHASIS:
                self._consume(tok.markup)
            elif kind == "code_inline":
                self._code(tok.markup)
            elif kind == "link_open" and tok.markup == "autolink":
                while i + 1 < len(children) and children[i + 1].type != "link_close":
                    i += 1
                i += 1  # the link_close
                self._autolink(str(tok.attrs.get("href", "")))
            elif kind == "link_open":
                self._consume("[")
                self.links.append((len(self.builder), str(tok.attrs.get("href", ""))))
            elif kind == "link_close":
                self._link_close()
            elif kind == "image":
                self._image()
            elif kind == "html_inline":
                self._html(tok.content)
            elif kind == "footnote_ref":
                self._footnote_ref(str(tok.meta.get("label", "")))
            i += 1

    # cursor helpers

    def _skip_space(self) -> None:
        while self.cur < len(self.raw) and self.raw[self.cur] in " \t\n":
            self.cur += 1

    def _consume(self, literal: str) -> bool:
        if not literal:
            return True
        found = self.raw.find(literal, self.cur)
        if found >= 0 and not self.raw[self.cur : found].strip():
            self.cur = found + len(literal)
            return True
        self.misaligned += 1
        return False

    def _text(self, text: str) -> None:
        raw = self.raw
        end = self.cur + len(text)
        if "\\" not in text and "&" not in text and raw.startswith(text, self.cur):
            # the usual case: the text stands verbatim at the cursor
            add_prose(self.builder, text, self.offsets[self.cur : end])
            self.cur = end
            return
        offsets: list[int] = []
        j = 0
        verbatim_until = 0  # text[j:verbatim_until] was tried in bulk and is not verbatim
        while j < len(text):
            if j >= verbatim_until:
                # Most text stands verbatim at the cursor: copy a stretch up to the next "\\" or
                # "&" (escapes and entities need the character-by-character walk below) at once.
                stop = _ESCAPE_OR_ENTITY.search(text, j)
                stop = stop.start() if stop else len(text)
                if stop > j and raw.startswith(text[j:stop], self.cur):
                    offsets.extend(self.offsets[self.cur : self.cur + stop - j])
                    self.cur += stop - j
                    j = stop
                    continue
                verbatim_until = stop
            j = self._text_step(text, j, offsets)
        add_prose(self.builder, text, offsets)

    def _text_step(self, text: str, j: int, offsets: list[int]) -> int:
        """Place text[j] (and move the cursor past what stands for it); the next j."""
        raw, n = self.raw, len(self.raw)
        ch = text[j]
        if self.cur >= n:
            offsets.append(self._offset(n - 1))
            self.misaligned += 1
            return j + 1
        r = raw[self.cur]
        if r == "\\" and self.cur + 1 < n and raw[self.cur + 1] == ch and ch in _PUNCT:
            offsets.append(self.offsets[self.cur + 1])  # the escaped character itself
            self.cur += 2
            return j + 1
        entity = _ENTITY.match(raw, self.cur) if r == "&" else None
        if entity:
            decoded = html.unescape(entity.group())
            width = len(decoded) if text.startswith(decoded, j) else (0 if ch == "&" else 1)
            if width:  # decoded characters all stand at the entity's "&"
                offsets.extend([self.offsets[self.cur]] * width)
                self.cur = entity.end()
                return j + width
        if r == ch:
            offsets.append(self.offsets[self.cur])
            self.cur += 1
            return j + 1
        if r in " \t\n":  # whitespace markdown-it dropped (line starts, before a break)
            self.cur += 1
            return j
        found = raw.find(ch, self.cur, self.cur + 40)
        self.misaligned += 1
        if found >= 0:
            self.cur = found
            return j
        offsets.append(self.offsets[self.cur])
        return j + 1

    def _break(self) -> None:
        newline = self.raw.find("\n", self.cur)
        if newline < 0:
            self.misaligned += 1
            self.builder.separate(self._offset(self.cur))
            return
        if len(self.builder):
            self.builder.add_char(" ", self.offsets[newline])
        self.cur = newline + 1
        while self.cur < len(self.raw) and self.raw[self.cur] in " \t":
            self.cur += 1

    def _code(self, fence: str) -> None:
        start = self.cur
        if not self._consume(fence):
            return
        raw, pos = self.raw, self.cur
        while True:
            found = raw.find(fence, pos)
            if found < 0:
                self.misaligned += 1
                break
            if raw[found + len(fence) : found + len(fence) + 1] != "`" and raw[found - 1] != "`":
                self.cur = found + len(fence)
                break
            pos = found + 1
            while pos < len(raw) and raw[pos] == "`":
                pos += 1
        self.builder.separate(self._offset(start))

    def _autolink(self, href: str) -> None:
        self._skip_space()
        start = self.cur
        close = self.raw.find(">", self.cur)
        if close < 0:
            self.misaligned += 1
            return
        self.cur = close + 1
        if href.startswith(("http://", "https://")):
            add_url(self.builder, href, self._offset(start))
        else:
            self.builder.separate(self._offset(start))

    def _link_close(self) -> None:
        start, href = self.links.pop() if self.links else (len(self.builder), "")
        numbered = False
        if self._consume("]"):
            numbered = _NUMBERED_REFERENCE.match(self.raw, self.cur) is not None
            self._skip_link_tail()
        if href.startswith("#"):
            label = anchor_label(self.builder.text()[start:])
            if label:
                mark_span(self.builder, start, "anchor", (label,))
        elif href.startswith(("http://", "https://")):
            mark_span(self.builder, start, "reference-link" if numbered else "link", (href,))

    def _skip_link_tail(self) -> None:
        """Move past `(destination "title")` or `[label]` after a link's closing bracket."""
        raw, n = self.raw, len(self.raw)
        if self.cur < n and raw[self.cur] == "(":
            depth, pos, quote = 0, self.cur, ""
            while pos < n:
                ch = raw[pos]
                if ch == "\\":
                    pos += 2
                    continue
                if quote:
                    if ch == quote:
                        quote = ""
                elif ch in "\"'" and raw[pos - 1] in " \t\n":
                    quote = ch
                elif ch == "(":
                    depth += 1
                elif ch == ")":
                    depth -= 1
                    if depth == 0:
                        self.cur = pos + 1
                        return
                pos += 1
            self.misaligned += 1
        elif self.cur < n and raw[self.cur] == "[":
            self.cur = self._closing_bracket(self.cur) + 1

    def _closing_bracket(self, open_at: int) -> int:
        depth, pos, raw = 0, open_at, self.raw
        while pos < len(raw):
            ch = raw[pos]
            if ch == "\\":
                pos += 2
                continue
            if ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
                if depth == 0:
                    return pos
            pos += 1
        self.misaligned += 1
        return len(raw) - 1

    def _image(self) -> None:
        start = self.cur
        if self._consume("!"):
            if self.cur < len(self.raw) and self.raw[self.cur] == "[":
                self.cur = self._closing_bracket(self.cur) + 1
                self._skip_link_tail()
        self.builder.separate(self._offset(start))

    def _html(self, tag: str) -> None:
        self._skip_space()
        start = self.cur
        if not self.raw.startswith(tag, self.cur):
            if not self._consume(tag):
                return
            start = self.cur - len(tag)
        else:
            self.cur += len(tag)
        if tag.startswith("<!--"):
            if tag.endswith("-->"):
                self.reader._comment(self.raw, self.offsets, start + 4, start + len(tag) - 3)
            return
        name = _TAG_NAME.match(tag)
        if not name:
            return
        closing, element = name.group(1) == "/", name.group(2).lower()
        if element == "br":
            self.builder.separate(self._offset(start))
        elif element == "sup" and not closing:
            self.sups.append(len(self.builder))
        elif element == "sup" and self.sups:
            sup_start = self.sups.pop()
            mark_span(self.builder, sup_start, "sup", sup_labels(self.builder.text()[sup_start:]))

    def _footnote_ref(self, label: str) -> None:
        self._skip_space()
        start = self.cur
        if self.raw.startswith("[^", start):
            close = self.raw.find("]", start)
            if close < 0:
                self.misaligned += 1
                return
            marker_start = len(self.builder)
            for k in range(start, close + 1):
                self.builder.add_char(self.raw[k], self.offsets[k])
            self.cur = close + 1
            self.builder.mark(marker_start, "footnote", (label,))
        elif self.raw.startswith("^[", start):  # an inline footnote: its text is not prose
            self.cur = self._closing_bracket(start + 1) + 1
            self.builder.separate(self._offset(start))
        else:
            self.misaligned += 1
