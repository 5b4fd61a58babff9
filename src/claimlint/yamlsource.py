"""Load YAML safely and remember where every value came from.

Rule packs and configuration files are written by people; an error must name the file, line,
column and key. `load` returns the data together with a `Where` that maps each key path
(`("rules", 3, "severity")`) to its 1-based line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_NODES = 200_000  # a "billion laughs" alias bomb expands far beyond this


class YamlError(Exception):
    """A YAML file that cannot be used; `str()` is a one-line message naming file:line:col."""


@dataclass
class Where:
    path: str
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # where each value starts
    key_marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # where each key is

    def at(self, keys: tuple) -> str:
        """`file:line:col` of the value at a key path (or of its closest known parent)."""
        while keys and keys not in self.marks:
            keys = keys[:-1]
        line, col = self.marks.get(keys, (1, 1))
        return f"{self.path}:{line}:{col}"

    def key_at(self, keys: tuple) -> str:
        """`file:line:col` of the key itself (for unknown or duplicate keys)."""
        if keys in self.key_marks:
            line, col = self.key_marks[keys]
            return f"{self.path}:{line}:{col}"
        return self.at(keys)


def describe(keys: tuple) -> str:
    """`("rules", 3, "severity")` -> `rules[3].severity`."""
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def unknown_key(data: dict, allowed: set, keys: tuple, where: Where) -> str | None:
    """The message for the first key of `data` not in `allowed` (at the key's position), or None."""
    for key in data:
        if key not in allowed:
            return (f"{where.key_at(keys + (key,))}: {describe(keys + (key,))}: unknown key"
                    f" (allowed: {', '.join(sorted(allowed))})")
    return None


def load(text: str, path: str) -> tuple[object, Where]:
    """Parse one YAML document; raise YamlError with file:line:col on any problem. A text
    parsed by an earlier run is taken from claimlint.packfacts (when the run has a cache)."""
    from claimlint import packfacts

    known = packfacts.yaml_document(text)
    if known is not None:
        data, marks, key_marks = known
        return data, Where(path, marks, key_marks)
    from claimlint.yamlparse import parse  # PyYAML is imported only when a text is parsed

    data, where = parse(text, path)
    packfacts.remember_yaml(text, data, where.marks, where.key_marks)
    return data, where
