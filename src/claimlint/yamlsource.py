"""Load YAML safely and remember where every value came from.

Rule packs and configuration files are written by people; an error must name the file, line,
column and key. `load` returns the data together with a `Where` that maps each key path
(`("rules", 3, "severity")`) to its 1-based line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

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


class _Loader(yaml.SafeLoader):
    pass


def _no_duplicates(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def _walk(node: yaml.Node, keys: tuple, where: Where, budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlError("too many YAML nodes (aliases expanding exponentially?)")
    where.marks.setdefault(keys, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
                where.key_marks[keys + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                _walk(value_node, keys + (key,), where, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, keys + (index,), where, budget)


def load(text: str, path: str) -> tuple[object, Where]:
    """Parse one YAML document; raise YamlError with file:line:col on any problem. A text
    parsed by an earlier run is taken from claimlint.packfacts (when the run has a cache)."""
    from claimlint import packfacts

    known = packfacts.yaml_document(text)
    if known is not None:
        data, marks, key_marks = known
        return data, Where(path, marks, key_marks)
    data, where = _parse(text, path)
    packfacts.remember_yaml(text, data, where.marks, where.key_marks)
    return data, where


def _parse(text: str, path: str) -> tuple[object, Where]:
    where = Where(path)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, where
            _walk(node, (), where, [MAX_NODES])
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise YamlError(f"{path}:{line}:{col}: not valid YAML: {problem}") from None
    except YamlError as exc:
        raise YamlError(f"{path}:1:1: {exc}") from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise YamlError(f"{path}:1:1: not valid YAML: {' '.join(str(exc).split())}") from None
    return data, where
