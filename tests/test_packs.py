"""Rule packs: every shipped example runs, and broken packs give one-line errors with file:line."""

from __future__ import annotations

import functools

import pytest

from claimlint.packs import DEFAULT_PACKS, PackError, builtin_pack_names, load_pack, load_packs
from claimlint.selftest import run_examples
from conftest import FILES, ROOT, check_json

PACKS = FILES / "packs"


def _rule_examples():
    for name in builtin_pack_names():
        for rule in load_pack(name).rules:
            d = rule.definition
            for example in d.flag_examples:
                yield pytest.param(d.id, "flag", example, id=f"{d.id}-flag-{example[:30]}")
            for example in d.pass_examples:
                yield pytest.param(d.id, "pass", example, id=f"{d.id}-pass-{example[:30]}")


@functools.lru_cache(maxsize=None)
def _linter_with(pack_name: str):
    """The default packs plus `pack_name`, as `claimlint check --pack NAME` runs them."""
    from claimlint.engine import Linter

    names = list(DEFAULT_PACKS) + ([pack_name] if pack_name not in DEFAULT_PACKS else [])
    return Linter(load_packs(names))


@pytest.mark.parametrize("rule_id, expected, example", list(_rule_examples()))
def test_every_shipped_example(rule_id, expected, example):
    from claimlint.readers import read_source

    linter = _linter_with(rule_id.split(".", 1)[0])
    result = linter.lint(read_source("example.md", example, "markdown"))
    fired = [f for f in result.findings if f.rule == rule_id]
    if expected == "flag":
        assert fired, f"{rule_id} should flag: {example!r}"
    else:
        assert not fired, f"{rule_id} should pass: {example!r}, got {[f.text for f in fired]}"


def test_every_rule_is_documented():
    for name in builtin_pack_names():
        for rule in load_pack(name).rules:
            d = rule.definition
            assert d.why and d.sources, f"{d.id} needs why and sources"
            assert d.flag_examples and d.pass_examples, f"{d.id} needs flag and pass examples"


def test_selftest_runs_a_user_pack_examples():
    from claimlint.engine import Linter

    house = load_packs([str(PACKS / "house-style.yaml")])
    linter = Linter(load_packs(list(DEFAULT_PACKS)) + house)
    count, failures = run_examples(linter, house)
    assert count == 2 and failures == []
    linter_without = Linter(load_packs(list(DEFAULT_PACKS)))
    count, failures = run_examples(linter_without, house)
    assert [str(f) for f in failures] == [
        "house-style.wonder-cream: flag example was not flagged: 'Try our wonder cream tonight.'"
    ]


@pytest.mark.parametrize(
    "name, message",
    [
        ("bad-severity.yaml", "bad-severity.yaml:7:15: rules[0].severity: 'fatal' is not one of error, warning, info"),
        ("unknown-key.yaml", "unknown-key.yaml:9:5: rules[0].exeptions: unknown key"),
        ("unknown-kind.yaml", "unknown-kind.yaml:4:11: rules[0].kind: unknown kind 'phrases' (known kinds:"),
        ("bad-regex.yaml", "bad-regex.yaml:8:9: rules[0].patterns[0]: regular expression does not compile"),
        ("duplicate-id.yaml", "duplicate-id.yaml:10:9: rules[1].id: duplicate rule id 'wonder'"),
        ("not-yaml.yaml", "not-yaml.yaml:3:3: not valid YAML: expected the node content"),
        ("bomb.yaml", "bomb.yaml:1:1: too many YAML nodes"),
    ],
)
def test_broken_pack_errors_name_file_line_and_key(name, message):
    with pytest.raises(PackError) as error:
        load_pack(str(PACKS / name))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_unquoted_no_in_a_cue_list_gets_a_hint(tmp_path):
    pack = tmp_path / "p.yaml"
    pack.write_text("pack: p\ncontext:\n  negation_before: [no, not]\nrules: []\n")
    with pytest.raises(PackError, match=r"p.yaml:3:21: context.negation_before\[0\]: must be a string \(YAML reads"):
        load_pack(str(pack))


