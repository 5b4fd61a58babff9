"""Rule kinds: one module per kind, found through the `claimlint.kinds` entry points.

A kind module declares `KIND` (its name in packs), `OPTIONS` (name -> packs.Option), a
docstring that documents it, and `compile(spec: packs.RuleSpec)` returning a rule object with
`.definition` and `check(analysis) -> Iterable[Finding]`. A rule that needs other rules'
findings (e.g. `required` with `when_rules`) sets the attribute `after_others = True`.
Third-party kinds register under the same entry-point group as ours.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache, reduce
from types import ModuleType

GROUP = "claimlint.kinds"


class KindError(Exception):
    pass


# importlib.metadata's syntax of an entry point's value: module, then optional :attr and [extras]
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


def _listed() -> list[tuple[str, str]]:
    """(name, value) of our entry points, sorted by name. Scanning the installed distributions
    costs ~30 ms (importlib.metadata and every entry_points.txt), so the list is remembered in
    claimlint.packfacts for as long as no folder on sys.path changes (installing or removing a
    distribution adds or removes files there)."""
    from claimlint import packfacts

    def scan() -> list[tuple[str, str]]:
        from importlib.metadata import entry_points

        return [(entry.name, entry.value) for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name)]

    return packfacts.entry_points(GROUP, scan)


def _load(value: str):
    """What importlib.metadata.EntryPoint(value=value).load() gives."""
    match = _VALUE.match(value)
    if match is None:
        from importlib.metadata import EntryPoint

        return EntryPoint(None, value, GROUP).load()
    module = importlib.import_module(match.group("module"))
    attrs = filter(None, (match.group("attr") or "").split("."))
    return reduce(getattr, attrs, module)


@lru_cache(maxsize=1)
def known_kinds() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for name, value in _listed():
        try:
            module = _load(value)
        except Exception as exc:  # a broken plugin must name itself, not crash the run
            raise KindError(f"rule kind '{name}' ({value}) failed to load: {exc}") from None
        found[name] = module
    if not found:
        import pkgutil

        # Running from a source tree that was never installed: use the modules beside us.
        for info in pkgutil.iter_modules(__path__):
            module = importlib.import_module(f"{__name__}.{info.name}")
            if hasattr(module, "KIND"):
                found[module.KIND] = module
    return found
