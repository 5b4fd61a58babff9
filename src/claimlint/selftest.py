"""Run the `examples` of rules: every `flag` example must fire its rule, no `pass` example may.

Examples are small Markdown documents, linted by the real pipeline with all given packs, so
a rule's documentation cannot drift from what it does.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimlint.engine import Linter
from claimlint.packs import Pack
from claimlint.readers import read_source


@dataclass
class ExampleFailure:
    rule: str
    expected: str  # "flag" or "pass"
    example: str
    found: list[str]  # what the rule reported on it

    def __str__(self) -> str:
        text = " ".join(self.example.split())
        if self.expected == "flag":
            return f"{self.rule}: flag example was not flagged: {text!r}"
        return f"{self.rule}: pass example was flagged ({'; '.join(self.found)}): {text!r}"


def run_examples(linter: Linter, packs: list[Pack]) -> tuple[int, list[ExampleFailure]]:
    """(number of examples run, failures) for every rule of `packs`, linted by `linter`
    (which must have those packs loaded, usually with the default ones)."""
    failures: list[ExampleFailure] = []
    count = 0
    for pack in packs:
        for rule in pack.rules:
            d = rule.definition
            for expected, examples in (("flag", d.flag_examples), ("pass", d.pass_examples)):
                for example in examples:
                    count += 1
                    result = linter.lint(read_source("example.md", example, "markdown"))
                    found = [f"'{f.text}' at {f.line}:{f.column}" for f in result.findings if f.rule == d.id]
                    if (expected == "flag") != bool(found):
                        failures.append(ExampleFailure(d.id, expected, example, found))
    return count, failures
