"""Sentence segmentation: split each block of prose into sentence spans.

A block (paragraph, heading, list item, table cell) comes in with its citation markers already
blanked by spaces of the same length, so offsets into it stay valid. `Segmenter.split` returns
`(start, end)` spans into the text, end exclusive, trimmed of surrounding whitespace, that
cover every non-space character in order. A block without a final full stop is one sentence.

The default pipeline is `spacy.blank("en")` with tokenizer special cases for our
abbreviations and one component of our own, ``claimlint_boundaries``, that sets
`token.is_sent_start`. spaCy's rule-based sentencizer is not enough (it splits after "et al.,",
"approx." and "Fig.", inside quotes, and misses "CAR-T." kept as one token), so the boundary
decision is made on the characters of the block, which is also what makes it fast:

- a sentence may end after ``.``, ``!``, ``?``, ``...`` or ``…``, plus any closing quotes or
  brackets (and any citation marker left unmasked, ``[3]`` or ``³``), followed by whitespace
  (and any emoji after it, which stay with the sentence they follow: "keys. 😬 Cotton buds"),
  or glued to a capitalised word after a lowercase one ("arrhythmias.Take", text copied from
  the web);
- it does end there when the next non-space character is an uppercase letter, a digit, an
  opening quote or bracket, or starts a word like "mRNA" or "eGFR" (lowercase, then a capital);
- unless the word before a single ``.`` is an abbreviation (``data/english.yaml``):
  ``abbreviations`` never end a sentence ("Dr.", "e.g.", "vs.", "Fig.", "approx."),
  ``abbreviations_before_number`` do not before a number ("No. 5", "Jan. 2020"),
  ``abbreviations_may_end`` only before a capitalised word or an opening quote ("etc.",
  "a.m.", "et al." — so "Smith et al. found", "et al. (2020)" and "et al. 2020" continue,
  "... by Smith et al. Later work ..." ends), ``abbreviations_before_name`` only before a
  common sentence starter ("the U.S. Food and Drug Administration" continues, "in the U.S.
  The trial" ends); unlisted dotted acronyms ("Ph.D.", "b.i.d.") are treated as may-end;
- a single capital letter ("J. Smith") is an initial when it starts the block or follows a
  capitalised word, a title, another initial or "by" — unless the word before it names letters
  ("vitamin C.", "Hepatitis B.", "type A."; the ``letter_words`` list) or it ends a list of
  letters ("hepatitis B and C.");
- a boundary inside a balanced pair of brackets or double quotes that closes later in the same
  block (at most ``MAX_ENCLOSED`` characters long) is ignored: ``He said "It works. It is
  safe." Then ...`` is two sentences, split after the closing quote.

The definition is that pipeline, and `Segmenter.nlp` still builds it (spaCy imported on first
use) for callers that want Docs. But with the blank pipeline our component reads only
``doc.text`` (never spaCy's tokens), so `Segmenter.split` runs the same rules on the same
characters directly: the same spans, without importing spaCy (about a second per process) or
tokenizing. tests/test_segment.py checks that the direct spans equal the blank pipeline's on
every block of every file in tests/corpus and examples/.

With a trained pipeline (``language`` names an installed one) its parser or senter decides
and our rules only veto its boundaries after punctuation that they would not split (the
abbreviation fixes); the pipeline is never downloaded.

Known limits: a quotation or parenthesis of several sentences (under ``MAX_ENCLOSED``
characters) is one sentence; a stray straight double quote disables the quote rule for its
block; "No." and months act as ordinary words unless a number follows; sentence-final titles
("on Main St. The ...") and a name-like capital letter ("Product X. It ...") do not split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from claimlint import packfacts

COMPONENT = "claimlint_boundaries"  # blank pipeline: our rules decide
FIXES_COMPONENT = "claimlint_boundary_fixes"  # trained pipeline: our rules veto its boundaries
STARTS_KEY = "claimlint_sentence_starts"  # doc.user_data: char offsets of sentence starts after the first
MAX_ENCLOSED = 300  # longer quotations or brackets do not hold their sentences together
BATCH_SIZE = 256

_OPEN_QUOTES = "\"'“‘«„"
_OPEN_BRACKETS = "([{"
_OPENERS = _OPEN_QUOTES + _OPEN_BRACKETS

# terminator, then closers (quotes, brackets, unmasked markers "[3]" "³"), then whitespace,
# and emoji that close the sentence before the next one ("Please don't use keys. 😬 Cotton buds ...").
_CANDIDATE = re.compile(
    r"(\.\.\.|…|[.!?]+)"
    r"((?:[\"'”’»)\]}]|\[\^?\d[\d,\u2013\- ]{0,15}\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*)"
    r"(\s+(?:[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]+\s+)?)(?=\S)"
)
# text copied from web pages loses spaces: "treat arrhythmias.Take all medicines ..."
_GLUED = re.compile(r"(?<=[a-z]{2})([.!?])(?=[A-Z][a-z])")
_GLUED_HINT = re.compile(r"[.!?][A-Z]")  # what _GLUED needs, found much faster
_CAMEL = re.compile(r"[a-z]+[A-Z]")
_INITIAL = re.compile(r"[A-Z]\.")
_LETTER = re.compile(r"[A-Z]\.?,?")
_DOTTED = re.compile(r"(?:[A-Za-z]{1,3}\.){2,}")
_ENCLOSED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|“[^“”]*”")
_PUNCT_BEFORE = re.compile(r"(\.\.\.|…|[.!?]+)((?:[\"'”’»)\]}])*)(\s+)\Z")

# what a "." after a word means
_NORMAL, _NEVER, _BEFORE_NUMBER, _MAY_END, _BEFORE_NAME, _INITIAL_KIND = range(6)
# what comes after the whitespace
_UPPER, _DIGIT, _QUOTE, _BRACKET, _OTHER = range(5)


class LanguageError(Exception):
    """The requested spaCy pipeline cannot be loaded."""


@dataclass(frozen=True)
class EnglishData:
    never: frozenset[str]
    before_number: frozenset[str]
    may_end: frozenset[str]
    before_name: frozenset[str]
    starters: frozenset[str]
    letter_words: frozenset[str]

    def special_cases(self) -> list[str]:
        """Single-word abbreviations to keep as one token (and their capitalised forms)."""
        words = set()
        for entry in self.never | self.may_end | self.before_name:
            if " " not in entry:
                words.add(entry)
                words.add(entry[:1].upper() + entry[1:])
        return sorted(words)


@lru_cache(maxsize=1)
def english() -> EnglishData:
    data = packfacts.safe_load(packfacts.data_text("english.yaml"))

    def words(key: str) -> frozenset[str]:
        return frozenset(str(v) for v in data.get(key) or [])

    return EnglishData(
        never=words("abbreviations"),
        before_number=words("abbreviations_before_number"),
        may_end=words("abbreviations_may_end"),
        before_name=words("abbreviations_before_name"),
        starters=words("sentence_starters"),
        letter_words=frozenset(w.lower() for w in words("letter_words")),
    )


def _listed(word: str, entries: frozenset[str]) -> bool:
    """`word` is an entry, or an entry with its first letter capitalised ("E.g." for "e.g.")."""
    if word in entries:
        return True
    return word[:1].isupper() and (word[0].lower() + word[1:]) in entries


def _word_kind(text: str, term_start: int, data: EnglishData) -> int:
    """What the single "." at `term_start` means, from the word(s) before it."""
    window = text[max(0, term_start - 80) : term_start]
    if not window or window[-1].isspace():
        return _NORMAL  # "risk by 20%  ." (a blanked marker before the full stop)
    parts = window.rsplit(None, 3)
    word = parts[-1]
    previous = parts[-2] if len(parts) > 1 else ""
    before_previous = parts[-3] if len(parts) > 2 else ""
    word = word.lstrip(_OPENERS)
    if not word:
        return _NORMAL  # "risk by 20%  ." (a blanked marker before the full stop)
    word += "."
    previous = previous.lstrip(_OPENERS)
    if previous:
        pair = previous + " " + word
        if _listed(pair, data.may_end):
            return _MAY_END
        if _listed(pair, data.never):
            return _NEVER
    if _listed(word, data.never):
        return _NEVER
    if _listed(word, data.before_name):
        return _BEFORE_NAME
    if _listed(word, data.may_end):
        return _MAY_END
    if _INITIAL.fullmatch(word):
        if not previous:
            return _INITIAL_KIND
        bare = previous.rstrip(",;:").lower()
        if bare in data.letter_words:
            return _NORMAL
        if bare in ("and", "or", "&"):  # "hepatitis B and C." lists letters; "Smith and K. Okafor"
            return _NORMAL if _LETTER.fullmatch(before_previous) else _INITIAL_KIND
        if previous[:1].isupper() or bare == "by" or _INITIAL.fullmatch(previous):
            return _INITIAL_KIND
        return _NORMAL
    if _listed(word, data.before_number):
        return _BEFORE_NUMBER
    if _DOTTED.fullmatch(word):
        return _MAY_END
    return _NORMAL


def _next_kind(text: str, pos: int) -> int:
    char = text[pos]
    if char.isupper():
        return _UPPER
    if char.isdigit():
        return _DIGIT
    if char in _OPEN_QUOTES:
        return _QUOTE
    if char in _OPEN_BRACKETS:
        return _BRACKET
    if char.islower() and _CAMEL.match(text, pos):
        return _UPPER  # mRNA, eGFR, iPS cells
    return _OTHER


def _ends(text: str, terminator: str, term_start: int, next_pos: int, data: EnglishData) -> bool:
    """Does the terminator at `term_start` end a sentence whose successor starts at `next_pos`?"""
    following = _next_kind(text, next_pos)
    if following == _OTHER:
        return False
    kind = _word_kind(text, term_start, data) if terminator == "." else _NORMAL
    if kind == _NORMAL:
        return True
    if kind == _BEFORE_NUMBER:
        return following != _DIGIT
    if kind == _MAY_END:
        return following in (_UPPER, _QUOTE)
    if kind == _BEFORE_NAME:
        match = re.match(r"[^\s,;:.!?]+", text[next_pos : next_pos + 40])
        return bool(match) and match.group() in data.starters
    return False  # _NEVER, _INITIAL_KIND


def _enclosures(text: str) -> list[tuple[int, int]]:
    """Balanced brackets and double quotes, (start, end) with end after the closer."""
    spans = [m.span() for m in _ENCLOSED.finditer(text)]
    quotes = [i for i, c in enumerate(text) if c == '"'] if '"' in text else []
    if quotes and len(quotes) % 2 == 0:
        spans.extend((quotes[i], quotes[i + 1] + 1) for i in range(0, len(quotes), 2))
    return [(a, b) for a, b in spans if b - a <= MAX_ENCLOSED]


def boundaries(text: str) -> list[int]:
    """Offsets in `text` where a sentence other than the first starts (never whitespace)."""
    data = english()
    starts: list[int] = []
    enclosed: list[tuple[int, int]] | None = None
    candidates = [(m.group(1), m.start(1), m.end(2), m.end()) for m in _CANDIDATE.finditer(text)]
    glued = []
    if _GLUED_HINT.search(text):
        glued = [(m.group(1), m.start(1), m.end(), m.end()) for m in _GLUED.finditer(text)]
    if glued:
        candidates = sorted(candidates + glued, key=lambda c: c[1])
    for terminator, term_start, inside, next_pos in candidates:
        if not _ends(text, terminator, term_start, next_pos, data):
            continue
        if enclosed is None:
            enclosed = _enclosures(text)
        if any(a < inside < b for a, b in enclosed):
            continue
        starts.append(next_pos)
    return starts


def vetoed(text: str, start: int) -> bool:
    """Would our rules refuse a boundary that a trained pipeline put at `start`?

    Only boundaries right after sentence punctuation are judged (the abbreviation fixes);
    elsewhere the pipeline is trusted.
    """
    found = _PUNCT_BEFORE.search(text, max(0, start - 40), start)
    if found is None:
        return False
    return not _ends(text, found.group(1), found.start(1), start, english())


def spans(text: str, starts: Iterable[int]) -> list[tuple[int, int]]:
    """Sentence spans from the offsets where sentences start, trimmed of whitespace."""
    size = len(text)
    begin = 0
    while begin < size and text[begin].isspace():
        begin += 1
    result: list[tuple[int, int]] = []
    for start in [*starts, size]:
        if start <= begin:
            continue
        end = start
        while end > begin and text[end - 1].isspace():
            end -= 1
        if end > begin:
            result.append((begin, end))
        begin = start
        while begin < size and text[begin].isspace():
            begin += 1
    return result


def _set_sent_starts(doc, starts: list[int]) -> None:
    """Mark the tokens at `starts` as sentence starts and every other token as not one."""
    import numpy
    from spacy.attrs import SENT_START

    values = numpy.full((len(doc), 1), -1, dtype="int32")
    values[0, 0] = 1
    if starts:
        index = doc.to_array("IDX")
        positions = numpy.searchsorted(index, starts)
        for position, start in zip(positions.tolist(), starts):
            if position < len(index) and index[position] == start:
                values[position, 0] = 1
    doc.from_array([SENT_START], values.astype("uint64"))


def _boundary_component(doc):
    """claimlint_boundaries: our sentence starts, in doc.user_data and on the tokens."""
    starts = boundaries(doc.text) if len(doc) else []
    doc.user_data[STARTS_KEY] = starts
    if len(doc):
        _set_sent_starts(doc, starts)
    return doc


def _boundary_fixes_component(doc):
    """claimlint_boundary_fixes: a trained parser's or senter's sentence starts, less the ones
    our abbreviation rules veto, in doc.user_data (and on the tokens unless the Doc is parsed:
    spaCy refuses edits to a parsed Doc's sentences)."""
    text = doc.text
    if len(doc) == 0 or not (doc.has_annotation("DEP") or doc.has_annotation("SENT_START")):
        return _boundary_component(doc)  # the pipeline set no boundaries: use our rules
    starts: list[int] = []
    for sent in list(doc.sents)[1:]:
        start = sent.start_char
        while start < len(text) and text[start].isspace():
            start += 1
        if start < len(text) and not vetoed(text, start) and (not starts or start > starts[-1]):
            starts.append(start)
    doc.user_data[STARTS_KEY] = starts
    if not doc.has_annotation("DEP"):
        _set_sent_starts(doc, starts)
    return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(COMPONENT):
        Language.component(COMPONENT, func=_boundary_component)
    if not Language.has_factory(FIXES_COMPONENT):
        Language.component(FIXES_COMPONENT, func=_boundary_fixes_component)


def _load(language: str):
    import spacy

    if language == "blank":
        nlp = spacy.blank("en")
        for word in english().special_cases():
            nlp.tokenizer.add_special_case(word, [{"ORTH": word}])
        return nlp
    try:
        nlp = spacy.load(language)
    except OSError:
        raise LanguageError(
            f"spaCy pipeline '{language}' is not installed; install it or use language: blank"
        ) from None
    except Exception as exc:  # incompatible version, broken package
        raise LanguageError(f"spaCy pipeline '{language}' could not be loaded: {exc}") from None
    # Run only what sentence boundaries need: the senter (fast) if there is one, else the
    # parser, with the embedding layer they listen to; a pipeline with neither keeps its own.
    names = nlp.component_names  # enabled and disabled
    chosen = "senter" if "senter" in names else "parser" if "parser" in names else None
    if chosen is not None:
        needed = {chosen, "tok2vec", "transformer"}
        for name in names:
            if name in needed and name in nlp.disabled:
                nlp.enable_pipe(name)
            elif name not in needed and name not in nlp.disabled:
                nlp.disable_pipe(name)
    return nlp


_LONG_RUN = re.compile(r"\S{200,}")


def _break_long_runs(text: str) -> str:
    """spaCy's suffix search is super-linear on long space-free tokens ("((((..." in a broken
    file took 87 s for 20 KB). Such runs are never prose: give the tokenizer a space every 64
    characters of them. The length, and so every offset, stays the same."""
    if len(text) < 200 or not _LONG_RUN.search(text):
        return text
    chars = list(text)
    for match in _LONG_RUN.finditer(text):
        for index in range(match.start() + 64, match.end() - 1, 64):
            chars[index] = " "
    return "".join(chars)


class Segmenter:
    """Split blocks of prose into sentences (see the module docstring for the rules).

    With the blank pipeline our boundary rules read only the characters of a block, never
    spaCy's tokens, so splitting runs them directly and gives the same spans: spaCy is not
    imported (about a second per process) and no Doc is built (tokenizing was most of the
    segment stage). `nlp` still gives the blank pipeline with our component, built on first
    use, for callers that want Docs.
    """

    def __init__(self, language: str = "blank") -> None:
        self.language = language
        self._nlp = None if language == "blank" else _pipeline(language)

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = _pipeline(self.language)
        return self._nlp

    def split(self, text: str) -> list[tuple[int, int]]:
        if not text or text.isspace():
            return []
        if self.language == "blank":  # exactly what the claimlint_boundaries component computes
            return spans(text, boundaries(_break_long_runs(text)))
        return spans(text, self.nlp(_break_long_runs(text)).user_data[STARTS_KEY])

    def split_many(self, texts: list[str]) -> list[list[tuple[int, int]]]:
        if self.language == "blank":
            return [self.split(text) for text in texts]
        results: list[list[tuple[int, int]] | None] = [None] * len(texts)
        todo = [i for i, text in enumerate(texts) if text and not text.isspace()]
        docs = self.nlp.pipe((_break_long_runs(texts[i]) for i in todo), batch_size=BATCH_SIZE)
        for i, doc in zip(todo, docs):
            results[i] = spans(texts[i], doc.user_data[STARTS_KEY])
        return [r if r is not None else [] for r in results]


def _pipeline(language: str):
    """The spaCy pipeline for `language` with our boundary component last (imports spaCy)."""
    _register()
    nlp = _load(language)
    component = COMPONENT if language == "blank" else FIXES_COMPONENT
    if component not in nlp.pipe_names:
        nlp.add_pipe(component, last=True)
    return nlp
