"""Citation markers and the article's source list.

Markers are found on the raw prose of each block, before sentence segmentation, because the
tokenizer glues them to words (`risk.[3]`, `clear.³`); `mask` then blanks them with spaces of
the same length so offsets stay valid. Structural markers come from the readers (footnote
references, `<sup>`, links); a link counts when it goes to a known source site, its words are an
author-year citation, or the sentence credits it ("according to <a>the charity RNID</a>"), and
a lettered `<sup>b</sup>` only over lettered notes ("a. ...", "b. ..."). Textual markers are
found here: `[1]`, `[2, 3]`, `[1-3]`, `[^note]`, superscript digits, author-year, "(ref 2)",
lettered "[a]", "Source: ..." notes, "(PMID 1505183)" and "(NICE NG84)", and bare trailing
digits ("B-cells 1.") when the article has a numbered source list that makes that reading valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from claimlint import packfacts
from claimlint.document import HEADING_NOTE, Block, BlockKind, Marker

_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_RANGE = re.compile(r"^\s*(\d{1,4})\s*[-–—]\s*(\d{1,4})\s*$")
_BRACKET = re.compile(
    r"\[(\s*\d{1,4}(?:\s*[-–—]\s*\d{1,4})?(?:\s*[,;]\s*\d{1,4}(?:\s*[-–—]\s*\d{1,4})?)*\s*)\](?!\()"
)
_FOOTNOTE = re.compile(r"\[\^([^\]\s]{1,60})\]")
_SUPERSCRIPT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:\s?[,⁻–-]\s?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")
# Pandoc's superscript "pain^2^." and a plain-text caret "pain.^2" or "water ^1.": after a word
# or a stop, never after a digit ("10^6" is a power)
_CARET = re.compile(r"(?:(?<=[^\W\d_])|(?<=[.,;:)\]])|(?<=[^\W\d_] ))\^(\d{1,3}(?:\s?[,–-]\s?\d{1,3})*)\^?(?![\w^])")
# a capital letter, accented ones included ("Šrámek P, ..."): a letter that is not ASCII lower case
_CAPITAL = r"(?![a-z])[^\W\d_]"
_NAME = rf"(?:van |von |de |van der |de la )?{_CAPITAL}[\w'’-]+(?:\s+{_CAPITAL}[\w'’-]+){{0,3}}"
_AUTHORS = rf"{_NAME}(?:\s+et\s+al\.?|\s+(?:and|&)\s+{_NAME}|(?:,\s+{_NAME})*,?\s+(?:and|&)\s+{_NAME})?"
_YEAR = r"(?:19|20)\d{2}[a-z]?"
# a corporate author: "(Collaborative Group on Hormonal Factors in Breast Cancer, 2019)"
_CORPORATE = rf"{_CAPITAL}[\w'’-]+(?:\s+(?:(?:on|of|in|for|and|the|&)\s+)?{_CAPITAL}[\w'’-]+){{1,9}}"
# a page after the year: "(Wastyk et al. 2021, 4139)", "(Lindgren 2018, p. 33)", "(Okoro 2018: 112)"
_PAGE = r"(?:[,:]\s*(?:pp?\.\s*)?\d{1,5}(?:\s*[-–]\s*\d{1,5})?)"
# the journal between authors and year: "(Jena et al., BMJ, 2017)", "(Lee, N Engl J Med, 2020)"
_JOURNAL = rf"{_CAPITAL}[\w.&'’-]*(?:\s+(?:{_CAPITAL}[\w.&'’-]*|of|the|and|&)){{0,6}}"
_ITEM = rf"(?:{_AUTHORS}(?:,\s+{_JOURNAL}(?=,\s+{_YEAR}))?|[A-Z]{{2,}}|{_CORPORATE}),?\s+{_YEAR}(?:,\s*{_YEAR})*{_PAGE}?"
_AUTHOR_YEAR = re.compile(rf"\((?:(?:e\.g\.|see|cf\.)[,]?\s+)?{_ITEM}(?:\s*;\s*{_ITEM})*\)"
                          rf"|\[(?:(?:e\.g\.|see|cf\.)[,]?\s+)?{_ITEM}(?:\s*;\s*{_ITEM})*\](?!\()")
_NARRATIVE = re.compile(rf"\b{_AUTHORS}\s+\({_YEAR}\)")
# a link whose words are an author-year citation, "(<a href=...>BHIVA, 2024</a>)", is a source
_LINKED_AUTHOR_YEAR = re.compile(rf"\(?{_ITEM}\)?")
# Quick scans for what _NARRATIVE and _BARE need, so that most blocks skip those slow searches.
_YEAR_IN_PARENTHESES = re.compile(rf"\({_YEAR}\)")
_SPACE_DIGIT = re.compile(r"\s\d")
_YEAR_WORD = re.compile(r"^(?:19|20)\d\d$")
# (\s) first so that the search jumps from space to space, then the word before it
_BARE = re.compile(r"(\s)(?=\d)(?<=[^\W_]\s)(\d{1,3}(?:,\s?\d{1,3})*)(?=[.,;:]?(?:\s|$))")
_FOLLOWING_WORD = re.compile(r"\s+([\w%]+)")
# "Ref 1: NICE. Coeliac disease ...", "Note 2. ...", "Source 3 - IARC ...", "(ref 1) Woodley SJ, ...": an
# entry labelled with the marker's word
_NAMED_LABEL = r"[\[(]?(?i:refs?\.?|references?|notes?|sources?)\s+(\d{1,4})(?:[.:)\]]|\s+[-–—](?=\s))"
_ENTRY_LABEL = re.compile(rf"^\s*(?:[\[(](\d{{1,4}})[\])]|(\d{{1,4}})[.)]|([⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,4}})|{_NAMED_LABEL})\s+")
_NEXT_BRACKET_ENTRY = re.compile(rf"(?<=[.)\]]\s)(?:[\[(](\d{{1,4}})[\])]|([⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,4}})|{_NAMED_LABEL})\s+(?={_CAPITAL})")
_NEXT_LINE_ENTRY = re.compile(rf"\n[ \t]*(?:[\[(](\d{{1,4}})[\])]|(\d{{1,4}})[.)]|([⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,4}})|{_NAMED_LABEL})[ \t]+(?=\S)")
# "(1)", "(1, 3)", "(2–4)": a marker only where the article numbers its sources
_PARENTHESISED = re.compile(r"\((\d{1,3}(?:\s*[-–,]\s*\d{1,3})*)\)")
# "(ref 1)", "(refs 2, 3)", "(reference 4)", "(see note 3)", "[Source 2]": a marker wherever it is
_NAMED_REFERENCE = re.compile(
    r"([(\[])(?:see\s+)?(?:refs?\.?|references?|notes?|sources?)\s*(\d{1,3}(?:\s*(?:[-–,]|and)\s*\d{1,3})*)[)\]]",
    re.IGNORECASE)
# "(Source: NHS, Cold sores)" inside a sentence, or a closing "Source: UKHSA report, 2025."
# after one: a citation in words, to the end of the block
_SOURCE_NOTE = re.compile(r"\(\s*sources?\s*:[^()]{2,200}\)|(?:(?<=[.!?]\s)|^)\s*sources?\s?:\s+\S.*$", re.IGNORECASE | re.DOTALL)
# "[a]", "[d, e]", "[NHS-IBU]": a marker only where the article labels its sources so
# ("[a] Parisi R, ...", "[NHS-IBU] NHS. Ibuprofen for adults. 2024.")
_KEY = r"[A-Za-z][\w-]{0,24}"
_KEYS = re.compile(rf"\[({_KEY}(?:\s*,\s*{_KEY})*)\](?!\()")
# Print-style symbols: "... compared with usual care‡." with an entry "‡ Kuyken W, ...": a
# marker only where the article has entries labelled so
_SYMBOLS = "†‡§¶"
_SYMBOL_MARK = re.compile(rf"(?<=[^\s{_SYMBOLS}])([{_SYMBOLS}]{{1,3}})")
_KEY_ENTRY = re.compile(rf"^\s*(?:\[({_KEY})\]\s+|([{_SYMBOLS}]{{1,3}})\s*|([a-z])[.)]\s+(?={_CAPITAL}))(?=\S)")
# "... on placebo.* Zinc can ...", "lab.***": a marker only where entries are labelled "*", "**"
_ASTERISK_MARK = re.compile(r"(?<=[^\s*])(\*{1,4})(?![\w*])")
_NEXT_KEY_ENTRY = re.compile(rf"(?<=[.)\]]\s)(?:\[({_KEY})\]\s+|([{_SYMBOLS}]{{1,3}})\s*)(?={_CAPITAL})")
# "(E1)", "(R2, R3)": a key in parentheses is a marker only when it has the shape of the
# article's keys (a table of sources labelled E1 to E5 makes "(E6)" a dangling marker)
_PAREN_KEYS = re.compile(rf"\(({_KEY}(?:\s*,\s*{_KEY})*)\)")
_CODED_KEY = re.compile(r"([A-Za-z]{1,4})-?\d{1,4}")
# a label on its own, before its entry: a table row's first cell ("E1 | NHS. Shingles. 2023."),
# an HTML <dt> ("(A)" then <dd>NICE. COVID-19 rapid guideline. 2020.</dd>)
_SPLIT_LABEL = re.compile(r"^\s*[\[(]?(\d{1,4}|[A-Za-z]{1,4}-?\d{1,4}|[A-Z])[\])]?[.:]?\s*$")
# "7. Sources", "Section 7: References": the section number is not part of the heading's name
_SECTION_NUMBER = re.compile(r"^(?:section\s+)?(?:\d{1,2}|[ivx]{1,4})[.):]?\s+", re.IGNORECASE)
_PRECEDING_WORD = re.compile(r"([\w'’-]+)\W*$")
_BASE_BEFORE = re.compile(r"([^\W\d_]+|\d)$")  # what a superscript follows: "10²" is a power
_WORD_CHARACTER = re.compile(r"\w")

_SURNAME = re.compile(rf"(?<![\w.])(?!(?:e\.g|see|cf)\b){_CAPITAL}[\w'’-]+")
_YEAR_IN = re.compile(rf"\b{_YEAR}\b")
_REGEX_LISTS = {"source_entry_signals", "unheaded_source_signals", "guideline_bodies"}
NUMERIC_STYLES = frozenset({"bracket", "parenthesised", "superscript", "sup", "anchor", "bare-digits"})
LETTER_STYLE = "letter"


@lru_cache(maxsize=1)
def language_data() -> dict:
    data = packfacts.safe_load(packfacts.data_text("citations.yaml"))
    # word lists are compared lowercased; regular expressions stay as written ("\\S" is not "\\s")
    return {key: [str(v) if key in _REGEX_LISTS else str(v).lower() for v in values] for key, values in data.items()}


@dataclass
class SourceEntry:
    label: str | None
    block: Block
    kind: str  # numbered, footnote, unnumbered


@dataclass
class SourceList:
    entries: list[SourceEntry] = field(default_factory=list)
    numbered: dict[str, SourceEntry] = field(default_factory=dict)
    footnotes: dict[str, SourceEntry] = field(default_factory=dict)
    lettered: dict[str, SourceEntry] = field(default_factory=dict)  # "[a] Parisi R, ...", "[NHS-IBU] NHS. ..."
    block_ids: set[int] = field(default_factory=set)  # id() of blocks that are entries
    parenthesised: bool = False  # entries are labelled "(1) ...": so are the markers
    # id() of paragraphs followed by a "Source: Hirshkowitz M, et al. ... 2015." note of their own
    noted: set[int] = field(default_factory=set)

    def resolves(self, marker: Marker, label: str) -> bool:
        if marker.style == "footnote":
            return label in self.footnotes or label in self.numbered
        if marker.style == LETTER_STYLE:
            return label in self.lettered
        return label in self.numbered or label in self.footnotes

    def names(self, author_year: str) -> list[str]:
        """The works of an author-year marker ("Grant et al., 2010; Molina 2015") that no entry
        of the source list names by surname and year. Only a list of unnumbered entries is an
        author-year list: with no list, or a numbered one, author-year is a citation of its own."""
        if not self.entries or any(entry.kind != "unnumbered" for entry in self.entries):
            return []
        texts = [entry.block.text.lower() for entry in self.entries]
        missing = []
        for work in author_year.split(";"):
            surname = _SURNAME.search(work)
            year = _YEAR_IN.search(work)
            if surname is None or year is None:
                continue
            name, when = surname.group(), year.group()[:4]
            if name.isupper():
                # "(NICE, 2024)": an entry of that year names the body, maybe spelled out
                # ("National Institute for Health and Care Excellence (2024)")
                named = any(when in entry.block.text and _abbreviates(name, entry.block.text)
                            for entry in self.entries)
            else:
                named = any(name.lower() in text and when in text for text in texts)
            if not named:
                missing.append(" ".join(work.split()))
        return missing

    def is_entry(self, block: Block) -> bool:
        return id(block) in self.block_ids


def _abbreviates(acronym: str, text: str) -> bool:
    """Does `text` name the body `acronym` stands for: the acronym itself, or capitals that
    spell it in order ("UK Health Security Agency" for UKHSA, "British HIV Association" for BHIVA)?"""
    if re.search(rf"\b{re.escape(acronym)}\b", text):
        return True
    capitals = iter(ch for ch in text if ch.isupper())
    return all(letter in capitals for letter in acronym)


def _heading_name(text: str) -> str:
    name = text.strip().strip("*_#:").strip().rstrip(":")
    if name.endswith((")", ")\n")):  # HEADING_NOTE ends in ")$": skip its slow search otherwise
        name = HEADING_NOTE.sub("", name)
    return " ".join(_SECTION_NUMBER.sub("", name).lower().split())


_NOT_A_LIST = {"of", "for", "to", "in", "on", "about", "and", "that", "can", "may", "is", "are"}


def _names_sources(name: str, headings: set[str]) -> bool:
    """'References', 'Sources I found useful', 'References (APA)'; not 'Sources of vitamin D'."""
    if name in headings:
        return True
    words = name.replace("(", " ").split()
    return len(words) > 1 and words[0] in headings and words[1] not in _NOT_A_LIST


def _ends_with_a_source_word(name: str, headings: set[str]) -> bool:
    """'Further reading and evidence', 'Key references': a short name ending in a source word."""
    words = name.split()
    return 1 < len(words) <= 5 and words[-1] in headings


def _unheaded_source_lists(blocks: list[Block]) -> set[int]:
    """Where a run of two or more labelled entries that read like sources ("1. NICE. Insomnia.
    2024.", "2. Espie CA, et al. ... 2019.", or a label on its own before each entry), or a
    single one labelled by a superscript, starts with no source heading above it: every
    entry has a year, link or DOI, and one at least reads like a reference (et al., a DOI,
    "Surname AB, ...")."""
    starts: set[int] = set()
    strong = _unheaded_signals()
    run: list[int] = []
    entries, referenced = 0, False
    counted = -1  # the entry of a label on its own, counted with its label
    for index, block in enumerate(blocks + [None]):
        if index == counted or (block is not None and block.kind == BlockKind.COMMENT):
            continue
        if block is not None and _split_entry_label(blocks, index + 1) is not None:
            # "1" then "Antithrombotic Trialists' Collaboration. ... 2009." (Substack's footnotes)
            run.append(index)
            entries += 1
            referenced = referenced or strong.search(blocks[index + 1].text) is not None
            counted = index + 1
            continue
        if block is not None and _is_labelled_entry(block) and looks_like_a_source(block.text):
            run.append(index)
            entries += 1 + _entries_run_in(block.text)
            referenced = referenced or strong.search(block.text) is not None
            continue
        # one entry will do when a superscript labels it like a footnote ("<sup>1</sup> Holden BA, ...")
        if referenced and (entries >= 2 or (entries == 1 and _sup_label(blocks[run[0]]) is not None)):
            starts.add(run[0])
        run, entries, referenced = [], 0, False
    return starts


def _entries_run_in(text: str) -> int:
    """Further entries run into the same paragraph ("[1] A. 2019.\n[2] B. 2007.")."""
    return sum(1 for _ in _NEXT_BRACKET_ENTRY.finditer(text)) + sum(1 for _ in _NEXT_LINE_ENTRY.finditer(text))


def find_sources(blocks: list[Block]) -> SourceList:
    headings = set(language_data()["source_headings"])
    if_numbered = set(language_data()["source_headings_if_numbered"])
    unheaded = _unheaded_source_lists(blocks)
    sources = SourceList()
    section_level: int | None = None
    unnumbered = 0
    numbered_here = False  # the current source section has numbered entries
    sourced_here = False  # ... and an entry that reads like a source (a year, link, DOI, et al.)
    for index, block in enumerate(blocks):
        if block.kind == BlockKind.FOOTNOTE:
            entry = SourceEntry(block.label, block, "footnote")
            sources.footnotes.setdefault(block.label or "", entry)
            sources.entries.append(entry)
            sources.block_ids.add(id(block))
            continue
        is_heading = block.kind == BlockKind.HEADING
        if is_heading or block.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
            name = _heading_name(block.text)
            named = name in headings or (
                (name in if_numbered or _ends_with_a_source_word(name, headings)) and _opens_like_an_entry(blocks, index + 1))
            if is_heading or named:
                level = block.level if is_heading else 7
                if named or (is_heading and _names_sources(name, headings)):
                    section_level, unnumbered, numbered_here, sourced_here = level, 0, False, False
                elif section_level is not None and level <= section_level:
                    section_level = None
                continue
        if section_level is None and index in unheaded:
            section_level, unnumbered, numbered_here, sourced_here = 7, 0, False, False
        if section_level is None and block.kind == BlockKind.PARAGRAPH and _opens_with_a_source_heading(block.text, headings):
            entry = SourceEntry(None, block, "unnumbered")  # "References: Kawamura T, ... 2021. Marlowe C, ..."
            sources.entries.append(entry)
            sources.block_ids.add(id(block))
            above = _block_above(blocks, index)
            if above is not None and _is_source_note(block.text) and not sources.is_entry(above):
                sources.noted.add(id(above))
            continue
        split_label = _split_entry_label(blocks, index) if section_level is not None else None
        if section_level is not None and block.kind in (BlockKind.TABLE_CELL, BlockKind.PARAGRAPH) and (
                split_label or _split_entry_label(blocks, index + 1)):
            label = split_label
            if label is not None:
                sources.block_ids.update((id(block), id(blocks[index - 1])))
                entry = SourceEntry(label, block, "numbered" if label.isdigit() else "lettered")
                sources.entries.append(entry)
                if label.isdigit():
                    sources.numbered.setdefault(str(int(label)), entry)
                else:
                    sources.lettered.setdefault(label, entry)
            continue
        if section_level is None or block.kind not in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH):
            continue
        label = block.label
        letter = _letter_label(block)
        if letter is not None:
            sources.block_ids.add(id(block))
            for key in [letter] + [m.group(1) or m.group(2) for m in _NEXT_KEY_ENTRY.finditer(block.text)]:
                entry = SourceEntry(key, block, "lettered")
                sources.entries.append(entry)
                sources.lettered.setdefault(key, entry)
            numbered_here = True
            continue
        if label is None:
            opening = _ENTRY_LABEL.match(block.text)
            label = _entry_label(opening) or _sup_label(block)
            if opening is not None and opening.group().lstrip().startswith("("):
                sources.parenthesised = True
        after_an_entry = index > 0 and id(blocks[index - 1]) in sources.block_ids  # "Chen, Mu ... 2014. ..."
        if label is None and block.kind == BlockKind.PARAGRAPH and (numbered_here or unnumbered or after_an_entry) \
                and not looks_like_a_source(block.text):
            section_level = None  # "This leaflet is general information ..." after the list of sources
            continue
        numbered_here = numbered_here or label is not None
        sourced_here = sourced_here or looks_like_a_source(block.text)
        if label is None and block.kind == BlockKind.LIST_ITEM and not sourced_here:
            continue  # "SHOW NOTES" + "- How one strip of tape transforms your nights (04:12)": not sources
        if label is None and block.kind == BlockKind.LIST_ITEM:
            unnumbered += 1
            label = str(unnumbered)  # a bulleted source list is numbered by its order
            kind = "unnumbered"
        else:
            kind = "numbered" if label is not None else "unnumbered"
        entry = SourceEntry(label, block, kind)
        sources.entries.append(entry)
        sources.block_ids.add(id(block))
        if label is not None:
            sources.numbered.setdefault(str(int(label)), entry)
            # "[1] A. 2019.\n[2] B. 2007." or "¹ A. 2019.\n² B. 2007.": entries on consecutive
            # lines make one paragraph (Markdown joins the lines with spaces)
            more = [(m.group(1) or m.group(2) or m.group(3)).translate(_SUPERSCRIPT_DIGITS)
                    for m in _NEXT_BRACKET_ENTRY.finditer(block.text)]
            more += [_entry_label(m) for m in _NEXT_LINE_ENTRY.finditer(block.text)]
            for extra_label in more:
                extra = SourceEntry(extra_label, block, "numbered")
                sources.entries.append(extra)
                sources.numbered.setdefault(str(int(extra_label)), extra)
    return sources


@lru_cache(maxsize=1)
def _source_signals() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in language_data()["source_entry_signals"]), re.IGNORECASE)


@lru_cache(maxsize=1)
def _credited() -> re.Pattern:
    """The words right before a link the sentence credits: "according to <a>the charity RNID</a>"."""
    phrases = "|".join(r"\s+".join(map(re.escape, p.split())) for p in language_data()["crediting_phrases"])
    return re.compile(rf"(?i)\b(?:{phrases})\s+(?:the\s+)?$")


@lru_cache(maxsize=1)
def _identifier() -> re.Pattern:
    """"(PMID 15051839)", "(doi:10.1136/bmj.m3)", "(NICE NG84)", "(SIGN 158)": a source named by
    an identifier or a guideline's code, a citation in words (nothing to look up in the list)."""
    bodies = "|".join(language_data()["guideline_bodies"])
    return re.compile(r"\(\s*(?:(?:see\s+)?(?:PMID|PMCID|[Dd][Oo][Ii])\s*:?\s*[\w./:-]{4,80}"
                      rf"|(?:{bodies})\s+(?:guideline\s+)?[A-Z]{{0,4}}\d{{1,4}}(?:\s*,\s*(?:19|20)\d\d)?)\s*\)")


@lru_cache(maxsize=1)
def _unheaded_signals() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in language_data()["unheaded_source_signals"]))


