"""Context guards: is a matched phrase negated, questioned, mentioned as a word or hedged?

A NegEx/ConText-style check. Cue lists come from the packs' `context` sections (merged over all
active packs), so users can see and tune them:

- `negation_before` / `negation_after`: cues that negate a term they precede / follow
  ("there is no cure", "a cure remains elusive"), within SCOPE_WORDS / AFTER_SCOPE_WORDS words;
- `negation_sentence_start`: cues that, opening a sentence, negate its first clause
  ("No drug has been shown to be totally effective");
- `hedge_before`: cues that put a term at a distance ("far too early to call it a cure");
- `mention_before`: cues that mention the term as a word ("the word cure");
- `terminators`: words and punctuation that end a cue's scope ("no pain, but a miracle").

A term in quotation marks is `quoted`; a sentence ending in '?' is a `question`; a sentence
with a citation marker is `cited`.
"""

from __future__ import annotations

import re

GUARDS = ("negated", "question", "quoted", "hedged", "cited")
SCOPE_WORDS = 8  # how far back a negation cue reaches
AFTER_SCOPE_WORDS = 6  # how far forward ("a cure remains elusive"); short, as nothing cuts it
_OPEN_QUOTES = "\"'“‘«"
_CLOSE_QUOTES = "\"'”’»"
_WORD = re.compile(r"[\w'’-]+")


def _cue_pattern(cues: list[str]) -> re.Pattern | None:
    cues = sorted({c.lower().replace("’", "'") for c in cues if c.strip()}, key=len, reverse=True)
    if not cues:
        return None
    body = "|".join(_bounded(c) for c in cues)
    return re.compile(body, re.IGNORECASE)


def _bounded(cue: str) -> str:
    """A cue as whole words; punctuation cues (",", ";") need no word boundary."""
    before = r"(?<![\w'-])" if cue[0].isalnum() else ""
    after = r"(?![\w'-])" if cue[-1].isalnum() else ""
    return before + re.escape(cue) + after


class Guards:
    def __init__(self, context: dict[str, list[str]]) -> None:
        self.negation_before = _cue_pattern(context.get("negation_before", []))
        self.negation_after = _cue_pattern(context.get("negation_after", []))
        self.negation_start = _cue_pattern(context.get("negation_sentence_start", []))
        self.hedge_before = _cue_pattern(context.get("hedge_before", []))
        self.mention_before = _cue_pattern(context.get("mention_before", []))
        self.terminators = _cue_pattern(context.get("terminators", []))

    def reason(self, text: str, start: int, end: int, guards: tuple[str, ...], cited: bool = False) -> str | None:
        """The first guard in `guards` that applies to text[start:end], or None."""
        for guard in guards:
            if guard == "cited" and cited:
                return "cited"
            if guard == "question" and _is_question(text):
                return "question"
            if guard == "quoted" and self._quoted(text, start, end):
                return "quoted"
            if guard == "negated" and self._negated(text, start, end):
                return "negated"
            if guard == "hedged" and self._hedged(text, start):
                return "hedged"
        return None

    def _clause_before(self, text: str, start: int) -> str:
        before = text[:start].replace("’", "'")
        if self.terminators:
            cut = 0
            for match in self.terminators.finditer(before):
                cut = match.end()
            before = before[cut:]
        return before

    def _clause_after(self, text: str, end: int) -> str:
        after = text[end:].replace("’", "'")
        if self.terminators:
            match = self.terminators.search(after)
            if match:
                after = after[: match.start()]
        return after

    def _negated(self, text: str, start: int, end: int) -> bool:
        clause = self._clause_before(text, start)
        if self.negation_start and len(clause) == start:  # no terminator before the term
            opening = self.negation_start.match(clause.lstrip(" \"'“‘(*-"))
            if opening:
                return True
        if self.negation_before:
            before = _last_words(clause, SCOPE_WORDS)
            if self.negation_before.search(before):
                return True
        if self.negation_after:
            after = _first_words(self._clause_after(text, end), AFTER_SCOPE_WORDS)
            if self.negation_after.search(after):
                return True
        return False

    def _hedged(self, text: str, start: int) -> bool:
        before = self._clause_before(text, start)
        return bool(self.hedge_before and self.hedge_before.search(before))

    def _quoted(self, text: str, start: int, end: int) -> bool:
        opened = start > 0 and text[start - 1] in _OPEN_QUOTES
        closed = end < len(text) and text[end] in _CLOSE_QUOTES
        if opened and closed:
            return True
        before = _last_words(self._clause_before(text, start), 4)
        return bool(self.mention_before and self.mention_before.search(before))


def _is_question(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSE_QUOTES + ")]").endswith("?")


def _last_words(text: str, count: int) -> str:
    words = _WORD.findall(text)
    return " ".join(words[-count:])


def _first_words(text: str, count: int) -> str:
    words = _WORD.findall(text)
    return " ".join(words[:count])
