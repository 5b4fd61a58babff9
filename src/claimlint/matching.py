"""Matching words in sentences, shared by the `phrase` and `pattern` kinds.

A `MatchRule` holds one compiled regex, exceptions (spans that are another sense of the word,
"cure rate"), the context guards that let a match pass (`unless`), and suggestions.
"""

from __future__ import annotations

import re
from typing import Iterator

from claimlint.findings import Analysis, Finding, finding_at, format_message
from claimlint.prefilter import folded


def may_match(pattern, analysis: Analysis, masked: bool = True) -> list:
    """The sentences whose text (`masked` or not) `pattern` may match by its prefilter, in
    order (all of them when it has none): most rules match almost no sentence of a document.
    Exactly the sentences for which `pattern.prefilter.may_match(text)` holds. The first
    question about a document asks each sentence; from the second on, an index of the
    document's folded words, built once, answers for all rules (a dozen ask about the masked
    texts, usually one about the plain ones: an index for one question costs ten times more)."""
    sentences = analysis.sentences
    prefilter = getattr(pattern, "prefilter", None)
    if prefilter is None:
        return sentences
    index = analysis.word_index.get(masked)
    if index is None:
        analysis.word_index[masked] = _ONE_QUESTION_ASKED
        return [s for s in sentences if prefilter.may_match(s.masked if masked else s.text)]
    if index is _ONE_QUESTION_ASKED:
        index = analysis.word_index[masked] = _WordIndex(sentences, masked)
    hits: set[int] = set()
    by_word = index.by_word
    for word in prefilter.words & index.words:
        hits.update(by_word[word])
    if prefilter.digit:
        hits.update(index.with_digit)
    if prefilter.substrings:
        for position, lowered in enumerate(index.lowered):
            if position not in hits and any(substring in lowered for substring in prefilter.substrings):
                hits.add(position)
    return [sentences[position] for position in sorted(hits)]


_ONE_QUESTION_ASKED = object()


class _WordIndex:
    """Per document: folded word -> positions of the sentences that have it (see prefilter)."""

    def __init__(self, sentences: list, masked: bool) -> None:
        self.by_word: dict[str, list[int]] = {}
        self.with_digit: list[int] = []
        self.lowered: list[str] = []
        for position, sentence in enumerate(sentences):
            form = folded(sentence.masked if masked else sentence.text)
            for word in form.words:
                self.by_word.setdefault(word, []).append(position)
            if form.has_digit:
                self.with_digit.append(position)
            self.lowered.append(form.text)
        # a frozenset, so that intersecting with a prefilter's words walks the smaller of the
        # two (intersecting with the dict would walk every word of the document)
        self.words = frozenset(self.by_word)


def unguarded_matches(regex, exceptions, unless: tuple[str, ...], analysis: Analysis, sentence):
    """Matches of `regex` in a sentence that are not inside an exception and that none of the
    `unless` context guards lets pass."""
    text = sentence.masked
    if "negated" in unless and _rebutted(analysis, sentence):
        return
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


def _rebutted(analysis: Analysis, sentence) -> bool:
    following = sentence.index + 1
    if following >= len(analysis.sentences) or analysis.sentences[following].block is not sentence.block:
        return False
    return analysis.guards.rebuts(analysis.sentences[following].masked)


class MatchRule:
    def __init__(self, definition, regex: re.Pattern, exceptions: re.Pattern | None,
                 unless: tuple[str, ...], suggest: tuple[str, ...]) -> None:
        self.definition = definition
        self.regex = regex
        self.exceptions = exceptions
        self.unless = unless
        self.suggest = suggest

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for sentence in may_match(self.regex, analysis):
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