def looks_like_a_source(text: str) -> bool:
    """Has a year, a DOI, a link, 'et al.' or a PMID (citations.yaml: source_entry_signals)."""
    return _source_signals().search(text) is not None


def _sup_label(block: Block) -> str | None:
    """'1' for an HTML entry that opens with its number in <sup> ("<p><sup>1</sup> Livingston G, ...")."""
    first = block.markers[0] if block.markers else None
    if first is not None and first.style == "sup" and first.start == 0 and first.labels and first.labels[0].isdigit():
        return first.labels[0]
    return None


def _letter_label(block: Block) -> str | None:
    """'a' for an entry labelled "[a] Parisi R, ..." ('NHS-IBU' for "[NHS-IBU] NHS. ..."): a
    text list item keeps the label, a Markdown or HTML paragraph keeps it in its text."""
    if block.label is not None:
        return block.label if not block.label.isdigit() else None
    match = _KEY_ENTRY.match(block.text)
    return (match.group(1) or match.group(2) or match.group(3)) if match else None


def _block_above(blocks: list[Block], index: int) -> Block | None:
    """The prose block right above blocks[index], comments skipped."""
    index -= 1
    while index >= 0 and blocks[index].kind == BlockKind.COMMENT:
        index -= 1
    if index >= 0 and blocks[index].kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
        return blocks[index]
    return None


