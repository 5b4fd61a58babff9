"""metric: a figure about the whole document must stay within bounds.

What it flags: a document whose `measure` is below `min` or above `max`. The finding points at
line 1, column 1 and gives the figure.

Measures:
- `cited-share`: cited claims / claims (only when the document has at least `min_claims`);
- `claims`, `uncited-claims`, `sentences`: counts;
- `findings-per-1000-words` of `category` (e.g. overpromise density).

Options: `measure` (required), `min`, `max`, `min_claims` (default 1), `category`.
Placeholders in `message`: {value}, {min}, {max}.
"""

from __future__ import annotations

from typing import Iterator

from claimlint.findings import Analysis, Finding, finding_at, format_message
from claimlint.packs import Option, RuleSpec

KIND = "metric"
MEASURES = ("cited-share", "claims", "uncited-claims", "sentences", "findings-per-1000-words")
OPTIONS = {
    "measure": Option("text", required=True, choices=MEASURES, help="which figure"),
    "min": Option("number", default=None, help="lowest acceptable value"),
    "max": Option("number", default=None, help="highest acceptable value"),
    "min_claims": Option("integer", default=1, help="cited-share: only with at least this many claims"),
    "category": Option("text", default=None, help="findings-per-1000-words: the category counted"),
}


def compile(spec: RuleSpec) -> "MetricRule":
    options = spec.options
    if options["min"] is None and options["max"] is None:
        raise spec.error("measure", "a metric needs min or max")
    if options["measure"] == "findings-per-1000-words" and not options["category"]:
        raise spec.error("category", "findings-per-1000-words needs a category")
    return MetricRule(spec.definition, options)


class MetricRule:
    after_others = True  # findings-per-1000-words counts other rules' findings

    def __init__(self, definition, options: dict) -> None:
        self.definition = definition
        self.options = options

    def _value(self, analysis: Analysis) -> float | None:
        measure = self.options["measure"]
        claims = [s for s in analysis.sentences if s.claim and s.claim.is_claim]
        if measure == "cited-share":
            if len(claims) < self.options["min_claims"]:
                return None
            return round(sum(1 for s in claims if s.cited) / len(claims), 3)
        if measure == "claims":
            return len(claims)
        if measure == "uncited-claims":
            return sum(1 for s in claims if not s.cited)
        if measure == "sentences":
            return len(analysis.sentences)
        words = sum(len(s.text.split()) for s in analysis.sentences)
        count = sum(1 for f in analysis.findings if f.category == self.options["category"])
        return round(1000 * count / words, 2) if words else None

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        value = self._value(analysis)
        low, high = self.options["min"], self.options["max"]
        if value is None or (low is None or value >= low) and (high is None or value <= high):
            return
        bound = f"below the minimum {low:g}" if low is not None and value < low else f"above the maximum {high:g}"
        yield finding_at(
            analysis, self.definition, None, 0, 0,
            message=format_message(self.definition.message, value=f"{value:g}",
                                   min="" if low is None else f"{low:g}", max="" if high is None else f"{high:g}"),
            reasons=[f"{self.options['measure']} is {value:g}, {bound}"],
        )
