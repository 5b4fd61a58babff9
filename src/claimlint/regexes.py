"""Regular expressions written in rule packs, with a bounded run time.

A pack's pattern can backtrack catastrophically on a long sentence ("(a|aa)+$"). Patterns are
compiled with the `regex` package and every search gets a time limit; a pattern that runs past
it raises RegexTimeout naming the rule, and that file is reported instead of hanging the run.
"""

from __future__ import annotations

import regex

TIME_LIMIT = 1.0  # seconds for one search over one sentence


class RegexTimeout(Exception):
    pass


class BoundedPattern:
    """The part of `re.Pattern` the kinds use (search, finditer), with a time limit."""

    def __init__(self, source: str, owner: str) -> None:
        self.pattern = source
        self.owner = owner  # the rule id, for messages
        self._compiled = regex.compile(source, regex.IGNORECASE | regex.V0)

    def _timeout(self) -> RegexTimeout:
        return RegexTimeout(
            f"rule {self.owner}: a regular expression ran longer than {TIME_LIMIT:g}s on one"
            " sentence (catastrophic backtracking?); simplify it"
        )

    def search(self, text: str):
        try:
            return self._compiled.search(text, timeout=TIME_LIMIT)
        except TimeoutError:
            raise self._timeout() from None

    def finditer(self, text: str):
        try:
            return list(self._compiled.finditer(text, timeout=TIME_LIMIT))
        except TimeoutError:
            raise self._timeout() from None

    def match(self, text: str):
        try:
            return self._compiled.match(text, timeout=TIME_LIMIT)
        except TimeoutError:
            raise self._timeout() from None


def check_syntax(source: str) -> str | None:
    """None if `source` compiles, else the error message."""
    try:
        regex.compile(source, regex.V0)
    except (regex.error, ValueError, TypeError, OverflowError, RecursionError) as exc:
        return str(exc)
    return None


def bounded(sources, owner: str) -> BoundedPattern | None:
    """One bounded pattern matching any of `sources` (None for an empty list)."""
    sources = list(sources)
    if not sources:
        return None
    return BoundedPattern("|".join(f"(?:{s})" for s in sources), owner)