def _is_source_note(text: str) -> bool:
    """'Source: ...' or 'Sources: ...' (not 'References: ...', which closes an article)."""
    return _heading_name(text.lstrip("*_ ").partition(":")[0]) in ("source", "sources")


def _opens_with_a_source_heading(text: str, headings: set[str]) -> bool:
    head, colon, rest = text.lstrip("*_ ").partition(":")
    return bool(colon) and len(rest.strip()) > 20 and _heading_name(head) in headings


def _entry_label(match: re.Match | None) -> str | None:
    if match is None:
        return None
    digits = match.group(1) or match.group(2) or match.group(3) or match.group(4)
    return digits.translate(_SUPERSCRIPT_DIGITS)


def _opens_like_an_entry(blocks: list[Block], index: int) -> bool:
    while index < len(blocks) and blocks[index].kind == BlockKind.COMMENT:
        index += 1
    if index < len(blocks) and blocks[index].kind == BlockKind.TABLE_CELL:
        # a table of sources: one of its first rows is "label | entry" (after a header row)
        return any(_split_entry_label(blocks, i) for i in range(index + 1, min(index + 8, len(blocks))))
    return index < len(blocks) and (_is_labelled_entry(blocks[index]) or _split_entry_label(blocks, index + 1) is not None)


def _split_entry_label(blocks: list[Block], index: int) -> str | None:
    """'E1' for the cell "NHS. Shingles. nhs.uk, 2023." after a cell "E1" in a table row; 'A'
    for the paragraph (an HTML <dd>) "NICE. ... 2020." after a paragraph "(A)"."""
    if not 0 < index < len(blocks):
        return None
    block, before = blocks[index], blocks[index - 1]
    if block.kind not in (BlockKind.TABLE_CELL, BlockKind.PARAGRAPH) or before.kind != block.kind:
        return None
    label = _SPLIT_LABEL.match(before.text)
    return label.group(1) if label and looks_like_a_source(block.text) else None


