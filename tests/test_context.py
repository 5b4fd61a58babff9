"""Context guards on overpromise phrases, through the real pipeline: negated, questioned,
quoted or mentioned, hedged, other senses, cited."""

from __future__ import annotations

import pytest

from claimlint.readers import read_source


def overpromises(linter, text: str) -> list[tuple[str, str]]:
    result = linter.lint(read_source("case.md", text, "markdown"))
    return [(f.rule, f.text) for f in result.findings if f.category == "overpromise"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("This tea cures arthritis.", [("overpromise.cure", "cures")]),
        ("A miracle cure for back pain.", [("overpromise.miracle", "miracle"), ("overpromise.cure", "cure")]),
        ("Guaranteed results in two weeks.", [("overpromise.guarantee", "Guaranteed")]),
        ("The cream has no side effects.", [("overpromise.absolute-safety", "no side effects")]),
        ("A risk-free way to lose weight.", [("overpromise.absolute-safety", "risk-free")]),
        ("Our gel is clinically proven to heal scars.", [("overpromise.proven", "clinically proven")]),
        ("A breakthrough for migraine.", [("overpromise.hype", "breakthrough")]),
        ("Get instant relief today.", [("overpromise.instant-permanent", "instant relief")]),
        ("This plan reverses type 2 diabetes.", [("overpromise.reverses-disease", "reverses type 2 diabetes")]),
        ("Detox your liver with our tea.", [("overpromise.detox", "Detox")]),
        # a negation beyond "but" does not protect the phrase
        ("Doctors could not help me, but this tea cured my eczema.", [("overpromise.cure", "cured")]),
        # a marker does not excuse a cure claim, only a "clinically proven" one
        ("This tea cures arthritis [1].\n\n## Sources\n\n1. A. 2020.", [("overpromise.cure", "cures")]),
    ],
)
def test_flagged(linter, text, expected):
    assert overpromises(linter, text) == expected


@pytest.mark.parametrize(
    "text, guard",
    [
        ("There is no cure for lupus.", "negated"),
        ("Statins are not a miracle.", "negated"),
        ("No drug has been shown to be totally effective for this infection.", "negated (sentence start)"),
        ("A cure remains elusive.", "negated (after)"),
        ("Medicines help, but they dont cure it.", "negated (apostrophe lost)"),
        ("Is it a cure?", "question"),
        ("Is this a breakthrough?", "question"),
        ("It is far too early to call it a cure.", "hedged"),
        ("Researchers hope to find a cure one day.", "hedged"),
        ("Be wary of anything sold as a miracle.", "hedged"),
        ("Doctors avoid the word 'cure' after cancer treatment.", "quoted"),
        ("Avoid words like miracle in your copy.", "mentioned"),
        ("He called it a “breakthrough” in the interview.", "quoted"),
        ("Breakthrough pain comes on between doses.", "other sense"),
        ("The cure rate for testicular cancer is high.", "other sense"),
        ("Permanent AF needs long-term treatment.", "other sense"),
        ("Use an instant-read thermometer.", "other sense"),
        ("Cureon is the name of the study.", "other sense"),
        ("Most people have no side effects from the vaccine.", "hedged quantifier"),
        ("Alcohol detox should be supervised.", "other sense"),
        ("The trial showed the gel is clinically proven to heal scars [1].\n\n## Sources\n\n1. A. 2020.", "cited"),
        ("Having risk factors does not guarantee you will get the disease.", "negated"),
    ],
)
def test_passed(linter, text, guard):
    assert overpromises(linter, text) == [], guard


def test_guards_come_from_the_pack_context(linter):
    guards = linter.guards
    text = "There is no cure for lupus."
    start = text.index("cure")
    assert guards.reason(text, start, start + 4, ("negated",)) == "negated"
    assert guards.reason(text, start, start + 4, ("question", "quoted")) is None
    question = "Is it a cure?"
    assert guards.reason(question, 8, 12, ("negated", "question")) == "question"
