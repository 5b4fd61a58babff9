"""required: a statement the document must contain, optionally only when something triggers it.

What it flags: a document with none of `statements` in its prose. With `when`, only a document
in which a sentence matches one of the `when` patterns (or, with `when_rules`, in which one of
those rules fired) needs the statement: an article that gives advice needs a "not medical
advice" line, a news report that only reports does not. With `near: N`, the statement must be
within N sentences of each trigger, and the finding points at the trigger; otherwise it
points at line 1, column 1.

Options:
- `statements` (required): regular expressions; any one of them satisfies the rule.
- `when`: regular expressions for sentences that make the statement necessary.
- `when_unless`: regular expressions; a `when` sentence that also matches one of these is no
  trigger ("people who ate 30g of nuts a day were ..." reports a study, it does not advise).
- `when_rules`: rule ids whose findings make the statement necessary.
- `near`: the statement must be within this many sentences of each trigger.
- `suggest`: wording that would satisfy the rule.

Placeholders in `message`: {trigger} (the first triggering words), {trigger_line}.
"""

from __future__ import annotations

from typing import Iterator

from claimlint.findings import Analysis, Finding, finding_at, format_message
from claimlint.matching import may_match
from claimlint.packs import Option, RuleSpec
from claimlint.regexes import bounded

KIND = "required"
OPTIONS = {
    "statements": Option("regex-list", required=True, help="any of these satisfies the rule"),
    "when": Option("regex-list", default=(), help="sentences that make the statement necessary"),
    "when_unless": Option("regex-list", default=(), help="a `when` sentence matching one of these is no trigger"),
    "when_rules": Option("text-list", default=(), help="rule ids whose findings make it necessary"),
    "near": Option("integer", default=None, help="statement within this many sentences of the trigger"),
    "suggest": Option("text-list", default=(), help="wording that would satisfy the rule"),
}


def compile(spec: RuleSpec) -> "RequiredRule":
    near = spec.options["near"]
    if near is not None and near < 0:
        raise spec.error("near", "must be 0 or more")
    owner = spec.definition.id
    return RequiredRule(spec.definition, bounded(spec.options["statements"], owner),
                        bounded(spec.options["when"], owner), bounded(spec.options["when_unless"], owner),
                        tuple(spec.options["when_rules"]), near, spec.options["suggest"])


class RequiredRule:
    after_others = True  # `when_rules` looks at other rules' findings

    def __init__(self, definition, statements, when, when_unless, when_rules, near, suggest) -> None:
        self.definition = definition
        self.statements = statements
        self.when = when
        self.when_unless = when_unless
        self.when_rules = when_rules
        self.near = near
        self.suggest = suggest

    def _triggers(self, analysis: Analysis, first_only: bool = False) -> list[tuple[int, str, object]]:
        """(sentence index, triggering words, sentence) for each trigger, in order; with
        `first_only`, the first one is right but later ones may be missing."""
        found = []
        if self.when:
            for sentence in may_match(self.when, analysis):
                match = self.when.search(sentence.masked)
                if match and not (self.when_unless and self.when_unless.search(sentence.masked)):
                    found.append((sentence.index, match.group(), sentence))
                    if first_only:
                        break  # sentences come in order: no later one is first
        if self.when_rules:
            for finding in analysis.findings:
                if finding.rule in self.when_rules:
                    sentence = _sentence_at(analysis, finding)
                    if sentence is not None:
                        found.append((sentence.index, finding.text, sentence))
        return sorted(found, key=lambda t: t[0])

    def _present(self, analysis: Analysis):
        """Indexes of the sentences that make the statement, in order (lazily: most callers
        only ask whether there is one, and the search is one of the costliest per document)."""
        candidates = may_match(self.statements, analysis, masked=False)
        return (s.index for s in candidates if self.statements.search(s.text))

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        if not self.when and not self.when_rules:
            if next(self._present(analysis), None) is None:
                yield self._finding(analysis, None, "", [])
            return
        triggers = self._triggers(analysis, first_only=self.near is None)
        if not triggers:
            return  # nothing calls for the statement: no need to look for it
        if self.near is None:
            if next(self._present(analysis), None) is None:
                index, words, sentence = triggers[0]
                yield self._finding(analysis, None, words, [_described(analysis, words, sentence)],
                                    trigger=sentence)
            return
        present = list(self._present(analysis))
        for index, words, sentence in triggers:
            if not any(abs(p - index) <= self.near for p in present):
                yield self._finding(analysis, sentence, words, [_described(analysis, words, sentence)])

    def _finding(self, analysis: Analysis, sentence, words: str, reasons: list[str], trigger=None) -> Finding:
        trigger = trigger if trigger is not None else sentence
        line = _line_of(analysis, trigger) if trigger is not None else 1
        message = format_message(self.definition.message, trigger=words, trigger_line=line)
        if sentence is None:
            return finding_at(analysis, self.definition, None, 0, 0, message=message,
                              reasons=reasons + ["no required statement found"],
                              suggestions=list(self.suggest))
        return finding_at(analysis, self.definition, sentence.block, sentence.start, sentence.end,
                          message=message, sentence=sentence.text,
                          reasons=reasons + [f"no required statement within {self.near} sentences"],
                          suggestions=list(self.suggest))


def _line_of(analysis: Analysis, sentence) -> int:
    return analysis.document.position(sentence.block.source_span(sentence.start, sentence.end)[0])[0]


def _described(analysis: Analysis, words: str, sentence) -> str:
    return f"triggered by '{' '.join(words.split())}' at line {_line_of(analysis, sentence)}"


def _sentence_at(analysis: Analysis, finding: Finding):
    for sentence in analysis.sentences:
        start, end = sentence.block.source_span(sentence.start, sentence.end)
        line, column = analysis.document.position(start)
        end_line, end_column = analysis.document.position(end)
        if (line, column) <= (finding.line, finding.column) <= (end_line, end_column):
            return sentence
    return None
