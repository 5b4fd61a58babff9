"""Plain-text reader: paragraphs by blank lines, hard-wrapped lines joined.

A short line standing alone (or opening a paragraph and followed by a list line, or an ALL
CAPS line opening a paragraph) is a heading, and so are short lines without closing
punctuation that open a paragraph when the next line starts a new sentence or a source entry
("References" over the entries, a title over its subtitle); lines
opening with "- ", "* ", "• ", "1. ", "1) ", "[1] ", "[a] ", "[NHS-1] " or a carousel's "(4/8) " are list
items (the marker is not prose);
in a file with footnotes labelled by asterisks ("** Hemilä H, Chalker E. ..."), "* ", "** " and
"*** " keep their asterisks as the item's label;
a line holding only a `claimlint-...` directive is a comment block. A line of dashes, equals
signs or underscores is a rule, not prose: a short line right above it is a heading
("Turmeric and natural cures" over "------").
"""

from __future__ import annotations

import re

from claimlint.document import HEADING_NOTE, Block, BlockKind, Document, ProseBuilder
from claimlint.readers import URL, add_prose, finish

# "(4/8) " and "(4/8 cont.) " number the slides of a social-media carousel: each is a new item
_LIST = re.compile(r"[ \t]*(?:[-*\u2022][ \t]+|(\d{1,3})[.)][ \t]+|\[(\d{1,3}|[A-Za-z][\w-]{0,24})\][ \t]+"
                   r"|\(\d{1,2}/\d{1,2}(?:[ \t]+cont(?:inued|\.)?)?\)[ \t]+)(?=\S)")
_DIRECTIVE = re.compile(
    r"[ \t]*claimlint-(?:disable|enable|ignore)[a-z-]*(?:[ \t]+[\w.*-]+(?:[ \t]*,[ \t]*[\w.*-]+)*)?"
    r"(?:[ \t]+--[ \t].*)?[ \t]*"
)
HEADING_MAX_WORDS = 12
TITLE_MAX_WORDS = 9
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s")
_NOT_HEADING_END = ".!?:;,"
_ENTRY_OPENING = re.compile(r"[\[(](?:\d{1,3}|[A-Za-z][\w-]{0,24})[\])]\s")  # "(1) Kreider RB, ..." under a title
_RULE = re.compile(r"[ \t]*(?:-{3,}|={3,}|_{3,}|\*{3,})[ \t]*")
_ASTERISK_ENTRY = re.compile(r"[ \t]*(\*{1,3})[ \t]+(?=\S)")
_DOUBLE_ASTERISK_ENTRY = re.compile(r"^[ \t]*\*{2,3}[ \t]+(?=\S)", re.MULTILINE)


def read(path: str, source: str) -> Document:
    doc = Document(path, source, "text")
    index = doc.lines
    blocks: list[Block] = []
    paragraph: list[int] = []
    # "*" is a bullet unless the file also labels notes "**" (a lone "* " line is ambiguous)
    asterisk_labels = "**" in source and _DOUBLE_ASTERISK_ENTRY.search(source) is not None
    for number, line in enumerate(index.lines + [""]):
        if line.strip():
            paragraph.append(number)
        elif paragraph:
            blocks.extend(_paragraph(doc, paragraph, asterisk_labels))
            paragraph = []
    doc.blocks = blocks
    return doc


