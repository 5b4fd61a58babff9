"""metadata: the document's front matter (or HTML `<meta>`) must carry given keys and dates.

What it flags: a missing key in `keys` ("author", "reviewed"); a key in `dates` whose value is
not a date (YYYY-MM-DD); with `fresh_key` and `max_age_days`, a date older than that many days
(a review date more than three years ago). Findings point at line 1, column 1.

Options:
- `keys`: keys that must be present and non-empty.
- `dates`: keys whose value, when present, must be a date.
- `fresh_key` / `max_age_days`: a date key that must not be older than this.
Placeholders in `message`: {key}, {value}, {problem}.

Known limits: plain-text files have no metadata, so every key is missing there.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from claimlint.findings import Analysis, Finding, finding_at, format_message
from claimlint.packs import Option, RuleSpec

KIND = "metadata"
OPTIONS = {
    "keys": Option("text-list", default=(), help="keys that must be present"),
    "dates": Option("text-list", default=(), help="keys whose values must be dates"),
    "fresh_key": Option("text", default=None, help="a date key that must be recent"),
    "max_age_days": Option("integer", default=None, help="how old fresh_key may be"),
}


def compile(spec: RuleSpec) -> "MetadataRule":
    options = spec.options
    if (options["fresh_key"] is None) != (options["max_age_days"] is None):
        raise spec.error("fresh_key", "fresh_key and max_age_days go together")
    if not (options["keys"] or options["dates"] or options["fresh_key"]):
        raise spec.error("keys", "a metadata rule needs keys, dates or fresh_key")
    return MetadataRule(spec.definition, options)


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


class MetadataRule:
    def __init__(self, definition, options: dict) -> None:
        self.definition = definition
        self.options = options

    def _finding(self, analysis: Analysis, key: str, value, problem: str) -> Finding:
        return finding_at(
            analysis, self.definition, None, 0, 0,
            message=format_message(self.definition.message, key=key, value=value, problem=problem),
            reasons=[f"{key}: {problem}"],
        )

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        meta = analysis.document.metadata or {}
        for key in self.options["keys"]:
            if meta.get(key) in (None, "", []):
                yield self._finding(analysis, key, "", "missing")
        for key in self.options["dates"]:
            if meta.get(key) not in (None, "") and _as_date(meta[key]) is None:
                yield self._finding(analysis, key, meta[key], f"'{meta[key]}' is not a date (YYYY-MM-DD)")
        key = self.options["fresh_key"]
        if key and meta.get(key) not in (None, ""):
            date = _as_date(meta[key])
            if date is not None:
                age = (dt.date.today() - date).days
                if age > self.options["max_age_days"]:
                    yield self._finding(analysis, key, date.isoformat(),
                                        f"{date.isoformat()} is {age} days old (limit {self.options['max_age_days']})")
