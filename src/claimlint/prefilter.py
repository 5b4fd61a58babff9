"""Cheap necessary conditions for regular expressions, so most searches are never run.

Every sentence is searched by every cue and every rule, yet almost all of those searches fail.
`claimlint.literals` works out, once per pattern, what any match must contain (a whole word,
a substring or a digit); `Prefilter` checks that against the sentence folded once (lowercased,
its [a-z0-9_] words in a set) before the real search. It only ever skips a search that could
not have matched, so results are the same; a pattern too complex to reason about has no
prefilter and every search runs. A timeout inside a skipped search can no longer happen,
which only matters for a pack whose regex backtracks catastrophically.

Folding maps the few non-ASCII characters that `re` or `regex` match case-insensitively to an
ASCII letter (Kelvin sign, long s, dotted and dotless i) to that letter; all of them are word
characters, so a word bounded in the text stays a whole [a-z0-9_] run in the folded text.
tests/test_prefilter.py checks both facts over every code point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from claimlint import packfacts

DIGIT = "\\d"  # literals.DIGIT, without importing literals when its analyses are remembered

# Non-ASCII characters that `re` or `regex` match case-insensitively to an ASCII letter.
_FOLD_MAP = {"\u0130": "i", "\u0131": "i", "\u212a": "k", "\u017f": "s"}
_FOLD = str.maketrans(_FOLD_MAP)
_ASCII_WORD = re.compile(r"[a-z0-9_]+")
_FOLDED_CHARACTER = re.compile("[" + "".join(_FOLD_MAP) + "]")
# `re`'s \d is quick to search; `regex`'s knows a few more, all outside ASCII. Lowercasing
# leaves digits alone.
_RE_DIGIT = re.compile(r"\d")
_REGEX_DIGIT = None  # regex.compile(r"\d"), on first use
_CACHE_LIMIT = 4096


@dataclass(frozen=True)
class Folded:
    """A text as the prefilters see it."""

    text: str  # lowercased, with `_FOLD` applied
    words: frozenset[str]  # its maximal runs of [a-z0-9_]
    has_digit: bool


_folded_cache: dict[str, Folded] = {}


def forget_texts() -> None:
    """Drop the folded sentences of the previous document (the engine calls this per document,
    so a run never profits from sentences repeated across files)."""
    _folded_cache.clear()


def folded(text: str) -> Folded:
    """The folded form of `text`; the same sentence is asked for by every cue and rule."""
    found = _folded_cache.get(text)
    if found is None:
        if len(_folded_cache) >= _CACHE_LIMIT:
            _folded_cache.clear()
        if text.isascii():  # nothing to fold (a flag Python keeps: no scan)
            lowered = text.lower()
        else:
            lowered = (text.translate(_FOLD) if _FOLDED_CHARACTER.search(text) else text).lower()
        words = frozenset(_ASCII_WORD.findall(lowered))
        found = _folded_cache[text] = Folded(lowered, words, _has_digit(lowered))
    return found


def _has_digit(text: str) -> bool:
    global _REGEX_DIGIT
    if _RE_DIGIT.search(text):
        return True
    if text.isascii():
        return False
    if _REGEX_DIGIT is None:
        import regex

        _REGEX_DIGIT = regex.compile(r"\d")
    return _REGEX_DIGIT.search(text) is not None


class Prefilter:
    """Any match contains one of `words` as a whole word, one of `substrings`, or (with
    `digit`) a digit; and, with `also`, what that second prefilter asks too (what a pattern's
    look-behind must find: literals.required_around)."""

    def __init__(self, words: frozenset[str], substrings: tuple[str, ...], digit: bool,
                 also: Prefilter | None = None) -> None:
        self.words = words
        self.substrings = substrings
        self.digit = digit
        self.also = also

    def may_match(self, text: str) -> bool:
        form = _folded_cache.get(text) or folded(text)
        if self.words.isdisjoint(form.words) and not (self.digit and form.has_digit):
            lowered = form.text
            for substring in self.substrings:
                if substring in lowered:
                    break
            else:
                return False
        return self.also is None or self.also.may_match(text)

    def __repr__(self) -> str:
        also = f", also={self.also!r}" if self.also is not None else ""
        return f"Prefilter(words={sorted(self.words)}, substrings={list(self.substrings)}, digit={self.digit}{also})"


class Screen:
    """Which of several patterns may match a text, decided together from its folded words
    (patterns without a `prefilter` attribute, or with None, always may). The prefilters are
    worked out on first use, so loading packs that lint nothing stays cheap.

    With `groups` (the group of each pattern, numbered from 0: the cue a part belongs to),
    `grouped` also says which groups have a pattern that may match, from the same look at the
    text: each pattern's bit comes with its group's bit, above the patterns' bits."""

    def __init__(self, patterns: list, groups: list[int] | None = None) -> None:
        self.patterns = patterns
        self.groups = groups
        self._tables: tuple | None = None

    def _build(self) -> tuple:
        always = 0  # bit i: pattern i (and, with groups, bit len(patterns) + g: group g)
        first, second = _Clauses(), _Clauses()
        # patterns whose prefilter has a second condition: (their bit, their group's bit), the
        # group's set only once both conditions hold
        both: list[tuple[int, int]] = []
        for index, pattern in enumerate(self.patterns):
            bit = group = 1 << index
            if self.groups is not None:
                group = 1 << (len(self.patterns) + self.groups[index])
            prefilter = getattr(pattern, "prefilter", None)
            if prefilter is None:
                always |= bit | group
            elif prefilter.also is None:
                first.add(prefilter, bit | group)
            else:
                first.add(prefilter, bit)
                second.add(prefilter.also, bit)
                both.append((bit, group if group != bit else 0))
        return always, first.tables(), second.tables() if both else None, both

    def mask(self, text: str) -> int:
        if self._tables is None:
            self._tables = self._build()
        always, first, second, both = self._tables
        form = _folded_cache.get(text) or folded(text)
        mask = always | _Clauses.mask(first, form)
        if second is not None:
            found = _Clauses.mask(second, form)
            for bit, group in both:
                if mask & bit:
                    mask = mask | group if found & bit else mask ^ bit
        return mask

    def grouped(self, text: str) -> tuple[int, int]:
        """(the patterns that may match `text`, the groups that have one), as bits."""
        mask = self.mask(text)
        count = len(self.patterns)
        return mask & ((1 << count) - 1), mask >> count

    def select(self, items: list, text: str) -> list:
        """The items (one per pattern, in the same order) whose pattern may match `text`."""
        if len(items) != len(self.patterns):
            raise ValueError("one item per screened pattern")
        mask = self.mask(text)
        return [item for index, item in enumerate(items) if mask >> index & 1]


