"""Generated documents stay in step with the packs and kinds: docs/rules.md and the JSON Schema."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from claimlint.packs import builtin_pack_names, builtin_rules_dir
from conftest import FILES, ROOT


def test_rule_reference_is_current(cli):
    run = cli("rules", "docs")
    assert run.exit_code == 0
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert run.stdout == current, "docs/rules.md is stale: run `claimlint rules docs > docs/rules.md`"


def test_published_schema_is_current(cli):
    run = cli("rules", "schema")
    published = (ROOT / "schema" / "rule-pack.schema.json").read_text(encoding="utf-8")
    assert run.stdout == published, "schema is stale: run `claimlint rules schema > schema/rule-pack.schema.json`"


@pytest.mark.parametrize("name", builtin_pack_names())
def test_shipped_packs_satisfy_the_schema(name):
    schema = json.loads((ROOT / "schema" / "rule-pack.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((builtin_rules_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)


def test_schema_rejects_what_the_loader_rejects():
    schema = json.loads((ROOT / "schema" / "rule-pack.schema.json").read_text(encoding="utf-8"))
    for bad in ["bad-severity.yaml", "unknown-key.yaml", "unknown-kind.yaml"]:
        data = yaml.safe_load((FILES / "packs" / bad).read_text(encoding="utf-8"))
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, schema)


def test_rules_validate_command(cli):
    good = cli("rules", "validate", FILES / "packs" / "house-style.yaml")
    assert good.exit_code == 0 and "house-style.yaml: ok (1 rules, 2 examples)" in good.stdout
    bad = cli("rules", "validate", FILES / "packs" / "bad-severity.yaml")
    assert bad.exit_code == 2 and "bad-severity.yaml:7:15: rules[0].severity" in bad.stderr


def test_rules_validate_reports_failing_examples(cli, tmp_path):
    pack = tmp_path / "wrong.yaml"
    pack.write_text(
        "pack: wrong\nrules:\n  - id: cream\n    kind: phrase\n    category: house\n    severity: info\n"
        "    phrases: [wonder cream]\n    message: m\n    why: w\n"
        "    examples:\n      flag: [\"A magic lotion.\"]\n      pass: [\"A wonder cream.\"]\n"
    )
    run = cli("rules", "validate", pack)
    assert run.exit_code == 1
    assert "wrong.cream: flag example was not flagged: 'A magic lotion.'" in run.stdout
    assert "wrong.cream: pass example was flagged ('wonder cream' at 1:3): 'A wonder cream.'" in run.stdout
