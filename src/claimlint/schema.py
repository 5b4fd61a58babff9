"""JSON Schema of a rule pack, generated from the kinds' OPTIONS, so editors can complete and
check pack files (`claimlint rules schema`; published as schema/rule-pack.schema.json)."""

from __future__ import annotations

import json

from claimlint.context import CATEGORIES, CONTEXT_KEYS, DIRECTIONS, GUARDS
from claimlint.packs import SEVERITIES

_COMMON = {
    "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$", "description": "Rule id within the pack; the full id is pack.id."},
    "category": {"type": "string", "description": "citation, overpromise, disclaimer, reference, or your own."},
    "severity": {"enum": list(SEVERITIES)},
    "message": {"type": "string", "description": "What the finding says; {match} and other placeholders are filled in."},
    "why": {"type": "string", "description": "The rationale, shown by `claimlint explain`."},
    "sources": {"type": "array", "items": {"type": "string"}, "description": "Regulations, guidelines or papers."},
    "examples": {
        "type": "object",
        "additionalProperties": False,
        "properties": {"flag": {"type": "array", "items": {"type": "string"}},
                       "pass": {"type": "array", "items": {"type": "string"}}},
        "description": "Small Markdown documents: each flag example must fire the rule, no pass example may.",
    },
    "enabled": {"type": "boolean", "description": "false switches an inherited rule off."},
}
_TYPES = {
    "text": {"type": "string"},
    "text-list": {"type": "array", "items": {"type": "string"}},
    "regex-list": {"type": "array", "items": {"type": "string", "format": "regex"}},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "mapping": {"type": "object"},
}


def _option_schema(option) -> dict:
    schema = dict(_TYPES[option.type])
    if option.choices:
        if option.type == "text":
            schema = {"enum": list(option.choices)}
        else:
            schema = {"type": "array", "items": {"enum": list(option.choices)}}
    if option.help:
        schema["description"] = option.help
    return schema


def pack_schema() -> dict:
    from claimlint.kinds import known_kinds

    variants = []
    for name, module in sorted(known_kinds().items()):
        properties = {**_COMMON, "kind": {"const": name}}
        properties.update({key: _option_schema(option) for key, option in module.OPTIONS.items()})
        required = ["id", "kind", "category", "severity", "message", "why"]
        required += [key for key, option in module.OPTIONS.items() if option.required]
        doc = (module.__doc__ or "").strip().splitlines()
        variants.append({
            "title": name, "description": doc[0] if doc else name, "type": "object",
            "additionalProperties": False, "required": required, "properties": properties,
        })
    override = {
        "title": "override", "description": "In a pack that extends another: change an inherited rule by id.",
        "type": "object", "required": ["id"], "not": {"required": ["kind"]},
        "properties": dict(_COMMON),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/claimlint/claimlint/schema/rule-pack.schema.json",
        "title": "claimlint rule pack",
        "type": "object",
        "additionalProperties": False,
        "required": ["pack"],
        "properties": {
            "pack": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
            "description": {"type": "string"},
            "extends": {"type": "string", "description": "A built-in pack name or a path."},
            "context": {
                "type": "object",
                "description": f"Cues for the context guards ({', '.join(GUARDS)}): ConText-style rules and shorthand cue lists.",
                "additionalProperties": False,
                "properties": {
                    **{name: {"type": "array", "items": {"type": "string"}}
                       for name in CONTEXT_KEYS if name != "rules"},
                    "rules": {"type": "array", "items": {
                        "type": "object", "additionalProperties": False,
                        "required": ["category", "direction", "cues"],
                        "properties": {
                            "category": {"enum": list(CATEGORIES)},
                            "direction": {"enum": list(DIRECTIONS)},
                            "scope": {"type": "integer", "minimum": 0,
                                      "description": "Words from the term; 0 = the whole clause."},
                            "cues": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                            "pseudo": {"type": "array", "items": {"type": "string"},
                                       "description": "Phrases that contain a cue but are not one."},
                        },
                    }},
                },
            },
            "rules": {"type": "array", "items": {"anyOf": variants + [override]}},
        },
    }


def render() -> str:
    return json.dumps(pack_schema(), indent=2, ensure_ascii=False) + "\n"