def _is_labelled_entry(block: Block) -> bool:
    """Opens like a numbered, lettered or keyed entry: "1. ...", "[2] ...", "(3) ...", "¹ ...",
    "[a] ...", "<sup>4</sup> ..." or a numbered list item."""
    return block.kind in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH) and (
        (block.label is not None and block.kind == BlockKind.LIST_ITEM) or _ENTRY_LABEL.match(block.text) is not None
        or _letter_label(block) is not None or _sup_label(block) is not None)


def expand(spec: str) -> tuple[str, ...]:
    """'1-3, 5' -> ('1', '2', '3', '5'); huge ranges are kept as their ends."""
    labels: list[str] = []
    for part in re.split(r"[,;]", spec.translate(_SUPERSCRIPT_DIGITS)):
        part = part.strip()
        if not part:
            continue
        match = _RANGE.match(part)
        if match:
            low, high = int(match.group(1)), int(match.group(2))
            if low <= high and high - low <= 50:
                labels.extend(str(n) for n in range(low, high + 1))
            else:
                labels.extend([str(low), str(high)])
        elif part.isdigit():
            labels.append(str(int(part)))
    return tuple(labels)


def _run_of_digits(digits: str, sources: SourceList) -> tuple[str, ...] | None:
    """'23' is ref 23 if it exists, else refs 2 and 3 if both exist; None if neither."""
    if str(int(digits)) in sources.numbered:
        return (str(int(digits)),)
    singles = tuple(digits)
    if len(digits) > 1 and "0" not in singles and len(set(singles)) == len(singles):
        if all(d in sources.numbered for d in singles):
            return singles
    return None


