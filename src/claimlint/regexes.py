"""Regular expressions written in rule packs, with a bounded run time.

A pack's pattern can backtrack catastrophically on a long sentence ("(a|aa)+$"). Patterns are
compiled with the `regex` package and every search gets a time limit (kept by
claimlint.searchlimit: `regex`'s own timeout= costs two clock system calls per search); a
pattern that runs past it raises RegexTimeout naming the rule, and that file is reported
instead of hanging the run.

Speed comes from not searching, not from another engine. Most searches are skipped by the
pattern's prefilter (claimlint.prefilter), and a plain phrase list is matched without any
engine (claimlint.phrasematch). Shipped patterns are not moved to the standard library's `re`:
measured on the cue patterns, `re` is up to 7x slower on long phrase alternations and only
~2 us a search faster on the rest (then the cost of timeout=, which searchlimit now avoids
for both); not worth a second code path, nor trusting hand-checked patterns against
backtracking with no time limit on text we do not control.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimlint import packfacts, searchlimit
from claimlint.prefilter import Prefilter, Screen, either, for_pattern

if TYPE_CHECKING:
    from claimlint.phrasematch import PhraseList

TIME_LIMIT = 1.0  # seconds of CPU time for one search over one sentence (see claimlint.searchlimit)
# alternatives of one pattern searched one by one; more: the whole (it was 8 while every search
# also paid for two clock reads; see claimlint.searchlimit)
_MAX_SEPARATE = 64


class RegexTimeout(Exception):
    pass


def _compile(source: str):
    """`source` compiled by `regex`, case-insensitively, version 0 (imported here, on first
    use: a run the result cache serves compiles nothing), or read back compiled from an
    earlier run (claimlint.packfacts)."""
    return packfacts.compiled_regex(source, _compile_now)


def _compile_now(source: str):
    import regex

    return regex.compile(source, regex.IGNORECASE | regex.V0)


class _Alternative:
    """One of the patterns `bounded` joined, compiled on first use."""

    __slots__ = ("source", "prefilter", "_compiled")

    def __init__(self, source: str) -> None:
        self.source = source
        self.prefilter = for_pattern(source)
        self._compiled = None

    def compiled(self):
        """The compiled pattern, or for a plain phrase list (a cue's or a rule's `phrases`
        beside its patterns) a _PhraseSearch that finds the same matches without the engine."""
        if self._compiled is None:
            phrases = _phrases_of(self.source)
            self._compiled = _compile(self.source) if phrases is None else _PhraseSearch(phrases, self.source)
        return self._compiled

    def is_phrase_list(self) -> bool:
        return _phrases_of(self.source) is not None


def _phrases_of(source: str) -> "PhraseList | None":
    from claimlint.phrasematch import PhraseList

    return PhraseList.parse(source)


class _PhraseSearch:
    """The `search` and `finditer` of a compiled phrase-list pattern (what searchlimit calls),
    answered by its PhraseList; a text the PhraseList leaves to the engine goes to it."""

    __slots__ = ("phrases", "source", "_compiled")

    def __init__(self, phrases: "PhraseList", source: str) -> None:
        self.phrases = phrases
        self.source = source
        self._compiled = None

    def _engine(self):
        if self._compiled is None:
            self._compiled = _compile(self.source)
        return self._compiled

    def search(self, text: str, pos: int = 0, timeout: float | None = None):
        found = self.phrases.first(text, pos)
        if found is None:
            return self._engine().search(text, pos, timeout=timeout)
        return found[0] if found else None

    def finditer(self, text: str, timeout: float | None = None):
        found = self.phrases.finditer(text)
        return self._engine().finditer(text, timeout=timeout) if found is None else iter(found)


class BoundedPattern:
    """The part of `re.Pattern` the kinds use (search, finditer), with a time limit."""

    def __init__(self, source: str, owner: str, alternatives: list[str] | None = None) -> None:
        self.pattern = source
        self.owner = owner  # the rule id, for messages
        # Compiled on first use, not when the pack loads: a run whose files are all served by
        # the cache, or that never needs the whole pattern, does not pay for it.
        self._compiled = None
        self._phrases: "PhraseList | None | bool" = False  # False: not worked out yet
        # `source` is "(?:a)|(?:b)|..." of these (see _compiled_for); worked out on first use
        self._sources = alternatives if alternatives and len(alternatives) > 1 else None
        self._split: tuple[list[_Alternative], Screen] | None | bool = False
        self._prefilter: Prefilter | None | bool = False  # False: not worked out yet
        self._plans: dict[int, list] = {}  # possible -> _compiled_for(possible), as it is asked per search

    def _whole(self):
        if self._compiled is None:
            self._compiled = _compile(self.pattern)
        return self._compiled

    def _phrase_list(self) -> PhraseList | None:
        if self._phrases is False:
            from claimlint.phrasematch import PhraseList

            self._phrases = PhraseList.parse(self.pattern)  # a plain phrase list needs no regex engine
        return self._phrases

    @property
    def prefilter(self) -> Prefilter | None:
        """What a text needs for this pattern to match it (claimlint.prefilter), or None."""
        if self._prefilter is False:
            split = self._alternatives()
            if split is None:
                self._prefilter = for_pattern(self.pattern)
            else:
                self._prefilter = either([alternative.prefilter for alternative in split[0]])
        return self._prefilter

    def _alternatives(self) -> tuple[list[_Alternative], Screen] | None:
        if self._split is False:
            sources = self._sources
            if sources is not None and packfacts.independent(sources):
                alternatives = [_Alternative(source) for source in sources]
                self._split = (alternatives, Screen(alternatives))
            else:
                self._split = None
        return self._split

    def parts(self) -> list:
        """What a Screen over many patterns screens for this one (its alternatives, when the
        pattern was split, else itself), so that one look at a text serves them all: what
        that Screen's mask has for these parts is what `search` and `finditer` take as
        `possible` (bit i: part i may match)."""
        split = self._alternatives()
        return split[0] if split is not None else [self]

    def _possible(self, text: str, possible: int | None) -> int:
        """Which parts (see `parts`) may match `text`, as bits; 0: none can. `possible`: what
        a Screen over many patterns found for these parts; None: worked out here."""
        split = self._alternatives()
        if possible is not None:
            return possible
        if split is not None:
            return split[1].mask(text)
        prefilter = self.prefilter
        return 0 if prefilter is not None and not prefilter.may_match(text) else 1

    def _compiled_for(self, possible: int) -> list:
        """The compiled patterns to search for the parts in `possible`: the alternatives that
        may match, each searched alone, which finds exactly what the whole finds (see
        `_leftmost`), faster, as the whole tries every alternative at every position; or the
        whole, when it was not split or when all (without a phrase list among them) or many
        of its alternatives may match. Compiling is the dear part: a pattern that is one
        phrase list never asks for this."""
        split = self._split
        if split is None or possible.bit_count() > _MAX_SEPARATE:
            return [self._whole()]
        # all may match: the whole, unless one of them is a phrase list, which the engine
        # would try phrase by phrase at every position
        if possible == (1 << len(split[0])) - 1 and not any(a.is_phrase_list() for a in split[0]):
            return [self._whole()]
        alternatives = split[0]
        found = []
        while possible:
            lowest = possible & -possible
            found.append(alternatives[lowest.bit_length() - 1].compiled())
            possible ^= lowest
        return found

    def _plan(self, possible: int) -> list:
        self._alternatives()  # a `possible` from a Screen over `parts` has worked this out; one given by hand may not
        patterns = self._plans[possible] = self._compiled_for(possible)
        return patterns

    def _timeout(self) -> RegexTimeout:
        return RegexTimeout(
            f"rule {self.owner}: a regular expression ran longer than {TIME_LIMIT:g}s on one"
            " sentence (catastrophic backtracking?); simplify it"
        )

    def search(self, text: str, possible: int | None = None):
        if possible is None:
            possible = self._possible(text, None)
        if not possible:
            return None
        phrases = self._phrases
        if phrases is False:
            phrases = self._phrase_list()
        if phrases is not None:
            found = phrases.finditer(text)
            if found is not None:
                return found[0] if found else None
        patterns = self._plans.get(possible) or self._plan(possible)
        try:
            if len(patterns) == 1:
                return searchlimit.search(patterns[0], text, 0, TIME_LIMIT)
            return _leftmost(patterns, text)
        except TimeoutError:
            raise self._timeout() from None

    def finditer(self, text: str, possible: int | None = None):
        if possible is None:
            possible = self._possible(text, None)
        if not possible:
            return []
        phrases = self._phrases
        if phrases is False:
            phrases = self._phrase_list()
        if phrases is not None:
            found = phrases.finditer(text)
            if found is not None:
                return found
        patterns = self._plans.get(possible) or self._plan(possible)
        try:
            if len(patterns) > 1:
                found = _merged(patterns, text)
                if found is not None:
                    return found
                patterns = [self._whole()]  # an empty match: let the whole pattern step past it
            return searchlimit.find_all(patterns[0], text, TIME_LIMIT)
        except TimeoutError:
            raise self._timeout() from None

    def match(self, text: str):
        try:
            return self._whole().match(text, timeout=TIME_LIMIT)
        except TimeoutError:
            raise self._timeout() from None


def _leftmost(patterns: list, text: str):
    """The match "(?:a)|(?:b)|..." finds in `text`, from searching a, b, ... alone
    (alternatives that match alone as they do joined: `literals.independent`): the joined
    pattern tries each alternative in order at each position, so it finds the leftmost
    match of any of them, and at a tie the first alternative's."""
    best = None
    for pattern in patterns:
        match = searchlimit.search(pattern, text, 0, TIME_LIMIT)
        if match is not None and (best is None or match.start() < best.start()):
            best = match
    return best


