"""Citation markers in every style, source lists, and dangling / unused / out-of-order references,
through real files and the real pipeline."""

from __future__ import annotations

import pytest

from claimlint.inputs import read_text
from claimlint.readers import format_for, read_source
from conftest import FILES, check_json

MARKERS = FILES / "markers"


def analyse(linter, path):
    path = str(path)
    return linter.analyse(read_source(path, read_text(path), format_for(path)))


def markers_by_sentence(analysis):
    return {
        s.text.split()[0] + " " + s.text.split()[1]: [(m.style, m.labels) for m in s.markers]
        for s in analysis.sentences
        if s.markers
    }


def test_every_marker_style_in_markdown(linter):
    found = markers_by_sentence(analyse(linter, MARKERS / "all-styles.md"))
    assert found == {
        "Brisk walking": [("bracket", ("1",))],
        "Statins cut": [("bracket", ("2", "3"))],
        "Vitamin D": [("bracket", ("1", "2", "3"))],
        "Flu vaccines": [("bracket", ("1", "2", "3"))],
        "Exercise reduced": [("footnote", ("walk",))],
        "Aspirin lowered": [("superscript", ("1",))],
        "Daily fibre": [("superscript", ("1", "2"))],
        "Smoking doubles": [("sup", ("4",))],
        "Metformin reduced": [("author-year", ("Knowler et al., 2002",))],
        "Salt reduction": [("author-year", ("He & MacGregor 2013; Aburto 2013",))],
        "A trial": [("link", ("https://doi.org/10.1000/xyz123",))],
        "Sleep loss": [("bracket", ("9",))],
        "Screening cut": [("footnote", ("ghost",))],
    }


def test_exponent_is_not_a_marker(linter):
    analysis = analyse(linter, MARKERS / "all-styles.md")
    obesity = [s for s in analysis.sentences if s.text.startswith("Obesity")][0]
    assert obesity.markers == []


def test_markers_after_the_full_stop_belong_to_the_sentence_before(linter):
    analysis = analyse(linter, MARKERS / "all-styles.md")
    texts = [s.text for s in analysis.sentences]
    assert "Exercise reduced depression scores in 300 adults.[^walk]" in texts
    assert "Aspirin lowered the risk of bowel cancer by 20%.¹" in texts


def test_bare_trailing_digits_are_markers_only_where_the_source_list_allows(linter):
    analysis = analyse(linter, MARKERS / "bare-digits.txt")
    found = {s.text: [(m.style, m.labels) for m in s.markers] for s in analysis.sentences}
    assert found["A new cell therapy targets a protein found on B-cells 1."] == [("bare-digits", ("1",))]
    remission = [t for t in found if t.startswith("In the first")][0]
    assert found[remission] == [("bare-digits", ("2", "3"))]
    assert found["Lupus affects roughly 1 in 25."] == []
    assert [t for t in found if t.startswith("It is most common")] and all(
        not v for t, v in found.items() if t.startswith("It is most common")
    )


def test_bare_digits_without_a_source_list_are_numbers(linter):
    text = "A new cell therapy targets a protein found on B-cells 1.\n"
    analysis = linter.analyse(read_source("x.txt", text, "text"))
    assert analysis.sentences[0].markers == []


def test_a_number_before_a_unit_is_no_bare_marker(tmp_path):
    text = (
        "Gout is common in men over 40 [1]. Colchicine settles a flare [2, 3].\n"
        "Treatment works best when it is started within 24 hours of the first twinge.\n"
        "Nurse-led care recruited 312 adults with gout [4].\n\n"
        "References\n\n1. NICE. Gout. 2022.\n2. Dalbeth N, et al. Gout. Lancet. 2021.\n"
        "3. Roddy E, et al. Colchicine for gout. BMJ. 2019.\n4. Doherty M, et al. Nurse-led care. Lancet. 2018.\n"
    )
    article = tmp_path / "gout.txt"
    article.write_text(text, encoding="utf-8")
    _, report = check_json(article)
    assert [(f["line"], f["rule"]) for f in report["findings"]] == [(2, "claims.uncited")]


def test_html_sup_and_ol_reference_list(linter):
    analysis = analyse(linter, MARKERS / "sup-list.html")
    assert sorted(analysis.sources.numbered) == ["1", "2"]
    styles = [[(m.style, m.labels) for m in s.markers] for s in analysis.sentences]
    assert styles[1:4] == [[("sup", ("1",))], [("anchor", ("2",))], [("sup", ("5",))]]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("all-styles.md", [(17, 46, "references.dangling", "[9]"), (18, 47, "references.dangling", "[^ghost]")]),
        ("bare-digits.txt", [(13, 4, "references.unused", "Lupus UK. About lupus. 2023.")]),
        ("sup-list.html", [(7, 56, "references.dangling", "5")]),
    ],
)
def test_reference_findings_point_at_the_marker(cli, name, expected):
    run = cli("check", MARKERS / name, "--format", "json")
    found = [(f["line"], f["column"], f["rule"], f["text"]) for f in run.json["findings"]
             if f["rule"].startswith("references.")]
    assert found == expected


def test_order_rule(cli, tmp_path):
    article = tmp_path / "order.md"
    article.write_text(
        "Walking lowers blood pressure [2]. Swimming helps too [1]. Both help [2].\n\n"
        "## References\n\n1. Smith J. Swimming. 2020.\n2. Lee K. Walking. 2019.\n"
    )
    run = cli("check", article, "--format", "json")
    order = [(f["line"], f["column"], f["text"]) for f in run.json["findings"] if f["rule"] == "references.order"]
    assert order == [(1, 31, "[2]")]