def find_markers(block: Block, sources: SourceList, bare_style: bool = False,
                 parenthesised_style: bool = False) -> list[Marker]:
    """All citation markers in a block's prose, in order. With `bare_style` (the article
    already cites with bare trailing digits elsewhere), a trailing number that names no entry
    is read as a marker to a missing source, and one after another number ("over 50 3.") too.
    With `parenthesised_style` (it cites with "(1)", "(4)" elsewhere), so is a "(5)" at the end
    of a clause one or two past the list's end."""
    if sources.is_entry(block) or block.kind == BlockKind.COMMENT:
        return []
    data = language_data()
    text = block.text
    markers: list[Marker] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, style: str, labels: tuple[str, ...]) -> None:
        if labels and not any(s < end and start < e for s, e in taken):
            markers.append(Marker(start, end, style, labels))
            taken.append((start, end))

    for marker in block.markers:  # `<sup><a href="#ref2">2</a></sup>` is one marker, not two
        if marker.style == "sup" and marker.labels and marker.labels[0].isalpha():
            if _shaped_like_a_key(marker.labels[0], sources):  # "<sup>b</sup>" over "a. ...", "b. ..." notes
                add(marker.start, marker.end, LETTER_STYLE, marker.labels)
            continue
        if _keep_structural(marker, text, data):
            add(marker.start, marker.end, marker.style, marker.labels)

    # each search below only where the characters it needs are in the text: most blocks have none
    if "[" in text:
        for match in _FOOTNOTE.finditer(text):
            add(match.start(), match.end(), "footnote", (match.group(1),))
        for match in _BRACKET.finditer(text):
            add(match.start(), match.end(), "bracket", expand(match.group(1)))
    if "ource" in text or "OURCE" in text:
        for match in _SOURCE_NOTE.finditer(text):
            add(match.start(), match.end(), "source-note", ("source",))
    if "(" in text:
        for match in _identifier().finditer(text):
            add(match.start(), match.end(), "source-note", ("source",))
    if id(block) in sources.noted:  # the "Source: ..." paragraph below cites this one's last sentence
        add(len(text), len(text), "source-note", ("source",))
    if "(" in text or "[" in text:
        for match in _NAMED_REFERENCE.finditer(text):
            style = "parenthesised" if match.group(1) == "(" else "bracket"
            add(match.start(), match.end(), style, expand(match.group(2).replace("and", ",")))
    if sources.lettered and "[" in text:
        for match in _KEYS.finditer(text):
            add(match.start(), match.end(), LETTER_STYLE, tuple(l.strip() for l in match.group(1).split(",")))
    if sources.lettered and any(symbol in text for symbol in _SYMBOLS):
        for match in _SYMBOL_MARK.finditer(text):
            add(match.start(), match.end(), LETTER_STYLE, (match.group(1),))
    if "*" in text and any(label.startswith("*") for label in sources.lettered):
        for match in _ASTERISK_MARK.finditer(text):
            add(match.start(), match.end(), LETTER_STYLE, (match.group(1),))
    if sources.lettered and "(" in text:
        for match in _PAREN_KEYS.finditer(text):
            keys = tuple(k.strip() for k in match.group(1).split(","))
            if all(_shaped_like_a_key(k, sources) for k in keys):
                add(match.start(), match.end(), LETTER_STYLE, keys)
    if sources.numbered and "(" in text:
        for match in _PARENTHESISED.finditer(text):
            labels = expand(match.group(1))
            at_clause_end = text[match.end(): match.end() + 1] in ("", ".", ",", ";", ":")
            resolved = all(l in sources.numbered for l in labels)
            slipped = parenthesised_style and all(0 < int(l) <= _most_likely_label(sources) for l in labels)
            if labels and (sources.parenthesised or (at_clause_end and (resolved or slipped))):
                add(match.start(), match.end(), "parenthesised", labels)
    for match in _SUPERSCRIPT.finditer(text) if _has_superscript(text) else ():
        if _is_exponent(text, match.start(), data):
            continue
        parts = [p for p in re.split(r"\s?[,]\s?", match.group()) if p]
        labels: list[str] = []
        for part in parts:
            digits = part.translate(_SUPERSCRIPT_DIGITS)
            if "-" in digits or "–" in digits:
                labels.extend(expand(digits))
            else:
                labels.extend(_run_of_digits(digits, sources) or (str(int(digits)),))
        add(match.start(), match.end(), "superscript", tuple(labels))
    if "^" in text:
        for match in _CARET.finditer(text):
            if not _is_exponent(text, match.start(), data):
                add(match.start(), match.end(), "superscript", expand(match.group(1)))
    narrative = _YEAR_IN_PARENTHESES.search(text) is not None
    author_year = ("19" in text or "20" in text) and ("(" in text or "[" in text)
    for pattern in (_AUTHOR_YEAR, _NARRATIVE) if narrative else (_AUTHOR_YEAR,) if author_year else ():
        for match in pattern.finditer(text):
            label = " ".join(match.group().strip("()[]").split())
            add(match.start(), match.end(), "author-year", (label,))
    bare_possible = sources.numbered and _SPACE_DIGIT.search(text) is not None
    if bare_possible and block.kind not in (BlockKind.HEADING, BlockKind.TABLE_CELL):
        number_words = set(data["number_words"])
        units = set(data["units_after_numbers"])
        for match in _BARE.finditer(text):
            word = _search_before(_PRECEDING_WORD, text, match.start(2))
            if not word:
                continue
            unit = _FOLLOWING_WORD.match(text, match.end(2))
            if unit and unit.group(1).lower() in units:
                continue  # "within 24 hours", "recruited 312 adults": a quantity
            if word.group(1).lower() in number_words and not (bare_style and _cites_several(match.group(2), text, match.end(2), sources)):
                continue  # "over 65." is an age; in an article citing by bare digits, "with age 1, 2." is two sources
            if word.group(1)[-1].isdigit() and not (_YEAR_WORD.match(word.group(1)) or bare_style):
                continue  # "12 3." is a number; "in 2026 4." is a year, then a marker
            labels: list[str] = []
            for part in re.split(r",\s?", match.group(2)):
                found = _run_of_digits(part, sources)
                ends_clause = text[match.end(2): match.end(2) + 1] in ("", ".", ",", ";", ":")
                if found is None and bare_style and ends_clause and 0 < int(part) <= _most_likely_label(sources):
                    found = (str(int(part)),)  # the article cites this way: a missing entry, not a number
                if found is None:
                    labels = []
                    break
                labels.extend(found)
            if labels:
                add(match.start(2), match.end(2), "bare-digits", tuple(labels))
    markers.sort(key=lambda m: (m.start, m.end))
    return markers


