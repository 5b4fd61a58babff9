"""SARIF 2.1.0, for GitHub code scanning and other viewers: rule metadata (with the rule's
why, sources and examples as help), results with regions in code points, fingerprints that
survive edits elsewhere in the file."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from claimlint import __version__
from claimlint.baseline import fingerprint
from claimlint.report import RunResult
from claimlint.report.json import write as write_json

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFORMATION_URI = "https://github.com/claimlint/claimlint"


def _help(definition) -> dict:
    lines = [" ".join(definition.why.split())]
    if definition.sources:
        lines += ["", "Sources:"] + [f"- {s}" for s in definition.sources]
    if definition.flag_examples:
        lines += ["", "Flagged:"] + [f"- {' '.join(e.split())}" for e in definition.flag_examples]
    if definition.pass_examples:
        lines += ["", "Not flagged:"] + [f"- {' '.join(e.split())}" for e in definition.pass_examples]
    text = "\n".join(lines)
    return {"text": text, "markdown": text}


def _rule(rule_id: str, definition) -> dict:
    if definition is None:  # the suppression check is built in, not in a pack
        return {
            "id": rule_id, "name": "UnusedSuppression",
            "shortDescription": {"text": "A claimlint suppression comment that suppresses nothing."},
            "fullDescription": {"text": "Remove suppression comments that no longer hide a finding."},
            "defaultConfiguration": {"level": "note"},
            "properties": {"category": "suppression"},
        }
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.replace("-", ".").split(".")),
        "shortDescription": {"text": " ".join(definition.message.replace("{match}", "…").split())},
        "fullDescription": {"text": " ".join(definition.why.split())},
        "help": _help(definition),
        "defaultConfiguration": {"level": LEVELS[definition.severity]},
        "properties": {"category": definition.category, "tags": sorted({definition.category, definition.pack})},
    }


def as_dict(run: RunResult) -> dict:
    used = sorted({f.rule for f in run.findings} | set(run.rules))
    index = {rule_id: i for i, rule_id in enumerate(used)}
    results = []
    for finding in run.findings:
        region = {"startLine": finding.line, "startColumn": finding.column,
                  "endLine": finding.end_line, "endColumn": max(finding.end_column, 1)}
        if finding.text:
            region["snippet"] = {"text": finding.text}
        results.append({
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": LEVELS.get(finding.severity, "warning"),
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": Path(finding.path).as_posix(), "uriBaseId": "%SRCROOT%"},
                "region": region,
            }}],
            "partialFingerprints": {"claimlintFingerprint/v1": fingerprint(finding)},
            "properties": {"category": finding.category, "reasons": finding.reasons,
                           **({"suggestions": finding.suggestions} if finding.suggestions else {})},
        })
    notifications = [{"level": "error", "message": {"text": error}} for error in run.errors]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "claimlint", "version": __version__, "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule_id, run.rules.get(rule_id)) for rule_id in used],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{"executionSuccessful": not run.errors,
                             **({"toolExecutionNotifications": notifications} if notifications else {})}],
            "results": results,
        }],
    }


def render(run: RunResult, stream: TextIO) -> None:
    write_json(as_dict(run), stream)
    stream.write("\n")