class _Clauses:
    """One condition of many prefilters, as tables a text is looked up in once: which bits
    its words, its digits and its substrings give."""

    def __init__(self) -> None:
        self.digit = 0
        self.by_word: dict[str, int] = {}
        self.substrings: list[tuple[str, int]] = []

    def add(self, prefilter: Prefilter, bit: int) -> None:
        for word in prefilter.words:
            self.by_word[word] = self.by_word.get(word, 0) | bit
        if prefilter.digit:
            self.digit |= bit
        self.substrings.extend((substring, bit) for substring in _minimal(prefilter.substrings))

    def tables(self) -> tuple:
        return self.digit, self.by_word, frozenset(self.by_word), _SubstringFinder.build(self.substrings)

    @staticmethod
    def mask(tables: tuple, form: Folded) -> int:
        digit, by_word, words, substrings = tables
        mask = 0
        for word in words.intersection(form.words):
            mask |= by_word[word]
        if digit and form.has_digit:
            mask |= digit
        if substrings is not None:
            mask |= substrings.bits(form.text)
        return mask


class _SubstringFinder:
    """Which of many substrings occur in a text, in one scan: a regex that tries, at every
    position, a trie of the substrings (greedy, so it finds the longest one starting there).
    Every other substring starting at that position is a prefix of the one found, so each
    substring is credited with the bits of all its prefixes in the list: the result is the
    union of the bits of every substring the text contains, as testing each one would give."""

    def __init__(self, pattern: re.Pattern, bits: dict[str, int]) -> None:
        self.pattern = pattern
        self.credit = bits

    @classmethod
    def build(cls, substrings: list[tuple[str, int]]) -> "_SubstringFinder | None":
        if not substrings:
            return None
        own: dict[str, int] = {}
        for substring, bit in substrings:
            own[substring] = own.get(substring, 0) | bit
        credit = {}
        for substring in own:
            credit[substring] = 0
            for end in range(len(substring) + 1):
                credit[substring] |= own.get(substring[:end], 0)
        return cls(re.compile("(?=(" + _trie(sorted(own)) + "))", re.DOTALL), credit)

    def bits(self, lowered: str) -> int:
        mask = 0
        credit = self.credit
        for found in self.pattern.findall(lowered):
            mask |= credit[found]
        return mask


