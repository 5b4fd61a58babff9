"""uncited-claim: a factual health claim with no citation marker.

What it flags: a sentence the claim classifier (claimlint.claims) scores at or above
`threshold` and that carries no citation marker. The span is the whole sentence; the reasons
list each cue that fired ("statistic '15 patients'", "research verb 'found'").

Beyond one sentence at a time:
- a sentence that opens with advice or a question can still end in a claim: the clause after
  its last ':' or ';' is judged on its own too ("Stop smoking: smokers have twice the risk.");
- a claim carried on by the next sentence of the same paragraph is covered by that sentence's
  marker when the next sentence refers back to it ("A 2019 trial followed 2,000 adults. Those
  who walked daily had 30% fewer strokes [1]."): it opens with a word such as "Those", "They",
  "This", "It", "The trial", "Of these" (the option `carried_on_by`), and adds no claim of
  its own ("It also ...", "Another ...": `carried_on_unless`);
- list items that finish a lead-in sentence ending with ':' are read with it, as one sentence
  ("Every night, the pads:" then "* boost circulation", "* flush toxins out through your
  skin"): the lead-in is judged together with its items (leaving out items that are advice, a
  question or experience), is reported once, on its own line, and a marker on the lead-in or
  on any of the items covers it. The items are the list-item blocks right after the
  lead-in's paragraph; a second paragraph inside an item ends the run (readers give no list
  nesting). A paragraph or heading with no ':' is a lead-in too when it stops on one of the
  words in `lead_in_endings` ("You may have a kidney stone if you", "## See a GP if").

Options:
- `cues` (required): a mapping of cue name to `{label, weight, phrases, patterns, max_count,
  unless, unless_context}`. Positive weights make a claim, negative weights make something
  else (question, advice, opinion). A cue counts once, or once per different matching word up
  to `max_count`; with `unless` (a list of other cue names) it does not count when one of those
  cues matches the sentence too; with `unless_context` (ConText categories: negated, hedged,
  hypothetical, quoted, other-sense) a match that the packs' context rules put in one of them
  does not count ("If it lowers blood pressure, ...").
- `threshold` (required): the score at which a sentence is a claim.
- `word_evidence`: `{label, baseline, weights, shown, unnamed}`, a weight for each word
  (lowercased; every number is the word `<number>`) added to the score once for each different
  word of the sentence, plus `baseline`; the reason names the `shown` words that weighed most,
  leaving out the words listed in `unnamed` ("the", "and"), which still count. `baseline` and
  `weights` are fitted to labelled articles by `bench/fit_words.py --write`, not written by hand.
- `skip_blocks`: block kinds never classified (heading, comment, footnote, table_cell ...).
- `citation_scope`: `sentence` (default: the marker must be in the claim's own sentence, or in
  a next sentence that carries the claim on) or `paragraph` (a marker anywhere later in the
  same paragraph covers the claims before it). `scope` is the old name of this key, still
  accepted.
- `carried_on_by`, `carried_on_unless`: see above.
- `lead_in_endings`: last words (or phrases) that make a paragraph or heading without a ':'
  the lead-in of the list right after it; empty: only a ':' ends a lead-in.
- `reference_entries`: regular expressions for the opening of a paragraph or list item that
  is a bibliographic entry ("Kreider RB, Kalman DS, et al. ... 2017."): its sentences are
  never claims, even when no source list was recognised around it.
- `advice_headings`: regular expressions for headings whose list gives the conditions of a
  piece of advice ("When to see a GP" + "- the pain lasts more than 2 weeks"): those items
  are never claims.

Known false positives: definitions that quote a figure ("Normal blood pressure is below
120/80"); known misses: claims with no number, study word or causal verb.
"""

from __future__ import annotations

import re
from typing import Iterator

from claimlint.claims import NUMBER, ClaimClassifier, Cue, WordEvidence, phrase_pattern, words_of
from claimlint.context import CATEGORIES
from claimlint.document import BlockKind
from claimlint.findings import Analysis, ClaimResult, Finding, Sentence, finding_at, format_message
from claimlint.packs import Option, RuleSpec
from claimlint.regexes import bounded