def test_a_dangling_marker_is_not_also_out_of_order(cli, tmp_path):
    article = tmp_path / "pilates.md"
    article.write_text(
        "Around one in three women leak urine after giving birth (ref 1).\n\n"
        "Pelvic floor exercises prevent prolapse later on (ref 4).\n\n"
        "Those who exercised were less likely to have a gap (ref 3).\n\n"
        "## References\n\n"
        "(ref 1) Woodley SJ, Lawrenson P, et al. Pelvic floor muscle training. Cochrane 2020.\n\n"
        "(ref 3) Rennard C, Ibe T. Exercise in pregnancy. J Perinat Phys Ther 2022.\n"
    )
    run = cli("check", article, "--format", "json")
    found = [(f["line"], f["rule"], f["text"]) for f in run.json["findings"] if f["rule"].startswith("references.")]
    assert found == [(3, "references.dangling", "(ref 4)")]


def _references(tmp_path, name, text):
    article = tmp_path / name
    article.write_text(text, encoding="utf-8")
    _, report = check_json(article)
    return [(f["line"], f["rule"], f["text"]) for f in report["findings"]
            if f["rule"].startswith("references.")]


def test_superscript_source_entries_in_one_paragraph(tmp_path):
    text = (
        "Most fevers in young children are caused by viral infections.¹\n\n"
        "Sponging a child with cool water is no longer advised.²,³\n\n"
        "**Sources**\n\n"
        "¹ National Institute for Health and Care Excellence. Fever in under 5s. 2019.\n"
        "² Royal College of Paediatrics and Child Health. Spotting the sick child. 2016.\n"
        "³ Van den Bruel A, et al. Clinical features of serious infection. 2010.\n"
    )
    assert _references(tmp_path, "fever.md", text) == []
    assert _references(tmp_path, "fever.txt", text.replace("**Sources**", "Sources")) == []


def test_a_studies_heading_is_a_source_list_only_when_entries_follow(tmp_path):
    listed = (
        "<p>Lion's mane stimulated nerve growth factor in cells grown in a dish<sup>1</sup>.</p>\n"
        "<p>Older adults scored higher on a memory test<sup>2</sup>.</p>\n"
        "<div class=\"acc-head\">Studies</div>\n"
        "<p>1. Mori K, et al. Nerve growth factor-inducing activity. Biol Pharm Bull. 2008.</p>\n"
        "<p>2. Mori K, et al. Improving effects on mild cognitive impairment. Phytother Res. 2009.</p>\n"
    )
    assert _references(tmp_path, "shop.html", listed) == []
    prose = "## Studies\n\nA 2019 trial found that 30% of adults improved [1].\n\nAnother trial found less.\n"
    found = _references(tmp_path, "prose.md", prose)
    assert [rule for _, rule, _ in found] == ["references.dangling"]  # the prose under it is not a list


def test_a_bare_number_far_past_the_source_list_is_not_a_missing_source(tmp_path):
    text = (
        "The vaccine cut shingles cases by 90% in people aged 70 and older 1. It protects for years 2.\n\n"
        "You are eligible if you are turning 65, are aged 70 to 79, or are immunosuppressed.\n\n"
        "Having shingles may raise the short-term risk of a stroke 3.\n\n"
        "References\n"
        "1. Cunningham AL, et al. Efficacy of the zoster vaccine. 2016.\n"
        "2. Strezova A, et al. Long-term protection. 2022.\n"
    )
    found = _references(tmp_path, "shingles.txt", text)
    assert [(line, rule) for line, rule, _ in found if rule == "references.dangling"] == [(5, "references.dangling")]


def test_an_uncited_note_under_notes_to_editors_is_not_an_unused_source(tmp_path):
    text = (
        "The drug reversed liver damage in mice [1].\n\n"
        "Notes to editors\n\n"
        "1. Achterberg H, et al. GLX-7 inhibition in mice. J Hepatic Biol. 2025.\n\n"
        "2. Harrow JP. Fibrosis in steatohepatitis trials. Liver Int Rev. 2024.\n\n"
        "3. The study was funded by the Castlemere Liver Research Trust.\n"
    )
    found = _references(tmp_path, "release.txt", text)
    assert [(line, rule) for line, rule, _ in found] == [(7, "references.unused")]  # source 2, not note 3


def test_parenthesised_markers_and_a_numbered_sources_heading(tmp_path):
    text = (
        "THE STEADY BEAT - Episode 41: coffee and your heart\n\n"
        "Newer antihistamines cause much less drowsiness than older ones (1).\n\n"
        "Loratadine is less likely than cetirizine to make you sleepy (2).\n\n"
        "A steroid nasal spray works better than tablets for a blocked nose (1, 3).\n\n"
        "Grass-pollen immunotherapy gives relief that lasts for years (5).\n\n"
        "7. Sources\n\n"
        "(1) Scadding GK, et al. BSACI rhinitis guideline. Clin Exp Allergy. 2017.\n"
        "(2) Mann RD, et al. Sedation with non-sedating antihistamines. BMJ. 2000.\n"
        "(3) Juel-Berg N, et al. Intranasal corticosteroids compared with oral antihistamines. 2017.\n"
    )
    found = _references(tmp_path, "leaflet.txt", text)
    assert [(line, rule, span) for line, rule, span in found] == [(9, "references.dangling", "(5)")]
    _, report = check_json(tmp_path / "leaflet.txt")
    assert [f for f in report["findings"] if f["category"] == "citation"] == []  # every claim has its marker


def test_a_references_paragraph_is_a_source_list_not_claims(tmp_path):
    article = tmp_path / "advert.md"
    article.write_text(
        "Red clover eases hot flushes, a trial found (Marlowe and Ibsen, 2019).\n\n"
        "*References: Kawamura T, Ide S. Trifolium pratense extract preserves bone mineral density in "
        "ovariectomised rats. J Phytother Res. 2021. Marlowe C, Ibsen K. Red clover isoflavones for "
        "vasomotor symptoms: a randomised pilot trial. Menopause Stud. 2019.*\n",
        encoding="utf-8",
    )
    _, report = check_json(article)
    assert [f for f in report["findings"] if f["category"] == "citation"] == []


