"""Context guards: is a matched phrase negated, hedged, hypothetical, mentioned as a word, used
in another sense, questioned or quoted?

ConText-style (Chapman et al.; medspaCy's ConTextRule): a *cue* puts a matched term in a
*category* when it stands in the cue's *direction* from the term, within its *scope* (a number
of words, or the whole clause), and no *terminator* stands between them. Cues come from the
packs' `context` sections (merged over all active packs), so users can see and tune them:

    context:
      rules:
        - {category: negated, direction: backward, cues: ["has not been found"]}
        - {category: other-sense, direction: bidirectional, cues: [surgery, transplant]}
      terminators: [but, however, ";"]

Directions: `forward` (the cue comes before the term: "no cure"), `backward` (after it: "a
cure remains elusive"), `bidirectional`, and `sentence-start` (the cue opens the sentence and
no terminator comes before the term: "No drug has been shown to cure it"). `scope` is in
words; 0 means up to the clause's end. A rule's `pseudo` phrases contain a cue without being
one (ConText's pseudo-triggers: "no surgery" is not a surgical context). The older cue lists
are shorthands for rules:

    negation_before          negated     forward         8 words
    negation_after           negated     backward        6 words (nothing cuts it short)
    negation_sentence_start  negated     sentence-start
    hedge_before             hedged      forward         clause
    mention_before           quoted      forward         4 words ("the word cure")

A term is also `negated` when the next sentence of its paragraph opens with a short rebuttal
(a clause of at most six words starting with a `rebuttal_next_sentence` cue) ("Other clinics will tell you it is a miracle. It
isn't."). A term in quotation marks is `quoted`; one inside a longer double-quoted passage is in a
`quotation` (someone else's words; regulatory packs leave it out, as a quoted testimonial in
an advert is still the advertiser's claim); a sentence ending in '?' is a `question`; a sentence
with a citation marker is `cited`. A list item, or the paragraph right after a paragraph, that
finishes a lead-in ending in ':' is guarded as one sentence with it (matching.unguarded_matches).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimlint.prefilter import FilteredPattern

CATEGORIES = ("negated", "hedged", "hypothetical", "quoted", "other-sense")
GUARDS = ("negated", "question", "quoted", "quotation", "hedged", "hypothetical", "other-sense", "cited")
DIRECTIONS = ("forward", "backward", "bidirectional", "sentence-start")
CUE_LISTS = {  # shorthand list -> (category, direction, scope in words; 0 = clause)
    "negation_before": ("negated", "forward", 8),
    "negation_after": ("negated", "backward", 6),
    "negation_sentence_start": ("negated", "sentence-start", 0),
    "hedge_before": ("hedged", "forward", 0),
    "mention_before": ("quoted", "forward", 4),
}
CONTEXT_KEYS = tuple(CUE_LISTS) + ("rules", "terminators", "rebuttal_next_sentence")
REBUTTAL_MAX_WORDS = 6
_OPEN_QUOTES = "\"'“‘«"
_CLOSE_QUOTES = "\"'”’»"
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class ContextRule:
    category: str
    direction: str
    scope: int  # words; 0 = the whole clause
    pattern: FilteredPattern
    pseudo: FilteredPattern | None = None  # phrases that contain a cue but are not one ("no surgery")

    def found_in(self, window: str) -> bool:
        if self.pseudo is not None:
            window = self.pseudo.sub(" ", window)
        return bool(self.pattern.search(window))


def _cue_pattern(cues: list[str]) -> FilteredPattern | None:
    # longest first, then alphabetical: the same source in every process (packfacts keys on it)
    cues = sorted({c.lower().replace("’", "'") for c in cues if c.strip()}, key=lambda c: (-len(c), c))
    if not cues:
        return None
    from claimlint.prefilter import FilteredPattern  # with the first guard question, not the pack

    body = "|".join(_bounded(c) for c in cues)
    # most windows contain none of the cue words: the prefilter skips those searches
    return FilteredPattern(body, re.IGNORECASE)


def _bounded(cue: str) -> str:
    """A cue as whole words; punctuation cues (",", ";") need no word boundary."""
    # an apostrophe inside a word ("don't") joins it; one opening or closing a quote does not
    before = r"(?<![\w-])(?<!\w')" if cue[0].isalnum() else ""
    after = r"(?![\w-])(?!'\w)" if cue[-1].isalnum() else ""
    return before + re.escape(cue) + after


def context_rules(context: dict) -> list[ContextRule]:
    """The shorthand cue lists and the `rules` of a merged context section, as ContextRules."""
    rules = []
    for name, (category, direction, scope) in CUE_LISTS.items():
        pattern = _cue_pattern(context.get(name, []))
        if pattern is not None:
            rules.append(ContextRule(category, direction, scope, pattern))
    for raw in context.get("rules", []):
        pattern = _cue_pattern(raw["cues"])
        if pattern is not None:
            rules.append(ContextRule(raw["category"], raw["direction"], int(raw.get("scope", 0)), pattern,
                                     _cue_pattern(raw.get("pseudo", []))))
    return rules


class Guards:
    def __init__(self, context: dict) -> None:
        self.context = context  # compiled on first use: a run served by the result cache never needs it

    @cached_property
    def rules(self) -> list[ContextRule]:
        return context_rules(self.context)

    @cached_property
    def _by_category(self) -> dict[str, list[ContextRule]]:
        by_category: dict[str, list[ContextRule]] = {}
        for rule in self.rules:
            by_category.setdefault(rule.category, []).append(rule)
        return by_category

    @cached_property
    def terminators(self) -> FilteredPattern | None:
        return _cue_pattern(self.context.get("terminators", []))

    @cached_property
    def rebuttals(self) -> FilteredPattern | None:
        return _cue_pattern(self.context.get("rebuttal_next_sentence", []))

    def rebuts(self, next_sentence: str) -> bool:
        """Is this next sentence a short rebuttal of the one before ("It isn't.", "Neither is right.")?"""
        text = next_sentence.strip().lstrip(" \"'“‘(*-")
        clause = re.split(r"[,;:—–]", text, maxsplit=1)[0]  # "Neither is right, so let's look at ..."
        if self.rebuttals is None or len(_WORD.findall(clause)) > REBUTTAL_MAX_WORDS:
            return False
        found = self.rebuttals.search(text)
        return found is not None and found.start() == 0

    def reason(self, text: str, start: int, end: int, guards: tuple[str, ...], cited: bool = False) -> str | None:
        """The first guard in `guards` that applies to text[start:end], or None."""
        around = None  # the clauses around the term, worked out once for all the guards
        for guard in guards:
            if guard == "cited":
                if cited:
                    return "cited"
            elif guard == "question":
                if _is_question(text):
                    return "question"
            elif guard == "quoted" and _in_quotes(text, start, end):
                return "quoted"
            elif guard == "quotation":
                if _in_quotation(text, start):
                    return "quotation"
            elif guard in self._by_category:
                around = around or _Around(self, text, start, end)
                if self._applies(guard, around):
                    return guard
        return None

    def _applies(self, category: str, around: "_Around") -> bool:
        for rule in self._by_category[category]:
            if rule.direction == "sentence-start":
                before, whole_sentence = around.before
                if whole_sentence and rule.pattern.match(before.lstrip(" \"'“‘(*-")):
                    return True
                continue
            if rule.direction in ("forward", "bidirectional"):
                window = around.last_words(rule.scope) if rule.scope else around.before[0]
                if rule.found_in(window):
                    return True
            if rule.direction in ("backward", "bidirectional"):
                window = around.first_words(rule.scope) if rule.scope else around.after
                if rule.found_in(window):
                    return True
        return False

    def _clause_before(self, text: str, start: int) -> tuple[str, bool]:
        """The text from the last terminator to the term, and whether that is the whole start
        of the sentence (no terminator before the term)."""
        before = text[:start].replace("’", "'")
        cut = 0
        if self.terminators:
            for match in self.terminators.finditer(before):
                cut = match.end()
        return before[cut:], cut == 0

    def _clause_after(self, text: str, end: int) -> str:
        after = text[end:].replace("’", "'")
        if self.terminators:
            match = self.terminators.search(after)
            if match:
                after = after[: match.start()]
        return after


class _Around:
    """The clause before and after a term, and their words, each worked out on first use
    (plain attributes, not cached_property: Python 3.11's takes a lock on every first use,
    and a guard question makes a new _Around)."""

    __slots__ = ("_guards", "_text", "_start", "_end", "_before", "_after", "_words_before", "_words_after")

    def __init__(self, guards: Guards, text: str, start: int, end: int) -> None:
        self._guards, self._text, self._start, self._end = guards, text, start, end
        self._before = self._after = self._words_before = self._words_after = None

    @property
    def before(self) -> tuple[str, bool]:
        if self._before is None:
            self._before = self._guards._clause_before(self._text, self._start)
        return self._before

    @property
    def after(self) -> str:
        if self._after is None:
            self._after = self._guards._clause_after(self._text, self._end)
        return self._after

    def last_words(self, count: int) -> str:
        if self._words_before is None:
            self._words_before = _WORD.findall(self.before[0])
        return " ".join(self._words_before[-count:])

    def first_words(self, count: int) -> str:
        if self._words_after is None:
            self._words_after = _WORD.findall(self.after)
        return " ".join(self._words_after[:count])


def _in_quotes(text: str, start: int, end: int) -> bool:
    """The term itself is in quotation marks: "the 'miracle' label"."""
    opened = start > 0 and text[start - 1] in _OPEN_QUOTES
    closed = end < len(text) and text[end] in _CLOSE_QUOTES
    return opened and closed


def _in_quotation(text: str, start: int) -> bool:
    """Inside a quotation opened before the term in the sentence and not closed before it
    (someone else's words: "a natural statin with no side effects", says the seller). Only
    double quotes count: a single ’ is usually an apostrophe."""
    before = text[:start]
    curly = before.count("“") - before.count("”")
    return curly > 0 or before.count('"') % 2 == 1 or before.count("«") > before.count("»")


def _is_question(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSE_QUOTES + ")]").endswith("?")
