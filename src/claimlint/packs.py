"""Rule packs: YAML files of rules, validated strictly and compiled by their kinds.

A pack is data (see rules/*.yaml); each rule names a `kind`, and the module for that kind
(found through the `claimlint.kinds` entry points) declares its options and compiles it.
Every error names file:line:col and the key path, e.g.
`rules/x.yaml:12:15: rules[3].severity: 'fatal' is not one of error, warning, info`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimlint import yamlsource
from claimlint.regexes import check_syntax
from claimlint.yamlsource import Where, describe, unknown_key

SEVERITIES = ("error", "warning", "info")
DEFAULT_PACKS = ("claims", "overpromise", "exaggeration", "disclaimers", "references")
_PACK_KEYS = {"pack", "description", "extends", "context", "rules"}
_RULE_KEYS = {"id", "kind", "category", "severity", "message", "why", "sources", "examples", "enabled"}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class PackError(Exception):
    """A rule pack that cannot be used; `str()` is a one-line message naming file:line:col."""


@dataclass(frozen=True)
class Option:
    """One option of a rule kind. `type` is one of: text, text-list, regex-list, number,
    integer, boolean, mapping."""

    type: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class RuleDefinition:
    """What every rule has, whatever its kind."""

    id: str  # "pack.rule"
    kind: str
    category: str
    severity: str
    message: str
    why: str
    sources: tuple[str, ...]
    flag_examples: tuple[str, ...]
    pass_examples: tuple[str, ...]
    pack: str
    location: str  # file:line of the rule, for messages


@dataclass
class RuleSpec:
    """Handed to a kind's `compile`: the common definition, the options, error helpers."""

    definition: RuleDefinition
    options: dict[str, Any]
    where: Where
    keys: tuple  # key path of the rule inside its pack file

    def error(self, key: tuple | str, message: str) -> PackError:
        keys = self.keys + ((key,) if isinstance(key, (str, int)) else tuple(key))
        return PackError(f"{self.where.at(keys)}: {describe(keys)}: {message}")

    def check_regex(self, pattern: str, key: tuple) -> None:
        problem = check_syntax(pattern)
        if problem:
            raise self.error(key, f"regular expression does not compile: {problem}")


@dataclass
class Pack:
    name: str
    description: str
    path: str
    rules: list = field(default_factory=list)  # compiled rules, each with `.definition`
    context: dict[str, list] = field(default_factory=dict)  # cue lists; "rules": context rules
    ancestors: tuple[str, ...] = ()  # names of the packs it extends, nearest first
    entries: list = field(default_factory=list, repr=False)  # (raw rule, Where, keys), for `extends`
    files: tuple[str, ...] = ()  # the files it was read from: its own, then those it extends


def builtin_rules_dir() -> Path:
    """The shipped packs: inside the installed package, or `rules/` of a source checkout."""
    # For a package on disk importlib.resources finds the folder beside this file: look there
    # without importing it (with tempfile, shutil...: ~10 ms); ask it only for one elsewhere.
    beside = Path(__file__).parent / "rules"
    if beside.is_dir():
        return beside
    if not Path(__file__).is_file():
        from importlib import resources

        packaged = resources.files("claimlint") / "rules"
        if packaged.is_dir():
            return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"


def builtin_pack_names() -> list[str]:
    return sorted(p.stem for p in builtin_rules_dir().glob("*.yaml"))


def resolve(name_or_path: str) -> Path:
    """A pack given by built-in name (`overpromise`) or by file path."""
    candidate = builtin_rules_dir() / f"{name_or_path}.yaml"
    if "/" not in name_or_path and "\\" not in name_or_path and candidate.is_file():
        return candidate
    path = Path(name_or_path)
    if path.is_file():
        return path
    known = ", ".join(builtin_pack_names())
    raise PackError(f"{name_or_path}: no such rule pack (built-in packs: {known})")


def load_pack(name_or_path: str, _chain: tuple[str, ...] = ()) -> Pack:
    path = resolve(name_or_path)
    key = str(path.resolve())
    if key in _chain:
        raise PackError(f"{path}:1:1: extends: packs extend each other in a loop")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: cannot read rule pack: {exc}") from None
    return parse_pack(text, str(path), _chain + (key,))