def test_a_plain_paragraph_after_a_numbered_source_list_is_prose_again(tmp_path):
    text = (
        "Cetirizine causes less drowsiness than older antihistamines (1).\n\n"
        "Sources\n\n"
        "(1) Scadding GK, et al. BSACI rhinitis guideline. Clin Exp Allergy. 2017.\n\n"
        "Take one tablet a day. This leaflet is general information, not personal medical advice.\n"
    )
    article = tmp_path / "leaflet.txt"
    article.write_text(text, encoding="utf-8")
    _, report = check_json(article)
    assert [f["rule"] for f in report["findings"]] == []  # the disclaimer after the list counts


def test_lettered_markers_under_a_further_reading_and_evidence_heading(tmp_path):
    text = (
        "What is psoriasis?\n"
        "It affects around 2% of people in the UK [a].\n"
        "About a third of people with psoriasis have a close relative with it [b].\n"
        "People with severe psoriasis have a higher risk of heart disease [b, c].\n\n"
        "Further reading and evidence\n"
        "[a] Parisi R, et al. Epidemiology of psoriasis. BMJ. 2020.\n"
        "[b] Solberg J, Harrow M. Family history and psoriasis. Derm Genet. 2017.\n"
    )
    found = _references(tmp_path, "sheet.txt", text)
    assert found == [(4, "references.dangling", "[b, c]")]  # the list runs a to b
    _, report = check_json(tmp_path / "sheet.txt")
    assert [f for f in report["findings"] if f["category"] == "citation"] == []  # entries are not claims


def test_named_reference_markers_and_source_notes(tmp_path):
    text = (
        "Most adults need between seven and nine hours of sleep a night (ref 1).\n\n"
        "Blue light in the evening delays the body clock (refs 1, 2).\n\n"
        "Napping for hours in the day makes insomnia worse (ref 5).\n\n"
        "The virus can be dangerous for newborn babies (Source: NHS, Cold sores), so take care.\n\n"
        "Last winter the flu vaccine prevented around four in ten GP visits for flu in adults.\n"
        "Source: UKHSA, end-of-season flu vaccine effectiveness report, 2025.\n\n"
        "## Sources I leaned on\n\n"
        "1. Hirshkowitz M, et al. Sleep duration recommendations. Sleep Health. 2015.\n"
        "2. Chang AM, et al. Evening use of light-emitting eReaders. PNAS. 2015.\n"
    )
    found = _references(tmp_path, "newsletter.md", text)
    assert found == [(5, "references.dangling", "(ref 5)")]
    _, report = check_json(tmp_path / "newsletter.md")
    assert [f["line"] for f in report["findings"] if f["category"] == "citation"] == []


def test_a_link_to_a_public_health_body_is_a_citation(tmp_path):
    article = tmp_path / "link.md"
    article.write_text(
        "Taking painkillers on more than 15 days a month can cause more headaches "
        "([NHS](https://www.nhs.uk/conditions/medication-overuse-headache/)).\n\n"
        "Taking painkillers on more than 15 days a month can cause more headaches "
        "([a blog](https://example.com/headaches)).\n",
        encoding="utf-8",
    )
    _, report = check_json(article)
    assert [f["line"] for f in report["findings"] if f["category"] == "citation"] == [3]


def test_numbered_references_with_no_heading_are_a_source_list(tmp_path):
    text = (
        "Walking lowers blood pressure [1]. Coffee drinkers have fewer strokes [3].\n\n"
        "1. Smith J, Jones K. Walking and blood pressure. BMJ. 2019.\n"
        "2. Lee A, et al. Coffee and stroke. Stroke. 2021. doi:10.1000/xyz\n"
    )
    assert _references(tmp_path, "unheaded.md", text) == [
        (1, "references.dangling", "[3]"),
        (4, "references.unused", "Lee A, et al. Coffee and stroke. Stroke. 2021. doi:10.1000/xyz")]
    _, report = check_json(tmp_path / "unheaded.md")
    assert [f for f in report["findings"] if f["category"] == "citation"] == []  # the entries are not claims


def test_a_numbered_list_of_findings_is_not_a_source_list(tmp_path):
    article = tmp_path / "findings.md"
    article.write_text(
        "What the trials found [1]:\n\n"
        "1. In 2019, a trial found that walking lowers blood pressure.\n"
        "2. In 2021, coffee drinkers had fewer strokes in a cohort of 9,000 adults.\n",
        encoding="utf-8",
    )
    assert _references(tmp_path, "findings.md", article.read_text(encoding="utf-8")) == [
        (1, "references.dangling", "[1]")]


def test_keyed_markers_and_a_title_over_parenthesised_entries(tmp_path):
    text = (
        "You can take ibuprofen and paracetamol together within the dose limits [NHS-IBU].\n"
        "Painkillers on 10 or more days a month can cause medication-overuse headache [NICE-CKS].\n\n"
        "SOURCES\n"
        "[NHS-IBU] NHS. Ibuprofen for adults. nhs.uk, 2024.\n"
        "[BNF] British National Formulary. Paracetamol. 2025.\n\n"
        "Creatine is one of the most studied supplements (1). Loading doses are not needed (5).\n\n"
        "Nerd corner (the studies)\n"
        "(1) Kreider RB, Kalman DS, Antonio J, et al. ISSN position stand. J Int Soc Sports Nutr. 2017.\n"
        "(2) Lanhers C, Pereira B, Naughton G, et al. Creatine and strength. Sports Med. 2017.\n"
    )
    found = [(line, rule, span) for line, rule, span in _references(tmp_path, "faq.txt", text)
             if rule == "references.dangling"]
    assert found == [(2, "references.dangling", "[NICE-CKS]"), (8, "references.dangling", "(5)")]


