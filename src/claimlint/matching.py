"""Matching words in sentences, shared by the `phrase` and `pattern` kinds.

A `MatchRule` holds one compiled regex, exceptions (spans that are another sense of the word,
"cure rate"), the context guards that let a match pass (`unless`), and suggestions.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterator

from claimlint.document import BlockKind
from claimlint.findings import Analysis, Finding, finding_at, format_message
from claimlint.prefilter import folded


def may_match(pattern, analysis: Analysis, masked: bool = True) -> list:
    """The sentences whose text (`masked` or not) `pattern` may match by its prefilter, in
    order (all of them when it has none): most rules match almost no sentence of a document.
    Exactly the sentences for which `pattern.prefilter.may_match(text)` holds, answered from
    the document's folded words (one _WordIndex per document and form, shared by every rule)."""
    sentences = analysis.sentences
    prefilter = getattr(pattern, "prefilter", None)
    if prefilter is None:
        return sentences
    index = analysis.word_index.get(masked)
    if index is None:
        index = analysis.word_index[masked] = _WordIndex(sentences, masked)
    return [sentences[position] for position in index.positions(prefilter)]


class _WordIndex:
    """Per document: the sentences' folded forms (see prefilter), and which sentences have a
    given word, worked out for a word when a prefilter first asks for it. A document has
    hundreds of different words and the rules ask for a few dozen: indexing every word of
    every sentence cost more than all the questions."""

    def __init__(self, sentences: list, masked: bool) -> None:
        self.forms = [folded(sentence.masked if masked else sentence.text) for sentence in sentences]
        # a frozenset, so that intersecting with a prefilter's words walks the smaller of the two
        self.words = frozenset().union(*(form.words for form in self.forms))
        self._by_word: dict[str, list[int]] = {}
        self._with_digit: list[int] | None = None
        self._joined: str | None = None  # every folded sentence, one a line
        self._starts: list[int] = []  # where each folded sentence starts in _joined

    def positions(self, prefilter) -> list[int]:
        """Positions, in order, of the sentences `prefilter` may match."""
        hits: set[int] = set()
        asked = prefilter.words & self.words
        if asked:
            by_word = self._by_word
            missing = asked.difference(by_word)
            if missing:
                self._index(missing)
            for word in asked:
                hits.update(by_word[word])
        if prefilter.digit:
            if self._with_digit is None:
                self._with_digit = [i for i, form in enumerate(self.forms) if form.has_digit]
            hits.update(self._with_digit)
        for substring in prefilter.substrings:
            hits.update(self._containing(substring))
        if prefilter.also is not None and hits:
            hits.intersection_update(self.positions(prefilter.also))
        return sorted(hits)

    def _index(self, words: set[str]) -> None:
        """Which sentences have each of `words`: one pass over the sentences for all of them."""
        found: dict[str, list[int]] = {word: [] for word in words}
        for position, form in enumerate(self.forms):
            for word in form.words.intersection(words):
                found[word].append(position)
        self._by_word.update(found)

    def _containing(self, substring: str) -> list[int]:
        """Positions of the sentences whose folded text contains `substring`, found in the
        sentences joined one a line: a sentence has it when an occurrence lies inside it (one
        across a line break belongs to no sentence; the search goes on after it)."""
        if not self.forms:
            return []
        if self._joined is None:
            texts = [form.text for form in self.forms]
            self._joined = "\n".join(texts)
            start = 0
            for text in texts:
                self._starts.append(start)
                start += len(text) + 1
        joined, starts, forms = self._joined, self._starts, self.forms
        found: list[int] = []
        at = joined.find(substring)
        while at >= 0:
            position = bisect_right(starts, at) - 1
            sentence_end = starts[position] + len(forms[position].text)
            if at + len(substring) <= sentence_end:
                found.append(position)
                if position + 1 >= len(starts):
                    break
                at = joined.find(substring, starts[position + 1])
            else:
                at = joined.find(substring, at + 1)
        return found


def unguarded_matches(regex, exceptions, unless: tuple[str, ...], analysis: Analysis, sentence):
    """Matches of `regex` in a sentence that are not inside an exception and that none of the
    `unless` context guards lets pass. A list item that finishes a lead-in sentence is guarded
    as the one sentence they make: "Some websites claim that turmeric can:" then "- cure
    arthritis" is a reported claim."""
    text = sentence.masked
    if "negated" in unless and _rebutted(analysis, sentence):
        return
    excepted = None  # found on the first match: most sentences have none
    lead = False  # worked out on the first match the sentence's own guards do not let pass
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
        if lead is False:
            lead = _lead_in(analysis, sentence)
        if lead is not None:
            prefix = lead.masked.rstrip()[:-1].rstrip() + " "
            shift = len(prefix)
            if analysis.guards.reason(prefix + text, shift + start, shift + end, unless,
                                      cited=sentence.cited or lead.cited):
                continue
        yield match


def _lead_in(analysis: Analysis, sentence):
    """The sentence ending in ':' that the list item opening with `sentence` finishes, or the
    paragraph right after it (a list flattened into paragraphs: "Treatments can:" then "Cure
    the anemia."), if any."""
    sentences = analysis.sentences
    position = sentence.index - 1
    kind = sentence.block.kind
    if kind not in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH) or position < 0 or sentences[position].block is sentence.block:
        return None
    if kind == BlockKind.LIST_ITEM:
        while position >= 0 and sentences[position].block.kind == BlockKind.LIST_ITEM:
            position -= 1  # the items before this one
    if position < 0 or not sentences[position].masked.rstrip().endswith(":"):
        return None
    return sentences[position]


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