def parse_pack(text: str, path: str, _chain: tuple[str, ...] = ()) -> Pack:
    try:
        data, where = yamlsource.load(text, path)
    except yamlsource.YamlError as exc:
        raise PackError(str(exc)) from None
    if not isinstance(data, dict):
        raise PackError(f"{path}:1:1: a rule pack must be a mapping with 'pack' and 'rules'")
    _reject_unknown(data, _PACK_KEYS, (), where)
    name = _text(data, "pack", (), where, required=True)
    if not _ID.match(name):
        raise PackError(f"{where.at(('pack',))}: pack: '{name}' must be lowercase letters, digits, '-' or '_'")
    pack = Pack(name, _text(data, "description", (), where) or "", path, files=(path,))
    parent = None
    if data.get("extends") is not None:
        parent_name = _text(data, "extends", (), where)
        try:
            parent = load_pack(parent_name, _chain)
        except PackError as exc:
            raise PackError(f"{where.at(('extends',))}: extends: {exc}") from None
        pack.ancestors = (parent.name,) + parent.ancestors
        pack.files += parent.files
        pack.context = {k: list(v) for k, v in parent.context.items()}
        pack.entries = list(parent.entries)
    for cue_name, cues in _context(data.get("context"), where).items():
        pack.context.setdefault(cue_name, []).extend(cues)
    rules = data.get("rules", [])
    if not isinstance(rules, list):
        raise PackError(f"{where.at(('rules',))}: rules: must be a list of rules")
    inherited = {raw.get("id"): position for position, (raw, _, _) in enumerate(pack.entries)}
    seen: dict[str, int] = {}
    for index, raw in enumerate(rules):
        keys = ("rules", index)
        if not isinstance(raw, dict):
            raise PackError(f"{where.at(keys)}: {describe(keys)}: a rule must be a mapping")
        short = _text(raw, "id", keys, where, required=True)
        if short in seen:
            raise PackError(
                f"{where.at(keys + ('id',))}: {describe(keys)}.id: duplicate rule id '{short}'"
                f" (also rules[{seen[short]}])"
            )
        seen[short] = index
        if short in inherited:  # override: the keys given here replace the inherited ones
            position = inherited[short]
            pack.entries[position] = ({**pack.entries[position][0], **raw}, where, keys)
        else:
            pack.entries.append((raw, where, keys))
    for raw, rule_where, keys in pack.entries:
        rule = _compile_rule(raw, keys, name, rule_where)
        if rule is not None:
            pack.rules.append(rule)
    return pack


def _compile_rule(raw: Any, keys: tuple, pack: str, where: Where):
    from claimlint.kinds import known_kinds

    if not isinstance(raw, dict):
        raise PackError(f"{where.at(keys)}: {describe(keys)}: a rule must be a mapping")
    kinds = known_kinds()
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise PackError(f"{where.at(keys + ('enabled',))}: {describe(keys)}.enabled: must be true or false")
    if not enabled:
        return None
    kind_name = _text(raw, "kind", keys, where, required=True)
    if kind_name not in kinds:
        raise PackError(
            f"{where.at(keys + ('kind',))}: {describe(keys)}.kind: unknown kind '{kind_name}'"
            f" (known kinds: {', '.join(sorted(kinds))})"
        )
    kind = kinds[kind_name]
    _reject_unknown(raw, _RULE_KEYS | set(kind.OPTIONS), keys, where)
    rule_id = _text(raw, "id", keys, where, required=True)
    if not _ID.match(rule_id):
        raise PackError(
            f"{where.at(keys + ('id',))}: {describe(keys)}.id: '{rule_id}' must be lowercase"
            " letters, digits, '-' or '_'"
        )
    severity = _text(raw, "severity", keys, where, required=True)
    if severity not in SEVERITIES:
        raise PackError(
            f"{where.at(keys + ('severity',))}: {describe(keys)}.severity: '{severity}'"
            f" is not one of {', '.join(SEVERITIES)}"
        )
    examples = raw.get("examples") or {}
    if not isinstance(examples, dict):
        raise PackError(f"{where.at(keys + ('examples',))}: {describe(keys)}.examples: must be a mapping with flag and pass lists")
    _reject_unknown(examples, {"flag", "pass"}, keys + ("examples",), where)
    definition = RuleDefinition(
        id=f"{pack}.{rule_id}",
        kind=kind_name,
        category=_text(raw, "category", keys, where, required=True),
        severity=severity,
        message=_text(raw, "message", keys, where, required=True),
        why=_text(raw, "why", keys, where, required=True),
        sources=tuple(_text_list(raw, "sources", keys, where)),
        flag_examples=tuple(_text_list(examples, "flag", keys + ("examples",), where)),
        pass_examples=tuple(_text_list(examples, "pass", keys + ("examples",), where)),
        pack=pack,
        location=where.at(keys),
    )
    options = {name: _option(raw, name, option, keys, where) for name, option in kind.OPTIONS.items()}
    return kind.compile(RuleSpec(definition, options, where, keys))