def test_broken_pack_is_exit_2_with_one_line(cli):
    run = cli("check", ROOT / "examples", "--pack", PACKS / "bad-severity.yaml")
    assert run.exit_code == 2
    assert run.stderr.count("\n") == 1
    assert "bad-severity.yaml:7:15: rules[0].severity" in run.stderr


def test_unknown_pack_name_lists_builtins(cli):
    run = cli("rules", "--pack", "no-such-pack")
    assert run.exit_code == 2
    assert "no-such-pack: no such rule pack (built-in packs: " in run.stderr
    for name in builtin_pack_names():
        assert name in run.stderr


def test_default_packs_load():
    names = [p.name for p in load_packs(list(DEFAULT_PACKS))]
    assert names == ["claims", "overpromise", "exaggeration", "disclaimers", "references"]


def test_extends_overrides_and_switches_off(tmp_path, cli):
    pack = tmp_path / "gentle.yaml"
    pack.write_text(
        "pack: gentle\n"
        "description: The overpromise pack, softer.\n"
        "extends: overpromise\n"
        "rules:\n"
        "  - id: cure\n"
        "    severity: warning\n"
        "  - id: hype\n"
        "    enabled: false\n"
    )
    loaded = load_pack(str(pack))
    ids = [r.definition.id for r in loaded.rules]
    assert "gentle.cure" in ids and "gentle.miracle" in ids and "gentle.hype" not in ids
    cure = [r for r in loaded.rules if r.definition.id == "gentle.cure"][0]
    assert cure.definition.severity == "warning" and cure.definition.why.startswith("Few treatments cure")
    assert loaded.context["negation_before"][:2] == ["no", "not"]

    article = tmp_path / "a.md"
    article.write_text("This breakthrough tea cures colds.\n")
    run = cli("check", article, "--pack", pack, "--format", "json")
    rules = [f["rule"] for f in run.json["findings"] if f["category"] == "overpromise"]
    assert rules == ["gentle.cure"]  # overpromise itself is replaced, hype is off
    assert run.exit_code == 0  # the cure finding is now a warning


def test_extends_loop_is_an_error(tmp_path):
    (tmp_path / "a.yaml").write_text(f"pack: a\nextends: {tmp_path / 'b.yaml'}\nrules: []\n")
    (tmp_path / "b.yaml").write_text(f"pack: b\nextends: {tmp_path / 'a.yaml'}\nrules: []\n")
    with pytest.raises(PackError, match="extend each other in a loop"):
        load_pack(str(tmp_path / "a.yaml"))


def test_catastrophic_regex_is_bounded_and_reported(cli, tmp_path):
    article = tmp_path / "long.md"
    article.write_text("# Title\n\nThis sentence ends with " + "a" * 40 + "!\n")
    other = tmp_path / "other.md"
    other.write_text("This tea cures colds.\n")
    run = cli("check", article, other, "--pack", PACKS / "catastrophic.yaml", "--format", "json")
    assert run.exit_code == 2
    assert run.json["errors"] == [
        f"{article}: rule slow.aaa: a regular expression ran longer than 1s on one sentence"
        " (catastrophic backtracking?); simplify it"
    ]
    assert [f["text"] for f in run.json["findings"] if f["category"] == "overpromise"] == ["cures"]  # other file linted


def test_exception_patterns_run_with_the_engine_that_checked_them(tmp_path):
    """A phrase rule's exception pattern valid for the `regex` engine that checks packs at load
    (a variable-width look-behind, which `re` rejects) runs as written instead of crashing."""
    pack = tmp_path / "idioms.yaml"
    pack.write_text(
        "pack: idioms\n"
        "rules:\n"
        "  - id: miracle\n"
        "    kind: phrase\n"
        "    category: overpromise\n"
        "    severity: error\n"
        "    phrases: [miracle]\n"
        "    exception_patterns: [\"(?<=\\\\bit (?:was|would be) a )miracle\"]\n"
        "    message: \"'{match}' is hype.\"\n"
        "    why: Hype.\n"
    )
    article = tmp_path / "a.md"
    article.write_text("It was a miracle nobody was hurt.\n\nOur tea is a miracle for joints.\n")
    _, report = check_json(article, str(pack))
    assert [f["line"] for f in report["findings"] if f["rule"] == "idioms.miracle"] == [3]