def _has_superscript(text: str) -> bool:
    return not text.isascii() and any(digit in text for digit in "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _shaped_like_a_key(key: str, sources: SourceList) -> bool:
    if key in sources.lettered:
        return True
    if len(key) == 1 and key.isalpha():  # "(D)" where the sources are labelled A, B, C
        return bool(sources.lettered) and all(len(label) == 1 and label.isalpha() and label.isupper() == key.isupper()
                                              for label in sources.lettered)
    coded = _CODED_KEY.fullmatch(key)
    return coded is not None and any(
        (other := _CODED_KEY.fullmatch(label)) is not None and other.group(1) == coded.group(1)
        for label in sources.lettered)


def _keep_structural(marker: Marker, text: str, data: dict) -> bool:
    if marker.style == "link":
        try:
            host = (urlsplit(marker.labels[0]).hostname or "").lower() if marker.labels else ""
        except ValueError:  # "http://[::1" and other broken addresses are not sources
            return False
        return (any(host == d or host.endswith("." + d) for d in data["source_domains"])
                or _LINKED_AUTHOR_YEAR.fullmatch(text, marker.start, marker.end) is not None
                or _credited().search(text, max(0, marker.start - 40), marker.start) is not None
                or _names_a_document(text[marker.start:marker.end], data))
    if marker.style == "reference-link":
        return True  # "([POGP leaflet][2])": the writer numbers the sources, wherever they are
    if marker.style == "sup":
        return bool(marker.labels) and not _is_exponent(text, marker.start, data)
    return bool(marker.labels)


def _names_a_document(words: str, data: dict) -> bool:
    """Link words that name what the link is: "technical report, 2024", "pilot data", "the trial"."""
    found = set(words.lower().replace(",", " ").split())
    return not found.isdisjoint(data["source_link_words"])


def _is_exponent(text: str, start: int, data: dict) -> bool:
    before = _search_before(_BASE_BEFORE, text, start)
    if not before:
        return False
    base = before.group(1).lower()
    return base.isdigit() or base in data["superscript_bases"]


def _search_before(pattern: re.Pattern, text: str, end: int) -> re.Match | None:
    """pattern.search(text[:end]) for a run-of-characters pattern ending in "$" (the word
    before a number or a superscript). text[:end] is often a long paragraph and these patterns
    backtrack at every word, so the last 40 characters are searched first; their match stands
    when it starts after their first character and holds a word character (no earlier start
    can match then), else all of text[:end] is searched."""
    tail = max(0, end - 40)
    found = pattern.search(text, tail, end)
    if tail and (found is None or found.start() == tail or not _WORD_CHARACTER.search(found.group())):
        found = pattern.search(text, 0, end)
    return found


def mask(text: str, markers: list[Marker]) -> str:
    """Blank the markers (not source links, which are words) with spaces of the same length."""
    blanked = [marker for marker in markers if marker.style not in ("link", "reference-link")]
    if not blanked:
        return text
    chars = list(text)
    for marker in blanked:
        chars[marker.start : marker.end] = " " * (marker.end - marker.start)
    return "".join(chars)


def _cites_several(spec: str, text: str, end: int, sources: SourceList) -> bool:
    """'1, 2' ending a sentence, every number naming an entry: markers even after "age"."""
    parts = [p.strip() for p in spec.split(",")]
    return (
        len(parts) > 1
        and text[end : end + 1] in ("", ".", ";")
        and all(p.isdigit() and str(int(p)) in sources.numbered for p in parts)
    )


def _most_likely_label(sources: SourceList) -> int:
    """The highest number a bare trailing digit can be a missing source's: one or two past the
    list's end is a slip ("stroke 5." with four sources); "turning 65," is an age."""
    return max((int(label) for label in sources.numbered), default=0) + 2
