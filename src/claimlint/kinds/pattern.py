"""pattern: flag text matching a regular expression, with the same guards as `phrase`.

What it flags: every match of any of `patterns` (Python regular expressions, case-insensitive)
in a sentence. Use it where a word list is not enough: "reverses (your )?(diabetes|...)".

Options:
- `patterns` (required): regular expressions; write `\\b` for word boundaries.
- `exceptions`: regular expressions for spans in which a match means something else.
- `unless`: context guards that let a match pass: negated, question, quoted, hedged, cited.
- `suggest`: safer wording offered with each finding.

Known false positives: as broad as the expression; keep patterns anchored to words.
"""

from __future__ import annotations

import re

from claimlint.context import GUARDS
from claimlint.matching import MatchRule
from claimlint.packs import Option, RuleSpec

KIND = "pattern"
OPTIONS = {
    "patterns": Option("regex-list", required=True, help="regular expressions to flag"),
    "exceptions": Option("regex-list", default=(), help="regular expressions for other senses"),
    "unless": Option("text-list", default=(), choices=GUARDS, help="context guards that let a match pass"),
    "suggest": Option("text-list", default=(), help="safer wording"),
}


def _union(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def compile(spec: RuleSpec) -> MatchRule:
    patterns = spec.options["patterns"]
    if not patterns:
        raise spec.error("patterns", "must list at least one regular expression")
    for index, pattern in enumerate(patterns):
        if re.compile(pattern).match(""):
            raise spec.error(("patterns", index), "matches empty text; it would flag everything")
    exceptions = spec.options["exceptions"]
    return MatchRule(
        spec.definition,
        _union(patterns),
        _union(exceptions) if exceptions else None,
        spec.options["unless"],
        spec.options["suggest"],
    )