def test_a_paragraph_after_a_bulleted_source_list_is_prose_again(tmp_path):
    article = tmp_path / "gums.md"
    article.write_text(
        "Book a check-up if your gums bleed.\n\n"
        "## Sources\n\n"
        "- Kassebaum NJ, et al. Global burden of severe periodontitis. J Dent Res. 2014.\n\n"
        "*This post is general information. It isn't a substitute for an examination by your own dentist.*\n",
        encoding="utf-8",
    )
    _, report = check_json(article)
    assert [f["rule"] for f in report["findings"] if f["category"] == "disclaimer"] == []


def test_footnote_spans_in_a_footer_are_the_source_list(tmp_path):
    text = (
        "<html><body><p>CBT-I is the first treatment for long-term insomnia<sup><a href=\"#fn1\">1</a></sup>. "
        "A digital programme improved insomnia more than sleep advice<sup><a href=\"#fn2\">2</a></sup>.</p>\n"
        "<footer><p class=\"refs\"><span id=\"fn1\">1. National Institute for Health and Care Excellence. "
        "Insomnia. 2024.</span><br>\n<span id=\"fn2\">2. Espie CA, Emsley R, Kyle SD, et al. Digital CBT for "
        "insomnia. JAMA Psychiatry. 2019.</span></p></footer></body></html>\n"
    )
    assert _references(tmp_path, "app.html", text) == []


def test_an_author_year_marker_must_name_an_entry_when_there_is_a_source_list(tmp_path):
    text = (
        "PrEP taken daily prevents HIV (McCormack et al., 2016). It works on demand too (Molina 2015; Grant 2010).\n"
        "Guidelines recommend it for people at high risk (NICE, 2024).\n\n"
        "## References\n\n"
        "- McCormack S, Dunn DT, et al. Pre-exposure prophylaxis to prevent HIV-1. Lancet. 2016.\n"
        "- Molina JM, et al. On-demand preexposure prophylaxis. N Engl J Med. 2015.\n"
        "- National Institute for Health and Care Excellence. HIV prevention. 2024.\n"
    )
    found = _references(tmp_path, "prep.md", text)
    assert [(line, rule) for line, rule, _ in found] == [(1, "references.dangling")]
    _, report = check_json(tmp_path / "prep.md")
    dangling = [f for f in report["findings"] if f["rule"] == "references.dangling"]
    assert "Grant 2010" in dangling[0]["message"] and "McCormack" not in dangling[0]["message"]


def test_a_body_cited_by_its_acronym_needs_an_entry_of_that_year(tmp_path):
    text = (
        "<p>Invasive strep infections rose sharply in 2023 (UKHSA 2024).</p>\n"
        "<p>People on effective treatment cannot pass HIV on (BHIVA, 2024).</p>\n"
        "<p>Testing is free and confidential (<a href=\"https://example.org/hiv\">THT, 2022</a>).</p>\n"
        "<h2>Sources</h2>\n<ul><li>British HIV Association (2024). Guidelines. London.</li>\n"
        "<li>Smith J, Jones K (2019). Sexual health clinics. BMJ.</li></ul>\n"
    )
    found = _references(tmp_path, "sti.html", text)
    # UKHSA: no entry of 2024 spells it; BHIVA: "British HIV Association" does; THT: the link cites
    assert [(line, rule) for line, rule, _ in found] == [(1, "references.dangling")]


def test_author_year_without_a_source_list_is_a_complete_citation(tmp_path):
    assert _references(tmp_path, "news.md", "PrEP prevents HIV (Grant et al., 2010).\n") == []


def test_see_note_markers_and_a_notes_heading(tmp_path):
    text = (
        "<p>A third of people over 65 fall each year (see note 1). Strength training cuts falls (see note 3).</p>\n"
        "<h3>Notes</h3>\n<ol><li>NICE. Falls in older people. 2013.</li><li>Sherrington C, et al. Exercise for "
        "preventing falls. Cochrane. 2019.</li></ol>\n"
        "<div><p><sup>1</sup> Livingston G, Huntley J, et al. Dementia prevention. Lancet. 2020.</p></div>\n"
    )
    found = _references(tmp_path, "falls.html", text)
    assert [(line, rule, span) for line, rule, span in found if rule == "references.dangling"] == [
        (1, "references.dangling", "(see note 3)")]


def test_html_entries_numbered_in_sup_with_no_heading(tmp_path):
    text = (
        "<p>Hearing loss in midlife is linked with dementia<sup>1</sup>. Sound generators help tinnitus<sup>2</sup>.</p>\n"
        "<div class=\"small-print\"><p><sup>1</sup> Livingston G, Huntley J, Sommerlad A, et al. Dementia "
        "prevention. Lancet. 2020.</p>\n<p><sup>2</sup> National Institute for Health and Care Excellence. "
        "Tinnitus. 2020.</p></div>\n"
    )
    assert _references(tmp_path, "hearing.html", text) == []


def test_caret_superscripts_ref_n_entries_and_bracketed_author_year(tmp_path):
    text = (
        "People told to stay active recover faster than those told to rest in bed^1^.\n\n"
        "Exercise therapy reduces pain in people with long-lasting back pain.^2\n\n"
        "A survey found walkers were less likely to report back pain^5^.\n\n"
        "A magnification of 10^6 is not a marker.\n\n"
        "Most adults need between 7 and 9 hours of sleep a night [Hirshkowitz et al. 2015].\n\n"
        "SOURCES OF EVIDENCE\n\n"
        "Ref 1: Dahm KT, et al. Advice to rest in bed. Cochrane. 2010.\n"
        "Ref 2: Hayden JA, et al. Exercise therapy for chronic low back pain. Cochrane. 2021.\n"
    )
    found = _references(tmp_path, "caret.txt", text)
    assert found == [(5, "references.dangling", "^5^")]
    _, report = check_json(tmp_path / "caret.txt")
    assert [f["line"] for f in report["findings"] if f["category"] == "citation"] == []


