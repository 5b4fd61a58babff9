"""forbidden-combination: a term from one list in the same sentence (or article) as a term from
another.

What it flags: a sentence that contains one of `terms` and one of `with_terms` ("treats" +
"cancer"; "in mice" + a human-benefit verb). With `with_scope: document`, a `with_terms` match
anywhere in the article is enough ("could help people" in an article about a study "carried
out in mice"). The span is the `terms` match; the message can name both with {match} and {with}.

Options:
- `terms` (required unless `term_patterns`): words and phrases (as in `phrase`).
- `term_patterns`: regular expressions that count as `terms` too ("is repairing your", "protects
  your heart" and the like in one pattern, instead of a phrase for each). Like `pattern`'s, they
  run with the `regex` engine and a time limit (claimlint.regexes); a look-behind may be of any
  width, so a pattern can look back at "So ..." and still start the finding at the verb.
- `with_terms` (required): words and phrases that must appear in the same sentence.
- `with_scope`: `sentence` (default) or `document`: where `with_terms` must appear.
- `exceptions`: phrases in which a `terms` match means something else.
- `without_terms`: words and phrases that, in the same sentence as a `terms` match, let it pass
  (a sentence that says "in mice" itself reports the result faithfully).
- `unless`: context guards that let a `terms` match pass: negated, question, quoted, hedged, cited.
- `suggest`: safer wording.
- `exposure_patterns`: regular expressions, each with a named group `exposure`, for how the
  article describes what the people it studied did or had ("people who drank (?P<exposure>...)",
  "(?P<exposure>...) drinkers"). When given, a `terms` match counts only when its subject is
  one of those exposures: a word of some `exposure` group, anywhere in the article, must come
  before the match in its sentence, after the last colon, semicolon, comma, bracket or dash
  before it (the claim's subject side: "People who drank coffee ..." then "So the message is
  clear: coffee lowers the risk of dementia" is flagged; "Smoking raises the risk of stroke"
  in the same article is not, nor is "Coffee drinkers were followed up, and exercise lowers
  the risk"). An article with no exposure gets no finding from the rule. Only content words
  count: 3 or more letters ("tea", "dog" and "nap" are exposures), not in `exposure_ignore`. Words are compared lower-cased and
  stemmed by a small suffix stripper (a plural "-s" or "-ies", then "-ing", "-ed" or "-er"
  with a doubled consonant undone, then a final "-e"), so walked, walking, walkers and walks
  meet at "walk", drink, drinks, drinkers and drinking at "drink", nappers and nap at "nap".
  Irregular forms do not meet (drank and drink, slept and sleep).
- `exposure_ignore`: words that never count as exposure words, whatever a pattern captured
  ("more", "daily", "cups", "people"); stemmed the same way. Only with `exposure_patterns`.

Known false positives: the two terms may be unrelated parts of a long sentence ("treats the
symptoms; cancer screening is separate"). With `exposure_patterns`, a background fact whose
subject happens to be the exposure ("Smoking causes cancer" in an article about smokers).
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
from claimlint.regexes import BoundedPattern, bounded

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
    "exposure_patterns": Option("regex-list", default=(),
                                help="regular expressions with a named group `exposure`: what the studied people did or"
                                     " had; a match then counts only when an exposure word comes before it in its sentence"),
    "exposure_ignore": Option("text-list", default=(), help="words that never count as exposure words"),
}

EXPOSURE_GROUP = "exposure"
_MIN_LETTERS = 3  # an exposure word has at least this many letters ("tea", "dog", "nap"; not "a", "of")
_WORD = re.compile(r"[^\W\d_]+")
# where the clause of a claim starts: "People who drank coffee were followed up, and exercise
# lowers ..." is not about coffee; "The message is clear: coffee lowers ..." is
_CLAUSE_BREAK = re.compile(r"[:;,()]\s|\s[-–—]\s|[–—]")
_UNDOUBLE = frozenset("bcdfgkmnprt")  # running -> run, nappers -> nap; not fall, kiss, buzz


def stem(word: str) -> str:
    """A small suffix stripper for matching exposure words: walked, walking, walkers, walks ->
    walk; drinkers, drinking -> drink; smoke, smoker, smoked -> smok; berries -> berry.
    Not a linguistic stemmer: both sides are stemmed the same way, which is all that matters."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed", "er"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] in _UNDOUBLE:
                w = w[:-1]
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def exposure_words(text: str, ignore: frozenset) -> set[str]:
    """The stems of the content words of `text` (see `stem`): 3+ letters, not ignored."""
    stems = set()
    for word in _WORD.findall(text):
        if len(word) >= _MIN_LETTERS:
            stemmed = stem(word)
            if stemmed not in ignore:
                stems.add(stemmed)
    return stems


