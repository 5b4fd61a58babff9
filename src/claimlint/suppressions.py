"""Suppression comments in an article.

    <!-- claimlint-disable-next-line overpromise.cure -- quoting the advert we debunk -->
    <!-- claimlint-disable overpromise --> ... <!-- claimlint-enable overpromise -->
    <!-- claimlint-disable-file references.unused -->

Plain text uses the same words on a line of their own. Ids are rule ids or whole packs; none
means every rule. A reason after `--` is kept. A suppression that suppresses nothing is
reported (info, `claimlint.unused-suppression`) so stale ones get cleaned up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claimlint.config import matches
from claimlint.document import BlockKind, Document
from claimlint.findings import Finding

UNUSED_RULE = "claimlint.unused-suppression"
_DIRECTIVE = re.compile(r"^\s*claimlint-(disable-next-line|disable-file|disable|enable)(?![\w-])(.*)$", re.S)


@dataclass
class Directive:
    action: str  # disable-next-line, disable-file, disable, enable
    rules: list[str]
    reason: str
    line: int  # where the comment starts
    end_line: int  # where it ends
    start: int  # source offsets of the comment text
    end: int
    first: int = 0  # lines it covers, filled in by _ranges
    last: int = 0
    used: bool = field(default=False)


def _parse(document: Document) -> list[Directive]:
    directives = []
    for block in document.blocks:
        if block.kind != BlockKind.COMMENT or not block.offsets:
            continue
        match = _DIRECTIVE.match(block.text)
        if not match:
            continue
        args, _, reason = match.group(2).partition(" -- ")
        start, end = block.source_span(0, len(block.text))
        line, _ = document.position(start)
        end_line, _ = document.position(max(start, end - 1))
        rules = [r for r in re.split(r"[\s,]+", args.strip()) if r]
        directives.append(Directive(match.group(1), rules, reason.strip(), line, end_line, start, end))
    return directives


def _next_content_line(document: Document, after: int) -> int:
    lines = document.lines.lines
    for number in range(after + 1, len(lines) + 1):
        text = lines[number - 1].strip()
        if text and not text.startswith("<!--"):
            return number
    return after + 1


def _ranges(document: Document, directives: list[Directive]) -> list[Directive]:
    """Directives that suppress, each with the lines [first, last] it covers."""
    last_line = len(document.lines.lines)
    active = []
    for directive in directives:
        if directive.action == "disable-next-line":
            directive.first = directive.last = _next_content_line(document, directive.end_line)
            active.append(directive)
        elif directive.action == "disable-file":
            directive.first, directive.last = 1, last_line
            active.append(directive)
        elif directive.action == "disable":
            directive.first, directive.last = directive.end_line + 1, last_line
            active.append(directive)
        else:  # enable closes the open disables it names (all, when it names none)
            for opened in active:
                if opened.action == "disable" and opened.last == last_line and opened.first <= directive.line and (
                    not directive.rules or set(opened.rules) & set(directive.rules) or not opened.rules
                ):
                    opened.last = directive.line - 1
    return active


def _covers(directive: Directive, finding: Finding) -> bool:
    if not directive.first <= finding.line <= directive.last:
        return False
    return not directive.rules or any(matches(finding.rule, r) for r in directive.rules)


def apply(document: Document, findings: list[Finding]) -> list[Finding]:
    """Findings left after the article's suppressions, plus one for each unused suppression."""
    directives = _parse(document)
    if not directives:
        return findings
    active = _ranges(document, directives)
    kept = []
    for finding in findings:
        owner = next((d for d in active if _covers(d, finding)), None)
        if owner is None:
            kept.append(finding)
        else:
            owner.used = True
    for directive in active:
        if directive.used:
            continue
        line, column = document.position(directive.start)
        end_line, end_column = document.position(directive.end)
        what = ", ".join(directive.rules) or "all rules"
        kept.append(Finding(
            path=document.path, line=line, column=column, end_line=end_line, end_column=end_column,
            rule=UNUSED_RULE, category="suppression", severity="info",
            message=f"This claimlint-{directive.action} ({what}) suppresses nothing; remove it.",
            text=document.source[directive.start:directive.end], sentence="",
            reasons=[f"no finding of {what} on the lines it covers ({directive.first}-{directive.last})"]
            + ([f"reason given: {directive.reason}"] if directive.reason else []),
        ))
    return sorted(kept, key=lambda f: f.sort_key)