def test_reference_n_markers_resolve_to_ref_n_entries_run_into_one_paragraph(tmp_path):
    text = (
        "Coeliac disease affects about 1 in 100 people (Reference 1).\n"
        "Most of them have not been diagnosed (References 1 and 2).\n\n"
        "SOURCES OF EVIDENCE\n\n"
        "Ref 1: National Institute for Health and Care Excellence. Coeliac\n"
        "       disease: recognition, assessment and management. 2015.\n"
        "Ref 2: Ludvigsson JF, Bai JC, et al. Diagnosis of adult coeliac\n"
        "       disease. Gut 2014.\n"
    )
    assert _references(tmp_path, "coeliac.txt", text) == []


def test_a_table_of_sources_labels_its_entries(tmp_path):
    markdown = (
        "Shingles is caused by the same virus as chickenpox (E1).\n\n"
        "Around 1 in 5 people go on to have nerve pain that lasts for months (E3).\n\n"
        "The vaccine prevents 9 in 10 cases in adults over 50 (E6).\n\n"
        "## Evidence used in this leaflet\n\n"
        "| Code | Source |\n|------|--------|\n"
        "| E1 | NHS. Shingles. nhs.uk, reviewed 2023. |\n"
        "| E3 | Johnson RW, Rice ASC. Postherpetic neuralgia. NEJM 2014. |\n"
    )
    assert _references(tmp_path, "leaflet.md", markdown) == [(5, "references.dangling", "(E6)")]
    html = (
        "<p>Creatine raises the amount of creatine stored in your muscles <a href=\"#r1\">[R1]</a>.</p>\n"
        "<h2>The research</h2>\n<table>\n<tr><th>Ref</th><th>Study</th></tr>\n"
        "<tr id=\"r1\"><td>R1</td><td>Kreider RB, Kalman DS, et al. Creatine position stand. JISSN 2017.</td></tr>\n"
        "</table>\n"
    )
    assert _references(tmp_path, "shop.html", html) == []
    _, report = check_json(tmp_path / "shop.html")
    assert [f["line"] for f in report["findings"] if f["category"] == "citation"] == []


def test_a_reference_style_link_with_a_number_is_a_citation(tmp_path):
    article = tmp_path / "forum.md"
    article.write_text(
        "Pelvic girdle pain is common in pregnancy and it is not harmful to your baby ([POGP leaflet][2]).\n\n"
        "Pelvic girdle pain is common in pregnancy and it is not harmful to your baby, says a [leaflet][pogp].\n\n"
        "[2]: https://pogp.example.org.uk/publications/pelvic-girdle-pain\n"
        "[pogp]: https://pogp.example.org.uk/publications/pelvic-girdle-pain\n",
        encoding="utf-8",
    )
    _, report = check_json(article)
    assert [f["line"] for f in report["findings"] if f["category"] == "citation"] == [3]


def test_dagger_markers_and_roman_numeral_superscripts(tmp_path):
    markdown = (
        "Mindfulness-based therapy lowers the risk of depression coming back‡.\n\n"
        "App users reported lower anxiety scores than people who used it less†.\n\n"
        "Slow breathing lowers blood pressure§.\n\n"
        "## The science bit\n\n"
        "† Tidewell Member Insights Survey, March 2024. Online survey of 2,100 subscribers.\n\n"
        "‡ Kuyken W, Warren FC, et al. Mindfulness-based cognitive therapy. JAMA Psychiatry 2016.\n"
    )
    assert _references(tmp_path, "app.md", markdown) == [(5, "references.dangling", "§")]
    html = (
        "<p>Hay fever affects about one in five people in the UK<sup>i</sup>.</p>\n"
        "<p>Steroid sprays work better than tablets for a blocked nose<sup>ii</sup>.</p>\n"
        "<p>Steroid sprays may slightly slow growth in children<sup>iv</sup>.</p>\n"
        "<footer><h3>Product information sources</h3>\n<ol type=\"i\">\n"
        "<li>NHS. Hay fever. nhs.uk, 2024.</li>\n"
        "<li>Scadding GK, et al. BSACI rhinitis guideline. Clin Exp Allergy 2017.</li>\n</ol></footer>\n"
    )
    assert _references(tmp_path, "spray.html", html) == [(3, "references.dangling", "iv")]


def test_asterisk_footnotes_in_plain_text(tmp_path):
    text = (
        "People who took zinc acetate lozenges recovered sooner than people on placebo.* Zinc can\n"
        "leave a metallic taste.\n\n"
        "Scientists found that zinc ions stopped cold viruses multiplying in cells.*** Vitamin C\n"
        "taken every day made colds slightly shorter.** Our tablets support your immunity.\u2020\n\n"
        "Stay warm,\nThe pharmacy team\n\n"
        "* Hemila H, et al. Zinc acetate lozenges for the common cold. Open Forum Infect Dis. 2017.\n"
        "** Hemila H, Chalker E. Vitamin C for the common cold. Cochrane Database Syst Rev. 2013.\n"
        "*** Korant BD, et al. Zinc ions inhibit replication of rhinoviruses. Nature. 1974.\n"
    )
    assert _references(tmp_path, "email.txt", text) == [(5, "references.dangling", "\u2020")]
    _, report = check_json(tmp_path / "email.txt")
    uncited = [f["line"] for f in report["findings"] if f["rule"] == "claims.uncited"]
    assert 1 not in uncited and 4 not in uncited
    # without a "**" entry, "* " lines are bullets and a trailing "*" is no marker
    bullets = ("Zinc lozenges cut the length of a cold by a third.* A ** mid-line is no label.\n\n"
               "* Hemila H, et al. Zinc acetate lozenges. 2017.\n* Another bullet, 2019.\n")
    assert _references(tmp_path, "bullets.txt", bullets) == []
    _, report = check_json(tmp_path / "bullets.txt")
    assert 1 in [f["line"] for f in report["findings"] if f["rule"] == "claims.uncited"]  # no marker
    # one asterisk more than the entries have is a marker to a missing note
    four = text.replace("slightly shorter.**", "slightly shorter.****")
    assert _references(tmp_path, "four.txt", four) == [(5, "references.dangling", "****"),
                                                        (5, "references.dangling", "\u2020")]


