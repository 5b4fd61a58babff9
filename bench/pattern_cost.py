#!/usr/bin/env python3
"""Where the regex time goes: the CPU time each pack pattern costs over a corpus's sentences.

    python bench/pattern_cost.py FOLDER [--top 20] [--budget MS] [--packs claims,exaggeration]

Loads the default packs, reads and segments every file under FOLDER (a generated bench
corpus, tests/corpus, ...) into the sentences the linter sees (citation markers masked), and
searches each pattern of each rule over all of them, through the objects the linter uses:
the sentences the pattern's prefilter lets through (claimlint.prefilter) are searched with
the same compiled pattern or phrase matcher (`BoundedPattern.search` with only that
pattern's bit set, or `FilteredPattern.search`). A split pattern list is measured one pack
pattern at a time. Only the searches are timed: a run checks all prefilters together, in
one look at a sentence, and compiles a pattern once.

It is what a pattern costs when searched on every sentence: rules gate some searches further
(a forbidden combination searches its terms only where its other half can be), so a run
spends at most this. Patterns are listed dearest first with their share of the total, as
"rule id, where in the rule, index": `regex`/`terms`/`cue NAME`... is the rule's attribute,
`#k` the k-th pack pattern of it (a rule's phrase list counts as one, named "phrases").

`--in-run` measures a run instead: it lints the files (as `check --jobs 1`) and charges each
search the linter hands the regex engine to its pattern ("searched" is then searches). That
is where a run's engine time goes; the default, every pattern on every sentence, shows what a
pattern would cost wherever a rule lets it be searched.

`--budget MS` exits 1 when a pattern costs more than MS milliseconds per 1,000 sentences, so
that pack growth shows when it happens (timings vary with the machine and its load: leave a
margin).
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from claimlint import searchlimit
from claimlint.engine import Linter
from claimlint.packs import DEFAULT_PACKS, load_packs
from claimlint.phrasematch import PhraseList
from claimlint.prefilter import FilteredPattern
from claimlint.readers import format_for, read_source
from claimlint.regexes import TIME_LIMIT, BoundedPattern


class Measured:
    """One pack pattern: how to search it, and what it cost."""

    def __init__(self, label: str, source: str, prefilter, search, whole_source: str | None = None) -> None:
        self.label = label
        self.source = source
        self.whole_source = whole_source  # the joined pattern this one is part of
        self.prefilter = prefilter
        self.search = search
        self.seconds = 0.0
        self.searched = 0  # sentences its prefilter let through
        self.matched = 0
        self.warm = False

    def run(self, texts: list[str], repeat: int) -> None:
        """Search the texts the prefilter lets through, `repeat` times, keeping the quickest.
        Only the searches are timed: a run checks every pattern's prefilter at once, in one
        look at a sentence. The clock is the thread's CPU time: while the search time limit's
        ticker is armed (as in a run), Linux counts the process's CPU time in whole ticks."""
        prefilter, search = self.prefilter, self.search
        kept = texts if prefilter is None else [text for text in texts if prefilter.may_match(text)]
        if not kept:
            return
        if not self.warm:
            search(kept[0])  # compiles the pattern: not what a search costs
            self.warm = True
        best = None
        for _ in range(repeat):
            matched = 0
            start = time.thread_time()
            for text in kept:
                if search(text) is not None:
                    matched += 1
            took = time.thread_time() - start
            best = took if best is None else min(best, took)
        self.seconds += best
        self.searched += len(kept)
        self.matched += matched


def _parts(label: str, pattern) -> list[Measured]:
    if isinstance(pattern, FilteredPattern):
        return [Measured(f"{label}", pattern.pattern, pattern.prefilter, pattern.search)]
    if not isinstance(pattern, BoundedPattern):
        return []
    parts = pattern.parts()
    if len(parts) == 1:
        return [Measured(f"{label} #0", pattern.pattern, pattern.prefilter, lambda text: pattern.search(text, 1))]
    found = []
    numbered = 0
    for bit, part in enumerate(parts):
        if PhraseList.parse(part.source) is not None:
            name = "phrases"
        else:
            name, numbered = f"#{numbered}", numbered + 1
        found.append(Measured(f"{label} {name}", part.source, part.prefilter,
                              lambda text, bit=bit: pattern.search(text, 1 << bit), pattern.pattern))
    return found


def patterns_of(rule) -> list[Measured]:
    """Every pattern a rule searches sentences with, found among its attributes."""
    rule_id = rule.definition.id
    found: list[Measured] = []
    for name, value in vars(rule).items():
        if name == "classifier":
            for cue in value.cues:
                found += _parts(f"{rule_id} cue {cue.name}", cue.pattern)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                found += _parts(f"{rule_id} {name}[{index}]", item)
        else:
            found += _parts(f"{rule_id} {name}", value)
    return found


