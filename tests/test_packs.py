"""Rule packs: every shipped example runs, and broken packs give one-line errors with file:line."""

from __future__ import annotations

import pytest

from claimlint.packs import DEFAULT_PACKS, PackError, builtin_pack_names, load_pack, load_packs
from claimlint.selftest import run_examples
from conftest import FILES, ROOT

PACKS = FILES / "packs"


def _rule_examples():
    for name in builtin_pack_names():
        for rule in load_pack(name).rules:
            d = rule.definition
            for example in d.flag_examples:
                yield pytest.param(d.id, "flag", example, id=f"{d.id}-flag-{example[:30]}")
            for example in d.pass_examples:
                yield pytest.param(d.id, "pass", example, id=f"{d.id}-pass-{example[:30]}")


@pytest.mark.parametrize("rule_id, expected, example", list(_rule_examples()))
def test_every_shipped_example(linter, rule_id, expected, example):
    from claimlint.readers import read_source

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
    assert "no such rule pack (built-in packs: claims, disclaimers, overpromise, references" in run.stderr


def test_default_packs_load():
    names = [p.name for p in load_packs(list(DEFAULT_PACKS))]
    assert names == ["claims", "overpromise", "disclaimers", "references"]
