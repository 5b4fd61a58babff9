#!/usr/bin/env python3
"""Uncited-claim precision and recall on real pages: a blind-labelled random sample of
sentences from the shared NHS / NIH corpus (bench/real-sentences.tsv).

    python bench/real_sentences.py [--sample test|dev] [--shared ../shared] [--claimlint "python -m claimlint"]

The test sample (`real-sentences.tsv`, held out: never tune on it) is 200 sentences drawn at
random from every prose sentence claimlint segments in `shared/corpus`; the dev sample
(`real-sentences-dev.tsv`) is 300 more, labelled by a second reader. Each is labelled Y (a factual health claim an editor wants a source for), N (not
one) or ? (either way) by a reader who saw only the sentence and its page, not the tool's
output. A sentence counts as flagged when `claims.uncited` reports a finding starting at its
path, line and column; `?` sentences are left out. The sentences themselves stay in the shared
corpus (its licence does not let us copy them into the project); without it the script exits 2.
"""
from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = {"test": HERE / "real-sentences.tsv", "dev": HERE / "real-sentences-dev.tsv"}


def read_sample(path: Path) -> list[tuple[str, int, int, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        path, number, column, label = line.split("\t")
        rows.append((path, int(number), int(column), label))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", choices=sorted(SAMPLES), default="test", help="which labelled sample (default: test)")
    parser.add_argument("--shared", default=str(HERE.parent.parent / "shared"), help="the shared folder")
    parser.add_argument("--claimlint", default=f"{sys.executable} -m claimlint", help="command that runs claimlint")
    parser.add_argument("--misses", action="store_true",
                        help="list the missed and wrongly flagged sentences (dev sample only: never tune on test)")
    args = parser.parse_args()
    if args.misses and args.sample != "dev":
        parser.error("--misses lists sentences to tune on; it is for --sample dev only")
    shared = Path(args.shared)
    sample = read_sample(SAMPLES[args.sample])
    files = sorted({path for path, *_ in sample})
    missing = [f for f in files if not (shared / f).is_file()]
    if missing:
        print(f"real_sentences: {len(missing)} sampled files are missing under {shared} (e.g. {missing[0]})", file=sys.stderr)
        return 2
    command = shlex.split(args.claimlint) + ["check", "--format", "json", "--fail-on", "never", "--no-cache",
                                             *[str(shared / f) for f in files]]
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
        return 2
    flagged = set()
    for finding in json.loads(proc.stdout)["findings"]:
        if finding["rule"] == "claims.uncited":
            path = Path(finding["path"]).resolve().relative_to(shared.resolve()).as_posix()
            flagged.add((path, finding["line"], finding["column"]))
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "either": 0}
    wrong = []
    for path, line, column, label in sample:
        hit = (path, line, column) in flagged
        if label == "?":
            counts["either"] += 1
        elif label == "Y":
            counts["tp" if hit else "fn"] += 1
            if not hit:
                wrong.append(("missed", path, line, column))
        else:
            counts["fp" if hit else "tn"] += 1
            if hit:
                wrong.append(("flagged N", path, line, column))
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"{len(sample)} sentences: Y {tp + fn}, N {fp + counts['tn']}, ? {counts['either']} (left out)")
    print(f"flagged Y {tp}, flagged N {fp}, missed Y {fn}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    if args.misses:
        for kind, path, line, column in wrong:
            text = (shared / path).read_text(encoding="utf-8", errors="replace").splitlines()[line - 1]
            print(f"{kind:9} {path}:{line}:{column}  {text[column - 1:column + 159]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
