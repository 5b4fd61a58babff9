"""Matching words in sentences, shared by the `phrase` and `pattern` kinds.

A `MatchRule` holds one compiled regex, exceptions (spans that are another sense of the word,
"cure rate"), the context guards that let a match pass (`unless`), and suggestions.
"""

from __future__ import annotations

import re
from typing import Iterator

from claimlint.findings import Analysis, Finding, finding_at, format_message


class MatchRule:
    def __init__(self, definition, regex: re.Pattern, exceptions: re.Pattern | None,
                 unless: tuple[str, ...], suggest: tuple[str, ...]) -> None:
        self.definition = definition
        self.regex = regex
        self.exceptions = exceptions
        self.unless = unless
        self.suggest = suggest

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for sentence in analysis.sentences:
            text = sentence.masked
            excepted = [m.span() for m in self.exceptions.finditer(text)] if self.exceptions else []
            for match in self.regex.finditer(text):
                start, end = match.span()
                if start == end or any(s < end and start < e for s, e in excepted):
                    continue
                guard = analysis.guards.reason(text, start, end, self.unless, cited=sentence.cited)
                if guard:
                    continue
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