def test_a_source_paragraph_cites_the_paragraph_above_it(tmp_path):
    article = tmp_path / "retreat.md"
    article.write_text(
        "Most adults need between seven and nine hours of sleep a night.\n\n"
        "Source: Hirshkowitz M, et al. Sleep time duration recommendations. *Sleep Health*, 2015.\n\n"
        "Forest walks lower stress hormones in most adults.\n\n"
        "Napping cuts the risk of heart disease in adults. A study found that nappers had fewer heart attacks.\n\n"
        "Sources: Naska A, et al. Siesta and coronary mortality. *Arch Intern Med*, 2007.\n\n"
        "References: Li Q, et al. Visiting a forest. 2008.\n",
        encoding="utf-8",
    )
    _, report = check_json(article)
    # the note cites the sentence right above it, not the paragraph before that, nor the
    # first sentence of a two-sentence paragraph; a closing "References:" line cites nothing
    assert [f["line"] for f in report["findings"] if f["rule"] == "claims.uncited"] == [5, 7]


def test_a_sources_label_over_parenthesised_entries_in_plain_text(tmp_path):
    text = (
        "(3/8) Castor oil is rich in ricinoleic acid, a natural anti-inflammatory (1)\n"
        "(5/8) Low-strength castor oil eye drops eased dry eye symptoms (2)\n"
        "(8/8) It also regrows thin lashes and brows in weeks (4)\n\n"
        "Sources:\n"
        "(1) Vieira C, et al. Ricinoleic acid and inflammation. Mediators of Inflammation, 2000.\n"
        "(2) Goto E, et al. Castor oil eye drops. Ophthalmology, 2002.\n"
    )
    assert _references(tmp_path, "carousel.txt", text) == [(3, "references.dangling", "(4)")]


def test_author_year_with_a_colon_page(tmp_path):
    markdown = (
        "Salt loss plays a part in some cramps (Schwellnus et al. 2011: 653).\n\n"
        "Magnesium deficiency causes most night cramps in athletes (Okoro 2018: 112).\n\n"
        "Sore throats in children are usually viral (NICE, 2018).\n\n"
        "## References\n\n"
        "- Schwellnus MP, et al. Increased running speed and cramping. Br J Sports Med. 2011.\n"
        "- National Institute for Health and Care Excellence. Sore throat (acute). 2018.\n"
    )
    assert _references(tmp_path, "cramp.md", markdown) == [(3, "references.dangling", "(Okoro 2018: 112)")]


def test_author_year_with_the_journal_and_a_revision_number_that_is_no_marker(tmp_path):
    author_year = (
        "Rain made no difference to visits for joint pain (Jena et al., BMJ, 2017).\n\n"
        "Statins cut strokes by a fifth (Lee, N Engl J Med, 2020).\n\n"
        "## References\n\n"
        "- Jena AB, et al. Association between rainfall and diagnoses of joint or back pain. BMJ. 2017.\n"
    )
    assert _references(tmp_path, "rain.md", author_year) == [(3, "references.dangling", "(Lee, N Engl J Med, 2020)")]
    numbered = (
        "Device FAQ, document GL14, revision 6\n\n"
        "Sensors read lower on the first day [1].\n\n"
        "References\n\n"
        "1. Merrow K. Sensor accuracy. Diabetes Care. 2021.\n"
    )
    assert _references(tmp_path, "faq.txt", numbered) == []


def test_identifiers_and_guideline_codes_cite_a_sentence(tmp_path):
    article = tmp_path / "thread.md"
    article.write_text(
        "The Epley manoeuvre cures most cases of BPPV within a week (PMID 15051839).\n\n"
        "Most sore throats are caused by viruses and get better within a week (NICE NG84).\n\n"
        "Vitamin D supplements cut the risk of falls in older adults (DOI: 10.1136/bmj.m3).\n\n"
        "Most sore throats are caused by viruses and get better within a week (GBP 12).\n",
        encoding="utf-8",
    )
    _, report = check_json(article)
    assert [f["line"] for f in report["findings"] if f["rule"] == "claims.uncited"] == [7]
    assert [f for f in report["findings"] if f["rule"].startswith("references.")] == []


def test_a_definition_list_of_sources_labels_its_entries(tmp_path):
    html = (
        "<p>Long COVID is the name for symptoms that last more than 12 weeks after infection "
        "<a href=\"#src-a\">(A)</a>.</p>\n"
        "<p>The drug is generally well tolerated in earlier studies <a href=\"#src-d\">(D)</a>.</p>\n"
        "<h2>Background papers</h2>\n<dl>\n"
        "<dt id=\"src-a\">(A)</dt>\n<dd>National Institute for Health and Care Excellence. COVID-19 rapid guideline. 2020.</dd>\n"
        "<dt id=\"src-b\">(B)</dt>\n<dd>Davis HE, McCorkell L, et al. Long COVID: major findings. Nat Rev Microbiol 2023.</dd>\n"
        "</dl>\n"
    )
    found = _references(tmp_path, "trial.html", html)
    assert [(line, rule, span) for line, rule, span in found if rule == "references.dangling"] == [
        (2, "references.dangling", "(D)")]