def _option(raw: dict, name: str, option: Option, keys: tuple, where: Where) -> Any:
    if name not in raw or raw[name] is None:
        if option.required:
            raise PackError(f"{where.at(keys)}: {describe(keys)}: missing required key '{name}'")
        return option.default
    value = raw[name]
    at = f"{where.at(keys + (name,))}: {describe(keys + (name,))}"
    if option.type == "text":
        if not isinstance(value, str):
            raise PackError(f"{at}: must be a string")
    elif option.type in ("text-list", "regex-list"):
        value = _text_list(raw, name, keys, where)
        for index, item in enumerate(value):
            if option.choices and item not in option.choices:
                raise PackError(
                    f"{where.at(keys + (name, index))}: {describe(keys + (name, index))}:"
                    f" '{item}' is not one of {', '.join(option.choices)}"
                )
            if option.type == "regex-list":
                problem = check_syntax(item)
                if problem:
                    raise PackError(
                        f"{where.at(keys + (name, index))}: {describe(keys + (name, index))}:"
                        f" regular expression does not compile: {problem}"
                    )
        value = tuple(value)
    elif option.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise PackError(f"{at}: must be a number")
    elif option.type == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise PackError(f"{at}: must be a whole number")
    elif option.type == "boolean":
        if not isinstance(value, bool):
            raise PackError(f"{at}: must be true or false")
    elif option.type == "mapping":
        if not isinstance(value, dict):
            raise PackError(f"{at}: must be a mapping")
    if option.choices and option.type == "text" and value not in option.choices:
        raise PackError(f"{at}: '{value}' is not one of {', '.join(option.choices)}")
    return value


def _reject_unknown(data: dict, allowed: set, keys: tuple, where: Where) -> None:
    message = unknown_key(data, allowed, keys, where)
    if message:
        raise PackError(message)


def _text(data: dict, key: str, keys: tuple, where: Where, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise PackError(f"{where.at(keys)}: {describe(keys) or 'pack'}: missing required key '{key}'")
        return None
    if not isinstance(value, str) or not value.strip():
        raise PackError(f"{where.at(keys + (key,))}: {describe(keys + (key,))}: must be a non-empty string")
    return value


def _text_list(data: dict, key: str, keys: tuple, where: Where) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise PackError(f"{where.at(keys + (key,))}: {describe(keys + (key,))}: must be a list of strings")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            hint = " (YAML reads unquoted yes/no/on/off as true/false: put it in quotes)" if isinstance(item, bool) else ""
            raise PackError(
                f"{where.at(keys + (key, index))}: {describe(keys + (key, index))}: must be a string{hint}"
            )
    return value


def _context(raw: Any, where: Where) -> dict[str, list]:
    from claimlint.context import CATEGORIES, CONTEXT_KEYS, DIRECTIONS

    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PackError(f"{where.at(('context',))}: context: must be a mapping of cue lists")
    _reject_unknown(raw, set(CONTEXT_KEYS), ("context",), where)
    context: dict[str, list] = {name: _text_list(raw, name, ("context",), where) for name in raw if name != "rules"}
    rules = raw.get("rules")
    if rules is None:
        return context
    if not isinstance(rules, list):
        raise PackError(f"{where.at(('context', 'rules'))}: context.rules: must be a list of context rules")
    context["rules"] = []
    for index, rule in enumerate(rules):
        keys = ("context", "rules", index)
        if not isinstance(rule, dict):
            raise PackError(f"{where.at(keys)}: {describe(keys)}: a context rule must be a mapping")
        _reject_unknown(rule, {"category", "direction", "scope", "cues", "pseudo"}, keys, where)
        for key, choices in (("category", CATEGORIES), ("direction", DIRECTIONS)):
            value = _text(rule, key, keys, where, required=True)
            if value not in choices:
                raise PackError(f"{where.at(keys + (key,))}: {describe(keys + (key,))}: '{value}' is not one of: "
                                f"{', '.join(choices)}")
        scope = rule.get("scope", 0)
        if isinstance(scope, bool) or not isinstance(scope, int) or scope < 0:
            raise PackError(f"{where.at(keys + ('scope',))}: {describe(keys + ('scope',))}: must be a whole number"
                            " of words (0 = the whole clause)")
        cues = _text_list(rule, "cues", keys, where)
        if not cues:
            raise PackError(f"{where.at(keys)}: {describe(keys)}: missing required key 'cues'")
        context["rules"].append({"category": rule["category"], "direction": rule["direction"],
                                 "scope": scope, "cues": cues, "pseudo": _text_list(rule, "pseudo", keys, where)})
    return context


def load_packs(names: list[str]) -> list[Pack]:
    """Packs in order; a pack that another one extends is replaced by it (not run twice)."""
    packs = [load_pack(name) for name in names]
    extended = {ancestor for pack in packs for ancestor in pack.ancestors}
    return [pack for pack in packs if pack.name not in extended]


def merged_context(packs: list[Pack]) -> dict[str, list]:
    """Cue lists and context rules of all active packs, later packs adding to earlier ones."""
    merged: dict[str, list] = {}
    for pack in packs:
        for name, cues in pack.context.items():
            merged.setdefault(name, []).extend(cues)
    return merged
