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
        ("Our tea can:\n\n- cure arthritis", [("overpromise.cure", "cure")]),
        ("Our natural treatments for arthritis can:\n\n- cure your pain", [("overpromise.cure", "cure")]),
        ("The results:\n\nA miracle cure for back pain.", [("overpromise.miracle", "miracle"), ("overpromise.cure", "cure")]),
        ("Some websites sell turmeric.\n\nOur tea can:\n\n- cure arthritis", [("overpromise.cure", "cure")]),
        # a citation does not make "clinically proven" accurate (us-ftc's uncited-proof rule accepts one)
        ("The gel is clinically proven to heal scars [1].\n\n## Sources\n\n1. A. 2020.",
         [("overpromise.proven", "clinically proven")]),
        ("A breakthrough for migraine.", [("overpromise.hype", "breakthrough")]),
        ("Get instant relief today.", [("overpromise.instant-permanent", "instant relief")]),
        ("This plan reverses type 2 diabetes.", [("overpromise.reverses-disease", "reverses type 2 diabetes")]),
        ("Detox your liver with our tea.", [("overpromise.detox", "Detox")]),
        # a negation beyond "but" does not protect the phrase
        ("Doctors could not help me, but this tea cured my eczema.", [("overpromise.cure", "cured")]),
        # a marker does not excuse a cure claim, only a "clinically proven" one
        ("This tea cures arthritis [1].\n\n## Sources\n\n1. A. 2020.", [("overpromise.cure", "cures")]),
        # pseudo-cues: "no surgery" is not a surgical context
        ("Our serum cures knee pain, with no surgery needed.", [("overpromise.cure", "cures")]),
        ("This oil cures arthritis without surgery or drugs.", [("overpromise.cure", "cures")]),
        # a hypothetical cue only reaches two words
        ("If you have arthritis, this tea cures it.", [("overpromise.cure", "cures")]),
        # a quotation closed before the term does not cover it
        ('Patients say "it changed my life" and our tea cures arthritis.', [("overpromise.cure", "cures")]),
        ("A ketogenic diet cures type 2 diabetes by removing the sugar that causes it.", [("overpromise.cure", "cures")]),
        # a consequence drawn after ", so" is a claim of its own: the "don't" before it does not reach it
        ("Women who don't take it do worse, so our tea cures arthritis.", [("overpromise.cure", "cures")]),
        ("Nobody is sure why, which means our gel is a miracle.", [("overpromise.miracle", "miracle")]),
        ("Our blue light therapy cures acne.", [("overpromise.cure", "cures")]),
        ("Results guaranteed, or cancel any time.", [("overpromise.guarantee", "Results guaranteed")]),
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
        ("Having risk factors does not guarantee you will get the disease.", "negated"),
        ("Some websites claim that turmeric can:\n\n- cure arthritis\n- reverse diabetes", "hedged (lead-in of a list)"),
        ("Be wary of products that promise to:\n\n- detox your liver\n- give instant relief", "hedged (lead-in of a list)"),
        # a list flattened into paragraphs (the NIH page the shared corpus's only finding came from)
        ("Long-term treatments for FA can:\n\nCure the anemia. Damaged cells are replaced.", "other sense (lead-in paragraph)"),
        # ConText rules from the pack's `context.rules`
        ("A cure for itching that works for everyone has not been found.", "negated (backward, clause)"),
        ("A cure is probable for men whose cancer is found early.", "hedged (backward)"),
        ("If cured, a patient must be monitored for years.", "hypothetical"),
        ("To cure the infection, all of the tissue must be removed.", "hypothetical (sentence start)"),
        ("Surgery cures primary hyperparathyroidism in more than 95 percent of operations.", "other sense: surgical"),
        ("The only cure for this condition is surgery to remove the pericardium.", "other sense: after the term"),
        ("The infection is cured when healthy nail grows back.", "other sense: infection"),
        ("The licence ends unless the violation is cured within 30 days.", "other sense: legal"),
        ('Some websites sell red yeast rice as "a natural statin with no side effects".', "inside a quotation"),
        ("“If we can get the same cure with fewer days, more people will finish it.", "quotation still open"),
        ("It has been called one of the biggest breakthroughs in stroke care.", "reported: been called"),
        ("The findings have been hailed on social media as a breakthrough.", "reported: hailed"),
        ("I saw a headline saying this tea cures arthritis. Is that right?", "reported: a headline saying"),
        ("Each layer of composite is cured with a light until it sets hard.", "other sense: dental resin"),
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


