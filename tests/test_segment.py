"""Sentence segmentation (src/claimlint/segment.py): hard cases, offsets, masked markers."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimlint.segment import LanguageError, Segmenter, english, spans, vetoed


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter()


def sentences(segmenter: Segmenter, text: str) -> list[str]:
    found = segmenter.split(text)
    assert_valid(text, found)
    return [text[start:end] for start, end in found]


def assert_valid(text: str, found: list[tuple[int, int]]) -> None:
    """Spans are ordered, trimmed, and cover every non-space character exactly once."""
    previous_end = 0
    covered = set()
    for start, end in found:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip(), (text, piece)
        covered.update(range(start, end))
        previous_end = end
    non_space = {i for i, char in enumerate(text) if not char.isspace()}
    assert non_space <= covered, text
    assert all(text[i].isspace() for i in set(range(len(text))) - covered)


CASES = {
    # Latin abbreviations never end a sentence
    "e.g.": (
        "Some foods, e.g. oily fish, contain omega-3 fats. They may support heart health.",
        ["Some foods, e.g. oily fish, contain omega-3 fats.", "They may support heart health."],
    ),
    "e.g. before a capital": (
        "Avoid painkillers that irritate the stomach, e.g. Ibuprofen. Paracetamol is gentler.",
        ["Avoid painkillers that irritate the stomach, e.g. Ibuprofen.", "Paracetamol is gentler."],
    ),
    "E.g. starting a sentence": (
        "Some drinks are high in sugar. E.g. Cola has nine teaspoons a can.",
        ["Some drinks are high in sugar.", "E.g. Cola has nine teaspoons a can."],
    ),
    "i.e.": (
        "Take the tablet with food, i.e. During a meal. This reduces nausea.",
        ["Take the tablet with food, i.e. During a meal.", "This reduces nausea."],
    ),
    # et al.
    "et al. then lowercase": (
        "Okoro et al. reported fewer migraines in the treated group. The effect was small.",
        ["Okoro et al. reported fewer migraines in the treated group.", "The effect was small."],
    ),
    "et al. then comma": (
        "Migraines were less frequent (Okoro et al., 2019). The effect was small.",
        ["Migraines were less frequent (Okoro et al., 2019).", "The effect was small."],
    ),
    "et al. then year in brackets": (
        "Okoro et al. (2019) reported fewer migraines. The effect was small.",
        ["Okoro et al. (2019) reported fewer migraines.", "The effect was small."],
    ),
    "et al. then year": (
        "As Okoro et al. 2019 showed, the effect was small. Larger trials followed.",
        ["As Okoro et al. 2019 showed, the effect was small.", "Larger trials followed."],
    ),
    "et al. ends before a capital": (
        "The first trial was run by Okoro et al. Later trials found no effect.",
        ["The first trial was run by Okoro et al.", "Later trials found no effect."],
    ),
    # titles
    "Dr.": (
        "Dr. Patel recommends a yearly flu jab. Ask your pharmacist about it.",
        ["Dr. Patel recommends a yearly flu jab.", "Ask your pharmacist about it."],
    ),
    "Mr. and Mrs.": (
        "Mr. Lee and Mrs. Lee both had shingles last year. Both recovered within a month.",
        ["Mr. Lee and Mrs. Lee both had shingles last year.", "Both recovered within a month."],
    ),
    "Prof.": (
        "The study was led by Prof. Adams at a London clinic. It enrolled 400 adults.",
        ["The study was led by Prof. Adams at a London clinic.", "It enrolled 400 adults."],
    ),
    "vs.": (
        "Walking vs. Running: both lower blood pressure. Choose the one you enjoy.",
        ["Walking vs. Running: both lower blood pressure.", "Choose the one you enjoy."],
    ),
    "approx.": (
        "One can contains approx. 160 mg of caffeine. That is about two cups of coffee.",
        ["One can contains approx. 160 mg of caffeine.", "That is about two cups of coffee."],
    ),
    "Fig. in brackets": (
        "Blood pressure fell in the treated group (see Fig. 3). Heart rate did not change.",
        ["Blood pressure fell in the treated group (see Fig. 3).", "Heart rate did not change."],
    ),
    "Fig. then capital": (
        "The trend is shown in Fig. B on the next page. Most patients improved.",
        ["The trend is shown in Fig. B on the next page.", "Most patients improved."],
    ),
    "No. 5": (
        "The drug is listed as No. 5 on the schedule. It needs a prescription.",
        ["The drug is listed as No. 5 on the schedule.", "It needs a prescription."],
    ),
    "no. as a word": (
        "Does everyone need a booster? The short answer is no. Most adults are protected.",
        ["Does everyone need a booster?", "The short answer is no.", "Most adults are protected."],
    ),
    "St. John's wort": (
        "St. John's wort can stop the pill from working. Tell your doctor if you take it.",
        ["St. John's wort can stop the pill from working.", "Tell your doctor if you take it."],
    ),
    # numbers and statistics
    "2.5 mg": (
        "The usual dose is 2.5 mg twice a day. Do not take more than 5 mg.",
        ["The usual dose is 2.5 mg twice a day.", "Do not take more than 5 mg."],
    ),
    "decimals": (
        "Average HbA1c fell from 8.1 to 7.4 percent after 0.5 years. The change was modest.",
        ["Average HbA1c fell from 8.1 to 7.4 percent after 0.5 years.", "The change was modest."],
    ),
    "p < 0.05": (
        "Pain scores improved with the exercise plan (p < 0.05). Sleep did not change.",
        ["Pain scores improved with the exercise plan (p < 0.05).", "Sleep did not change."],
    ),
    "p = 0.003": (
        "The difference was significant at p = 0.003. Larger trials are planned.",
        ["The difference was significant at p = 0.003.", "Larger trials are planned."],
    ),
    "sentence starting with a number": (
        "The trial ran for two years. 120 adults took part.",
        ["The trial ran for two years.", "120 adults took part."],
    ),
    "sentence ending with a unit": (
        "Most adults take a dose of 10 mg. Children need less.",
        ["Most adults take a dose of 10 mg.", "Children need less."],
    ),
    # countries
    "U.S. then lowercase": (
        "About 1 in 10 adults in the U.S. has diabetes. Many do not know it.",
        ["About 1 in 10 adults in the U.S. has diabetes.", "Many do not know it."],
    ),
    "U.S. ends a sentence": (
        "Type 2 diabetes is common in the U.S. The risk rises with age.",
        ["Type 2 diabetes is common in the U.S.", "The risk rises with age."],
    ),
    "U.S. before a name": (
        "The U.S. Food and Drug Administration approved the drug in 2019. It is sold as a tablet.",
        ["The U.S. Food and Drug Administration approved the drug in 2019.", "It is sold as a tablet."],
    ),
    "U.K. before a name": (
        "Most people in the U.K. Biobank cohort were over 40. Few of them smoked.",
        ["Most people in the U.K. Biobank cohort were over 40.", "Few of them smoked."],
    ),
    "U.K. ends a sentence": (
        "The vaccine is licensed in the U.K. In France it is still under review.",
        ["The vaccine is licensed in the U.K.", "In France it is still under review."],
    ),
    # times and dates
    "a.m. and p.m. in a sentence": (
        "Take one tablet at 8 a.m. and one at 8 p.m. every day. Do not skip doses.",
        ["Take one tablet at 8 a.m. and one at 8 p.m. every day.", "Do not skip doses."],
    ),
    "a.m. ends a sentence": (
        "Take the tablet at 7 a.m. Then wait an hour before breakfast.",
        ["Take the tablet at 7 a.m.", "Then wait an hour before breakfast."],
    ),
    "Jan. 2020": (
        "The guidance changed in Jan. 2020 after a review. It now advises lower doses.",
        ["The guidance changed in Jan. 2020 after a review.", "It now advises lower doses."],
    ),
    # words the tokenizer keeps with their full stop
    "CAR-T.": (
        "Some lymphomas now respond to CAR-T. These cells are engineered to attack cancer.",
        ["Some lymphomas now respond to CAR-T.", "These cells are engineered to attack cancer."],
    ),
    "hepatitis B.": (
        "The vaccine protects against hepatitis B. It is given in three doses.",
        ["The vaccine protects against hepatitis B.", "It is given in three doses."],
    ),
    "vitamin C. at the start of a sentence": (
        "Vitamin C. It may shorten a cold by a day or so.",
        ["Vitamin C.", "It may shorten a cold by a day or so."],
    ),
    "hepatitis B and C.": (
        "Screening covers both hepatitis B and C. Results take a week.",
        ["Screening covers both hepatitis B and C.", "Results take a week."],
    ),
    # initials
    "initials in names": (
        "J. Smith and K. Okafor ran the trial in Leeds. It was small.",
        ["J. Smith and K. Okafor ran the trial in Leeds.", "It was small."],
    ),
    "initial after by": (
        "The review by J. Smith found no benefit from zinc. Colds lasted as long.",
        ["The review by J. Smith found no benefit from zinc.", "Colds lasted as long."],
    ),
    "title and initial": (
        "Ask Dr. A. Rahman about the trial. She runs the clinic.",
        ["Ask Dr. A. Rahman about the trial.", "She runs the clinic."],
    ),
    # ellipsis
    "ellipsis then capital": (
        "It might help with joint pain... Nobody knows yet.",
        ["It might help with joint pain...", "Nobody knows yet."],
    ),
    "ellipsis then lowercase": (
        "It might help with joint pain... or it might not.",
        ["It might help with joint pain... or it might not."],
    ),
    "unicode ellipsis": (
        "Some say garlic lowers cholesterol… The evidence is weak.",
        ["Some say garlic lowers cholesterol…", "The evidence is weak."],
    ),
    # quotes and brackets
    "closing straight quote": (
        'He said "it works." Then he stopped taking the pills.',
        ['He said "it works."', "Then he stopped taking the pills."],
    ),
    "closing curly quote": (
        "She called the diet \u201ca miracle.\u201d Doctors disagree.",
        ["She called the diet \u201ca miracle.\u201d", "Doctors disagree."],
    ),
    "sentences inside a quotation stay together": (
        'The leaflet says "Take one a day. Do not exceed the dose." Follow it.',
        ['The leaflet says "Take one a day. Do not exceed the dose."', "Follow it."],
    ),
    "sentence in brackets": (
        "Rest helps. (Most people recover in a week.) See a GP if it lasts longer.",
        ["Rest helps.", "(Most people recover in a week.)", "See a GP if it lasts longer."],
    ),
    "next sentence opens with a quote": (
        'Some adverts promise quick results. "Lose 10 kg in a week" is not realistic.',
        ["Some adverts promise quick results.", '"Lose 10 kg in a week" is not realistic.'],
    ),
    # other endings
    "! and ?": (
        "Is it safe for children? Most studies say yes! Still, ask a pharmacist first.",
        ["Is it safe for children?", "Most studies say yes!", "Still, ask a pharmacist first."],
    ),
    "? then lowercase": (
        "Should you worry? not usually, say most doctors.",
        ["Should you worry? not usually, say most doctors."],
    ),
    "lowercase after an abbreviation": (
        "Common triggers include cheese, red wine, etc. and some people react to chocolate.",
        ["Common triggers include cheese, red wine, etc. and some people react to chocolate."],
    ),
    "lowercase after a full stop": (
        "Doses are given in mg. per kilogram of body weight.",
        ["Doses are given in mg. per kilogram of body weight."],
    ),
    "mRNA starts a sentence": (
        "The vaccine was approved in 2021. mRNA vaccines teach cells to make one protein.",
        ["The vaccine was approved in 2021.", "mRNA vaccines teach cells to make one protein."],
    ),
    "space lost between sentences": (
        "Take it with a glass of water.Do not crush the tablet.",
        ["Take it with a glass of water.", "Do not crush the tablet."],
    ),
    "line break between sentences": (
        "Most colds clear up in a week.\nSee a GP if symptoms last longer.",
        ["Most colds clear up in a week.", "See a GP if symptoms last longer."],
    ),
    "dotted dosing abbreviation": (
        "Take it b.i.d. with meals for ten days.",
        ["Take it b.i.d. with meals for ten days."],
    ),
    # abbreviations at the very end of the block
    "ends with etc.": (
        "Eat more fibre. Good sources include oats, beans, lentils, etc.",
        ["Eat more fibre.", "Good sources include oats, beans, lentils, etc."],
    ),
    "ends with et al.": (
        "The largest trial so far was led by Okoro et al.",
        ["The largest trial so far was led by Okoro et al."],
    ),
    "ends with U.S.": (
        "The drug is only sold in the U.S.",
        ["The drug is only sold in the U.S."],
    ),
    "ends with e.g.": (
        "Some supplements interact with medicines, e.g.",
        ["Some supplements interact with medicines, e.g."],
    ),
    "emoji after a full stop stay with their sentence": (
        "Please don't use cotton buds or keys. 😬 Cotton buds push wax further in. Great! 🎉🎉 We won.",
        ["Please don't use cotton buds or keys. 😬", "Cotton buds push wax further in.", "Great! 🎉🎉", "We won."],
    ),
    # blocks without a final full stop are one sentence
    "heading": ("Side effects of statins", ["Side effects of statins"]),
    "list item": ("Headache, nausea or dizziness", ["Headache, nausea or dizziness"]),
    "table cell with a dose": ("2.5 mg once a day", ["2.5 mg once a day"]),
    "surrounding whitespace": ("  \n Drink plenty of fluids.  \t", ["Drink plenty of fluids."]),
}


@pytest.mark.parametrize("text, expected", list(CASES.values()), ids=list(CASES))
def test_hard_cases(segmenter: Segmenter, text: str, expected: list[str]) -> None:
    assert sentences(segmenter, text) == expected


# Citation markers have been replaced by spaces of the same length before segmentation.
MASKED = {
    "marker after the full stop": (
        "Statins lower the risk of a heart attack.    Most people tolerate them well.",
        ["Statins lower the risk of a heart attack.", "Most people tolerate them well."],
    ),
    "marker before the full stop": (
        "Smoking raises the risk by 20%  . Quitting helps at any age.",
        ["Smoking raises the risk by 20%  .", "Quitting helps at any age."],
    ),
    "range marker before the full stop": (
        "Exercise improves sleep quality      . It also lifts mood.",
        ["Exercise improves sleep quality      .", "It also lifts mood."],
    ),
    "superscript marker after the full stop": (
        "Fibre lowers cholesterol. \u0020 Oats are a good source.",
        ["Fibre lowers cholesterol.", "Oats are a good source."],
    ),
    "author-year marker blanked": (
        "Zinc may shorten colds                      . It does not prevent them.",
        ["Zinc may shorten colds                      .", "It does not prevent them."],
    ),
    "marker after an abbreviation": (
        "Okoro et al.     found fewer migraines. The effect was small.",
        ["Okoro et al.     found fewer migraines.", "The effect was small."],
    ),
    "marker at the very end": (
        "Vitamin D supports bone health.      ",
        ["Vitamin D supports bone health."],
    ),
}


@pytest.mark.parametrize("text, expected", list(MASKED.values()), ids=list(MASKED))
def test_masked_markers(segmenter: Segmenter, text: str, expected: list[str]) -> None:
    assert sentences(segmenter, text) == expected


def test_unmasked_markers_stay_with_their_sentence(segmenter: Segmenter) -> None:
    text = "Fibre lowers cholesterol.[3] Oats are a good source.\u00b2 Eat them daily."
    assert sentences(segmenter, text) == [
        "Fibre lowers cholesterol.[3]",
        "Oats are a good source.\u00b2",
        "Eat them daily.",
    ]


def test_offsets_are_exact(segmenter: Segmenter) -> None:
    text = "  Dr. Patel said \u201cit helps.\u201d   Most adults improve (p < 0.05)  .\n\nAsk first!  "
    found = segmenter.split(text)
    assert_valid(text, found)
    assert found == [(2, 28), (31, 64), (66, 76)]
    assert [text[a:b] for a, b in found] == [
        "Dr. Patel said \u201cit helps.\u201d",
        "Most adults improve (p < 0.05)  .",
        "Ask first!",
    ]


@pytest.mark.parametrize("text", ["", " ", "   \n\t  ", "\u00a0"])
def test_empty_text(segmenter: Segmenter, text: str) -> None:
    assert segmenter.split(text) == []
    assert segmenter.split_many([text]) == [[]]


def test_split_many_matches_split(segmenter: Segmenter) -> None:
    texts = [text for text, _ in CASES.values()] + ["", "   "] + [text for text, _ in MASKED.values()]
    assert segmenter.split_many(texts) == [segmenter.split(text) for text in texts]
    assert segmenter.split_many([]) == []


def test_long_block(segmenter: Segmenter) -> None:
    pattern = [
        "Okoro et al. found that walking lowers blood pressure by approx. 5 mmHg.",
        "Dr. Patel, e.g., advises 30 minutes a day (p < 0.05).",
        "Is it enough?",
        "Most adults in the U.S. do not walk that much!",
        'One patient said "it changed my life."',
    ]
    words_per_round = sum(len(sentence.split()) for sentence in pattern)
    rounds = 5000 // words_per_round + 1
    text = " ".join(pattern * rounds)
    assert len(text.split()) >= 5000
    assert sentences(segmenter, text) == pattern * rounds


def test_doc_sentence_starts_are_set(segmenter: Segmenter) -> None:
    text = "Dr. Patel recommends it. Most people tolerate it."
    doc = segmenter.nlp(text)
    assert [sent.text.strip() for sent in doc.sents] == ["Dr. Patel recommends it.", "Most people tolerate it."]
    assert [token.is_sent_start for token in doc][:3] == [True, False, False]


ALPHABET = st.sampled_from(
    list("aAbT. !?\"'()[]\u201c\u201d\n\t,05") + ["e.g.", "et al.", "Dr.", "U.S.", "...", "\u2026", "  ", "mRNA"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_spans_are_valid_for_any_text(text: str) -> None:
    segmenter = _shared_segmenter()
    found = segmenter.split(text)
    assert_valid(text, found)
    assert segmenter.split_many([text, text]) == [found, found]


_SHARED: list[Segmenter] = []


def _shared_segmenter() -> Segmenter:
    if not _SHARED:
        _SHARED.append(Segmenter())
    return _SHARED[0]


def test_spans_helper() -> None:
    text = "  One.   Two.  "
    assert spans(text, [9]) == [(2, 6), (9, 13)]
    assert spans(text, []) == [(2, 13)]
    assert spans("   ", []) == []


def test_language_data_is_packaged() -> None:
    data = english()
    assert "e.g." in data.never and "Dr." in data.never
    assert "et al." in data.may_end and "etc." in data.may_end
    assert "U.S." in data.before_name and "No." in data.before_number
    assert "vitamin" in data.letter_words


def test_import_does_not_import_spacy() -> None:
    code = "import sys, claimlint.segment; print('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_missing_pipeline_is_a_clear_error() -> None:
    with pytest.raises(LanguageError) as raised:
        Segmenter("xx_claimlint_no_such_pipeline")
    assert str(raised.value) == (
        "spaCy pipeline 'xx_claimlint_no_such_pipeline' is not installed; install it or use language: blank"
    )


def test_trained_pipeline_boundaries_get_abbreviation_fixes(tmp_path) -> None:
    """A saved pipeline whose own boundaries come from spaCy's sentencizer (which splits after
    "et al." and "Fig."): our rules veto those splits and keep the others."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "pipeline")
    segmenter = Segmenter(str(tmp_path / "pipeline"))
    text = "Okoro et al. found it works. See Fig. 2 for the data. Take approx. 5 mg daily. It helps!"
    found = segmenter.split(text)
    assert_valid(text, found)
    assert [text[a:b] for a, b in found] == [
        "Okoro et al. found it works.",
        "See Fig. 2 for the data.",
        "Take approx. 5 mg daily.",
        "It helps!",
    ]
    assert segmenter.split_many([text, ""]) == [found, []]


