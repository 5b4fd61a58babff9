"""references: citation markers and the source list must agree.

What it flags, by `check`:
- `dangling`: a marker that points to a source entry that does not exist ("[7]" when the list
  has 1-5; "[^x]" with no footnote definition). The span is the marker.
- `unused`: a numbered source entry that no marker points to. The span is the entry. An
  entry with no year, link, DOI or "et al." is a note, not a source ("4. The study was funded
  by ..." under "Notes to editors"), and is not reported.
- `order`: numbered sources first cited out of order (5 cited before 2). The span is the marker.

Links to sources are complete citations on their own and are never dangling; so are
author-year markers, except in an article whose source list is unnumbered (an author-year
reference list): there a marker is dangling when no entry has its first author's surname and
its year ("(Grant et al., 2010)" with only McCormack 2016 and Molina 2015 listed). `unused` and `order` only apply to articles that cite by number.

Options:
- `check` (required): dangling, unused or order.
"""

from __future__ import annotations

from typing import Iterator

from claimlint.findings import Analysis, Finding, finding_at, format_message
from claimlint.packs import Option, RuleSpec

KIND = "references"
OPTIONS = {
    "check": Option("text", required=True, choices=("dangling", "unused", "order"),
                    help="which agreement between markers and sources to check"),
}
_CHECKED_STYLES = frozenset({"footnote"})  # and citations' NUMERIC_STYLES and LETTER_STYLE (see _markers)


def compile(spec: RuleSpec) -> "ReferencesRule":
    return ReferencesRule(spec.definition, spec.options["check"])


class ReferencesRule:
    def __init__(self, definition, check: str) -> None:
        self.definition = definition
        self.check_name = check

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        return getattr(self, f"_{self.check_name}")(analysis)

    def _markers(self, analysis: Analysis, with_author_year: bool = False):
        from claimlint.citations import LETTER_STYLE, NUMERIC_STYLES  # with the first document, not the pack

        checked = _CHECKED_STYLES | NUMERIC_STYLES | {LETTER_STYLE}
        for sentence in analysis.sentences:
            for marker in sentence.markers:
                if marker.style in checked or (with_author_year and marker.style == "author-year"):
                    yield sentence, marker

    def _dangling(self, analysis: Analysis) -> Iterator[Finding]:
        from claimlint.citations import LETTER_STYLE

        sources = analysis.sources
        for sentence, marker in self._markers(analysis, with_author_year=True):
            if marker.style == "author-year":
                missing = sources.names(marker.labels[0]) if marker.labels else []
            else:
                missing = [label for label in marker.labels if not sources.resolves(marker, label)]
            if not missing:
                continue
            block = sentence.block
            listed = sorted(sources.numbered, key=int) if sources.numbered else []
            have = f"the source list has {_ranges(listed)}" if listed else "the article has no source list"
            if marker.style == "author-year":
                have = "no entry of the source list has that surname and year"
            if marker.style == "footnote" and sources.footnotes:
                have = f"footnotes defined: {', '.join(sorted(sources.footnotes))}"
            if marker.style == LETTER_STYLE:
                have = f"the source list has entries {', '.join(sorted(sources.lettered))}"
            yield finding_at(
                analysis, self.definition, block, marker.start, marker.end,
                message=format_message(self.definition.message, match=block.text[marker.start:marker.end],
                                       missing=", ".join(missing)),
                sentence=sentence.text,
                reasons=[f"{marker.style} marker points to {', '.join(missing)}", have],
            )

    def _cited_numbers(self, analysis: Analysis) -> list[tuple[int, object, object]]:
        cited = []
        for sentence, marker in self._markers(analysis):
            for label in marker.labels:
                if label.isdigit():
                    cited.append((int(label), sentence, marker))
        return cited

    def _unused(self, analysis: Analysis) -> Iterator[Finding]:
        from claimlint.citations import looks_like_a_source

        cited = self._cited_numbers(analysis)
        if not cited:
            return
        numbers = {number for number, _, _ in cited}
        footnote_labels = {label for _, marker in self._markers(analysis) for label in marker.labels}
        for entry in analysis.sources.entries:
            label = entry.label
            if label is None or entry.kind == "unnumbered":
                continue
            if (label.isdigit() and int(label) in numbers) or label in footnote_labels:
                continue
            block = entry.block
            if not looks_like_a_source(block.text):
                continue  # a note to editors, not a source
            yield finding_at(
                analysis, self.definition, block, 0, len(block.text),
                message=format_message(self.definition.message, match=label, label=label),
                sentence=block.text,
                reasons=[f"no marker points to source {label}"],
            )

    def _order(self, analysis: Analysis) -> Iterator[Finding]:
        # a marker to a missing source is reported as dangling; where it would go in order is noise
        cited = [c for c in self._cited_numbers(analysis) if str(c[0]) in analysis.sources.numbered]
        all_cited = {number for number, _, _ in cited}
        seen: set[int] = set()
        for number, sentence, marker in cited:
            if number in seen:
                continue
            seen.add(number)
            skipped = [n for n in all_cited if n < number and n not in seen]
            if not skipped:
                continue
            block = sentence.block
            expected = min(skipped)
            yield finding_at(
                analysis, self.definition, block, marker.start, marker.end,
                message=format_message(self.definition.message, match=block.text[marker.start:marker.end],
                                       expected=expected, label=number),
                sentence=sentence.text,
                reasons=[f"source {number} is first cited before source {expected}"],
            )


def _ranges(labels: list[str]) -> str:
    numbers = sorted(int(label) for label in labels)
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"entries {numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else f"entry {numbers[0]}"
    return "entries " + ", ".join(str(n) for n in numbers)
