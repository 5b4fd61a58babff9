"""Baselines, for adopting claimlint on an existing site.

`claimlint baseline create FILE PATHS...` records today's findings; `claimlint check
--baseline FILE` then reports only findings that are not in it. A finding is matched by rule,
path and a fingerprint of its sentence and text, never by line, so editing other paragraphs
does not bring old findings back. Rewriting the baseline drops the ones that were fixed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from claimlint import __version__
from claimlint.findings import Finding
from claimlint.writes import atomic_write

FORMAT = 1


class BaselineError(Exception):
    pass


def fingerprint(finding: Finding) -> str:
    """Rule, sentence and span text: stable when other paragraphs move or change."""
    sentence = " ".join((finding.sentence or finding.message).split())
    return hashlib.sha256(f"{finding.rule}\0{sentence}\0{finding.text}".encode("utf-8")).hexdigest()[:20]


def _key(finding: Finding) -> tuple[str, str, str]:
    return finding.rule, Path(finding.path).as_posix(), fingerprint(finding)


def write(path: str, findings: list[Finding]) -> int:
    counts = Counter(_key(f) for f in findings)
    entries = [{"rule": rule, "path": file, "fingerprint": digest, "count": count}
               for (rule, file, digest), count in sorted(counts.items())]
    data = {"tool": "claimlint", "version": __version__, "format": FORMAT, "findings": entries}
    atomic_write(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return len(findings)


def load(path: str) -> Counter:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
            raise ValueError("not a claimlint baseline (format 1)")
        return Counter({(e["rule"], e["path"], e["fingerprint"]): int(e.get("count", 1)) for e in data["findings"]})
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BaselineError(f"{path}: not a valid baseline ({exc}); recreate it with `claimlint baseline create`") from None


def filter_new(findings: list[Finding], known: Counter) -> list[Finding]:
    """Findings not accounted for by the baseline (each baseline entry hides `count` of them)."""
    left = Counter(known)
    new = []
    for finding in findings:
        key = _key(finding)
        if left[key] > 0:
            left[key] -= 1
        else:
            new.append(finding)
    return new
