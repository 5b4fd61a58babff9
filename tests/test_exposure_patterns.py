"""forbidden-combination's `exposure_patterns`: a causal claim counts only when its subject is
what the article's observational study looked at. Through the real CLI and Linter, with packs
written to disk as a user would."""

from __future__ import annotations

import pytest

from claimlint.kinds.forbidden_combination import stem
from claimlint.packs import PackError, load_pack
from conftest import check_json

# A small pack: causal verbs, an observational design anywhere in the article, and the
# exposure taken from "people who <verb>ed ..." and "<noun> drinkers/walkers".
_RULE = """\
pack: expo
rules:
  - id: cause
    kind: forbidden-combination
    category: exaggeration
    severity: warning
    with_scope: document
    term_patterns: ["\\\\b(?:lowers|cuts|raises)\\\\b"]
    with_terms: ["cohort study"]
{extra}    message: "'{{match}}' with '{{with}}'"
    why: Causal wording for an observational finding.
"""
_EXPOSURE = """\
    exposure_patterns:
      - "\\\\bpeople who (?P<exposure>(?:[a-z]+ed|drank)(?: [a-z]+){{0,2}})"
      - "\\\\b(?P<exposure>[a-z]+ (?:drinkers|walkers))\\\\b"
    exposure_ignore: [every, daily, cups{more}]
"""


def _pack(tmp_path, exposure: bool = True, more: str = "") -> str:
    path = tmp_path / "expo.yaml"
    path.write_text(_RULE.format(extra=_EXPOSURE.format(more=more) if exposure else ""))
    return str(path)


def _flagged(tmp_path, article: str, pack: str) -> list[str]:
    doc = tmp_path / "article.md"
    doc.write_text(article)
    _, report = check_json(doc, pack)
    return [f["sentence"] for f in report["findings"] if f["rule"] == "expo.cause"]


COHORT = "A cohort study followed 20,000 adults. People who drank coffee every day were less likely to get dementia.\n\n"


def test_the_exposure_as_subject_is_flagged_a_background_risk_factor_is_not(tmp_path):
    pack = _pack(tmp_path)
    article = COHORT + "Coffee lowers the risk of dementia.\n\nSmoking raises the risk of stroke.\n"
    assert _flagged(tmp_path, article, pack) == ["Coffee lowers the risk of dementia."]


def test_without_the_option_every_causal_verb_counts(tmp_path):
    """The control: the same article and rule without `exposure_patterns` flags the background
    fact too, so the test above fails if the option were ignored."""
    article = COHORT + "Coffee lowers the risk of dementia.\n\nSmoking raises the risk of stroke.\n"
    assert _flagged(tmp_path, article, _pack(tmp_path, exposure=False)) == [
        "Coffee lowers the risk of dementia.",
        "Smoking raises the risk of stroke.",
    ]


def test_the_exposure_must_come_before_the_claim_in_its_clause(tmp_path):
    pack = _pack(tmp_path)
    article = COHORT + (
        "Exercise lowers the risk of dementia, unlike coffee.\n\n"  # coffee after the verb: the object side
        "Coffee drinkers were followed up, and exercise cuts the risk.\n\n"  # another clause
        "The message is clear: coffee cuts the risk of dementia.\n"  # after the colon: flagged
    )
    assert _flagged(tmp_path, article, pack) == ["The message is clear: coffee cuts the risk of dementia."]


def test_an_article_with_no_exposure_gets_no_finding(tmp_path):
    article = "A cohort study followed 20,000 adults for ten years.\n\nCoffee lowers the risk of dementia.\n"
    assert _flagged(tmp_path, article, _pack(tmp_path)) == []
    assert _flagged(tmp_path, article, _pack(tmp_path, exposure=False)) == ["Coffee lowers the risk of dementia."]


def test_ignored_words_are_never_exposures(tmp_path):
    article = "A cohort study found that people who walked every day were less likely to fall.\n\nEvery step lowers the risk.\n"
    assert _flagged(tmp_path, article, _pack(tmp_path)) == []  # "every" is ignored, "step" was not studied
    # "walked" -> walk: "walking" meets it, whatever else the sentence says
    article += "\nWalking lowers the risk of falls.\n"
    assert _flagged(tmp_path, article, _pack(tmp_path)) == ["Walking lowers the risk of falls."]
    assert _flagged(tmp_path, article, _pack(tmp_path, more=", walked")) == []


