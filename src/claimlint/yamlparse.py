"""The YAML parsing behind claimlint.yamlsource.load: PyYAML's safe loader, no duplicate keys,
the position of every value and key, and a limit on nodes (alias bombs). Imported only when a
text is parsed: a run that finds its packs' YAML in claimlint.packfacts never imports PyYAML."""

from __future__ import annotations

import yaml

from claimlint.yamlsource import MAX_NODES, Where, YamlError


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


def parse(text: str, path: str) -> tuple[object, Where]:
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
