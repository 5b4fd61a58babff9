"""The uncited-claim rule beyond one sentence: claims carried over two sentences, the paragraph
citation scope, quoted speech, list items that finish a lead-in, and plain-text headings and
source lists. Every case runs the real CLI on a small article written for the test."""

from __future__ import annotations

import re

import pytest

from claimlint.packs import PackError, load_pack
from conftest import check_json


def _uncited(path, *packs: str) -> list[dict]:
    _, report = check_json(path, *packs)
    return [f for f in report["findings"] if f["rule"].endswith(".uncited")]


def _lines(path, *packs: str) -> list[int]:
    return [f["line"] for f in _uncited(path, *packs)]


SOURCES = "\n## References\n\n1. Walker A. Walking and stroke. Stroke Journal. 2019.\n"


def _paragraph_pack(tmp_path, scope_keys: str) -> str:
    pack = tmp_path / "paragraphs.yaml"
    pack.write_text(f"pack: paragraphs\nextends: claims\nrules:\n  - id: uncited\n{scope_keys}", encoding="utf-8")
    return str(pack)


# a) a claim spread over two sentences, the marker at the end of the second

def test_marker_on_the_next_sentence_that_carries_the_claim_on_covers_both(tmp_path):
    article = tmp_path / "trial.md"
    article.write_text(
        "A 2019 trial followed 2,000 adults. Those who walked daily had 30% fewer strokes [1].\n" + SOURCES,
        encoding="utf-8",
    )
    assert _uncited(article) == []


def test_a_next_sentence_with_a_claim_of_its_own_covers_only_itself(tmp_path):
    article = tmp_path / "two-claims.md"
    article.write_text(
        "People lose an average of 15% of their body weight in the first year.\n"
        "It also lowers blood sugar in most users within months [1].\n\n"
        "Smoking triples the risk of stroke. Walking daily lowers blood pressure [1].\n" + SOURCES,
        encoding="utf-8",
    )
    # "It also ..." adds a claim; "Walking ..." does not refer back: both first sentences stay flagged
    assert _lines(article) == [1, 4]


def test_which_openings_carry_a_claim_on_is_pack_data(tmp_path):
    article = tmp_path / "trial.md"
    article.write_text(
        "A 2019 trial followed 2,000 adults. Those who walked daily had 30% fewer strokes [1].\n" + SOURCES,
        encoding="utf-8",
    )
    none = _paragraph_pack(tmp_path, "    carried_on_by: []\n")
    assert _lines(article, none) == [1]  # with no openings, the first sentence needs its own marker
    adds_who = _paragraph_pack(tmp_path, "    carried_on_unless: [who]\n")
    assert _lines(article, adds_who) == [1]  # "who" now counts as adding a claim of its own


# b) citation_scope: sentence (default) or paragraph

PARAGRAPH = (
    "Smoking triples the risk of stroke. Walking daily lowers blood pressure by 5 mmHg.\n"
    "Both effects were seen in large cohorts [1].\n\n"
    "Regular exercise reduces the risk of heart disease.\n" + SOURCES
)


def test_citation_scope_sentence_is_the_default(tmp_path):
    article = tmp_path / "scope.md"
    article.write_text(PARAGRAPH, encoding="utf-8")
    # the first claim is not carried on by the next sentence, the second is ("Both effects ...")
    assert _lines(article) == [1, 4]


def test_citation_scope_paragraph_lets_a_later_marker_cover_the_paragraph(tmp_path):
    article = tmp_path / "scope.md"
    article.write_text(PARAGRAPH, encoding="utf-8")
    pack = _paragraph_pack(tmp_path, "    citation_scope: paragraph\n")
    findings = _uncited(article, pack)
    assert [f["line"] for f in findings] == [4]  # the marker covers nothing outside its paragraph
    assert findings[0]["rule"] == "paragraphs.uncited"


def test_old_name_scope_still_works(tmp_path):
    article = tmp_path / "scope.md"
    article.write_text(PARAGRAPH, encoding="utf-8")
    assert _lines(article, _paragraph_pack(tmp_path, "    scope: paragraph\n")) == [4]