def test_veto_only_judges_boundaries_after_punctuation() -> None:
    text = "Okoro et al. found it. It works"
    assert vetoed(text, text.index("found"))
    assert not vetoed(text, text.index("It"))
    assert not vetoed("Results Most adults", len("Results "))


def _installed(name: str) -> bool:
    from importlib.util import find_spec

    return find_spec(name) is not None


@pytest.mark.skipif(
    not _installed("en_core_web_sm"),
    reason="the trained pipeline en_core_web_sm is not installed (optional; never downloaded by tests)",
)
def test_installed_trained_pipeline() -> None:
    segmenter = Segmenter("en_core_web_sm")
    text = "Okoro et al. found that walking helps. Dr. Patel agrees. Most adults can do it."
    assert sentences(segmenter, text) == [
        "Okoro et al. found that walking helps.",
        "Dr. Patel agrees.",
        "Most adults can do it.",
    ]


def _blocks_of(folder) -> list[str]:
    """The text of every block of every file under `folder`, as read, and as the engine hands it
    to the segmenter (citation markers masked)."""
    from claimlint import citations
    from claimlint.readers import format_for, read_source

    texts = []
    for path in sorted(folder.rglob("*")):
        fmt = format_for(str(path)) if path.is_file() else None
        if fmt is None:
            continue
        document = read_source(str(path), path.read_text(encoding="utf-8", errors="replace"), fmt)
        sources = citations.find_sources(document.blocks)
        for block in document.blocks:
            texts.append(block.text)
            texts.append(citations.mask(block.text, citations.find_markers(block, sources)))
    return texts


def test_direct_spans_are_the_spacy_blank_pipeline_spans() -> None:
    """With language: blank, Segmenter.split computes our boundary rules directly, without
    spaCy. The definition is still spaCy's blank English pipeline with our component: over
    every block of every file in tests/corpus and examples/ (plus the hard cases), both give
    the same spans."""
    from pathlib import Path

    from claimlint.segment import STARTS_KEY, _break_long_runs

    root = Path(__file__).resolve().parent.parent
    texts = _blocks_of(root / "tests" / "corpus") + _blocks_of(root / "examples")
    texts += [text for text, _ in CASES.values()] + [text for text, _ in MASKED.values()]
    texts += ["x" * 500 + ". Then more.", "(" * 300 + " a. B."]  # long runs, broken up for spaCy
    assert len(texts) > 2000
    direct = Segmenter()
    assert direct._nlp is None  # not built until someone asks for Docs
    nlp = direct.nlp
    for text in texts:
        expected = [] if not text or text.isspace() else spans(text, nlp(_break_long_runs(text)).user_data[STARTS_KEY])
        assert direct.split(text) == expected, text