def test_an_accented_author_starts_an_entry_and_a_corporate_author_is_a_marker(tmp_path):
    markdown = (
        "A cold shower did not cut sick days [1]. Cold water makes the body release noradrenaline [2].\n\n"
        "## Sources\n\n"
        "[1] Buijze GA, et al. The effect of cold showering on health and work. PLoS One. 2016.\n"
        "[2] Šrámek P, Šimečková M, et al. Human physiological responses to immersion. Eur J Appl Physiol. 2000.\n"
    )
    assert _references(tmp_path, "plunge.md", markdown) == []
    text = (
        "HRT is linked with a small increase in the risk of breast cancer\n"
        "(Collaborative Group on Hormonal Factors in Breast Cancer, 2019).\n\n"
        "FURTHER READING\n\n"
        "Collaborative Group on Hormonal Factors in Breast Cancer (2019).\n"
        "   Type and timing of menopausal hormone therapy and breast cancer\n"
        "   risk: individual participant meta-analysis. Lancet 394: 1159-1168.\n"
    )
    article = tmp_path / "bulletin.txt"
    article.write_text(text, encoding="utf-8")
    _, report = check_json(article)
    # the marker cites the first sentence, and the entry under FURTHER READING is no claim
    assert [(f["line"], f["rule"]) for f in report["findings"]] == []


def test_a_caps_source_heading_with_a_note_under_a_rule_in_plain_text(tmp_path):
    text = (
        "Iron tablets can help runners who are low in iron (Burden et al., 2015).\n"
        "Heavy training lowers iron for a few hours (Peeling et al., 2008).\n\n"
        "------------------------------------------\n"
        "REFERENCES (for Ask Jo)\n"
        "Peeling P, Dawson B, Goodman C (2008). Athletic induced iron\n"
        "  deficiency. Eur J Appl Physiol 103(4): 381-391.\n"
    )
    found = _references(tmp_path, "club.txt", text)
    assert [(line, rule) for line, rule, _ in found] == [(1, "references.dangling")]


def test_a_title_case_source_heading_under_a_rule_in_plain_text(tmp_path):
    text = (
        "Slow breathing makes heart rate vary more with each breath (1).\n"
        "Slow breathing also strengthens your immune system (4).\n\n"
        "------------------------------------------\n"
        "Sources\n"
        "(1) Lehrer PM, Gevirtz R. Heart rate variability biofeedback. Front\n"
        "    Psychol. 2014;5:756.\n"
    )
    found = _references(tmp_path, "newsletter.txt", text)
    assert [(line, rule, span) for line, rule, span in found] == [(2, "references.dangling", "(4)")]


def test_bracketed_source_n_markers_and_source_n_dash_entries(tmp_path):
    text = (
        "Around 86% of melanomas could be prevented [Source 1].\n"
        "Only about a third of melanomas grow out of an existing mole [Source 2].\n"
        "Sunbeds before 30 raise the risk of melanoma by 75% [Source 3].\n\n"
        "SOURCES MENTIONED ON AIR\n"
        "Source 1 - Cancer Research UK. Melanoma skin cancer statistics. 2024.\n"
        "Source 2 - Pampena R, et al. A meta-analysis of nevus-associated melanoma. 2017.\n"
    )
    found = _references(tmp_path, "radio.txt", text)
    assert found == [(3, "references.dangling", "[Source 3]")]
    _, report = check_json(tmp_path / "radio.txt")
    assert [f["line"] for f in report["findings"] if f["category"] == "citation"] == []


def test_a_squared_unit_is_no_superscript_marker(tmp_path):
    text = (
        "The law sets an exposure action value of 2.5 m/s² A(8) (HSE, 2019).\n"
        "A BMI over 30 kg/m² is linked to knee pain¹.\n\n"
        "## References\n\n"
        "1. Jiang L, et al. Body mass index and knee osteoarthritis. 2012.\n"
        "2. HSE. Hand-arm vibration at work. 2019.\n"
    )
    assert [(line, rule) for line, rule, _ in _references(tmp_path, "notice.md", text)] == [
        (7, "references.unused")]


def test_labels_on_their_own_before_entries_with_no_heading_are_a_source_list(tmp_path):
    # Substack's footnotes: the number in one element, the entry in the next, no heading
    text = (
        '<p>Aspirin cut the risk of another vascular event by a fifth.<a class="footnote-anchor" href="#footnote-1">1</a></p>\n'
        '<p>It caused more serious bleeding.<a class="footnote-anchor" href="#footnote-2">2</a></p>\n'
        '<p>NICE recommends it for Lynch syndrome.<a class="footnote-anchor" href="#footnote-3">3</a></p>\n'
        '<div class="footnote"><a id="footnote-1" href="#footnote-anchor-1">1</a><div class="footnote-content">'
        '<p>ATT Collaboration. Aspirin in the prevention of vascular disease. Lancet. 2009;373:1849-60.</p></div></div>\n'
        '<div class="footnote"><a id="footnote-2" href="#footnote-anchor-2">2</a><div class="footnote-content">'
        '<p>McNeil JJ, et al. Effect of aspirin on disability-free survival. N Engl J Med. 2018;379:1499-508.</p></div></div>\n'
    )
    found = _references(tmp_path, "letter.html", text)
    assert [(line, rule) for line, rule, _ in found] == [(3, "references.dangling")]


