"""Report formatters: one module per output format, each with `render(run, stream)`."""

from __future__ import annotations

from dataclasses import dataclass, field

from claimlint.engine import FileResult
from claimlint.findings import Finding

FORMATS = ("text", "json", "sarif", "github", "junit")


@dataclass
class RunResult:
    """Everything one `claimlint check` produced, in a stable order."""

    files: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # inputs that could not be linted
    rules: dict = field(default_factory=dict)  # rule id -> packs.RuleDefinition of every active rule
    timings: dict | None = None  # --profile: seconds per stage, summed over files

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.files for f in result.findings]

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        return counts
