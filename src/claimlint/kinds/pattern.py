"""pattern: flag text matching a regular expression, with the same guards as `phrase`.

What it flags: every match of any of `patterns` (Python regular expressions, case-insensitive)
in a sentence. Use it where a word list is not enough: "reverses (your )?(diabetes|...)".

Options:
- `patterns` (required): regular expressions; write `\\b` for word boundaries. Each search
  is limited to one second (claimlint.regexes), so a catastrophic pattern cannot hang a run.
- `exceptions`: regular expressions for spans in which a match means something else.
- `unless`: context guards that let a match pass: negated, question, quoted, hedged, cited.
- `suggest`: safer wording offered with each finding.

Known false positives: as broad as the expression; keep patterns anchored to words.
"""

from __future__ import annotations

from claimlint import packfacts
from claimlint.context import GUARDS
from claimlint.matching import MatchRule
from claimlint.packs import Option, RuleSpec
from claimlint.regexes import bounded

KIND = "pattern"
OPTIONS = {
    "patterns": Option("regex-list", required=True, help="regular expressions to flag"),
    "exceptions": Option("regex-list", default=(), help="regular expressions for other senses"),
    "unless": Option("text-list", default=(), choices=GUARDS, help="context guards that let a match pass"),
    "suggest": Option("text-list", default=(), help="safer wording"),
}


def compile(spec: RuleSpec) -> MatchRule:
    patterns = spec.options["patterns"]
    if not patterns:
        raise spec.error("patterns", "must list at least one regular expression")
    owner = spec.definition.id
    for index, pattern in enumerate(patterns):
        if packfacts.matches_empty(pattern, lambda source: bounded([source], owner).match("")):
            raise spec.error(("patterns", index), "matches empty text; it would flag everything")
    return MatchRule(
        spec.definition,
        bounded(patterns, owner),
        bounded(spec.options["exceptions"], owner),
        spec.options["unless"],
        spec.options["suggest"],
    )
