"""The pipeline for one document: read -> cite -> segment -> classify -> rules.

The engine knows the stages, never the rule kinds: a rule is anything with `.definition` and
`check(analysis)`; a rule that offers a `classifier` also classifies every sentence, and a
rule with `after_others = True` runs after the others and sees their findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from time import perf_counter

from claimlint import prefilter, searchlimit
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
    timings: dict[str, float] | None = None  # seconds per stage, with --profile only


class Linter:
    def __init__(self, packs: list[Pack], language: str = "blank") -> None:
        self.packs = packs
        self.rules = [rule for pack in packs for rule in pack.rules]
        self.guards = Guards(merged_context(packs))
        self.classifier = next((r.classifier for r in self.rules if getattr(r, "classifier", None)), None)
        self.language = language
        self._segmenter = None
        self.profile: dict[str, float] | None = None  # set to {} to time the stages (--profile)

    def _tick(self, stage: str, start: float) -> float:
        now = perf_counter()
        self.profile[stage] = self.profile.get(stage, 0.0) + now - start
        return now

    @property
    def segmenter(self):
        if self._segmenter is None:
            from claimlint.segment import Segmenter  # a trained pipeline imports spaCy: only when linting

            self._segmenter = Segmenter(self.language)
        return self._segmenter

    def analyse(self, document: Document) -> Analysis:
        from claimlint import citations  # here, not above: a run the result cache serves never needs it

        timed = self.profile is not None
        clock = perf_counter() if timed else 0.0
        prefilter.forget_texts()
        sources = citations.find_sources(document.blocks)
        blocks = [b for b in document.blocks if b.kind != BlockKind.COMMENT and not sources.is_entry(b)]
        markers = [citations.find_markers(block, sources) for block in blocks]
        # an article that cites this way twice makes a slip in the same style a missing source
        bare = sum(m.style == "bare-digits" for found in markers for m in found) >= 2
        parenthesised = sum(m.style == "parenthesised" for found in markers for m in found) >= 2
        if bare or parenthesised:
            markers = [citations.find_markers(block, sources, bare_style=bare, parenthesised_style=parenthesised)
                       for block in blocks]
        masked = [citations.mask(block.text, found) for block, found in zip(blocks, markers)]
        if timed:
            clock = self._tick("cite", clock)
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
        if timed:
            clock = self._tick("segment", clock)
        for index, sentence in enumerate(sentences):
            sentence.index = index
            if self.classifier is not None:
                sentence.claim = self.classifier.classify(sentence.masked, sentence.block.kind, self.guards)
        if timed:
            self._tick("classify", clock)
        return Analysis(document, sentences, sources, self.guards, self.classifier)

    def lint(self, document: Document) -> FileResult:
        from claimlint import suppressions

        analysis = self.analyse(document)
        clock = perf_counter() if self.profile is not None else 0.0
        ordered = sorted(self.rules, key=lambda rule: getattr(rule, "after_others", False))
        for rule in ordered:
            analysis.findings.extend(rule.check(analysis))
        claims = [s for s in analysis.sentences if s.claim and s.claim.is_claim]
        result = FileResult(
            path=document.path,
            findings=suppressions.apply(document, sorted(analysis.findings, key=lambda f: f.sort_key)),
            sentences=len(analysis.sentences),
            claims=len(claims),
            cited_claims=sum(1 for s in claims if s.cited),
            notices=list(document.notices),
        )
        if self.profile is not None:
            self._tick("rules", clock)
        return result


def lint_text(linter: Linter, path: str, text: str, format: str) -> FileResult:
    """Read and lint one file's text; any failure is reported for this file only."""
    from claimlint.readers import read_source
    from claimlint.regexes import TIME_LIMIT

    with searchlimit.ticking(TIME_LIMIT):  # the time limit on each search, cheaply kept
        if linter.profile is not None:  # --profile: this file's stage times go back with its result
            linter.profile = {}
            start = perf_counter()
            result = _lint_text(linter, path, read_source, text, format, start)
            result.timings = linter.profile
            return result
        return _lint_text(linter, path, read_source, text, format, None)


def _lint_text(linter: Linter, path: str, read_source, text: str, format: str, start: float | None) -> FileResult:
    from claimlint.regexes import RegexTimeout

    try:
        document = read_source(path, text, format)
        if start is not None:
            linter._tick("read", start)
        return linter.lint(document)
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