def _trie(words: list[str]) -> str:
    """A regex source matching any of `words` (non-empty), the longest first at a position."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _minimal(substrings) -> list[str]:
    """The substrings that contain none of the others: a text has one of `substrings` exactly
    when it has one of these ("ask" makes "asks" and "dask" redundant)."""
    ordered = sorted(set(substrings), key=len)
    kept: list[str] = []
    for substring in ordered:
        if not any(shorter in substring for shorter in kept):
            kept.append(substring)
    return sorted(kept)


@lru_cache(maxsize=None)
def for_pattern(source: str) -> Prefilter | None:
    """A prefilter for `source` (compiled case-insensitively or not), or None: what any match
    must contain, and what its look-behind or look-ahead must find (either alone, or both)."""
    # literals.required and required_around, remembered between runs
    own = _from_atoms(packfacts.required(source))
    around = _from_atoms(packfacts.required_around(source))
    if own is None or around is None:
        return own or around
    own.also = around
    return own


def _from_atoms(atoms: tuple[set[str], set[str]] | None) -> Prefilter | None:
    if atoms is None:
        return None
    words, substrings = atoms
    return Prefilter(frozenset(words - {DIGIT}), tuple(sorted(substrings)), DIGIT in words)


def either(prefilters: list[Prefilter | None]) -> Prefilter | None:
    """A prefilter for "(?:a)|(?:b)|...", from those of a, b, ... (None if one has none).
    Their second conditions (`also`) are left out: a weaker condition, still a necessary one."""
    if not prefilters or any(p is None for p in prefilters):
        return None
    words = frozenset().union(*(p.words for p in prefilters))
    substrings = tuple(sorted(set().union(*(p.substrings for p in prefilters))))
    return Prefilter(words, substrings, any(p.digit for p in prefilters))


class FilteredPattern:
    """A `re` pattern, compiled on first use, whose searches skip texts its prefilter rules out
    (loading a pack compiles nothing: a run served by the result cache never needs it). A
    case-insensitive plain phrase list (`claims.phrase_pattern`, or a context cue list) is
    matched without the engine, as `regexes.BoundedPattern` does (claimlint.phrasematch): with
    a hundred phrases `re` tries every one at every position of the sentence."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self.pattern = source
        self.flags = flags
        # ASCII word boundaries would let a letter such as "é" bound a word: no prefilter then
        self._unicode = not flags & (re.ASCII | re.LOCALE)
        self._prefilter: Prefilter | None | bool = False  # False: not worked out yet
        self._phrases = False  # a phrasematch.PhraseList, or None; False: not worked out yet

    @cached_property
    def compiled(self) -> re.Pattern:
        return re.compile(self.pattern, self.flags)

    @property
    def prefilter(self) -> Prefilter | None:
        if self._prefilter is False:  # worked out on first use
            self._prefilter = for_pattern(self.pattern) if self._unicode else None
        return self._prefilter

    def _cannot_match(self, text: str) -> bool:
        prefilter = self.prefilter
        return prefilter is not None and not prefilter.may_match(text)

    def _phrase_matches(self, text: str) -> list | None:
        """Every match in `text` when the pattern is a phrase list, else None (also for a
        text that needs the engine)."""
        phrases = self._phrases
        if phrases is False:
            from claimlint.phrasematch import PhraseList

            phrases = self._phrases = PhraseList.parse(self.pattern, "re") if self.flags == re.IGNORECASE else None
        return phrases.finditer(text) if phrases is not None else None

    def search(self, text: str):
        if self._cannot_match(text):
            return None
        found = self._phrase_matches(text)
        if found is not None:
            return found[0] if found else None
        return self.compiled.search(text)

    def finditer(self, text: str):
        if self._cannot_match(text):
            return iter(())
        found = self._phrase_matches(text)
        return iter(found) if found is not None else self.compiled.finditer(text)

    def match(self, text: str):
        if self._cannot_match(text):
            return None
        found = self._phrase_matches(text)
        if found is not None:  # the leftmost match, if it starts the text, is the one `match` finds
            return found[0] if found and found[0].start() == 0 else None
        return self.compiled.match(text)

    def sub(self, replacement: str, text: str) -> str:
        return text if self._cannot_match(text) else self.compiled.sub(replacement, text)
