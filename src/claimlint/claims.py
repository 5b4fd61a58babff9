"""Claim classification: is a sentence a factual health claim that needs a source?

A weighted, explainable score. Each cue (from the `uncited-claim` rule in a pack) is a list of
phrases and/or regular expressions with a weight: positive for what makes a claim (statistics,
study results, causal and efficacy verbs, risk language), negative for what makes a sentence
something else (a question, advice, first-person experience, a disclaimer). A sentence is a
claim when the weights of the cues that fire add up to the threshold. The reasons name each
cue that fired and the words that fired it. A cue with `unless` does not count when one of the
cues it names matches the same sentence ("quoted speech, unless it states a statistic"). A cue
with `unless_context` does not count a match that the packs' ConText rules put in one of those
categories (a causal verb after "if": "If the trial succeeds, the drug could reach patients").

Optional word evidence adds a fitted weight for every different word of the sentence (a linear
model over words, fitted to labelled articles by bench/fit_words.py and kept in the pack): it
catches claims that no hand-written cue describes. Its reason names the words that weighed
most ("word evidence +0.62 ('risk' +0.41, 'women' +0.22, 'percent' +0.19)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimlint.findings import ClaimResult
from claimlint.prefilter import Screen


@dataclass(frozen=True)
class Cue:
    name: str
    label: str
    weight: float
    pattern: object  # re.Pattern or regexes.BoundedPattern: anything with .search / .finditer
    max_count: int = 1  # count up to this many different matching words
    unless: tuple[str, ...] = ()  # names of cues that, when they match too, cancel this one
    unless_context: tuple[str, ...] = ()  # ConText categories in which a match does not count


# Words for word evidence: runs of letters, and numbers (every number is the one token NUMBER).
_WORD = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*|[%£$€]")
NUMBER = "<number>"


def words_of(text: str) -> set[str]:
    """The different words of `text` as word evidence sees them: lowercased, numbers as NUMBER."""
    return {NUMBER if word[0].isdigit() else word for word in _WORD.findall(text.lower())}


@dataclass(frozen=True)
class WordEvidence:
    label: str
    baseline: float  # added to every sentence's evidence: the model's intercept, on the cue scale
    weights: dict[str, float]
    shown: int = 3  # how many of the words that weighed most the reason names
    unnamed: frozenset[str] = frozenset()  # counted, never named ("the", "and")

    def weigh(self, text: str) -> tuple[float, str]:
        """The evidence of `text` and its reason."""
        weights = self.weights
        found = sorted(words_of(text) & weights.keys())  # sorted: the same sum in every process
        evidence = self.baseline + sum([weights[word] for word in found])
        named = [word for word in found if word not in self.unnamed]
        top = sorted(named, key=lambda word: (-abs(weights[word]), word))[: self.shown]
        named = ", ".join([f"'{word}' {weights[word]:+.2f}" for word in top])
        return evidence, f"{self.label} {evidence:+.2f}" + (f" ({named})" if named else "")


def phrase_pattern(phrases: list[str] | tuple[str, ...]) -> str:
    """A regex source matching any phrase as whole words, longest first. Phrases of the same
    length in alphabetical order, so that the source is the same in every process (a set's
    order is not; claimlint.packfacts remembers facts by source): two of them can only both
    match at one place if they differ in case, and then they match the same text."""
    ordered = sorted({p.strip() for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    return "|".join(rf"(?<![\w-]){re.escape(p)}(?![\w-])" for p in ordered)


class ClaimClassifier:
    def __init__(self, cues: list[Cue], threshold: float, skip_blocks: set[str],
                 words: WordEvidence | None = None) -> None:
        self.cues = cues
        self.words = words
        self.threshold = threshold
        self.skip_blocks = skip_blocks
        self._screen: Screen | None = None  # built on first use (it works out prefilters)
        # per cue: (cue, its first bit in the Screen, the mask of its bits, takes `possible`)
        self._slices: list[tuple[Cue, int, int, bool]] = []

    def _screened(self, text: str) -> list[tuple[Cue, int | None]]:
        """The cues that may match `text`, each with the bits of its parts that may (None: a
        pattern that screens itself). One Screen over every cue's parts (a split pattern's
        alternatives) looks at the text once for all of them, instead of once per cue."""
        if self._screen is None:
            parts: list = []
            groups: list[int] = []
            for number, cue in enumerate(self.cues):
                split = hasattr(cue.pattern, "parts")
                own = cue.pattern.parts() if split else [cue.pattern]
                self._slices.append((cue, len(parts), (1 << len(own)) - 1, split))
                parts.extend(own)
                groups.extend([number] * len(own))
            self._screen = Screen(parts, groups)
        mask, cues = self._screen.grouped(text)
        found = []
        while cues:  # only the cues with a part that may match (a few of dozens), in order
            lowest = cues & -cues
            cue, first, bits, split = self._slices[lowest.bit_length() - 1]
            found.append((cue, (mask >> first & bits) if split else None))
            cues ^= lowest
        return found

    def classify(self, text: str, block_kind: str, guards=None) -> ClaimResult:
        """`guards` (context.Guards of the active packs) is what cues with `unless_context` ask."""
        if block_kind in self.skip_blocks:
            return ClaimResult(False, 0.0, [f"{block_kind.replace('_', ' ')}, not prose"])
        score = 0.0
        reasons: list[str] = []
        fired: list[tuple[Cue, list[str]]] = []
        # Most cues cannot match a given sentence: one look at its words rules them out together.
        for cue, possible in self._screened(text):
            found = _found(cue, text, guards, possible)
            if found:
                fired.append((cue, found))
        names = {cue.name for cue, _ in fired}
        for cue, found in fired:
            if cue.unless and names.intersection(cue.unless):
                continue
            score += cue.weight * len(found)
            quoted = ", ".join(f"'{w}'" for w in found if w)
            reasons.append(f"{cue.label} {quoted}" if quoted else cue.label)
        evidence = 0.0
        if self.words is not None:
            evidence, reason = self.words.weigh(text)
            score += evidence
            reasons.append(reason)
        return ClaimResult(score >= self.threshold, round(score, 2), reasons, evidence)


def _found(cue: Cue, text: str, guards, possible: int | None = None) -> list[str]:
    """The words `cue` fires on in `text`: its first match, or up to `max_count` different ones
    (lowercased); with `unless_context`, matches the context rules put there do not count.
    `possible`: which parts of the cue's pattern may match (see BoundedPattern.parts)."""
    pattern = cue.pattern
    args = (text,) if possible is None else (text, possible)
    if cue.unless_context and guards is not None:
        # The first match is the one `search` finds; when the guards let it count, which is
        # usual, a cue that counts once needs no other match (finditer finds them all).
        first = pattern.search(*args)
        if first is None:
            return []
        if cue.max_count == 1 and not guards.reason(text, first.start(), first.end(), cue.unless_context):
            return [" ".join(first.group().split())]
        matches = (m for m in pattern.finditer(*args)
                   if not guards.reason(text, m.start(), m.end(), cue.unless_context))
    elif cue.max_count == 1:
        match = pattern.search(*args)
        matches = (match,) if match else ()
    else:
        matches = pattern.finditer(*args)
    if cue.max_count == 1:
        first = next(iter(matches), None)
        return [" ".join(first.group().split())] if first else []
    return list(dict.fromkeys(" ".join(m.group().split()).lower() for m in matches))[: cue.max_count]