KIND = "uncited-claim"
SCOPES = ("sentence", "paragraph")
OPTIONS = {
    "cues": Option("mapping", required=True, help="cue name -> {label, weight, phrases, patterns, max_count, unless, unless_context}"),
    "threshold": Option("number", required=True, help="score at which a sentence is a claim"),
    "word_evidence": Option("mapping", default=None,
                            help="{label, baseline, weights: {word: weight}, shown, unnamed}: fitted word weights added to the score"),
    "skip_blocks": Option("text-list", default=("heading", "comment", "footnote"),
                          help="block kinds that are never claims"),
    "citation_scope": Option("text", default=None, choices=SCOPES,
                             help="where a marker must be to cover a claim: its sentence (default) or anywhere later in its paragraph"),
    "scope": Option("text", default=None, choices=SCOPES, help="old name of citation_scope"),
    "carried_on_by": Option("regex-list", default=(),
                            help="openings of a next sentence that carries a claim on, so its marker covers both"
                                 " (matched at the sentence start, whole words)"),
    "carried_on_unless": Option("text-list", default=(),
                                help="words that make such a next sentence add a claim of its own"),
    "lead_in_endings": Option("text-list", default=(),
                              help="last words that make a paragraph or heading with no ':' the lead-in of the list"
                                   " right after it ('You may have a kidney stone if you')"),
    "reference_entries": Option("regex-list", default=(),
                                help="openings of a paragraph or list item that is a bibliographic entry"
                                     " ('Kreider RB, Kalman DS, et al. ... 2017.'): its sentences are never claims,"
                                     " even where no source list was recognised"),
    "advice_headings": Option("regex-list", default=(),
                              help="headings whose list gives the conditions of advice ('When to see a GP'):"
                                   " its items are never claims"),
}
_CUE_KEYS = {"label", "weight", "phrases", "patterns", "max_count", "unless", "unless_context"}

_CLAUSE_BREAK = re.compile(r"[:;]\s+(?=\S)")


def compile(spec: RuleSpec) -> "UncitedClaimRule":
    cues = []
    names = [str(name) for name in spec.options["cues"]]
    for name, raw in spec.options["cues"].items():
        keys = ("cues", name)
        if not isinstance(raw, dict):
            raise spec.error(keys, "a cue must be a mapping with weight and phrases or patterns")
        for key in raw:
            if key not in _CUE_KEYS:
                raise spec.error(keys + (key,), f"unknown key (allowed: {', '.join(sorted(_CUE_KEYS))})")
        weight = raw.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            raise spec.error(keys + ("weight",), "must be a number")
        sources = []
        for list_key in ("phrases", "patterns"):
            items = raw.get(list_key) or []
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise spec.error(keys + (list_key,), "must be a list of strings")
            if list_key == "phrases":
                if items:
                    sources.append(phrase_pattern(items))
            else:
                for index, item in enumerate(items):
                    spec.check_regex(item, keys + (list_key, index))
                    sources.append(item)
        if not sources:
            raise spec.error(keys, "a cue needs phrases or patterns")
        label = raw.get("label", str(name).replace("_", " "))
        max_count = raw.get("max_count", 1)
        if isinstance(max_count, bool) or not isinstance(max_count, int) or max_count < 1:
            raise spec.error(keys + ("max_count",), "must be a whole number of 1 or more")
        unless = raw.get("unless") or []
        if not isinstance(unless, list) or not all(isinstance(u, str) for u in unless):
            raise spec.error(keys + ("unless",), "must be a list of cue names")
        for index, other in enumerate(unless):
            if other not in names or other == str(name):
                raise spec.error(keys + ("unless", index),
                                 f"'{other}' is not another cue of this rule (cues: {', '.join(names)})")
        unless_context = raw.get("unless_context") or []
        if not isinstance(unless_context, list) or not all(isinstance(c, str) for c in unless_context):
            raise spec.error(keys + ("unless_context",), "must be a list of context categories")
        for index, category in enumerate(unless_context):
            if category not in CATEGORIES:
                raise spec.error(keys + ("unless_context", index),
                                 f"'{category}' is not a context category (categories: {', '.join(CATEGORIES)})")
        cues.append(Cue(str(name), str(label), float(weight),
                        bounded(sources, f"{spec.definition.id} cue {name}"), max_count, tuple(unless),
                        tuple(unless_context)))
    classifier = ClaimClassifier(cues, float(spec.options["threshold"]), set(spec.options["skip_blocks"]),
                                 _word_evidence(spec))
    scope, old = spec.options["citation_scope"], spec.options["scope"]
    if scope is not None and old is not None and scope != old:
        raise spec.error("scope", f"'{old}' contradicts citation_scope '{scope}' (scope is its old name: keep one)")
    opens = bounded([rf"^[\W_]*(?:{p})\b" for p in spec.options["carried_on_by"]], f"{spec.definition.id} carried_on_by")
    adds = spec.options["carried_on_unless"]
    adds = bounded([phrase_pattern(adds)], f"{spec.definition.id} carried_on_unless") if adds else None
    endings = spec.options["lead_in_endings"]
    endings = re.compile(rf"(?i)\b(?:{'|'.join(re.escape(e) for e in endings)})\W*$") if endings else None
    advice = spec.options["advice_headings"]
    advice = bounded(list(advice), f"{spec.definition.id} advice_headings") if advice else None
    entries = spec.options["reference_entries"]
    entries = bounded(list(entries), f"{spec.definition.id} reference_entries") if entries else None
    return UncitedClaimRule(spec.definition, classifier, scope or old or "sentence", opens, adds, endings, advice,
                            entries)