CONTEXT_PACK = """pack: house
context:
  rules:
    - category: hedged
      direction: {direction}
      scope: {scope}
      cues: [ostensibly]
rules:
  - id: wonder
    kind: phrase
    category: overpromise
    severity: error
    message: "'{{match}}' is hype"
    why: House style.
    phrases: [wonder drug]
    unless: [hedged]
"""


@pytest.mark.parametrize("direction, scope, text, flagged", [
    ("forward", 0, "It is ostensibly a wonder drug.", False),
    ("forward", 0, "It is a wonder drug, ostensibly.", True),
    ("backward", 0, "It is a wonder drug, ostensibly.", False),
    ("backward", 0, "It is ostensibly a wonder drug.", True),
    ("bidirectional", 0, "It is a wonder drug, ostensibly.", False),
    ("forward", 1, "Ostensibly it is a wonder drug.", True),  # out of scope
    ("forward", 4, "Ostensibly it is a wonder drug.", False),
    ("sentence-start", 0, "Ostensibly it is a wonder drug.", False),
    ("sentence-start", 0, "It is ostensibly a wonder drug.", True),
])
def test_context_rule_direction_and_scope(tmp_path, direction, scope, text, flagged):
    from conftest import check_json

    pack = tmp_path / "house.yaml"
    pack.write_text(CONTEXT_PACK.format(direction=direction, scope=scope), encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text(text + "\n", encoding="utf-8")
    _, report = check_json(article, str(pack))
    assert any(f["rule"] == "house.wonder" for f in report["findings"]) is flagged


@pytest.mark.parametrize("rule, message", [
    ("{category: hedged, direction: sideways, cues: [x]}", "house.yaml:4:37: context.rules[0].direction: 'sideways' is not one of"),
    ("{category: vague, direction: forward, cues: [x]}", "house.yaml:4:18: context.rules[0].category: 'vague' is not one of"),
    ("{category: hedged, direction: forward, scope: -1, cues: [x]}", "context.rules[0].scope: must be a whole number"),
    ("{category: hedged, direction: forward}", "context.rules[0]: missing required key 'cues'"),
    ("{category: hedged, direction: forward, cues: [x], colour: red}", "context.rules[0].colour: unknown key (allowed: category, cues, direction, pseudo, scope)"),
])
def test_malformed_context_rule_names_file_line_and_key(cli, tmp_path, rule, message):
    pack = tmp_path / "house.yaml"
    pack.write_text(f"pack: house\ncontext:\n  rules:\n    - {rule}\nrules: []\n", encoding="utf-8")
    result = cli("rules", "validate", pack)
    assert result.exit_code == 2
    assert message in result.stderr, result.stderr


def test_unknown_cue_list_is_an_error(cli, tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text("pack: house\ncontext:\n  negation_befor: [no]\nrules: []\n", encoding="utf-8")
    result = cli("rules", "validate", pack)
    assert result.exit_code == 2
    assert "house.yaml:3:3: context.negation_befor: unknown key" in result.stderr, result.stderr


def test_a_short_rebuttal_in_the_next_sentence_negates_the_claim(tmp_path):
    from conftest import check_json
    article = tmp_path / "rebuttal.md"
    article.write_text(
        "Other clinics will tell you this tablet is a miracle. It isn't. It can cause side effects.\n\n"
        "Some colleagues call statins a wonder drug. Neither is right, so let's look at the evidence.\n\n"
        "This serum is a miracle. No wonder our customers love it.\n",
        encoding="utf-8",
    )
    _, report = check_json(article)
    assert [(f["line"], f["text"]) for f in report["findings"] if f["category"] == "overpromise"] == [(5, "miracle")]
