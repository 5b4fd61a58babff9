"""Matching a plain phrase list without the regex engine.

`claims.phrase_pattern` turns a word list into one alternation,
`(?<![\\w-])heart\\ disease(?![\\w-])|(?<![\\w-])cancer(?![\\w-])|...`. The `regex` engine
tries every alternative at every position, which made the 300-phrase "health term" cue the
most expensive search of a run, and half of all sentences have a health term. `PhraseList`
gives the same matches (leftmost, first alternative in pattern order, non-overlapping): a
phrase that starts with a word character can only match where a run of [\\w-] starts, and
that run must be the phrase's first run exactly, so only the runs among the sentence's words
are looked at.

Only a pattern that is exactly such an alternation of ASCII phrases gets a `PhraseList`
(`parse` rebuilds the source from what it read and compares). Case-insensitive equality is
equality of the folded text (claimlint.prefilter), whose mapping of non-ASCII letters is the
`regex` engine's own except for the dotless "ı" (an "i" to `re` only): a text with one goes to
the engine. tests/test_prefilter.py checks this against `regex` over every code point.

The same alternation compiled by the standard library's `re` (the `phrase` and
`forbidden-combination` kinds, claimlint.prefilter.FilteredPattern) gets the same service:
`engine="re"` only changes which characters are word characters beside a phrase (`re`'s \\w
is not quite `regex`'s); `re` folds case as the folded text does, "ı" included. So do the cue
lists of the context guards (claimlint.context), whose phrases are also not bounded by an
apostrophe joined to a word: `(?<![\\w-])(?<!\\w')no(?![\\w-])(?!'\\w)` is not found in "don't".
"""

from __future__ import annotations

import re
from functools import lru_cache

import regex

from claimlint.prefilter import folded

_OPEN = r"(?<![\w-])"
_CLOSE = r"(?![\w-])"
# context.py's cue bounds: not beside an apostrophe joined to a word either
_APOSTROPHE_OPEN = _OPEN + r"(?<!\w')"
_APOSTROPHE_CLOSE = _CLOSE + r"(?!'\w)"
# the engine's own \w, as in the pattern
_WORDISH_CHAR = {"regex": regex.compile(r"[\w-]", regex.V0).match, "re": re.compile(r"[\w-]").match}
_WORD_CHAR = {"regex": regex.compile(r"\w", regex.V0).match, "re": re.compile(r"\w").match}
_FIRST_RUN = re.compile(r"[a-z0-9_-]+")
_ASCII_WORD = re.compile(r"[a-z0-9_]+")
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)


class PhraseMatch:
    """The part of a regex match object that callers use."""

    __slots__ = ("string", "_start", "_end")

    def __init__(self, string: str, start: int, end: int) -> None:
        self.string = string
        self._start = start
        self._end = end

    def group(self) -> str:
        return self.string[self._start : self._end]

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def span(self) -> tuple[int, int]:
        return self._start, self._end