_WORD_EVIDENCE_KEYS = {"label", "baseline", "weights", "shown", "unnamed"}


def _word_evidence(spec: RuleSpec) -> WordEvidence | None:
    raw = spec.options["word_evidence"]
    if raw is None:
        return None
    keys = ("word_evidence",)
    for key in raw:
        if key not in _WORD_EVIDENCE_KEYS:
            raise spec.error(keys + (key,), f"unknown key (allowed: {', '.join(sorted(_WORD_EVIDENCE_KEYS))})")
    baseline = raw.get("baseline", 0)
    if isinstance(baseline, bool) or not isinstance(baseline, (int, float)):
        raise spec.error(keys + ("baseline",), "must be a number")
    weights = raw.get("weights")
    if not isinstance(weights, dict) or not weights:
        raise spec.error(keys + ("weights",), "must be a mapping of word to weight")
    for word, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            raise spec.error(keys + ("weights", word), "must be a number")
        if not isinstance(word, str) or (word != NUMBER and words_of(word) != {word}):
            raise spec.error(keys + ("weights", word), "must be one lowercase word (or <number>)")
    shown = raw.get("shown", 3)
    if isinstance(shown, bool) or not isinstance(shown, int) or shown < 0:
        raise spec.error(keys + ("shown",), "must be a whole number of 0 or more")
    unnamed = raw.get("unnamed") or []
    if not isinstance(unnamed, list) or not all(isinstance(word, str) for word in unnamed):
        raise spec.error(keys + ("unnamed",), "must be a list of words (quote on, off, yes and no: YAML reads them as true or false)")
    return WordEvidence(str(raw.get("label", "word evidence")), float(baseline),
                        {str(word): float(weight) for word, weight in weights.items()}, shown,
                        frozenset(word.lower() for word in unnamed))


