"""Rule kinds: one module per kind, found through the `claimlint.kinds` entry points.

A kind module declares `KIND` (its name in packs), `OPTIONS` (name -> packs.Option), a
docstring that documents it, and `compile(spec: packs.RuleSpec)` returning a rule object with
`.definition` and `check(analysis) -> Iterable[Finding]`. A rule that needs other rules'
findings (e.g. `required` with `when_rules`) sets the attribute `after_others = True`.
Third-party kinds register under the same entry-point group as ours.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from importlib.metadata import entry_points
from types import ModuleType

GROUP = "claimlint.kinds"


class KindError(Exception):
    pass


@lru_cache(maxsize=1)
def known_kinds() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        try:
            module = entry.load()
        except Exception as exc:  # a broken plugin must name itself, not crash the run
            raise KindError(f"rule kind '{entry.name}' ({entry.value}) failed to load: {exc}") from None
        found[entry.name] = module
    if not found:
        # Running from a source tree that was never installed: use the modules beside us.
        for info in pkgutil.iter_modules(__path__):
            module = importlib.import_module(f"{__name__}.{info.name}")
            if hasattr(module, "KIND"):
                found[module.KIND] = module
    return found
