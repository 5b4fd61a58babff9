"""Readers: turn a file's decoded text into a `Document` of prose blocks.

One module per format (`markdown`, `html`, `text`), each with `read(path, source) -> Document`.
This module maps extensions to formats, dispatches, and holds the few prose helpers every
reader shares (bare URLs left out of prose, `<sup>` labels, trimming a finished block).
Readers know nothing about rules or citations beyond the structural markers they record.
"""

from __future__ import annotations

import importlib
import os
import re

from claimlint.document import Block, Document, Marker, ProseBuilder

FORMATS: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}


def format_for(path: str) -> str | None:
    """The format a file's extension implies, or None."""
    return FORMATS.get(os.path.splitext(path)[1].lower())


def read_source(path: str, source: str, format: str) -> Document:
    """Read already-decoded `source` as `format` (markdown, html or text)."""
    if format not in set(FORMATS.values()):
        raise ValueError(f"unknown format {format!r}; known: markdown, html, text")
    module = importlib.import_module(f"claimlint.readers.{format}")
    return module.read(path, source)


# -- shared prose helpers ---------------------------------------------------------------------

# A bare URL in running text; trailing sentence punctuation is trimmed off afterwards.
URL = re.compile(r"(?<![\w@/.])(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?*_'\""
_NUMBER = re.compile(r"\d+")
_RANGE = re.compile(r"(\d+)\s*[-\u2010-\u2015]\s*(\d+)")
_ANCHOR_TEXT = re.compile(r"\s*\[?\s*(\d+)\s*\]?\s*")
MAX_RANGE = 200  # "1-100000" in a <sup> is not a citation range worth expanding


def _trim_url(url: str) -> str:
    while url:
        if url[-1] in _URL_TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        elif url[-1] == "]" and url.count("[") < url.count("]"):
            url = url[:-1]
        else:
            break
    return url


def add_url(builder: ProseBuilder, url: str, source_offset: int) -> None:
    """Leave a URL out of prose: one space stands for it, marked style "link" (labels=(url,))
    so a later stage can still see which source the text pointed to."""
    builder.add_char(" ", source_offset)
    builder.markers.append(Marker(len(builder) - 1, len(builder), "link", (url,)))


def add_prose(builder: ProseBuilder, text: str, offsets: list[int]) -> None:
    """Add prose characters with their offsets, leaving bare URLs out (see `add_url`)."""
    pos = 0
    # a URL match contains "://" or, in any case, "www.": checked first, much faster
    for match in URL.finditer(text) if "://" in text or "www." in text.lower() else ():
        url = _trim_url(match.group())
        if not url or url.lower() in ("http://", "https://", "www."):
            continue
        start, end = match.start(), match.start() + len(url)
        _extend(builder, text, offsets, pos, start)
        add_url(builder, url, offsets[start])
        pos = end
    _extend(builder, text, offsets, pos, len(text))


def _extend(builder: ProseBuilder, text: str, offsets: list[int], start: int, end: int) -> None:
    if start == 0 and end == len(text) == len(offsets):  # the whole text: no copies
        builder.chars.extend(text)
        builder.offsets.extend(offsets)
        return
    builder.chars.extend(text[start:end])
    builder.offsets.extend(offsets[start:end])


def mark_span(builder: ProseBuilder, start: int, style: str, labels: tuple[str, ...]) -> None:
    """Mark prose from `start` to the current end, without surrounding whitespace."""
    end = len(builder)
    while start < end and builder.chars[start].isspace():
        start += 1
    while end > start and builder.chars[end - 1].isspace():
        end -= 1
    if end > start and labels:
        builder.markers.append(Marker(start, end, style, labels))


def sup_labels(text: str) -> tuple[str, ...]:
    """The numbers a superscript cites: "1-3" -> 1, 2, 3; "2,5" -> 2, 5; "th" -> (); a single
    letter is a lettered note: "b" -> b (citations keeps it only where the sources are lettered)."""
    stripped = text.strip()
    if len(stripped) == 1 and "a" <= stripped <= "z" and not _ROMAN.fullmatch(stripped):
        return (stripped,)
    labels: list[str] = []
    for part in re.split(r"[,;]", text):
        if _ROMAN.fullmatch(part.strip()):  # "<sup>iv</sup>" with an <ol type="i"> of sources
            labels.append(str(_roman_value(part.strip())))
            continue
        match = _RANGE.search(part)
        if match:
            low, high = int(match.group(1)), int(match.group(2))
            if low <= high and high - low <= MAX_RANGE:
                labels.extend(str(n) for n in range(low, high + 1))
                continue
        labels.extend(str(int(n)) for n in _NUMBER.findall(part))
    return tuple(dict.fromkeys(labels))


_ROMAN = re.compile(r"(?=[ivx])x{0,2}(?:ix|iv|v?i{0,3})")


def _roman_value(numeral: str) -> int:
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for here, after in zip(numeral, numeral[1:] + " "):
        total += -values[here] if values.get(after, 0) > values[here] else values[here]
    return total


def anchor_label(text: str) -> str | None:
    """The number an in-page anchor link's text names ("3", "[3]"), or None."""
    match = _ANCHOR_TEXT.fullmatch(text)
    return str(int(match.group(1))) if match else None


def finish(builder: ProseBuilder, kind: str, **extra) -> Block | None:
    """A block from the builder, without leading/trailing whitespace (a marker's character is
    never trimmed). None when there is neither prose nor a marker."""
    markers = builder.markers
    whole = "".join(builder.chars)
    if not markers:  # most blocks: plain strip
        text = whole.strip()
        if not text:
            return None
        lo = len(whole) - len(whole.lstrip())
        return Block(kind, text, builder.offsets[lo : lo + len(text)], [], **extra)
    size = len(whole)
    keep_from = min((m.start for m in markers), default=size)
    keep_to = max((m.end for m in markers), default=0)
    # str.strip's whitespace is str.isspace's: trim up to the first and last marker only
    lo = min(size - len(whole.lstrip()), keep_from)
    hi = max(len(whole.rstrip()), lo, min(keep_to, size))
    text = whole[lo:hi]
    if not markers and not text.strip():
        return None
    length = hi - lo
    shifted = [
        Marker(min(max(m.start - lo, 0), length), min(max(m.end - lo, 0), length), m.style, m.labels)
        for m in markers
    ]
    return Block(kind, text, builder.offsets[lo:hi], shifted, **extra)


def in_order(blocks: list[Block]) -> list[Block]:
    """Blocks in document order (readers may finish a block after one nested in it)."""
    return sorted(blocks, key=lambda block: block.offsets[0] if block.offsets else 0)