class PhraseList:
    def __init__(self, phrases: list[str], engine: str = "regex", apostrophes: bool = False) -> None:
        self._wordish_char = _WORDISH_CHAR[engine]  # the compiled pattern's engine
        self._word_char = _WORD_CHAR[engine]
        self.apostrophes = apostrophes  # bounded as context cues are (see _APOSTROPHE_OPEN)
        # run -> phrases starting with it, in pattern order (the first one that fits wins)
        self.by_first_run: dict[str, list[str]] = {}
        self.runs_by_word: dict[str, list[str]] = {}  # first [a-z0-9_] word of a run -> runs
        for phrase in phrases:
            lowered = phrase.lower()
            run = _FIRST_RUN.match(lowered).group()
            if run not in self.by_first_run:
                self.runs_by_word.setdefault(_ASCII_WORD.match(run).group(), []).append(run)
            self.by_first_run.setdefault(run, []).append(lowered)
        self.words = frozenset(self.runs_by_word)

    @classmethod
    @lru_cache(maxsize=None)
    def parse(cls, source: str, engine: str = "regex") -> PhraseList | None:
        """A PhraseList for a pattern (compiled case-insensitively by `engine`, "regex" or
        "re") that is exactly an alternation of phrases built like `claims.phrase_pattern`
        (optionally in one non-capturing group), or like the cue lists of
        `context._cue_pattern` with every cue bounded on both sides, else None."""
        body = source[3:-1] if source.startswith("(?:") and source.endswith(")") else source
        apostrophes = body.startswith(_APOSTROPHE_OPEN)
        opening, closing = (_APOSTROPHE_OPEN, _APOSTROPHE_CLOSE) if apostrophes else (_OPEN, _CLOSE)
        if not (body.startswith(opening) and body.endswith(closing)):
            return None
        # re.escape escapes "(", so the separator never occurs inside an escaped phrase.
        escaped = body[len(opening) : -len(closing)].split(closing + "|" + opening)
        phrases = [_UNESCAPE.sub(r"\1", e) for e in escaped]
        if "|".join(f"{opening}{re.escape(p)}{closing}" for p in phrases) != body:
            return None
        if not all(p.isascii() and _ASCII_WORD.match(p.lower()) for p in phrases):
            return None
        return cls(phrases, engine, apostrophes)

    def finditer(self, text: str) -> list[PhraseMatch] | None:
        """All matches, or None when this text needs the regex engine."""
        found = self._starts(text)
        if found is None:
            return None
        lowered, starts = found
        matches: list[PhraseMatch] = []
        last_end = 0
        for start, run in starts:
            if start >= last_end:
                match = self._fitting(text, lowered, start, run)
                if match is not None:
                    matches.append(match)
                    last_end = match.end()
        return matches

    def first(self, text: str, pos: int = 0) -> list[PhraseMatch] | None:
        """[the match `search(text, pos)` finds] ([] if none), or None when this text needs
        the regex engine: the leftmost from `pos` on (what comes before `pos` still bounds a
        phrase, as it does for the engine's look-behind)."""
        found = self._starts(text)
        if found is None:
            return None
        lowered, starts = found
        for start, run in starts:
            if start >= pos:
                match = self._fitting(text, lowered, start, run)
                if match is not None:
                    return [match]
        return []

    def _fitting(self, text: str, lowered: str, start: int, run: str) -> PhraseMatch | None:
        """The match of the first phrase (in pattern order) that fits at `start`, if any."""
        wordish = self._wordish
        for phrase in self.by_first_run[run]:
            stop = start + len(phrase)
            if (lowered.startswith(phrase, start) and not wordish(text, stop)
                    and not self._joined_after(text, stop)):
                return PhraseMatch(text, start, stop)
        return None

    def _starts(self, text: str) -> tuple[str, list[tuple[int, str]]] | None:
        """The folded text and, in order, where a [\\w-] run equal to a phrase's first run
        starts, with that run; None when this text needs the regex engine."""
        form = folded(text)
        lowered = form.text
        if len(lowered) != len(text) or "\u0131" in text:  # "ı" is an "i" to `re` only
            return None
        wordish = self._wordish
        starts: list[tuple[int, str]] = []  # where a [\w-] run equal to a phrase's first run starts
        for word in self.words & form.words:
            for run in self.runs_by_word[word]:
                at = lowered.find(run)
                while at >= 0:
                    end = at + len(run)
                    if not (wordish(text, at - 1) or wordish(text, end) or self._joined_before(text, at)):
                        starts.append((at, run))
                    at = lowered.find(run, end)
        starts.sort()
        return lowered, starts

    def _joined_before(self, text: str, index: int) -> bool:
        """With `apostrophes`: does text[index] follow a word character and an apostrophe?"""
        return (self.apostrophes and index >= 2 and text[index - 1] == "'"
                and self._word_char(text, index - 2) is not None)

    def _joined_after(self, text: str, index: int) -> bool:
        """With `apostrophes`: is text[index] an apostrophe before a word character?"""
        return (self.apostrophes and index + 1 < len(text) and text[index] == "'"
                and self._word_char(text, index + 1) is not None)

    def _wordish(self, text: str, index: int) -> bool:
        """Is text[index] a [\\w-] character, as the pattern's engine sees it? (False outside.)"""
        return 0 <= index < len(text) and self._wordish_char(text, index) is not None
