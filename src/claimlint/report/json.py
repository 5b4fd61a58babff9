"""The JSON output contract (see README, "JSON output")."""

from __future__ import annotations

import json
from typing import TextIO

from claimlint import __version__
from claimlint.report import RunResult


def as_dict(run: RunResult) -> dict:
    linted = [r for r in run.files if r.error is None]
    return {
        "tool": "claimlint",
        "version": __version__,
        "summary": {"files": len(linted), "findings": len(run.findings), **run.counts()},
        "files": [
            {"path": r.path, "sentences": r.sentences, "claims": r.claims, "cited_claims": r.cited_claims,
             **({"notices": r.notices} if r.notices else {})}
            for r in linted
        ],
        "findings": [f.to_json() for f in run.findings],
        "errors": list(run.errors),
    }


def render(run: RunResult, stream: TextIO) -> None:
    write(as_dict(run), stream)
    stream.write("\n")


def write(data, stream: TextIO) -> None:
    """json.dump(data, stream, ensure_ascii=False, indent=2), byte for byte, about four times
    faster: with `indent` the json module uses its pure-Python encoder, one generator step per
    token. Here each value is built with str.join and the C string encoder, and the top-level
    lists (files, findings) are written a few hundred items at a time. Anything the json module
    would treat specially (a type it cannot encode, a circular list) goes to json.dump."""
    try:
        _write_top(data, stream)
    except _Unusual:
        json.dump(data, stream, ensure_ascii=False, indent=2)


class _Unusual(Exception):
    """A value this writer leaves to the json module (raised before anything is written)."""


_string = json.encoder.encode_basestring  # the C version when available, as json.dump uses
_CHUNK = 512  # list items per write


def _write_top(data, stream: TextIO) -> None:
    if not isinstance(data, dict) or not data:
        stream.write(_encode(data, ""))
        return
    head = {key: _key(key) for key in data}  # keys and values checked before anything is written
    parts = {}
    for key, value in data.items():
        if isinstance(value, list) and value:
            parts[key] = [_encode(item, "    ") for item in value]
        else:
            parts[key] = _encode(value, "  ")
    stream.write("{")
    for position, key in enumerate(data):
        stream.write(("\n  " if position == 0 else ",\n  ") + head[key] + ": ")
        value = parts[key]
        if isinstance(value, str):
            stream.write(value)
            continue
        stream.write("[")
        for start in range(0, len(value), _CHUNK):
            stream.write(("\n    " if start == 0 else ",\n    ") + ",\n    ".join(value[start : start + _CHUNK]))
        stream.write("\n  ]")
    stream.write("\n}")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def _key(key) -> str:
    if isinstance(key, str):
        return _string(key)
    if isinstance(key, float):
        return _string(_float(key))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return _string(int.__repr__(key))
    raise _Unusual


def _encode(value, indent: str) -> str:
    """`value` as json.dumps(..., ensure_ascii=False, indent=2) writes it at `indent`."""
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    inner = indent + "  "
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [_string(item) if type(item) is str else _encode(item, inner) for item in value]
        return "[\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [inner + (_string(key) if type(key) is str else _key(key)) + ": "
                 + (_string(item) if type(item) is str else _encode(item, inner)) for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    raise _Unusual
