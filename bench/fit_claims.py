#!/usr/bin/env python3
"""Fit the uncited-claim cue weights to the dev labels, and check that the fit generalises.

    python bench/fit_claims.py [--shared ../shared] [--write]

The claim classifier adds up hand-set cue weights (`rules/claims.yaml`). This script asks
whether weights fitted to the labels would do better on text they were not fitted to:

1. it runs the real pipeline on every **dev** article of `tests/corpus` (never the test split)
   and on the files of the dev real-page sample (`bench/real-sentences-dev.tsv`), with the
   threshold lowered so that every uncited prose sentence is reported, and reads which cues
   fired from each finding's reasons (what the rule itself reports);
2. leave-one-group-out: for each group (a corpus batch, `examples`, the real-page sample) it
   fits an L2 logistic regression on the other groups, picks the threshold that maximises F1
   on them, and scores the group left out, line by line as `bench/accuracy.py` does;
3. it prints, per group, the F1 of the hand weights and of the weights fitted without that
   group. The hand weights were tuned on every group, so their figure is optimistic;
4. it prints the weights fitted on all groups, scaled to the pack's threshold.

The script changes nothing: a weight goes into the pack by hand, after reading the comparison.
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import accuracy  # noqa: E402
import real_sentences  # noqa: E402

from claimlint.engine import Linter, lint_file  # noqa: E402
from claimlint.packs import DEFAULT_PACKS, load_packs  # noqa: E402
from claimlint.readers import format_for  # noqa: E402


def cue_counts(reasons: list[str], labels: list[str]) -> dict[str, int]:
    """Which cues fired, and on how many different words, from a finding's reasons
    ("statistic '30%'", "health term 'heart', 'stroke'")."""
    counts = {}
    for reason in reasons:
        for label in labels:  # longest first: "risk language" before "risk"
            if reason == label:
                counts[label] = 1
                break
            if reason.startswith(label + " '"):
                counts[label] = reason[len(label):].count("', '") + 1
                break
    return counts


def reported_sentences(linter: Linter, path: Path, labels: list[str], weights: dict[str, float]):
    """Every claims.uncited finding of `path` with the cue counts its reasons give. Raises if
    the counts do not add up to the score the rule reports (the reasons' wording changed)."""
    result = lint_file(linter, str(path), format_for(str(path)) or "text")
    for finding in result.findings:
        if finding.rule != "claims.uncited":
            continue
        counts = cue_counts(finding.reasons, labels)
        reported = next((float(m.group(1)) for r in finding.reasons if (m := re.match(r"score (\S+) >=", r))), None)
        if reported is None or abs(sum(weights[k] * v for k, v in counts.items()) - reported) > 0.01:
            raise SystemExit(f"fit_claims: {path}:{finding.line}: cannot read the cues from {finding.reasons}")
        yield finding, counts


def hand_linter() -> tuple[Linter, float]:
    """The default packs' linter reporting every uncited prose sentence with its hand cues
    alone (word evidence off: bench/fit_words.py fits it on top), and the pack's threshold."""
    linter = Linter(load_packs(list(DEFAULT_PACKS)))
    threshold = linter.classifier.threshold
    linter.classifier.threshold = -math.inf
    linter.classifier.words = None
    return linter, threshold


def collect(shared: Path | None):
    """(group, line key, cue counts, sentence) for every uncited prose sentence, and the gold
    labels per group: positive line keys, ignored line keys."""
    linter, hand_threshold = hand_linter()
    classifier = linter.classifier
    labels = sorted({c.label for c in classifier.cues}, key=len, reverse=True)
    weights = {c.label: c.weight for c in classifier.cues}
    if len(labels) != len(classifier.cues):
        raise SystemExit("fit_claims: two cues share a label; the reasons cannot tell them apart")

    rows, gold = [], {}
    docs = accuracy.load_corpus(REPO / "tests" / "corpus", "dev")
    for doc in docs:
        rel = doc["gold"].relative_to(REPO / "tests" / "corpus")
        group = "batch1" if len(rel.parts) == 1 else rel.parts[0]
        rel = doc["article"].relative_to(REPO)
        positives = {(str(rel), it["line"]) for it in doc["findings"] if it["category"] == "citation"}
        ignored = {(str(rel), it["line"]) for it in doc["ignore"] if it["category"] == "citation"}
        entry = gold.setdefault(group, (set(), set()))
        entry[0].update(positives)
        entry[1].update(ignored)
        for finding, counts in reported_sentences(linter, doc["article"], labels, weights):
            rows.append((group, (str(rel), finding.line), counts, finding.sentence))
    if shared is not None:
        sample = real_sentences.read_sample(real_sentences.SAMPLES["dev"])
        wanted = {(p, line, column): label for p, line, column, label in sample}
        positives = {(f"{p}:{c}", line) for (p, line, c), label in wanted.items() if label == "Y"}
        ignored = {(f"{p}:{c}", line) for (p, line, c), label in wanted.items() if label == "?"}
        gold["real-dev"] = (positives, ignored)
        for path in sorted({p for p, *_ in sample}):
            for finding, counts in reported_sentences(linter, shared / path, labels, weights):
                if (path, finding.line, finding.column) in wanted:
                    rows.append(("real-dev", (f"{path}:{finding.column}", finding.line), counts, finding.sentence))
            # a labelled sentence never reported is simply never predicted (a miss if Y)
    return rows, gold, labels, weights, hand_threshold


def f1(predicted: set, positives: set, ignored: set) -> tuple[float, float, float]:
    tp = len(predicted & positives)
    fp = len(predicted - positives - ignored)
    fn = len(positives - predicted)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def predict(rows, w: np.ndarray, threshold: float, labels) -> set:
    return {key for _, key, counts, _ in rows if sum(w[labels.index(k)] * v for k, v in counts.items()) >= threshold}


def fit(rows, gold, labels, l2: float = 1.0) -> tuple[np.ndarray, float]:
    """Logistic regression (Newton's method), then the threshold with the best F1 on `rows`."""
    X, y = [], []
    for group, key, counts, _ in rows:
        positives, ignored = gold[group]
        if key in ignored:
            continue
        X.append([counts.get(label, 0) for label in labels] + [1.0])
        y.append(1.0 if key in positives else 0.0)
    X, y = np.array(X), np.array(y)
    beta = np.zeros(X.shape[1])
    penalty = np.eye(X.shape[1]) * l2
    penalty[-1, -1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-X @ beta))
        gradient = X.T @ (p - y) + penalty @ beta
        hessian = X.T @ (X * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    w = beta[:-1]
    scores = sorted({round(float(sum(w[labels.index(k)] * v for k, v in c.items())), 6) for _, _, c, _ in rows})
    all_pos = set().union(*(gold[g][0] for g in {r[0] for r in rows}))
    all_ign = set().union(*(gold[g][1] for g in {r[0] for r in rows}))
    best = max(scores, key=lambda t: f1(predict(rows, w, t, labels), all_pos, all_ign)[2])
    return w, best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(REPO.parent / "shared"),
                        help="the shared folder (for the real-page dev sample; skipped if missing)")
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty of the regression")
    args = parser.parse_args()
    shared = Path(args.shared)
    rows, gold, labels, hand, hand_threshold = collect(shared if (shared / "corpus").is_dir() else None)
    hand_w = np.array([hand[label] for label in labels])
    groups = sorted(gold)
    print(f"{len(rows)} uncited sentences in {len(groups)} groups; F1 on each group left out:")
    print(f"{'group':12} {'hand P/R/F1':>20} {'fitted P/R/F1':>20}")
    totals = defaultdict(list)
    for group in groups:
        train = [r for r in rows if r[0] != group]
        test = [r for r in rows if r[0] == group]
        w, threshold = fit(train, gold, labels, args.l2)
        positives, ignored = gold[group]
        h = f1(predict(test, hand_w, hand_threshold, labels), positives, ignored)
        fitted = f1(predict(test, w, threshold, labels), positives, ignored)
        totals["hand"].append(h[2])
        totals["fitted"].append(fitted[2])
        print(f"{group:12} {h[0]:6.3f} {h[1]:6.3f} {h[2]:6.3f} {fitted[0]:6.3f} {fitted[1]:6.3f} {fitted[2]:6.3f}")
    print(f"{'mean F1':12} {np.mean(totals['hand']):>20.3f} {np.mean(totals['fitted']):>20.3f}")
    w, threshold = fit(rows, gold, labels, args.l2)
    scale = hand_threshold / threshold if threshold > 0 else 1.0
    print(f"\nweights fitted on every group, scaled to threshold {hand_threshold:g} (hand weight in brackets):")
    for label, value in sorted(zip(labels, w * scale), key=lambda x: -x[1]):
        print(f"  {label:32} {value:7.2f}  ({hand[label]:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