class UncitedClaimRule:
    def __init__(self, definition, classifier: ClaimClassifier, scope: str, carried_on_by, carried_on_unless,
                 lead_in_endings: re.Pattern | None = None, advice_headings=None, reference_entries=None) -> None:
        self.definition = definition
        self.classifier = classifier  # the engine classifies every sentence with it
        self.scope = scope
        self.carried_on_by = carried_on_by  # None: no next sentence carries a claim on
        self.carried_on_unless = carried_on_unless
        self.lead_in_endings = lead_in_endings  # None: only a ':' ends a lead-in
        self.advice_headings = advice_headings
        self.reference_entries = reference_entries
        self._negative_labels = tuple(cue.label for cue in classifier.cues if cue.weight < 0) or ("\0",)

    def _classify(self, text: str, kind: str, guards, result: ClaimResult | None = None) -> ClaimResult:
        """The sentence, or failing that the clause after its last ':' or ';', as a claim."""
        if result is None:
            result = self.classifier.classify(text, kind, guards)
        if result.is_claim or kind in self.classifier.skip_blocks:
            return result
        if not any(reason.startswith(self._negative_labels) for reason in result.reasons):
            return result  # nothing held the sentence back, so no clause of it is a claim either
        breaks = list(_CLAUSE_BREAK.finditer(text))
        if breaks:
            clause = self.classifier.classify(text[breaks[-1].end():], kind, guards)
            if clause.is_claim:
                mark = breaks[-1].group()[0]
                return ClaimResult(True, clause.score, clause.reasons + [f"in the clause after '{mark}'"],
                                   clause.word_evidence)
        return result

    def _claim(self, analysis: Analysis, sentence: Sentence) -> ClaimResult:
        claim = sentence.claim
        if claim is None or analysis.classifier is not self.classifier:
            claim = self.classifier.classify(sentence.masked, sentence.block.kind, analysis.guards)
        rescued = self._classify(sentence.masked, sentence.block.kind, analysis.guards, claim)
        if rescued is not claim and analysis.classifier is self.classifier:
            sentence.claim = rescued  # the engine's claim counts see it too
        return rescued

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        sentences = analysis.sentences
        claims = [self._claim(analysis, s) for s in sentences]
        lead_ins = _lead_ins(sentences, self.lead_in_endings, self.advice_headings)
        for lead, items in lead_ins.items():
            if sentences[lead].cited or claims[lead].is_claim or _is_advice_heading(sentences[lead], self.advice_headings):
                continue
            # "Every night, the pads:" + "* boost circulation" + ...; items that are advice, a
            # question or experience ("To ease it:" + "* drink more water") add nothing
            kept = [sentences[i].masked.strip() for i in items if claims[i].score >= 0]
            if not kept:
                continue
            joined = sentences[lead].masked.rstrip() + " " + "; ".join(kept)
            claim = self.classifier.classify(joined, sentences[items[0]].block.kind, analysis.guards)
            if claim.is_claim:
                claims[lead] = ClaimResult(True, claim.score, claim.reasons + ["with the list that finishes it"],
                                           claim.word_evidence)
                if analysis.classifier is self.classifier:
                    sentences[lead].claim = claims[lead]
        in_lists = {item for items in lead_ins.values() for item in items}
        entries: dict[int, bool] = {}  # id(block) -> is a bibliographic entry, for blocks with a claim only
        # the lead-in and its items are one sentence: a marker on any of them covers it
        listed_markers = {lead for lead, items in lead_ins.items() if any(sentences[i].cited for i in items)}
        for position, sentence in enumerate(sentences):
            claim = claims[position]
            if not claim.is_claim or sentence.cited or position in in_lists or position in listed_markers:
                continue
            if self._in_reference_entry(sentence.block, entries):
                continue
            if self._covered_later(sentences, position):
                continue
            cues = " + ".join(self._message_reasons(claim))
            yield finding_at(
                analysis,
                self.definition,
                sentence.block,
                sentence.start,
                sentence.end,
                message=format_message(self.definition.message, match=sentence.text, reasons=cues),
                sentence=sentence.text,
                reasons=claim.reasons + [f"score {claim.score:g} >= {self.classifier.threshold:g}",
                                         "no citation marker"],
            )

    def _message_reasons(self, claim: ClaimResult) -> list[str]:
        """The reasons the message names: word evidence only where the cues alone fell short
        (the `why` line always lists it)."""
        words = self.classifier.words
        if words is None or claim.score - claim.word_evidence < self.classifier.threshold:
            return claim.reasons
        return [reason for reason in claim.reasons if not reason.startswith(words.label + " ")]

    def _in_reference_entry(self, block, entries: dict[int, bool]) -> bool:
        """Is `block` a paragraph or list item that opens like a bibliographic entry? Asked
        only for blocks with a claim to report: the search is one of the dearer per document."""
        if self.reference_entries is None:
            return False
        if id(block) not in entries:
            entries[id(block)] = (block.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
                                  and self.reference_entries.search(block.text) is not None)
        return entries[id(block)]

    def _covered_later(self, sentences: list[Sentence], position: int) -> bool:
        """Is the claim at `position` covered by a marker in a later sentence?"""
        block = sentences[position].block
        if self.scope == "paragraph":
            return any(later.cited for later in sentences[position + 1 :] if later.block is block)
        following = sentences[position + 1] if position + 1 < len(sentences) else None
        if following is not None and following.block is block and following.cited and _only_markers(following):
            return True  # "... 64. Source: UKHSA report, 2025." or a marker split off as a sentence
        return (
            self.carried_on_by is not None
            and following is not None
            and following.block is block
            and following.cited
            and self.carried_on_by.search(following.text) is not None
            and not (self.carried_on_unless and self.carried_on_unless.search(following.text))
        )


def _lead_ins(sentences: list[Sentence], endings: re.Pattern | None, advice_headings) -> dict[int, list[int]]:
    """Lead-in sentences that a list finishes ("... include:" then bullets, or a paragraph or
    heading that stops mid-sentence, "... higher if you"): the position of each lead-in, with
    the positions of the sentences of the list items right after it."""
    found: dict[int, list[int]] = {}
    lead: int | None = None
    previous = None
    for position, sentence in enumerate(sentences):
        block = sentence.block
        if block is not previous:
            if block.kind != BlockKind.LIST_ITEM:
                lead = None
            elif lead is None and previous is not None and previous.kind != BlockKind.LIST_ITEM:
                before = sentences[position - 1]
                if _leads_in(before, endings) or _is_advice_heading(before, advice_headings):
                    lead = position - 1
                    found[lead] = []
            previous = block
        if lead is not None:
            found[lead].append(position)
    return found


def _is_advice_heading(sentence: Sentence, advice_headings) -> bool:
    return (advice_headings is not None and sentence.block.kind == BlockKind.HEADING
            and advice_headings.search(sentence.text) is not None)


def _only_markers(sentence: Sentence) -> bool:
    return not any(ch.isalnum() for ch in sentence.masked)


def _leads_in(sentence: Sentence, endings: re.Pattern | None) -> bool:
    text = sentence.masked.rstrip()
    if text.endswith(":"):
        return True
    return (endings is not None and sentence.block.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING)
            and not text.endswith((".", "!", "?", "…")) and endings.search(text) is not None)
