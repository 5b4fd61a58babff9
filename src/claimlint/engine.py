"""The pipeline for one document: read -> cite -> segment -> classify -> rules.

The engine knows the stages, never the rule kinds: a rule is anything with `.definition` and
`check(analysis)`; a rule that offers a `classifier` also classifies every sentence, and a
rule with `after_others = True` runs after the others and sees their findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claimlint import citations, suppressions
from claimlint.context import Guards
from claimlint.document import BlockKind, Document
from claimlint.findings import Analysis, Finding, Sentence
from claimlint.packs import Pack, merged_context


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    sentences: int = 0
    claims: int = 0
    cited_claims: int = 0
    error: str | None = None  # the file could not be linted
    notices: list[str] = field(default_factory=list)


class Linter:
    def __init__(self, packs: list[Pack], language: str = "blank") -> None:
        self.packs = packs
        self.rules = [rule for pack in packs for rule in pack.rules]
        self.guards = Guards(merged_context(packs))
        self.classifier = next((r.classifier for r in self.rules if getattr(r, "classifier", None)), None)
        self.language = language
        self._segmenter = None

    @property
    def segmenter(self):
        if self._segmenter is None:
            from claimlint.segment import Segmenter  # imports spaCy: only when something is linted

            self._segmenter = Segmenter(self.language)
        return self._segmenter

    def analyse(self, document: Document) -> Analysis:
        sources = citations.find_sources(document.blocks)
        blocks = [b for b in document.blocks if b.kind != BlockKind.COMMENT and not sources.is_entry(b)]
        markers = [citations.find_markers(block, sources) for block in blocks]
        if sum(m.style == "bare-digits" for found in markers for m in found) >= 2:
            markers = [citations.find_markers(block, sources, bare_style=True) for block in blocks]
        masked = [citations.mask(block.text, found) for block, found in zip(blocks, markers)]
        spans = self.segmenter.split_many(masked) if masked else []
        sentences: list[Sentence] = []
        for block_index, (block, found, text, block_spans) in enumerate(zip(blocks, markers, masked, spans)):
            block_sentences = [
                Sentence(block, block_index, start, end, text[start:end]) for start, end in block_spans
            ]
            for marker in found:
                owner = None
                for sentence in block_sentences:
                    if sentence.start <= marker.start:
                        owner = sentence
                owner = owner or (block_sentences[0] if block_sentences else None)
                if owner is not None:
                    owner.markers.append(marker)
                    if marker.end > owner.end:  # "risk.[3]": the marker after the stop is part of it
                        owner.end = marker.end
                        owner.masked = text[owner.start : owner.end]
            sentences.extend(block_sentences)
        for index, sentence in enumerate(sentences):
            sentence.index = index
            if self.classifier is not None:
                sentence.claim = self.classifier.classify(sentence.masked, sentence.block.kind)
        return Analysis(document, sentences, sources, self.guards, self.classifier)

    def lint(self, document: Document) -> FileResult:
        analysis = self.analyse(document)
        ordered = sorted(self.rules, key=lambda rule: getattr(rule, "after_others", False))
        for rule in ordered:
            analysis.findings.extend(rule.check(analysis))
        claims = [s for s in analysis.sentences if s.claim and s.claim.is_claim]
        return FileResult(
            path=document.path,
            findings=suppressions.apply(document, sorted(analysis.findings, key=lambda f: f.sort_key)),
            sentences=len(analysis.sentences),
            claims=len(claims),
            cited_claims=sum(1 for s in claims if s.cited),
            notices=list(document.notices),
        )


def lint_text(linter: Linter, path: str, text: str, format: str) -> FileResult:
    """Read and lint one file's text; any failure is reported for this file only."""
    from claimlint.readers import read_source

    from claimlint.regexes import RegexTimeout

    try:
        return linter.lint(read_source(path, text, format))
    except RegexTimeout as exc:
        return FileResult(path, error=f"{path}: {exc}")
    except RecursionError:
        return FileResult(path, error=f"{path}: structure nested too deeply to lint; skipped")
    except Exception as exc:  # one bad file must not stop the others; the message says where
        return FileResult(path, error=f"{path}: internal error while linting ({type(exc).__name__}: {exc}); please report it")


def lint_file(linter: Linter, path: str, format: str) -> FileResult:
    from claimlint.inputs import InputError, read_text

    try:
        text = read_text(path)
    except InputError as exc:
        return FileResult(path, error=str(exc))
    return lint_text(linter, path, text, format)
