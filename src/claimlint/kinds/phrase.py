"""phrase: flag words and phrases from a list, unless their context says otherwise.

What it flags: any of `phrases` as whole words, case-insensitive, longest first.

Options:
- `phrases` (required): the words and phrases, inflections written out ("cure", "cures").
- `exceptions`: phrases that contain a match but mean something else ("cure rate",
  "breakthrough pain"); a match inside an exception is not flagged.
- `exception_patterns`: regular expressions for exceptions no phrase list can spell ("Miracle
  on 34th Street", a film; "the only cure for post-race blues"). They run with the `regex`
  engine and a time limit, as `pattern`'s do (claimlint.regexes).
- `unless`: context guards that let a match pass: negated, question, quoted, hedged, cited
  (see claimlint.context for the cue lists).
- `suggest`: safer wording offered with each finding.

Known false positives: a negation or hedge too far from the phrase (more than six words, or
beyond "but") does not count; a rhetorical question passes the `question` guard.
"""

from __future__ import annotations

import re

from claimlint.claims import phrase_pattern
from claimlint.context import GUARDS
from claimlint.matching import MatchRule
from claimlint.packs import Option, RuleSpec
from claimlint.prefilter import FilteredPattern
from claimlint.regexes import bounded

KIND = "phrase"
OPTIONS = {
    "phrases": Option("text-list", required=True, help="words and phrases to flag"),
    "exceptions": Option("text-list", default=(), help="phrases in which a match means something else"),
    "exception_patterns": Option("regex-list", default=(), help="regexes in which a match means something else"),
    "unless": Option("text-list", default=(), choices=GUARDS, help="context guards that let a match pass"),
    "suggest": Option("text-list", default=(), help="safer wording"),
}


def compile(spec: RuleSpec) -> MatchRule:
    phrases = spec.options["phrases"]
    if not any(p.strip() for p in phrases):
        raise spec.error("phrases", "must list at least one phrase")
    exceptions = [phrase_pattern(spec.options["exceptions"])] if spec.options["exceptions"] else []
    patterns = list(spec.options["exception_patterns"])
    if patterns:
        # a user's expressions run as they were checked at load: by `regex`, with a time limit
        excepted = bounded(exceptions + patterns, spec.definition.id)
    else:
        excepted = FilteredPattern("|".join(exceptions), re.IGNORECASE) if exceptions else None
    return MatchRule(
        spec.definition,
        FilteredPattern(phrase_pattern(phrases), re.IGNORECASE),
        excepted,
        spec.options["unless"],
        spec.options["suggest"],
    )
