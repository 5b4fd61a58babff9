"""Matching words in sentences, shared by the `phrase` and `pattern` kinds.

A `MatchRule` holds one compiled regex, exceptions (spans that are another sense of the word,
"cure rate"), the context guards that let a match pass (`unless`), and suggestions.
"""

from __future__ import annotations

import re
from typing import Iterator

from claimlint.findings import Analysis, Finding, finding_at, format_message


def may_match(pattern, sentences: list, masked: bool = True) -> list:
    """The sentences whose text (`masked` or not) `pattern` may match, by its prefilter (all of
    them when it has none): most rules match almost no sentence of a document."""
    prefilter = getattr(pattern, "prefilter", None)
    if prefilter is None:
        return sentences
    if masked:
        return [s for s in sentences if prefilter.may_match(s.masked)]
    return [s for s in sentences if prefilter.may_match(s.text)]


def unguarded_matches(regex, exceptions, unless: tuple[str, ...], analysis: Analysis, sentence):
    """Matches of `regex` in a sentence that are not inside an exception and that none of the
    `unless` context guards lets pass."""
    text = sentence.masked
    excepted = None  # found on the first match: most sentences have none
    for match in regex.finditer(text):
        start, end = match.span()
        if start == end:
            continue
        if excepted is None:
            excepted = [m.span() for m in exceptions.finditer(text)] if exceptions else []
        if any(s < end and start < e for s, e in excepted):
            continue
        if analysis.guards.reason(text, start, end, unless, cited=sentence.cited):
            continue
        yield match


class MatchRule:
    def __init__(self, definition, regex: re.Pattern, exceptions: re.Pattern | None,
                 unless: tuple[str, ...], suggest: tuple[str, ...]) -> None:
        self.definition = definition
        self.regex = regex
        self.exceptions = exceptions
        self.unless = unless
        self.suggest = suggest

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for sentence in may_match(self.regex, analysis.sentences):
            for match in unguarded_matches(self.regex, self.exceptions, self.unless, analysis, sentence):
                start, end = match.span()
                phrase = match.group()
                reasons = [f"'{phrase}' matched"]
                if self.unless:
                    reasons.append(f"none of its guards applied ({', '.join(self.unless)})")
                yield finding_at(
                    analysis,
                    self.definition,
                    sentence.block,
                    sentence.start + start,
                    sentence.start + end,
                    message=format_message(self.definition.message, match=phrase),
                    sentence=sentence.text,
                    reasons=reasons,
                    suggestions=list(self.suggest),
                )
