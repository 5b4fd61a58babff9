"""Text output for people: findings grouped by file, the offending words highlighted in their
sentence, and a summary. Colour only on a terminal and never with NO_COLOR set (rich decides).

Without colour the lines are written as plain strings: rich renders about 2,000 lines a second,
so a content repository with 15,000 findings spent 10 s printing them into a CI log."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.text import Text

from claimlint.findings import Finding
from claimlint.report import RunResult

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _sentence_with_span(finding: Finding) -> Text:
    sentence = finding.sentence
    text = Text("    ")
    flat = " ".join(finding.text.split())
    at = sentence.find(flat) if flat and flat != sentence else -1
    if at < 0:
        text.append(sentence, style="dim" if flat != sentence else "")
        return text
    text.append(sentence[:at], style="dim")
    text.append(sentence[at : at + len(flat)], style="bold underline")
    text.append(sentence[at + len(flat) :], style="dim")
    return text


def render(run: RunResult, stream: TextIO) -> None:
    console = Console(file=stream, highlight=False, soft_wrap=True, emoji=False)
    lines = _lines(run)
    if console.color_system is not None:
        console.print(Text("\n").join(lines))
        return
    for line in lines:
        if "\t" in line.plain:  # rich expands tabs; keep the output the same with and without colour
            console.print(line)
        else:
            stream.write(line.plain + "\n")


def _lines(run: RunResult) -> list[Text]:
    lines: list[Text] = []
    for result in run.files:
        if not result.findings and not result.notices:
            continue
        lines.append(Text(result.path, style="bold underline"))
        for notice in result.notices:
            lines.append(Text(f"  note: {notice}", style="dim"))
        for finding in result.findings:
            line = Text(f"  {finding.line}:{finding.column}", style="bold")
            line.append("  ")
            line.append(f"{finding.severity:<7}", style=SEVERITY_STYLE.get(finding.severity, ""))
            line.append(f" {finding.rule}", style="magenta")
            line.append(f"  {finding.message}")
            lines.append(line)
            if finding.sentence:
                lines.append(_sentence_with_span(finding))
            if finding.reasons:
                lines.append(Text("    why: " + "; ".join(finding.reasons), style="dim"))
            if finding.suggestions:
                lines.append(Text("    try: " + " | ".join(finding.suggestions), style="green"))
        lines.append(Text())
    for error in run.errors:
        lines.append(Text(f"error: {error}", style="red"))
    if run.findings:
        by_category = Counter(f.category for f in run.findings)
        by_rule = Counter(f.rule for f in run.findings)
        lines.append(Text("by category: " + ", ".join(f"{c} {n}" for c, n in sorted(by_category.items())), style="dim"))
        lines.append(Text("by rule: " + ", ".join(f"{r} {n}" for r, n in sorted(by_rule.items())), style="dim"))
    counts = run.counts()
    linted = [r for r in run.files if r.error is None]
    claims = sum(r.claims for r in linted)
    cited = sum(r.cited_claims for r in linted)
    total = len(run.findings)
    summary = Text(f"{len(linted)} file{'s' * (len(linted) != 1)} checked, ", style="bold")
    summary.append(f"{total} finding{'s' * (total != 1)}")
    summary.append(f" ({counts['error']} error{'s' * (counts['error'] != 1)}, ")
    summary.append(f"{counts['warning']} warning{'s' * (counts['warning'] != 1)}, {counts['info']} info)")
    summary.append(f"; claims cited: {cited}/{claims}")
    if run.errors:
        summary.append(f"; {len(run.errors)} input error{'s' * (len(run.errors) != 1)}", style="red")
    lines.append(summary)
    return lines