def test_author_year_markers_with_a_page_and_prose_after_an_author_year_list(tmp_path):
    text = (
        "In a ten-week trial, 36 adults ate fermented foods daily (Wastyk et al. 2021, 4139).\n\n"
        "Shop-bought kombucha is often loaded with sugar (Lindgren 2018, p. 33).\n\n"
        "## References\n\n"
        "Wastyk, Hannah C., et al. 2021. \"Gut-Microbiota-Targeted Diets.\" *Cell* 184: 4137-53.\n\n"
        "---\n\n"
        "Fermented foods cut the risk of type 2 diabetes by a fifth.\n"
    )
    found = _references(tmp_path, "book.md", text)
    assert found == [(3, "references.dangling", "(Lindgren 2018, p. 33)")]
    _, report = check_json(tmp_path / "book.md")
    assert [f["line"] for f in report["findings"] if f["category"] == "citation"] == [11]


def test_lettered_superscripts_over_lettered_notes_and_a_credited_link(tmp_path):
    text = (
        "<p>Around 245,000 people in the UK develop sepsis every year.<sup>a</sup></p>\n"
        "<p>Each hour's delay before antibiotics was linked with a higher risk of death.<sup>c</sup></p>\n"
        "<p>More than 18 million adults in the UK have hearing loss, according to "
        "<a href=\"https://charity.example.org/facts\">the charity RNID</a>.</p>\n"
        "<p>Notes</p>\n"
        "<p>a. UK Sepsis Trust. The cost of sepsis care in the UK. 2017.</p>\n"
        "<p>b. Seymour CW, et al. Time to treatment and mortality during mandated emergency care. N Engl J Med. 2017.</p>\n"
    )
    article = tmp_path / "appeal.html"
    article.write_text(text, encoding="utf-8")
    _, report = check_json(article)
    found = [(f["line"], f["rule"], f["text"]) for f in report["findings"]]
    assert (2, "references.dangling", "c") in found
    assert not [f for f in found if f[1] == "claims.uncited" and f[0] in (1, 3, 7)]


def test_links_that_name_a_document_and_a_single_superscript_footnote_in_a_footer(tmp_path):
    markdown = (
        "Older-looking retinal vessels went with more heart attacks ([Irisight technical report, 2024]"
        "(https://irisight.example/tr.pdf)).\n\n"
        "About 5,000 adults in the UK are living with MND, according to the "
        "[MND Association](https://mnd.example.org/about).\n\n"
        "Riluzole can slow MND down by a few months in most people ([our homepage](https://mnd.example.org/)).\n"
    )
    article = tmp_path / "links.md"
    article.write_text(markdown, encoding="utf-8")
    _, report = check_json(article)
    assert [f["line"] for f in report["findings"] if f["rule"] == "claims.uncited"] == [5]
    html = (
        "<main><p>More children are becoming short-sighted than a generation ago.<sup>1</sup></p></main>\n"
        "<footer><p><sup>1</sup> Holden BA, Fricke TR, et al. Global prevalence of myopia. "
        "Ophthalmology. 2016;123(5):1036-1042.</p></footer>\n"
    )
    assert _references(tmp_path, "myopia.html", html) == []


def test_superscript_labelled_entries_under_an_unknown_heading_are_a_source_list(tmp_path):
    html = (
        "<p>HRT is the most effective treatment for hot flushes\u00b9.</p>\n"
        "<p>Women who took sage reported fewer flushes\u00b2.</p>\n"
        "<p>Sage switched on oestrogen receptors in cells\u00b3.</p>\n"
        "<p>87% said their flushes were easier within a month\u2074.</p>\n"
        "<h3>Studies we mention</h3>\n"
        "<p>\u00b9 National Institute for Health and Care Excellence. Menopause. NICE guideline NG23. 2015.</p>\n"
        "<p>\u00b2 Bommer S, Klein P, Suter A. Sage in menopausal women with hot flushes. Adv Ther. 2011.</p>\n"
        "<p>\u00b3 Thornicroft-Bale R, Minami S. Salvia extracts in a cell assay. Phytomed Lab Rep. 2020.</p>\n"
    )
    assert _references(tmp_path, "sage.html", html) == [(4, "references.dangling", "\u2074")]


def test_bullets_under_a_source_heading_that_read_like_no_source_are_not_entries(tmp_path):
    text = (
        "SHOW NOTES\n"
        "In this episode:\n"
        "- How one strip of tape transforms your nights (04:12)\n"
        "- What the research actually says (11:30)\n"
        "- Why nose breathing sharpens your memory (19:40)\n"
        "- Who should never try it (31:05)\n\n"
        "Nose breathing boosts nitric oxide by 40%.⁴\n\n"
        "RESEARCH MENTIONED\n"
        "¹ Lee YC, et al. Mouth-taping in mouth-breathers. Healthcare (Basel). 2022.\n"
        "² Harrowby J, Tanaka M. Nasal obstruction and memory in rats. J Exp Sleep Biol. 2021.\n"
        "³ NHS. Sleep apnoea. nhs.uk, page last reviewed 2022.\n"
    )
    dangling = [found for found in _references(tmp_path, "podcast.txt", text) if found[1] == "references.dangling"]
    assert dangling == [(8, "references.dangling", "⁴")]


def test_a_parenthesised_slip_past_the_list_in_an_article_that_cites_that_way(tmp_path):
    text = (
        "About one adult in eight grinds their teeth in their sleep (1).\n\n"
        "Botulinum toxin eased jaw pain in small trials (2).\n\n"
        "Nine out of ten of our patients say their headaches went after one session (3).\n\n"
        "Children aged 4 to 6 (5) were not studied.\n\n"
        "## References\n\n"
        "1. Manfredini D, et al. Epidemiology of bruxism in adults. J Orofac Pain. 2013.\n"
        "2. De la Torre Canales G, et al. Botulinum toxin for bruxism. Clin Oral Investig. 2017.\n"
    )
    # "(3)" ends a clause one past the list in an article citing "(1)", "(2)"; "(5)" is mid-clause
    assert _references(tmp_path, "bruxism.md", text) == [(5, "references.dangling", "(3)")]
