"""uncited-claim: a factual health claim with no citation marker.

What it flags: a sentence the claim classifier (claimlint.claims) scores at or above
`threshold` and that carries no citation marker. The span is the whole sentence; the reasons
list each cue that fired ("statistic '15 patients'", "research verb 'found'").

Options:
- `cues` (required): a mapping of cue name to `{label, weight, phrases, patterns, max_count}`.
  Positive weights make a claim, negative weights make something else (question, advice,
  opinion). A cue counts once, or once per different matching word up to `max_count`.
- `threshold` (required): the score at which a sentence is a claim.
- `skip_blocks`: block kinds never classified (heading, comment, footnote, table_cell ...).
- `scope`: `sentence` (default: the marker must be in the claim's own sentence) or
  `paragraph` (a marker later in the same paragraph covers the claims before it).

Known false positives: definitions that quote a figure ("Normal blood pressure is below
120/80"); known misses: claims with no number, study word or causal verb.
"""

from __future__ import annotations

from typing import Iterator

from claimlint.claims import ClaimClassifier, Cue, phrase_pattern
from claimlint.findings import Analysis, Finding, finding_at, format_message
from claimlint.packs import Option, RuleSpec
from claimlint.regexes import bounded

KIND = "uncited-claim"
OPTIONS = {
    "cues": Option("mapping", required=True, help="cue name -> {label, weight, phrases, patterns}"),
    "threshold": Option("number", required=True, help="score at which a sentence is a claim"),
    "skip_blocks": Option("text-list", default=("heading", "comment", "footnote"),
                          help="block kinds that are never claims"),
    "scope": Option("text", default="sentence", choices=("sentence", "paragraph"),
                    help="where a marker must be to cover a claim"),
}
_CUE_KEYS = {"label", "weight", "phrases", "patterns", "max_count"}


def compile(spec: RuleSpec) -> "UncitedClaimRule":
    cues = []
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
        cues.append(Cue(str(name), str(label), float(weight),
                        bounded(sources, f"{spec.definition.id} cue {name}"), max_count))
    classifier = ClaimClassifier(cues, float(spec.options["threshold"]), set(spec.options["skip_blocks"]))
    return UncitedClaimRule(spec.definition, classifier, spec.options["scope"])


class UncitedClaimRule:
    def __init__(self, definition, classifier: ClaimClassifier, scope: str) -> None:
        self.definition = definition
        self.classifier = classifier  # the engine classifies every sentence with it
        self.scope = scope

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        sentences = analysis.sentences
        for position, sentence in enumerate(sentences):
            claim = sentence.claim
            if analysis.classifier is not self.classifier:
                claim = self.classifier.classify(sentence.masked, sentence.block.kind)
            if claim is None or not claim.is_claim or sentence.cited:
                continue
            if self.scope == "paragraph" and any(
                later.cited for later in sentences[position + 1 :] if later.block is sentence.block
            ):
                continue
            cues = " + ".join(r for r in claim.reasons)
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