def in_run(linter: Linter, files: list, measured: list[Measured]) -> int:
    """Lint `files` as `check --jobs 1` does, timing each search the run hands the regex
    engine (claimlint.searchlimit), charged to the pack pattern (or the whole joined
    pattern, "(whole)") that was searched. Only what rules and cues actually search counts;
    a pattern that is one phrase list, and `re` phrase lists, never reach the engine and are
    not listed. Returns the number of sentences."""
    by_source: dict[str, Measured] = {}
    for m in measured:  # one source in several rules (a YAML anchor): charged to the first, named
        if m.source in by_source:
            by_source[m.source].label += f" = {m.label}"
        else:
            by_source[m.source] = m
    for rule in linter.rules:  # a split pattern searched whole, when many of its parts may match
        for m in patterns_of(rule):
            whole = m.whole_source
            if whole is not None and whole not in by_source:
                by_source[whole] = Measured(m.label.rsplit(" ", 1)[0] + " (whole)", whole, None, None)
                measured.append(by_source[whole])
    plain_search, plain_find_all = searchlimit.search, searchlimit.find_all

    def charged(function):
        def timed(pattern, *args):
            start = time.thread_time()
            try:
                return function(pattern, *args)
            finally:
                source = getattr(pattern, "pattern", None) or getattr(pattern, "source", "")
                m = by_source.get(source)
                if m is not None:
                    m.seconds += time.thread_time() - start
                    m.searched += 1
        return timed

    for path, text, form in files[:1]:  # compiles what the first file needs, untimed
        linter.lint(read_source(path, text, form))
    searchlimit.search, searchlimit.find_all = charged(plain_search), charged(plain_find_all)
    sentences = 0
    try:
        for path, text, form in files:
            sentences += linter.lint(read_source(path, text, form)).sentences
    finally:
        searchlimit.search, searchlimit.find_all = plain_search, plain_find_all
    return sentences


def documents(folder: Path) -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        form = format_for(str(path))
        if form is not None:
            found.append((str(path), path.read_text(encoding="utf-8", errors="replace"), form))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--top", type=int, default=20, help="patterns to list (0: all)")
    parser.add_argument("--budget", type=float, default=None,
                        help="exit 1 if a pattern costs more than this many ms per 1,000 sentences")
    parser.add_argument("--repeat", type=int, default=3,
                        help="searches of each document per pattern, the quickest kept (default 3)")
    parser.add_argument("--in-run", action="store_true",
                        help="lint the files and time the engine searches the run makes, per pattern")
    parser.add_argument("--packs", default=",".join(DEFAULT_PACKS), help="packs to load (default: the default packs)")
    args = parser.parse_args(argv)

    linter = Linter(load_packs(args.packs.split(",")))
    measured = [m for rule in linter.rules for m in patterns_of(rule)]
    files = documents(args.folder)
    gc.collect()
    gc.disable()  # a collection inside a timed loop would be charged to that pattern
    with searchlimit.ticking(TIME_LIMIT):  # searches as a run makes them (no clock reads per search)
        if args.in_run:
            sentences = in_run(linter, files, measured)
        else:
            sentences = 0
            for path, text, form in files:
                analysis = linter.analyse(read_source(path, text, form))  # also folds the sentences, once
                texts = [sentence.masked for sentence in analysis.sentences]
                sentences += len(texts)
                for pattern in measured:
                    pattern.run(texts, args.repeat)

    total = sum(m.seconds for m in measured)
    measured.sort(key=lambda m: -m.seconds)
    per_k = 1000 / max(sentences, 1)
    print(f"{len(files)} files, {sentences} sentences, {len(measured)} patterns, {total * 1000:.0f} ms in all")
    print(f"{'ms':>8} {'ms/1k':>7} {'share':>6} {'searched':>8} {'matched':>7}  pattern")
    shown = measured if args.top <= 0 else measured[: args.top]
    for m in shown:
        snippet = m.source if len(m.source) <= 60 else m.source[:57] + "..."
        matched = "-" if args.in_run else m.matched  # searches, not sentences, in a run
        print(f"{m.seconds * 1000:8.1f} {m.seconds * 1000 * per_k:7.2f} {m.seconds / total if total else 0:6.1%}"
              f" {m.searched:8d} {matched:>7}  {m.label}  {snippet}")
    if args.budget is not None:
        over = [m for m in measured if m.seconds * 1000 * per_k > args.budget]
        for m in over:
            print(f"over budget ({args.budget:g} ms per 1,000 sentences): {m.label}: "
                  f"{m.seconds * 1000 * per_k:.2f}", file=sys.stderr)
        if over:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
