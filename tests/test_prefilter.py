"""The speed-ups that skip work must never change a result: prefilters only rule out texts a
pattern cannot match, `PhraseList` finds exactly what the regex finds, front matter loads as
yaml.safe_load loads it, and the JSON report is byte for byte what json.dump wrote."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest
import regex
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from claimlint import literals, prefilter
from claimlint.claims import phrase_pattern
from claimlint.context import Guards
from claimlint.packs import builtin_pack_names, load_packs, merged_context
from claimlint.phrasematch import PhraseList
from claimlint.readers.markdown import _UNSURE, _load_plain_yaml
from claimlint.regexes import BoundedPattern

ALL_CHARACTERS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def _case_insensitive_equivalents(engine, flags) -> dict[str, str]:
    """Non-ASCII characters the engine matches, ignoring case, to an ASCII letter."""
    found = {}
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for char in engine.compile(letter, flags).findall(ALL_CHARACTERS):
            if not char.isascii():
                found[char] = letter
    return found


def test_folding_covers_every_case_insensitive_equivalent() -> None:
    for engine, flags in ((re, re.IGNORECASE), (regex, regex.IGNORECASE | regex.V0)):
        for char, letter in _case_insensitive_equivalents(engine, flags).items():
            assert char.translate(prefilter._FOLD).lower() == letter
            assert engine.match(r"\w", char)  # so it never stands beside a word as a boundary
    # PhraseList folds exactly as `regex` does and leaves "ı" (an "i" to `re` only) to the engine
    assert set(_case_insensitive_equivalents(regex, regex.IGNORECASE | regex.V0)) == {"\u0130", "\u212a", "\u017f"}
    # no other character lowercases to ASCII, and digits and punctuation have no equivalents
    assert {c for c in ALL_CHARACTERS if not c.isascii() and c.lower().isascii()} == {"\u212a"}
    for symbol in "0123456789_ %?.-'":
        assert regex.compile(re.escape(symbol), regex.IGNORECASE | regex.V0).findall(ALL_CHARACTERS) == [symbol]
        assert re.compile(re.escape(symbol), re.IGNORECASE).findall(ALL_CHARACTERS) == [symbol]


def test_punctuation_treated_as_non_word_is_non_word_to_both_engines() -> None:
    import unicodedata

    punctuation = "".join(c for c in ALL_CHARACTERS if unicodedata.category(c) in literals.NON_WORD_CATEGORIES)
    assert not re.search(r"\w", punctuation)
    assert not regex.search(r"\w", punctuation)


def test_punctuation_has_no_case_equivalents() -> None:
    """literals keeps a non-ASCII punctuation or space character in a pattern as itself (a
    substring to look for in the lowercased text): sound only if, ignoring case, both engines
    match it to itself alone, and lowercasing leaves it alone."""
    import unicodedata

    punctuation = [c for c in ALL_CHARACTERS if unicodedata.category(c) in literals.NON_WORD_CATEGORIES]
    assert all(c.lower() == c and c.upper() == c for c in punctuation)
    members = "".join(re.escape(c) for c in punctuation)
    for engine, flags in ((re, re.IGNORECASE), (regex, regex.IGNORECASE | regex.V0)):
        assert set(engine.compile(f"[{members}]", flags).findall(ALL_CHARACTERS)) == set(punctuation)
        for c in "“”‘’«»…—– ":
            assert engine.compile(re.escape(c), flags).findall(ALL_CHARACTERS) == [c]


def test_digits_of_both_engines_are_found() -> None:
    digits = "".join(re.findall(r"\d", ALL_CHARACTERS) + regex.findall(r"\d", ALL_CHARACTERS))
    assert all(prefilter.folded(f"x{d}y").has_digit for d in set(digits))


# -- any pattern, any text ---------------------------------------------------------------------

WORDS = ["cure", "cures", "heart", "disease", "in", "one", "risk", "i", "take", "ski", "is", "vs"]
PIECES = st.one_of(
    st.sampled_from(WORDS).map(re.escape),
    st.sampled_from([r"\b", r"\s+", r"\s?", r"\d+", r"\w+", r"[.,]", r"[sz]", "-", " ", r"\.", r"\?", "%",
                     r"(?<![\w-])", r"(?![\w-])", "^", "$", r"\W*", "[^.]{0,5}", ".", "’", r"(?-i:I)", "e?",
                     "“", "”", "[“\"‘']", "[”\"’']", "…", "[,.!?…—–-]", "—", r"(?<=\bso )", r"(?<=cure)",
                     r"(?<=[.,] )", r"(?<=\d)"]),
)


@st.composite
def patterns(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 2 and draw(st.booleans()):
            alternatives = draw(st.lists(patterns(depth + 1), min_size=1, max_size=3))
            if draw(st.integers(0, 4)) == 0:  # a look-ahead
                parts.append("(?=" + "|".join(alternatives) + ")")
                continue
            parts.append("(?:" + "|".join(alternatives) + ")" + draw(st.sampled_from(["", "?", "{1,2}", "{0,2}"])))
        else:
            parts.append(draw(PIECES))
    return "".join(parts)


TEXTS = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS).map(str.upper),
              st.sampled_from([" ", "  ", "-", "’", "'", ".", "?", ",", "5", "12", "%", "\n", "é", "ß", "\u0130",
                               "\u0131", "\u212a", "\u017f", "\u00b2", "\u0301", "_", "I", "“", "”", "‘", "…", "—", "\""])),
    max_size=12,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(source=patterns(), texts=st.lists(TEXTS, min_size=1, max_size=8))
def test_a_prefilter_never_rules_out_a_match(source: str, texts: list[str]) -> None:
    found = prefilter.for_pattern(source)
    if found is None:
        return
    for engine, flags in ((re, re.IGNORECASE), (regex, regex.IGNORECASE | regex.V0), (re, 0)):
        compiled = engine.compile(source, flags)
        for text in texts:
            prefilter.forget_texts()
            if compiled.search(text):
                assert found.may_match(text), (source, text, found)


def _shape_atoms_one_by_one(shape: tuple) -> frozenset:
    """literals._shape_atoms as it was first written: every word of every literal run, each
    side of it looked at in the whole shape."""
    atoms = set()
    literal = []
    for index, item in enumerate(shape):
        if isinstance(item, str):
            literal.append(item)
            for word in re.finditer(r"[a-z0-9_]+", item):
                start, end = word.span()
                left = not literals._is_word(item[start - 1]) if start else literals._bounded(shape, index, -1)
                right = not literals._is_word(item[end]) if end < len(item) else literals._bounded(shape, index, 1)
                if left and right:
                    atoms.add(("word", word.group()))
            continue
        if item in literals._MARKERS:
            continue
        if literal:
            atoms.add(("substring", "".join(literal)))
            literal = []
        if item == literals._DIGIT_RUN:
            atoms.add(("word", literals.DIGIT))
    if literal:
        atoms.add(("substring", "".join(literal)))
    return frozenset(atoms)


@settings(max_examples=300, deadline=None)
@given(behind=patterns(), source=patterns(), texts=st.lists(TEXTS, min_size=1, max_size=8))
def test_a_look_behind_prefilter_never_rules_out_a_match(behind: str, source: str, texts: list[str]) -> None:
    """What a look-behind must find (literals.required_around) is a second condition: `regex`
    allows any width, so any pattern can be looked back at."""
    source = f"(?<={behind}){source}"
    found = prefilter.for_pattern(source)
    if found is None:
        return
    compiled = regex.compile(source, regex.IGNORECASE | regex.V0)
    for text in texts:
        prefilter.forget_texts()
        if compiled.search(text):
            assert found.may_match(text), (source, text, found)


def test_a_look_behind_adds_what_it_must_find() -> None:
    found = prefilter.for_pattern(r"(?<=\b(?:so|that means)\s)(?:\w+\s+){0,3}?cures\b")
    assert found.substrings == ("cures",) and found.also.words == {"so", "means"}
    assert found.may_match("So garlic cures colds") and not found.may_match("Garlic cures colds")
    alone = prefilter.for_pattern(r"\b[a-z]{6,}+(?<=[a-z]{3}(?:itis|osis))")  # nothing else known
    assert alone.substrings == ("itis", "osis") and alone.also is None
    assert prefilter.for_pattern(r"(?<!\bso\s)cures\b").also is None  # a negative one asks nothing


@settings(max_examples=400, deadline=None)
@given(source=patterns())
def test_shape_atoms_worked_out_by_pieces_are_those_of_the_whole_shape(source: str) -> None:
    parsed = literals._parsed(source)
    if parsed is None:
        return
    try:
        shapes, _ = literals._sequence(list(parsed))
    except literals._Unsupported:
        return
    for shape in shapes or ():
        expected = _shape_atoms_one_by_one(shape)
        atoms, best = literals._shape_atoms(shape)
        assert atoms == expected, (source, shape)
        assert best == (max(expected, key=literals._desirability) if expected else None)


@settings(max_examples=300, deadline=None)
@given(phrases=st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(["heart disease", "vs.", "covid-19",
       "nad+", "alzheimer's", "cure-all", "in vitro", "b-cells", "one in"])), min_size=1, max_size=6),
       texts=st.lists(TEXTS, min_size=1, max_size=8))
def test_phrase_list_finds_what_the_regex_finds(phrases: list[str], texts: list[str]) -> None:
    source = "(?:" + phrase_pattern(phrases) + ")"
    bounded = BoundedPattern(source, "test")
    assert bounded._phrase_list() is not None
    compiled = regex.compile(source, regex.IGNORECASE | regex.V0)
    for text in texts:
        prefilter.forget_texts()
        expected = [(m.span(), m.group()) for m in compiled.finditer(text)]
        assert [(m.span(), m.group()) for m in bounded.finditer(text)] == expected
        first = bounded.search(text)
        assert (first and (first.span(), first.group())) == (expected[0] if expected else None)


PHRASES = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(["heart disease", "vs.", "covid-19",
                   "nad+", "alzheimer's", "cure-all", "in vitro", "b-cells", "one in"])), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(phrases=PHRASES, texts=st.lists(TEXTS, min_size=1, max_size=8))
def test_phrase_list_search_from_a_position_is_the_regex_search(phrases: list[str], texts: list[str]) -> None:
    source = phrase_pattern(phrases)
    phrase_list = PhraseList.parse(source)
    compiled = regex.compile(source, regex.IGNORECASE | regex.V0)
    for text in texts:
        prefilter.forget_texts()
        for pos in range(len(text) + 1):
            found = phrase_list.first(text, pos)
            if found is None:
                break  # a text left to the engine
            expected = compiled.search(text, pos)
            assert [m.span() for m in found] == ([expected.span()] if expected else []), (text, pos)


@settings(max_examples=200, deadline=None)
@given(phrases=PHRASES, other=st.sampled_from([r"\bcures?\b", r"\d+%?", r"(?<=care )home", r"\bin\b", r"\w+ disease"]),
       texts=st.lists(TEXTS, min_size=1, max_size=8))
def test_a_phrase_list_among_alternatives_finds_what_the_whole_finds(phrases, other, texts) -> None:
    """A split pattern searches a phrase-list alternative with its PhraseList, also when every
    alternative may match; it finds what the whole pattern finds."""
    from claimlint.regexes import _PhraseSearch

    for sources in ([phrase_pattern(phrases), other], [other, phrase_pattern(phrases)]):
        bounded = BoundedPattern("|".join(f"(?:{s})" for s in sources), "test", sources)
        compiled = regex.compile(bounded.pattern, regex.IGNORECASE | regex.V0)
        assert any(isinstance(p, _PhraseSearch) for p in bounded._plan(3))
        for text in texts:
            prefilter.forget_texts()
            expected = [m.span() for m in compiled.finditer(text)]
            assert [m.span() for m in bounded.finditer(text, 3)] == expected, (sources, text)
            first = bounded.search(text, 3)
            assert (first and first.span()) == (expected[0] if expected else None), (sources, text)


@settings(max_examples=300, deadline=None)
@given(phrases=st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(["heart disease", "vs.", "covid-19",
       "nad+", "alzheimer's", "cure-all", "in vitro", "b-cells", "one in"])), min_size=1, max_size=6),
       texts=st.lists(TEXTS, min_size=1, max_size=8))
def test_phrase_list_finds_what_re_finds(phrases: list[str], texts: list[str]) -> None:
    """The `phrase` and `forbidden-combination` kinds compile their phrase lists with `re`."""
    source = phrase_pattern(phrases)
    filtered = prefilter.FilteredPattern(source, re.IGNORECASE)
    compiled = re.compile(source, re.IGNORECASE)
    for text in texts:
        _assert_finds_what_re_finds(filtered, compiled, text)
    assert filtered._phrases is not None  # the phrase list served these searches, not `re`


def _assert_finds_what_re_finds(filtered, compiled, text: str) -> None:
    prefilter.forget_texts()
    expected = [(m.span(), m.group()) for m in compiled.finditer(text)]
    assert [(m.span(), m.group()) for m in filtered.finditer(text)] == expected
    first = filtered.search(text)
    assert (first and (first.span(), first.group())) == (expected[0] if expected else None)
    at_start = filtered.match(text)
    expected_at_start = compiled.match(text)
    assert (at_start and (at_start.span(), at_start.group())) == (
        expected_at_start and (expected_at_start.span(), expected_at_start.group()))


@settings(max_examples=300, deadline=None)
@given(cues=st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(["don't", "no", "not", "heart disease",
       "cure-all", "it's", "one in"])), min_size=1, max_size=6),
       texts=st.lists(TEXTS, min_size=1, max_size=8))
def test_phrase_list_finds_what_re_finds_for_context_cues(cues: list[str], texts: list[str]) -> None:
    """Context cue lists (bounded by apostrophes joined to words too) are phrase lists."""
    from claimlint.context import _cue_pattern

    filtered = _cue_pattern(cues)
    compiled = re.compile(filtered.pattern, re.IGNORECASE)
    for text in texts:
        _assert_finds_what_re_finds(filtered, compiled, text.replace("’", "'"))  # as the guards give it
    assert filtered._phrases is not None


def test_context_cues_next_to_apostrophes() -> None:
    from claimlint.context import _cue_pattern

    filtered = _cue_pattern(["no", "not", "don't", "is", "heart disease"])
    compiled = re.compile(filtered.pattern, re.IGNORECASE)
    texts = ["don't", "i'no", "no'i", "'no'", "no' i", "x 'is' y", "it'is", "is'n", "' not", "é'no", "no'é",
             "no'_", "_'no", "heart disease'x", "NO", "no-one", "n'o", "1'is", "is'2 not"]
    for text in texts:
        prefilter.forget_texts()
        expected = [(m.span(), m.group()) for m in compiled.finditer(text)]
        assert [(m.span(), m.group()) for m in filtered.finditer(text)] == expected, text
    assert filtered._phrases is not None


def test_phrase_list_only_for_plain_phrase_alternations() -> None:
    assert PhraseList.parse("(?:" + phrase_pattern(["cure", "heart disease"]) + ")") is not None
    assert PhraseList.parse(phrase_pattern(["cure"]) + "|x") is None
    assert PhraseList.parse(phrase_pattern(["(salting)"])) is None  # starts with a non-word character
    assert PhraseList.parse(phrase_pattern(["café"])) is None
    assert PhraseList.parse(r"\bcure\b") is None


def test_patterns_regex_reads_differently_get_no_prefilter() -> None:
    assert prefilter.for_pattern(r"(?:cure){e<=1}") is None  # fuzzy matching in `regex`
    assert prefilter.for_pattern(r"[[:alpha:]]+x") is None  # a POSIX class in `regex`
    assert prefilter.for_pattern(r"(?a)\bcure\b") is None  # ASCII word boundaries
    assert prefilter.for_pattern(r"\p{L}+") is None  # not stdlib syntax
    assert prefilter.for_pattern(r"(a)\1") is None or prefilter.for_pattern(r"(a)\1").may_match("aa")


def test_screen_selects_what_each_prefilter_allows() -> None:
    sources = [r"\bcure\b", r"\d+%", r"\?$", r"(?:heart|lung) disease", r"(?=x)", r"(?<=\bso )\w+ disease"]
    patterns = [BoundedPattern(s, "test") for s in sources]
    screen = prefilter.Screen(patterns)
    for text in ["A cure?", "50% of hearts", "Lung disease", "nothing here", "x", "So lung disease", "so?"]:
        prefilter.forget_texts()
        expected = [p for p in patterns if p.prefilter is None or p.prefilter.may_match(text)]
        assert screen.select(patterns, text) == expected
    groups = [0, 1, 1, 2, 3, 3]
    grouped = prefilter.Screen(patterns, groups)
    for text in ["A cure?", "50% of hearts", "Lung disease", "nothing here", "x", "So lung disease", "so?"]:
        prefilter.forget_texts()
        parts, found = grouped.grouped(text)
        assert parts == screen.mask(text)
        assert found == sum(1 << groups[i] for i in range(len(patterns)) if parts >> i & 1)


def _pack_patterns() -> list[tuple[str, object]]:
    packs = load_packs(builtin_pack_names())
    found: dict[str, object] = {}
    guards = Guards(merged_context(packs))
    for context_rule in guards.rules:
        for pattern in (context_rule.pattern, context_rule.pseudo):
            if pattern is not None:
                found[pattern.pattern] = pattern
    for pack in packs:
        for rule in pack.rules:
            classifier = getattr(rule, "classifier", None)
            for cue in classifier.cues if classifier else []:
                found[cue.pattern.pattern] = cue.pattern
            for name in ("regex", "exceptions", "statements", "when", "terms", "with_terms"):
                pattern = getattr(rule, name, None)
                if pattern is not None:
                    found[pattern.pattern] = pattern
    return list(found.items())


def test_pack_patterns_match_as_the_plain_regex_on_the_corpus() -> None:
    sentences = []
    for path in sorted((ROOT / "tests" / "corpus").glob("*.md"))[:12]:
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences.extend(s for s in re.split(r"(?<=[.!?])\s+", line) if s)
    sentences += [s.upper() for s in sentences[:200]] + [s.replace("i", "\u0131") for s in sentences[:200]]
    for source, pattern in _pack_patterns():
        if isinstance(pattern, BoundedPattern):
            plain = regex.compile(source, regex.IGNORECASE | regex.V0)
        else:
            plain = re.compile(source, re.IGNORECASE)
        for text in sentences:
            prefilter.forget_texts()
            assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)], source
            first, expected = pattern.search(text), plain.search(text)
            assert (first and first.span()) == (expected and expected.span()), source


# -- front matter ------------------------------------------------------------------------------

YAML_CASES = [
    "title: A\ndate: 2024-03-01\ntags: [a, b]\ndraft: false",
    "title: \"What? Really\"\ntags:\n  - one\n  - two\nreviewed: 2021-13-45",
    "tags: [diab?etes, blood tests]",  # libyaml accepts this, PyYAML does not
    "a: |#\n  text",
    "[" * 1000 + "]" * 1000,
    "\n".join("  " * i + "a:" for i in range(120)),
    "- " * 150 + "x",
    "a: b\nc: d\n...\ne: f",
    "x: 1\nx: 2",
    "key: value\n  - not a list",
    "when: 12:30:45\nn: 0o17\ny: yes\nnothing: ~",
]


@pytest.mark.parametrize("text", YAML_CASES)
def test_front_matter_loads_as_pyyaml_loads_it(text: str) -> None:
    loaded = _load_plain_yaml(text)
    if loaded is _UNSURE:
        return  # the reader calls yaml.safe_load itself
    assert repr(loaded) == repr(yaml.safe_load(text))


def test_deep_or_unusual_front_matter_is_left_to_pyyaml() -> None:
    for text in YAML_CASES[2:7]:
        assert _load_plain_yaml(text) is _UNSURE


# -- the JSON report ---------------------------------------------------------------------------


def test_json_report_is_what_json_dump_wrote(linter) -> None:
    from claimlint.engine import lint_file
    from claimlint.report import RunResult
    from claimlint.report.json import as_dict, render

    run = RunResult(files=[lint_file(linter, str(p), "markdown") for p in sorted((ROOT / "examples").glob("*.md"))])
    expected = io.StringIO()
    json.dump(as_dict(run), expected, ensure_ascii=False, indent=2)
    written = io.StringIO()
    render(run, written)
    assert written.getvalue() == expected.getvalue() + "\n"


@settings(max_examples=200, deadline=None)
@given(sources=st.lists(patterns(), min_size=2, max_size=4), texts=st.lists(TEXTS, min_size=1, max_size=6))
def test_joined_patterns_match_as_one_regex(sources: list[str], texts: list[str]) -> None:
    joined = "|".join(f"(?:{s})" for s in sources)
    bounded = BoundedPattern(joined, "test", sources)
    compiled = regex.compile(joined, regex.IGNORECASE | regex.V0)
    for text in texts:
        prefilter.forget_texts()
        assert [m.span() for m in bounded.finditer(text)] == [m.span() for m in compiled.finditer(text)]
        first, expected = bounded.search(text), compiled.search(text)
        assert (first and first.span()) == (expected and expected.span())


@pytest.mark.parametrize("sources, text", [
    ([r"\bcare\b", r"\bcare home\b"], "care home care"),  # a tie at one start: the first alternative
    ([r"\bcare home\b", r"\bcare\b"], "care home care"),
    ([r"\bhome care\b", r"\bcare \w+"], "home care plan and care home"),  # overlapping matches
    ([r"(?<=care )home", r"\bcare\b"], "care home care home"),  # a lookbehind into the match before
    ([r"\bcure\b", r"(?=x)"], "cure x cure"),  # an empty match: the whole pattern steps past it
    ([r"\bcure", r"\bcures?\b", r"\d+"], "12 cures 3 cure"),
])
def test_alternatives_searched_alone_find_what_the_whole_finds(sources: list[str], text: str) -> None:
    sources = sources + [r"\bzzz\b"]  # one that never matches, so that the rest are searched alone
    bounded = BoundedPattern("|".join(f"(?:{s})" for s in sources), "test", sources)
    compiled = regex.compile(bounded.pattern, regex.IGNORECASE | regex.V0)
    prefilter.forget_texts()
    everything = (1 << len(sources)) - 1
    tried = 0
    for possible in range(1, everything):  # each set of alternatives searched alone
        if any(regex.search(s, text, regex.IGNORECASE | regex.V0) for i, s in enumerate(sources)
               if not possible >> i & 1):
            continue  # the screen would not leave out an alternative that matches
        tried += 1
        assert [m.span() for m in bounded.finditer(text, possible)] == [m.span() for m in compiled.finditer(text)]
        first, expected = bounded.search(text, possible), compiled.search(text)
        assert (first and first.span()) == (expected and expected.span())
    assert tried


def test_patterns_kept_for_one_set_of_possible_parts_serve_only_that_set() -> None:
    """BoundedPattern keeps, per `possible`, which compiled patterns to search: asking for one
    set, then another, then the first again, gives what a fresh pattern gives each time."""
    sources = [r"\bcure\b", r"\bcures?\b", r"\d+", r"\bzzz\b"]
    joined = "|".join(f"(?:{s})" for s in sources)
    kept = BoundedPattern(joined, "test", sources)
    text = "12 cures 3 cure"
    for possible in (0b0010, 0b0101, 0b0111, 0b0010, 0b1111, 0b0101, 0b0001):
        fresh = BoundedPattern(joined, "test", sources)
        prefilter.forget_texts()
        assert ([m.span() for m in kept.finditer(text, possible)]
                == [m.span() for m in fresh.finditer(text, possible)])
        assert kept.search(text, possible).span() == fresh.search(text, possible).span()
    assert set(kept._plans) == {0b0010, 0b0101, 0b0111, 0b1111, 0b0001}


def test_alternatives_are_searched_alone_only_when_independent() -> None:
    assert literals.independent([r"\bcure\b", r"\d+%"])
    assert not literals.independent([r"(a)\1", "b"])  # group numbers shift when joined
    assert not literals.independent([r"(?s)a.b", "c"])  # a flag for the whole pattern
    assert not literals.independent([r"\p{L}", "c"])


@pytest.mark.parametrize("data", [
    {}, [], "text", 5, None,
    {"a": [], "b": {}, "c": [[], {}, [[1]], {"k": {"z": []}}]},
    {"s": "é\n\"\\x\u2028\x00", "n": [1, -0.0, 2.5, 1e300, True, False, None], "t": (1, "two")},
    {"nan": float("nan"), "inf": [float("inf"), -float("inf")], 1: "int key", 2.5: "float key", True: "t", None: "n"},
    {"files": [{"path": f"f{i}.md", "n": i} for i in range(1100)], "findings": [], "errors": ["x"]},
])
def test_json_writer_is_json_dump(data) -> None:
    from claimlint.report.json import write

    written = io.StringIO()
    write(data, written)
    assert written.getvalue() == json.dumps(data, ensure_ascii=False, indent=2)


def test_json_writer_leaves_what_it_cannot_encode_to_json() -> None:
    from claimlint.report.json import write

    with pytest.raises(TypeError):
        write({"a": object()}, io.StringIO())


@settings(max_examples=300, deadline=None)
@given(
    substrings=st.lists(st.tuples(st.text(alphabet="ab .?\\(", min_size=0, max_size=4), st.integers(0, 5)), max_size=12),
    texts=st.lists(st.text(alphabet="ab .?\\(", max_size=30), min_size=1, max_size=5),
)
def test_substring_finder_finds_what_testing_each_substring_finds(substrings, texts) -> None:
    finder = prefilter._SubstringFinder.build([(s, 1 << bit) for s, bit in substrings])
    for text in texts:
        expected = 0
        for substring, bit in substrings:
            if substring in text:
                expected |= 1 << bit
        assert (finder.bits(text) if finder else 0) == expected


def test_minimal_substrings_keep_the_same_condition() -> None:
    subs = ["ask", "asks", "dask", "check", "ncheck", "do not", "don", "?"]
    kept = prefilter._minimal(subs)
    assert kept == sorted(["ask", "check", "do not", "don", "?"])
    for text in ["please ask", "andask", "do nothing", "don't", "why?", "nothing", "checks"]:
        assert any(s in text for s in subs) == any(s in text for s in kept)


# -- the per-document word index ---------------------------------------------------------------


def test_may_match_picks_the_sentences_each_prefilter_allows(linter) -> None:
    """matching.may_match answers every question about a document from an index of its folded
    words: it must give exactly the sentences the prefilter allows, for every pattern."""
    from claimlint.matching import may_match
    from claimlint.readers import read_source

    patterns = [p for _, p in _pack_patterns() if getattr(p, "prefilter", None) is not None]
    paths = sorted((ROOT / "tests" / "corpus").rglob("*.md"))[:15] + sorted((ROOT / "examples").glob("*.md"))
    for path in paths:
        analysis = linter.analyse(read_source(str(path), path.read_text(encoding="utf-8"), "markdown"))
        for masked in (True, False):
            for pattern in patterns:
                text = (lambda s: s.masked) if masked else (lambda s: s.text)
                expected = [s for s in analysis.sentences if pattern.prefilter.may_match(text(s))]
                assert may_match(pattern, analysis, masked) == expected, (path, pattern.pattern)


@pytest.mark.parametrize("words, substrings, digit", [
    ({"cure"}, (), False),
    ({"cure", "miracle"}, (), False),
    (set(), ("ask",), False),  # at a sentence's start and end, and across two: "...a" + "sk..."
    (set(), ("'",), False),
    ({"zzz"}, ("nowhere",), False),  # in no sentence: the whole document is ruled out at once
    ({"cure"}, ("ask",), True),
    ({"cure"}, ("ask",), "also"),  # and, as a second condition, the word "say" or "nothing"
])
def test_word_index_gives_what_each_sentence_prefilter_gives(words, substrings, digit) -> None:
    """matching._WordIndex answers from the document's words, worked out per word on first
    ask, and a look at all the sentences joined for substrings: the sentences it picks are the
    ones each sentence's own prefilter allows, also for a substring split across two sentences."""
    from types import SimpleNamespace

    from claimlint.matching import may_match

    texts = ["Ask your GP.", "It cures 3 in 10, they say a", "sk them", "Miracle CURE or not, I'd ask.",
             "Nothing here", "the 'word'", "task"]
    sentences = [SimpleNamespace(masked=t, text=t) for t in texts]
    also = prefilter.Prefilter(frozenset({"say", "nothing"}), (), False) if digit == "also" else None
    pattern = SimpleNamespace(prefilter=prefilter.Prefilter(frozenset(words), substrings, bool(digit), also))
    for ask in range(3):  # the first question builds the index; later ones reuse it
        analysis = SimpleNamespace(sentences=sentences, word_index={})
        prefilter.forget_texts()
        for _ in range(ask + 1):
            found = may_match(pattern, analysis)
        assert found == [s for s in sentences if pattern.prefilter.may_match(s.masked)]


def test_classifier_screens_each_cue_as_its_own_pattern_would(linter) -> None:
    """ClaimClassifier looks at a sentence once for the parts of every cue: the cues it keeps,
    and the parts it says may match, are what each cue's pattern works out alone."""
    classifier = linter.classifier
    sentences = []
    for path in sorted((ROOT / "tests" / "corpus").glob("*.md"))[:10]:
        sentences += [s for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8")) if s]
    for text in sentences + [s.upper() for s in sentences[:100]]:
        prefilter.forget_texts()
        expected = []
        for cue in classifier.cues:
            pattern = cue.pattern
            if pattern.prefilter is not None and not pattern.prefilter.may_match(text):
                continue
            split = pattern._alternatives()
            expected.append((cue.name, split[1].mask(text) if split else 1))
        assert [(cue.name, possible) for cue, possible in classifier._screened(text)] == expected


def test_the_digit_atom_is_the_one_literals_uses():
    from claimlint import literals, prefilter

    assert prefilter.DIGIT == literals.DIGIT