@pytest.mark.parametrize(
    "forms, stemmed",
    [
        (["walk", "walks", "walked", "walking", "walker", "walkers"], "walk"),
        (["drink", "drinks", "drinker", "drinkers", "drinking"], "drink"),
        (["nap", "naps", "napping", "nappers"], "nap"),
        (["smoke", "smoked", "smoker", "smokers", "smoking"], "smok"),
        (["run", "running", "runners"], "run"),
        (["berry", "berries"], "berry"),
        (["dog", "dogs", "Dogs"], "dog"),
        (["fall", "falls", "falling"], "fall"),  # no doubled "l" undone
    ],
)
def test_stem_brings_the_forms_of_a_word_together(forms, stemmed):
    assert {stem(form) for form in forms} == {stemmed}


def test_stemming_matches_the_exposure_across_forms(tmp_path):
    pack = _pack(tmp_path)
    article = "A cohort study of dog walkers and coffee drinkers.\n\nWalking lowers blood pressure. Drinking coffee cuts the risk of dementia. Running lowers it too.\n"
    assert _flagged(tmp_path, article, pack) == ["Walking lowers blood pressure.", "Drinking coffee cuts the risk of dementia."]


@pytest.mark.parametrize(
    "option, message",
    [
        ('exposure_patterns: ["people who (\\\\w+ed)"]',
         "expo.yaml:10:25: rules[0].exposure_patterns[0]: needs a named group (?P<exposure>...)"),
        ('exposure_patterns: ["people who (?P<exposure>\\\\w+ed"]',
         "expo.yaml:10:25: rules[0].exposure_patterns[0]: regular expression does not compile"),
        ('exposure_patterns: ["(?P<exposure>a)", "b(?P<exposed>c)"]',
         "expo.yaml:10:44: rules[0].exposure_patterns[1]: needs a named group (?P<exposure>...)"),
        ("exposure_ignore: [more]",
         "expo.yaml:10:22: rules[0].exposure_ignore: only means something with exposure_patterns"),
    ],
)
def test_a_malformed_exposure_option_is_a_pack_error_naming_file_line_and_key(tmp_path, option, message):
    pack = tmp_path / "expo.yaml"
    pack.write_text(_RULE.format(extra=f"    {option}\n"))
    with pytest.raises(PackError) as error:
        load_pack(str(pack))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_malformed_exposure_option_is_exit_2_from_the_cli(tmp_path, cli):
    pack = tmp_path / "expo.yaml"
    pack.write_text(_RULE.format(extra='    exposure_patterns: ["people who (\\\\w+ed)"]\n'))
    article = tmp_path / "a.md"
    article.write_text("Coffee lowers the risk.\n")
    run = cli("check", article, "--pack", pack)
    assert run.exit_code == 2
    assert "rules[0].exposure_patterns[0]: needs a named group (?P<exposure>...)" in run.stderr


def test_the_shipped_rule_flags_the_exposure_and_passes_background(linter):
    from claimlint.readers import read_source

    article = (
        "# Dog owners have fewer heart attacks\n\n"
        "A cohort study followed 41,000 adults for 12 years. People who owned a dog were 24% less likely"
        " to have a heart attack.\n\n"
        "Smoking raises the risk of a heart attack, and so does high blood pressure.\n\n"
        "So the message is clear: owning a dog cuts your risk of a heart attack.\n"
    )
    result = linter.lint(read_source("dogs.md", article, "markdown"))
    fired = [f.text for f in result.findings if f.rule == "exaggeration.exposure-as-cause"]
    assert fired == ["cuts"]


def test_term_patterns_run_with_the_engine_that_checked_them(tmp_path):
    """A term pattern valid for the `regex` engine that checks packs at load (here a
    variable-width look-behind, which `re` rejects) runs as written instead of crashing."""
    path = tmp_path / "drawn.yaml"
    path.write_text(_RULE.format(extra="").replace(
        'term_patterns: ["\\\\b(?:lowers|cuts|raises)\\\\b"]',
        'term_patterns: ["(?<=^so\\\\s+(?:\\\\w+\\\\s+){1,4}?)(?:lowers|cuts|raises)\\\\b"]'))
    article = COHORT + "So daily coffee lowers the risk of dementia.\n\nCoffee lowers the risk of gout.\n"
    assert _flagged(tmp_path, article, str(path)) == ["So daily coffee lowers the risk of dementia."]
