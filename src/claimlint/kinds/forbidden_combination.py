"""forbidden-combination: a term from one list in the same sentence (or article) as a term from
another.

What it flags: a sentence that contains one of `terms` and one of `with_terms` ("treats" +
"cancer"; "in mice" + a human-benefit verb). With `with_scope: document`, a `with_terms` match
anywhere in the article is enough ("could help people" in an article about a study "carried
out in mice"). The span is the `terms` match; the message can name both with {match} and {with}.

Options:
- `terms` (required unless `term_patterns`): words and phrases (as in `phrase`).
- `term_patterns`: regular expressions that count as `terms` too ("is repairing your", "protects
  your heart" and the like in one pattern, instead of a phrase for each).
- `with_terms` (required): words and phrases that must appear in the same sentence.
- `with_scope`: `sentence` (default) or `document`: where `with_terms` must appear.
- `exceptions`: phrases in which a `terms` match means something else.
- `without_terms`: words and phrases that, in the same sentence as a `terms` match, let it pass
  (a sentence that says "in mice" itself reports the result faithfully).
- `unless`: context guards that let a `terms` match pass: negated, question, quoted, hedged, cited.
- `suggest`: safer wording.

Known false positives: the two terms may be unrelated parts of a long sentence ("treats the
symptoms; cancer screening is separate").
"""

from __future__ import annotations

import re
from typing import Iterator

from claimlint.claims import phrase_pattern
from claimlint.context import GUARDS
from claimlint.findings import Analysis, Finding, finding_at, format_message
from claimlint.matching import may_match, unguarded_matches
from claimlint.packs import Option, RuleSpec
from claimlint.prefilter import FilteredPattern

KIND = "forbidden-combination"
OPTIONS = {
    "terms": Option("text-list", default=(), help="first list of words and phrases"),
    "term_patterns": Option("regex-list", default=(), help="regular expressions that count as terms too"),
    "with_terms": Option("text-list", required=True, help="second list, in the same sentence"),
    "with_scope": Option("text", default="sentence", choices=("sentence", "document"),
                         help="where the second list must appear: the same sentence or anywhere in the article"),
    "exceptions": Option("text-list", default=(), help="phrases in which a first-list match means something else"),
    "without_terms": Option("text-list", default=(), help="words that, in the same sentence, let a match pass"),
    "unless": Option("text-list", default=(), choices=GUARDS, help="context guards that let a match pass"),
    "suggest": Option("text-list", default=(), help="safer wording"),
}


def _compile(spec: RuleSpec, key: str) -> FilteredPattern:
    phrases = spec.options[key]
    if not any(p.strip() for p in phrases):
        raise spec.error(key, "must list at least one phrase")
    return FilteredPattern(phrase_pattern(phrases), re.IGNORECASE)


def _compile_terms(spec: RuleSpec) -> FilteredPattern:
    phrases = [p for p in spec.options["terms"] if p.strip()]
    patterns = list(spec.options["term_patterns"])
    if not phrases and not patterns:
        raise spec.error("terms", "must list at least one phrase (or give term_patterns)")
    sources = ([phrase_pattern(phrases)] if phrases else []) + [f"(?:{p})" for p in patterns]
    return FilteredPattern("|".join(sources), re.IGNORECASE)


def compile(spec: RuleSpec) -> "CombinationRule":
    exceptions = spec.options["exceptions"]
    return CombinationRule(
        spec.definition,
        _compile_terms(spec),
        _compile(spec, "with_terms"),
        FilteredPattern(phrase_pattern(exceptions), re.IGNORECASE) if exceptions else None,
        spec.options["unless"],
        spec.options["suggest"],
        spec.options["with_scope"],
        _compile(spec, "without_terms") if spec.options["without_terms"] else None,
    )


class CombinationRule:
    def __init__(self, definition, terms, with_terms, exceptions, unless, suggest, with_scope="sentence",
                 without_terms=None) -> None:
        self.definition = definition
        self.with_scope = with_scope
        self.terms = terms
        self.with_terms = with_terms
        self.exceptions = exceptions
        self.unless = unless
        self.suggest = suggest
        self.without_terms = without_terms

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        candidates = may_match(self.terms, analysis)
        if not candidates:
            return  # no sentence can have a first-list term: the article-wide search is not needed either
        in_article = None
        if self.with_scope == "document":
            # the first sentence that has a second-list term, among those its prefilter lets through
            in_article = next((m for s in may_match(self.with_terms, analysis)
                               for m in [self.with_terms.search(s.masked)] if m), None)
            if in_article is None:
                return
        for sentence in candidates:
            text = sentence.masked
            if self.without_terms is not None and self.without_terms.search(text):
                continue
            other = self.with_terms.search(text)
            where = "in the same sentence"
            if not other:
                if in_article is None:
                    continue
                other, where = in_article, "in the article"
            for match in unguarded_matches(self.terms, self.exceptions, self.unless, analysis, sentence):
                start, end = match.span()
                if where != "in the article" and other.start() < end and start < other.end():
                    continue  # the same words cannot be both halves
                yield finding_at(
                    analysis, self.definition, sentence.block,
                    sentence.start + start, sentence.start + end,
                    message=format_message(self.definition.message, match=match.group(), **{"with": other.group()}),
                    sentence=sentence.text,
                    reasons=[f"'{match.group()}' with '{other.group()}' {where}"],
                    suggestions=list(self.suggest),
                )
                break  # one finding per sentence