@pytest.mark.parametrize(
    "keys, message",
    [
        ("    citation_scope: document\n", "rules[0].citation_scope: 'document' is not one of sentence, paragraph"),
        ("    citation_scope: [paragraph]\n", "rules[0].citation_scope: must be a string"),
        ("    citation_scope: paragraph\n    scope: sentence\n",
         "rules[0].scope: 'sentence' contradicts citation_scope 'paragraph'"),
    ],
)
def test_citation_scope_is_validated(tmp_path, keys, message):
    with pytest.raises(PackError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_pack(_paragraph_pack(tmp_path, keys))


def test_citation_scope_error_from_the_cli_names_file_and_line(tmp_path, cli):
    article = tmp_path / "a.md"
    article.write_text("Walking lowers blood pressure.\n", encoding="utf-8")
    run = cli("check", article, "--pack", _paragraph_pack(tmp_path, "    citation_scope: everywhere\n"))
    assert run.exit_code == 2
    assert "paragraphs.yaml:5:21: rules[0].citation_scope: 'everywhere' is not one of sentence, paragraph" in run.stderr


def test_unless_must_name_another_cue(tmp_path):
    pack = tmp_path / "bad-unless.yaml"
    pack.write_text(
        "pack: bad-unless\nrules:\n  - id: claims\n    kind: uncited-claim\n    category: citation\n"
        "    severity: warning\n    message: m\n    why: w\n    threshold: 2\n    cues:\n"
        "      number:\n        weight: 2\n        patterns: ['\\d+%']\n"
        "      quote:\n        weight: -4\n        unless: [statistic]\n        patterns: ['said']\n",
        encoding="utf-8",
    )
    with pytest.raises(PackError, match=r"bad-unless.yaml:16:\d+: rules\[0\].cues.quote.unless\[0\]: 'statistic' is not"):
        load_pack(str(pack))


# c) quoted speech is not itself an uncited claim, unless it states a statistic

def test_quoted_speech_is_not_a_claim_unless_it_gives_a_statistic(tmp_path):
    article = tmp_path / "news.md"
    article.write_text(
        "'This is a big step,' said Dr Lee.\n\n"
        "“There is no treatment that cures measles once someone has it,” she said.\n\n"
        "Dr Osei said: \"Walking lowers blood pressure in older adults.\"\n\n"
        "“Walking cut strokes by 30% in our trial,” said Dr Lee.\n",
        encoding="utf-8",
    )
    findings = _uncited(article)
    assert [f["line"] for f in findings] == [7]
    assert "statistic '30%'" in findings[0]["message"]


def test_a_marker_on_the_lead_in_or_an_item_covers_the_list(tmp_path):
    article = tmp_path / "cited-list.md"
    article.write_text(
        "Regular walking lowers the risk of [1]:\n\n- heart disease\n- stroke\n\n"
        "Smoking raises the risk of:\n\n- lung cancer [1]\n- stroke\n\n"
        "Every night, the pads:\n\n- flush toxins out through your skin\n- boost circulation\n" + SOURCES,
        encoding="utf-8",
    )
    assert _lines(article) == [11]


# plain text: headings over a paragraph and a source list under a heading

def test_plain_text_title_lines_and_source_list_are_not_claims(tmp_path):
    article = tmp_path / "newsletter.txt"
    article.write_text(
        "Kidney Stones: Preventing the Next One\n"
        "Urology Department Patient Newsletter, Spring 2024\n\n"
        "Drinking more water lowers the risk of a new stone (Borghi et al., 1996).\n"
        "Eating a lot of salt makes your kidneys pass more calcium.\n\n"
        "Sources we used\n"
        "Borghi L, et al. Urinary volume and the risk of recurrent stones: a randomised trial. J Urol. 1996.\n",
        encoding="utf-8",
    )
    assert _lines(article) == [5]


def test_a_wrapped_paragraph_is_not_read_as_a_title(tmp_path):
    article = tmp_path / "wrapped.txt"
    article.write_text(
        "Most dementia is not directly inherited. Having a parent with late-onset\n"
        "Alzheimer's disease only slightly raises your own risk.\n",
        encoding="utf-8",
    )
    findings = _uncited(article)
    assert [f["line"] for f in findings] == [1, 1]
    assert findings[1]["sentence"].startswith("Having a parent with late-onset Alzheimer's disease")


def test_list_items_are_judged_with_their_lead_in_and_reported_on_it(tmp_path):
    article = tmp_path / "pads.md"
    article.write_text(
        "Every night, the pads:\n\n"
        "- flush toxins out through your skin\n"
        "- boost circulation\n\n"
        "Some groups should take vitamin D all year round:\n\n"
        "- people who are rarely outdoors\n"
        "- people with dark skin\n",
        encoding="utf-8",
    )
    findings = _uncited(article)
    assert [f["line"] for f in findings] == [1]  # one claim, on its lead-in; the advice list is not one
    assert "with the list that finishes it" in findings[0]["message"]


def test_a_paragraph_or_heading_that_stops_mid_sentence_leads_into_its_list(tmp_path):
    article = tmp_path / "lead-ins.md"
    article.write_text(
        "Your chances of getting gestational diabetes are higher if you\n\n"
        "- are overweight\n"
        "- have had gestational diabetes before\n\n"
        "## See a GP if\n\n"
        "- the pain has not improved after 2 weeks of treating it yourself\n"
        "- the pain is severe or stops you doing normal activities\n\n"
        "## Causes\n\n"
        "- smoking damages the lining of your arteries\n",
        encoding="utf-8",
    )
    findings = _uncited(article)
    # the claim is reported once, where its sentence starts; the conditions under an advice
    # heading complete the advice; a heading that ends a sentence ("Causes") leads into nothing
    assert [f["line"] for f in findings] == [1, 13]


def test_without_lead_in_endings_or_advice_headings_only_a_colon_makes_a_lead_in(tmp_path):
    pack = tmp_path / "colons.yaml"
    pack.write_text("pack: colons\nextends: claims\nrules:\n  - id: uncited\n    lead_in_endings: []\n    advice_headings: []\n",
                    encoding="utf-8")
    article = tmp_path / "gp.md"
    article.write_text("## See a GP if\n\n- the pain has not improved after 2 weeks of treating it yourself\n",
                       encoding="utf-8")
    assert _lines(article, str(pack)) == [3]


def test_bare_digit_list_after_a_number_word_is_a_marker_in_an_article_citing_by_digits(tmp_path):
    article = tmp_path / "bare.txt"
    article.write_text(
        "About 1 in 4 adults will get shingles at some point in their life 1.\n"
        "The risk and the severity both go up with age 1, 2.\n"
        "Vaccination prevents most cases of shingles 2. It is offered to everyone over 65.\n\n"
        "Sources\n"
        "1. Harpaz R. Shingles epidemiology. 2008.\n"
        "2. Yawn BP. Age and shingles. 2007.\n",
        encoding="utf-8",
    )
    _, report = check_json(article)
    assert [f for f in report["findings"] if f["category"] in ("citation", "reference")] == []


def test_a_cue_in_a_hypothetical_context_does_not_count(tmp_path):
    article = tmp_path / "if.md"
    article.write_text("If it lowers blood pressure, the drug will be tested next year.\n\n"
                       "The drug lowers blood pressure in most adults.\n", encoding="utf-8")
    findings = _uncited(article)
    assert [f["line"] for f in findings] == [3]  # the conditional asserts no effect
    assert "causal or efficacy verb 'lowers'" in findings[0]["message"]


def test_unless_context_names_context_categories(tmp_path):
    pack = tmp_path / "bad-context.yaml"
    pack.write_text(
        "pack: bad-context\nrules:\n  - id: claims\n    kind: uncited-claim\n    category: citation\n"
        "    severity: warning\n    message: m\n    why: w\n    threshold: 2\n    cues:\n"
        "      effect:\n        weight: 1\n        phrases: [cures]\n        unless_context: [maybe]\n",
        encoding="utf-8",
    )
    with pytest.raises(PackError, match=r"bad-context.yaml:14:\d+: rules\[0\].cues.effect.unless_context\[0\]: 'maybe' is not a context"):
        load_pack(str(pack))


def test_the_list_under_an_advice_heading_gives_conditions_not_claims(tmp_path):
    article = tmp_path / "gp.md"
    article.write_text(
        "## When to see a GP\n\n"
        "- the cold sore has not started to heal after 10 days\n"
        "- the pain is severe or stops you doing normal activities\n\n"
        "## How it spreads\n\n"
        "- the virus spreads through kissing and causes blisters within 3 days\n",
        encoding="utf-8",
    )
    assert _lines(article) == [8]


def test_a_reference_entry_is_never_a_claim_even_under_an_unknown_heading(tmp_path):
    article = tmp_path / "geeky.md"
    article.write_text(
        "Creatine is safe for healthy adults (Kreider et al., 2017).\n\n"
        "## The geeky bit\n\n"
        "Kreider RB, Kalman DS, Antonio J, et al. Safety and efficacy of creatine supplementation. "
        "J Int Soc Sports Nutr. 2017.\n\n"
        "Vitamin D, calcium and exercise protect bones in older women, a 2019 trial found.\n",
        encoding="utf-8",
    )
    assert _lines(article) == [7]  # the entry is not a claim; 'Vitamin D, calcium' is no author list


# word evidence: fitted word weights on top of the hand cues

_WORDS_PACK = (
    "pack: words\nrules:\n  - id: claims\n    kind: uncited-claim\n    category: citation\n"
    "    severity: warning\n    message: 'Uncited: {reasons}'\n    why: w\n    threshold: 2\n    cues:\n"
    "      number:\n        weight: 2\n        patterns: ['\\d+%']\n"
)


def _words_pack(tmp_path, evidence: str) -> str:
    pack = tmp_path / "words.yaml"
    pack.write_text(_WORDS_PACK + evidence, encoding="utf-8")
    return str(pack)


def _words_findings(article, pack: str) -> list[dict]:
    _, report = check_json(article, pack)
    return [f for f in report["findings"] if f["rule"] == "words.claims"]


def test_word_evidence_makes_a_claim_no_cue_describes_and_names_its_words(tmp_path):
    article = tmp_path / "lupus.md"
    article.write_text("Lupus mostly affects women.\n\nWe meet on Tuesdays.\n\nAbout 90% of us drink tea.\n",
                       encoding="utf-8")
    assert [f["line"] for f in _words_findings(article, _words_pack(tmp_path, ""))] == [5]
    evidence = ("    word_evidence:\n      baseline: -0.5\n      shown: 2\n      unnamed: [Lupus]\n"
                "      weights: {lupus: 1.5, women: 0.75, affects: 0.5, tea: -3, <number>: 0.25}\n")
    findings = _words_findings(article, _words_pack(tmp_path, evidence))
    assert [f["line"] for f in findings] == [1]  # 2.25 >= 2; the tea line: 2 - 0.5 + 0.25 - 3 < 2
    # 'lupus' weighs most but is unnamed: it counts, and the reason names the next two
    assert findings[0]["reasons"][0] == "word evidence +2.25 ('women' +0.75, 'affects' +0.50)"
    assert findings[0]["reasons"][1] == "score 2.25 >= 2"
    assert findings[0]["message"] == "Uncited: word evidence +2.25 ('women' +0.75, 'affects' +0.50)"


def test_the_message_names_word_evidence_only_where_the_cues_fell_short(tmp_path):
    article = tmp_path / "tea.md"
    article.write_text("About 90% of us drink tea.\n", encoding="utf-8")
    evidence = "    word_evidence:\n      weights: {tea: 0.5}\n"
    [finding] = _words_findings(article, _words_pack(tmp_path, evidence))
    assert finding["message"] == "Uncited: number '90%'"
    assert finding["reasons"][:2] == ["number '90%'", "word evidence +0.50 ('tea' +0.50)"]


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        ("    word_evidence: {weights: {lupus: one}}\n", r"word_evidence.weights.lupus: must be a number"),
        ("    word_evidence: {weights: {don't: 1}}\n", r"word_evidence.weights.don't: must be one lowercase word"),
        ("    word_evidence: {weights: {Lupus: 1}}\n", r"word_evidence.weights.Lupus: must be one lowercase word"),
        ("    word_evidence: {weights: {}}\n", r"word_evidence.weights: must be a mapping of word to weight"),
        ("    word_evidence: {weights: {a: 1}, bias: 2}\n", r"word_evidence.bias: unknown key"),
        ("    word_evidence: [lupus]\n", r"word_evidence: must be a mapping"),
        ("    word_evidence: {weights: {a: 1}, unnamed: the}\n", r"word_evidence.unnamed: must be a list of words"),
        ("    word_evidence: {weights: {a: 1}, unnamed: [on]}\n", r"word_evidence.unnamed: .*quote on, off"),
    ],
)
def test_word_evidence_is_validated_with_file_line_and_key(tmp_path, cli, evidence, message):
    article = tmp_path / "a.md"
    article.write_text("Lupus mostly affects women.\n", encoding="utf-8")
    run = cli("check", article, "--pack", _words_pack(tmp_path, evidence))
    assert run.exit_code == 2
    assert "Traceback" not in run.stderr
    assert re.search(r"words\.yaml:14:\d+: rules\[0\]\." + message, run.stderr), run.stderr