def _merged(patterns: list, text: str) -> list | None:
    """What "(?:a)|(?:b)|..." finditer finds in `text`, from searching a, b, ... alone: each
    next match is `_leftmost` from the end of the one before. An alternative's next match
    found earlier stays its next one while it starts at or after that end. None when a match
    is empty (how the joined pattern steps past one is left to it)."""
    upcoming = [searchlimit.search(pattern, text, 0, TIME_LIMIT) for pattern in patterns]
    found = []
    pos = 0
    while True:
        best = None
        for index, match in enumerate(upcoming):
            if match is not None and match.start() < pos:
                match = upcoming[index] = searchlimit.search(patterns[index], text, pos, TIME_LIMIT)
            if match is not None and (best is None or match.start() < best.start()):
                best = match
        if best is None:
            return found
        if best.end() == best.start():
            return None
        found.append(best)
        pos = best.end()


def check_syntax(source: str) -> str | None:
    """None if `source` compiles, else the error message. A pattern known to compile from an
    earlier run (claimlint.packfacts) is not compiled again: most are never searched."""
    return packfacts.compiles(source, _compile_error)


def _compile_error(source: str) -> str | None:
    """Compiled with the flags it runs with, so that searching it alone later reuses this
    compilation (the `regex` module's cache): case-insensitivity does not change what is valid
    syntax."""
    import regex

    try:
        _compile(source)
    except (regex.error, ValueError, TypeError, OverflowError, RecursionError) as exc:
        return str(exc)
    return None


def bounded(sources, owner: str) -> BoundedPattern | None:
    """One bounded pattern matching any of `sources` (None for an empty list)."""
    sources = list(sources)
    if not sources:
        return None
    return BoundedPattern("|".join(f"(?:{s})" for s in sources), owner, sources)
