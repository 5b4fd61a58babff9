"""Findings, and the analysed document that rules look at."""

from __future__ import annotations

from dataclasses import dataclass, field

from claimlint.document import Block, Document, Marker

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass
class ClaimResult:
    is_claim: bool
    score: float
    reasons: list[str]
    word_evidence: float = 0.0  # the part of `score` that word evidence gave


@dataclass
class Sentence:
    block: Block
    block_index: int
    start: int  # in block.text
    end: int
    masked: str  # the sentence with citation markers blanked out (same length as `text`)
    markers: list[Marker] = field(default_factory=list)
    claim: ClaimResult | None = None
    index: int = 0  # position among all sentences of the document

    @property
    def text(self) -> str:
        return self.block.text[self.start : self.end]

    @property
    def cited(self) -> bool:
        return bool(self.markers)


@dataclass
class Analysis:
    """Everything the stages before the rules learnt about one document."""

    document: Document
    sentences: list[Sentence]
    sources: object  # citations.SourceList
    guards: object  # context.Guards
    classifier: object | None = None  # claims.ClaimClassifier that set Sentence.claim
    findings: list["Finding"] = field(default_factory=list)  # of rules run earlier
    # matching.may_match's index of the sentences' folded words, built on first use
    word_index: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    category: str
    severity: str
    message: str
    text: str
    sentence: str
    reasons: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        # What dataclasses.asdict gives (fields in order, lists copied), without its deep copy.
        data = {name: getattr(self, name) for name in _FINDING_FIELDS}
        data["reasons"] = list(self.reasons)
        data["suggestions"] = list(self.suggestions)
        return data

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.end_line, self.end_column)


_FINDING_FIELDS = tuple(Finding.__dataclass_fields__)


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def format_message(template: str, **values) -> str:
    """Fill `{match}`-style placeholders; unknown ones are left as written."""
    try:
        return template.format_map(_Keep(values))
    except (ValueError, IndexError, AttributeError):
        return template


def finding_at(
    analysis: Analysis,
    definition,
    block: Block | None,
    start: int,
    end: int,
    *,
    message: str,
    sentence: str = "",
    reasons: list[str] | None = None,
    suggestions: list[str] | None = None,
) -> Finding:
    """A finding for prose [start, end) of `block`; with no block, an empty span at 1:1."""
    doc = analysis.document
    if block is None:
        source_start = source_end = 0
    else:
        source_start, source_end = block.source_span(start, end)
    line, column = doc.position(source_start)
    end_line, end_column = doc.position(source_end)
    return Finding(
        path=doc.path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        rule=definition.id,
        category=definition.category,
        severity=definition.severity,
        message=message,
        text=doc.source[source_start:source_end],
        sentence=" ".join(sentence.split()),
        reasons=list(reasons or []),
        suggestions=list(suggestions or []),
    )