def _compile(spec: RuleSpec, key: str) -> FilteredPattern:
    phrases = spec.options[key]
    if not any(p.strip() for p in phrases):
        raise spec.error(key, "must list at least one phrase")
    return FilteredPattern(phrase_pattern(phrases), re.IGNORECASE)


def _compile_terms(spec: RuleSpec) -> FilteredPattern | BoundedPattern:
    phrases = [p for p in spec.options["terms"] if p.strip()]
    patterns = list(spec.options["term_patterns"])
    if not phrases and not patterns:
        raise spec.error("terms", "must list at least one phrase (or give term_patterns)")
    if not patterns:
        return FilteredPattern(phrase_pattern(phrases), re.IGNORECASE)
    # a user's expressions run as they were checked at load, by `regex` with a time limit (as
    # in `pattern`): `re` rejects some valid ones (variable-width look-behind) and has no limit
    return bounded(([phrase_pattern(phrases)] if phrases else []) + patterns, spec.definition.id)


def _compile_exposure(spec: RuleSpec) -> tuple[list[BoundedPattern], frozenset]:
    patterns = []
    for index, source in enumerate(spec.options["exposure_patterns"]):
        # the syntax is checked with the other regex options; compiling waits for first use
        if f"(?P<{EXPOSURE_GROUP}>" not in source:
            raise spec.error(("exposure_patterns", index),
                             f"needs a named group (?P<{EXPOSURE_GROUP}>...) around the exposure words")
        patterns.append(bounded([source], spec.definition.id))
    if spec.options["exposure_ignore"] and not patterns:
        raise spec.error("exposure_ignore", "only means something with exposure_patterns")
    return patterns, frozenset(stem(w) for w in spec.options["exposure_ignore"] for w in w.split())


def compile(spec: RuleSpec) -> "CombinationRule":
    exceptions = spec.options["exceptions"]
    exposure_patterns, exposure_ignore = _compile_exposure(spec)
    return CombinationRule(
        spec.definition,
        _compile_terms(spec),
        _compile(spec, "with_terms"),
        FilteredPattern(phrase_pattern(exceptions), re.IGNORECASE) if exceptions else None,
        spec.options["unless"],
        spec.options["suggest"],
        spec.options["with_scope"],
        _compile(spec, "without_terms") if spec.options["without_terms"] else None,
        exposure_patterns,
        exposure_ignore,
    )


class CombinationRule:
    def __init__(self, definition, terms, with_terms, exceptions, unless, suggest, with_scope="sentence",
                 without_terms=None, exposure_patterns=(), exposure_ignore=frozenset()) -> None:
        self.definition = definition
        self.with_scope = with_scope
        self.terms = terms
        self.with_terms = with_terms
        self.exceptions = exceptions
        self.unless = unless
        self.suggest = suggest
        self.without_terms = without_terms
        self.exposure_patterns = exposure_patterns
        self.exposure_ignore = exposure_ignore

    def exposures(self, analysis: Analysis) -> set[str]:
        """The stemmed words of every `exposure` group matched anywhere in the article."""
        found: set[str] = set()
        for pattern in self.exposure_patterns:
            for sentence in may_match(pattern, analysis):
                for match in pattern.finditer(sentence.masked):
                    words = match.group(EXPOSURE_GROUP)
                    if words:
                        found |= exposure_words(words, self.exposure_ignore)
        return found

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
        exposures = None
        if self.exposure_patterns:
            exposures = self.exposures(analysis)
            if not exposures:
                return  # the article describes no exposure: no claim can be about one
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
                reasons = [f"'{match.group()}' with '{other.group()}' {where}"]
                if exposures is not None:
                    subject = _subject_exposure(text[:start], exposures)
                    if subject is None:
                        continue  # what comes before it is not what the study looked at
                    reasons.append(f"'{subject}' before it is an exposure the article describes")
                yield finding_at(
                    analysis, self.definition, sentence.block,
                    sentence.start + start, sentence.start + end,
                    message=format_message(self.definition.message, match=match.group(), **{"with": other.group()}),
                    sentence=sentence.text,
                    reasons=reasons,
                    suggestions=list(self.suggest),
                )
                break  # one finding per sentence


def _subject_exposure(before: str, exposures: set[str]) -> str | None:
    """The first word of the match's clause before it (the sentence up to the match, after its
    last colon, semicolon, comma, bracket or dash) that is an exposure, or None."""
    for word in _WORD.findall(_CLAUSE_BREAK.split(before)[-1]):
        if len(word) >= _MIN_LETTERS and stem(word) in exposures:
            return word
    return None