def _paragraph(doc: Document, numbers: list[int], asterisk_labels: bool = False) -> list[Block]:
    """Blocks of one blank-line-separated paragraph, given its line numbers."""
    lines = doc.lines.lines
    units: list[tuple[str, dict, list[tuple[int, int]]]] = []  # kind, extras, (line, column)
    titles = _title_lines(lines, numbers)
    after_rule = False
    for position, number in enumerate(numbers):
        line = lines[number]
        if _RULE.fullmatch(line):
            last = units[-1] if units else None
            if last and last[0] in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) and len(last[2]) == 1 \
                    and _is_heading(lines[last[2][0][0]]):  # "3. Natural cures" boxed in rules is a heading too
                units[-1] = (BlockKind.HEADING, {"level": 2}, last[2])
            after_rule = True
            continue
        if after_rule:  # what follows a rule starts a new block
            after_rule = False
            if not _LIST.match(line) and not _DIRECTIVE.fullmatch(line):
                # "REFERENCES (for Ask Jo)" or "Sources" under a rule, the entries right below
                if _is_caps_heading(line) or _title_lines(lines, numbers[position:]):
                    units.append((BlockKind.HEADING, {"level": 2}, [(number, len(line) - len(line.lstrip()))]))
                else:
                    units.append((BlockKind.PARAGRAPH, {}, [(number, len(line) - len(line.lstrip()))]))
                continue
        if _DIRECTIVE.fullmatch(line):
            units.append((BlockKind.COMMENT, {}, [(number, len(line) - len(line.lstrip()))]))
            continue
        asterisks = _ASTERISK_ENTRY.match(line) if asterisk_labels else None
        if asterisks:
            units.append((BlockKind.LIST_ITEM, {"label": asterisks.group(1)}, [(number, asterisks.end())]))
            continue
        item = _LIST.match(line)
        if item:
            label = item.group(1) or item.group(2)
            units.append((BlockKind.LIST_ITEM, {"label": label}, [(number, item.end())]))
            continue
        column = len(line) - len(line.lstrip())
        alone = position == len(numbers) - 1 or bool(_LIST.match(lines[numbers[position + 1]]))
        if position < titles or (position == 0 and (_is_caps_heading(line) or (alone and _is_heading(line)))):
            units.append((BlockKind.HEADING, {"level": 2}, [(number, column)]))
            continue
        if units and units[-1][0] in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH):
            units[-1][2].append((number, column))  # a wrapped line (indented or lazy) joins
        else:
            units.append((BlockKind.PARAGRAPH, {}, [(number, column)]))
    blocks = []
    for kind, extra, parts in units:
        block = _build(doc, kind, extra, parts)
        if block:
            blocks.append(block)
    return blocks


def _build(doc: Document, kind: str, extra: dict, parts: list[tuple[int, int]]) -> Block | None:
    index, builder = doc.lines, ProseBuilder()
    for k, (number, column) in enumerate(parts):
        if k:  # the line break between wrapped lines reads as one space
            previous = parts[k - 1][0]
            builder.add_char(" ", index.starts[previous] + len(index.lines[previous]))
        text = index.lines[number][column:].rstrip()
        start = index.starts[number] + column
        if kind == BlockKind.COMMENT:
            builder.add(text, start)
        else:
            add_prose(builder, text, list(range(start, start + len(text))))
    return finish(builder, kind, **extra)


def _title_lines(lines: list[str], numbers: list[int]) -> int:
    """How many lines open the paragraph as headings: short lines with no sentence punctuation,
    each followed by a line that starts a new sentence ("References" over the entries, a
    title over its subtitle) rather than by the rest of a wrapped sentence."""
    count = 0
    for position, number in enumerate(numbers[:-1]):
        line, following = lines[number].strip(), lines[numbers[position + 1]].strip()
        if _is_label_over_entries(line, following):  # "Sources:" over "(1) Vieira C, et al. ..."
            count += 1
            continue
        if _LIST.match(lines[number]) or not _is_title(line) or not (
                following[:1].isupper() or following[:1].isdigit() or _ENTRY_OPENING.match(following)):
            break
        if len(line.split()) > 6 and not _is_title(following):
            break  # a longer line that may be wrapped prose
        count += 1
    if count and count == len(numbers) - 1 and _is_title(lines[numbers[-1]].strip()):
        count += 1  # a title and its subtitle, with no prose under them
    return count


def _is_label_over_entries(line: str, following: str) -> bool:
    return line.endswith(":") and len(line.split()) <= 3 and _is_heading(line[:-1]) \
        and _ENTRY_OPENING.match(following) is not None


def _is_title(line: str) -> bool:
    return len(line.split()) <= TITLE_MAX_WORDS and _is_heading(line) and not _SENTENCE_END.search(line)


def _is_heading(line: str) -> bool:
    text = line.strip()
    return (
        0 < len(text.split()) <= HEADING_MAX_WORDS
        and text[-1] not in _NOT_HEADING_END
        and not URL.search(text)
        and any(ch.isalpha() for ch in text)
    )


def _is_caps_heading(line: str) -> bool:
    text = line.strip().rstrip(":")
    letters = [ch for ch in HEADING_NOTE.sub("", text) if ch.isalpha()]
    return (
        len(letters) >= 2
        and all(ch.isupper() for ch in letters)
        and len(text.split()) <= HEADING_MAX_WORDS
        and text[-1] not in ".!?;,"
        and not URL.search(text)
    )
