#!/usr/bin/env python3
"""Fit the uncited-claim rule's word evidence to the dev labels, and check that it generalises.

    python bench/fit_words.py [--shared ../shared] [--l2 1.0] [--min-count 3] [--write]

The hand-written cues of `rules/claims.yaml` miss claims that none of them describes; each new
writer brings new ones. Word evidence adds a fitted weight for every word of a sentence on top
of the hand score (see `claimlint.claims.WordEvidence`). This script:

1. collects every uncited prose sentence of the **dev** articles of `tests/corpus` (never the
   test split) and of the dev real-page sample, with its hand-cue score, as
   `bench/fit_claims.py` does (the pipeline with the threshold lowered, word evidence off);
2. fits an L2 logistic regression of the gold label on the hand score plus one 0/1 feature per
   word seen in at least `--min-count` sentences, and picks the threshold with the best F1 on
   the sentences it was fitted on;
3. leave-one-group-out (a corpus batch, `examples`, the real-page sample): fits without the
   group, scores the group, line by line as `bench/accuracy.py` does, and prints it beside the
   hand cues alone. The hand cues were tuned on every group, so their figure is optimistic;
   the fitted one is not;
4. with `--write`, fits on every group and writes the weights, rescaled so that the hand cues
   keep their weights and the pack's threshold, into the `word_evidence` block at the end of
   `rules/claims.yaml` (between its BEGIN and END comments, inside `word_evidence`).

Needs numpy (installed with spaCy). About two minutes.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import fit_claims  # noqa: E402

from claimlint.claims import words_of  # noqa: E402

PACK = REPO / "rules" / "claims.yaml"
BEGIN = "      # BEGIN word_evidence"
END = "      # END word_evidence"
PRUNE = 0.02  # weights smaller than this (on the cue scale) are left out of the pack


class Data:
    def __init__(self, rows, gold, hand, min_count: int) -> None:
        self.rows, self.gold = rows, gold
        self.words = [words_of(sentence) for *_, sentence in rows]
        counts = Counter(word for found in self.words for word in found)
        self.vocabulary = sorted(word for word, n in counts.items() if n >= min_count)
        index = {word: i for i, word in enumerate(self.vocabulary)}
        # columns: the words, the hand score, the intercept
        self.X = np.zeros((len(rows), len(self.vocabulary) + 2), dtype=np.float32)
        for i, (found, (_, _, counts_, _)) in enumerate(zip(self.words, rows)):
            for word in found:
                if word in index:
                    self.X[i, index[word]] = 1.0
            self.X[i, -2] = sum(hand[label] * n for label, n in counts_.items())
            self.X[i, -1] = 1.0
        self.y = np.array([row[1] in gold[row[0]][0] for row in rows], dtype=np.float32)
        self.ignored = np.array([row[1] in gold[row[0]][1] for row in rows])

    def score(self, picked, predicted) -> tuple[float, float, float]:
        groups = {self.rows[i][0] for i in picked}
        positives = set().union(*(self.gold[g][0] for g in groups))
        ignored = set().union(*(self.gold[g][1] for g in groups))
        return fit_claims.f1({self.rows[i][1] for i in predicted}, positives, ignored)


def fit(data: Data, picked: np.ndarray, l2: float, steps: int = 400) -> tuple[np.ndarray, float]:
    """Logistic regression (Adam, full batch) on `picked` rows, then the F1-best threshold."""
    train = picked[~data.ignored[picked]]
    X, y = data.X[train], data.y[train]
    beta = np.zeros(X.shape[1], dtype=np.float32)
    first, second = np.zeros_like(beta), np.zeros_like(beta)
    penalty = np.full(X.shape[1], l2, dtype=np.float32)
    penalty[-2:] = 0.0  # neither the hand score nor the intercept is shrunk
    for step in range(1, steps + 1):
        p = 1 / (1 + np.exp(-(X @ beta)))
        gradient = (X.T @ (p - y) + penalty * beta) / len(y)
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient * gradient
        beta -= 0.1 * (first / (1 - 0.9 ** step)) / (np.sqrt(second / (1 - 0.999 ** step)) + 1e-8)
    scores = data.X[picked] @ beta
    best = max(np.quantile(scores, np.linspace(0.5, 0.99, 100)),
               key=lambda t: data.score(picked, picked[scores >= t])[2])
    return beta, float(best)


def pack_weights(data: Data, beta: np.ndarray, threshold: float, hand_threshold: float):
    """The fitted model on the pack's scale: hand score + baseline + word weights >= threshold."""
    scale = float(beta[-2])
    if scale <= 0:
        raise SystemExit("fit_words: the fitted weight of the hand score is not positive; refusing to write")
    baseline = (float(beta[-1]) - threshold) / scale + hand_threshold
    weights = {word: round(float(w) / scale, 2) for word, w in zip(data.vocabulary, beta[:-2])}
    return round(baseline, 2), {word: w for word, w in weights.items() if abs(w) >= PRUNE}


def block(baseline: float, weights: dict[str, float], l2: float, min_count: int) -> str:
    """The pack text between BEGIN and END: the fitted part (baseline, weights) of the uncited
    rule's word_evidence; its label, shown and unnamed keys stand above BEGIN, written by hand."""
    items = [f"{_key(word)}: {weight:g}" for word, weight in sorted(weights.items())]
    lines, line = [], []
    for item in items:
        if line and sum(len(i) + 2 for i in line) + len(item) > 92:
            lines.append(", ".join(line))
            line = []
        line.append(item)
    lines.append(", ".join(line))
    return "\n".join([
        f"{BEGIN}: written by bench/fit_words.py --write (l2 {l2:g}, min count {min_count});",
        "      # do not edit by hand. The hand cues above keep their weights and the threshold.",
        f"      baseline: {baseline:g}",
        "      weights: {",
        ",\n".join("        " + l for l in lines),
        "      }",
        "",
    ])


def write(pack: Path, text: str) -> None:
    """Replace the BEGIN ... END block of `pack` with `text`."""
    old = pack.read_text(encoding="utf-8")
    start, end = old.find(BEGIN), old.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"fit_words: {pack} has no '{BEGIN.strip()}' ... '{END.strip()}' block")
    pack.write_text(old[:start] + text + old[end:], encoding="utf-8")


def _key(word: str) -> str:
    """`word` as a YAML key: quoted unless it is plain letters that YAML reads as a string."""
    plain = re.fullmatch(r"[a-z]+", word) and word not in {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}
    return word if plain else f'"{word}"'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(REPO.parent / "shared"),
                        help="the shared folder (for the real-page dev sample; skipped if missing)")
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty of the regression")
    parser.add_argument("--min-count", type=int, default=3, help="words seen in fewer sentences get no weight")
    parser.add_argument("--write", action="store_true", help="write the weights fitted on every group into the pack")
    args = parser.parse_args()
    shared = Path(args.shared)
    rows, gold, _, hand, hand_threshold = fit_claims.collect(shared if (shared / "corpus").is_dir() else None)
    data = Data(rows, gold, hand, args.min_count)
    groups = np.array([row[0] for row in rows])
    print(f"{len(rows)} uncited sentences, {len(data.vocabulary)} words, {len(gold)} groups; each group left out:")
    print(f"{'group':14} {'hand cues P/R/F1':>20} {'+ word evidence P/R/F1':>24}")
    totals = {"hand": np.zeros(3), "words": np.zeros(3)}
    for group in sorted(gold):
        train, test = np.nonzero(groups != group)[0], np.nonzero(groups == group)[0]
        beta, threshold = fit(data, train, args.l2)
        fitted = test[data.X[test] @ beta >= threshold]
        handed = test[data.X[test, -2] >= hand_threshold]
        h, w = data.score(test, handed), data.score(test, fitted)
        for name, picked in (("hand", handed), ("words", fitted)):
            positives, ignored = gold[group]
            keys = {rows[i][1] for i in picked}
            totals[name] += (len(keys & positives), len(keys - positives - ignored), len(positives - keys))
        print(f"{group:14} {h[0]:6.3f} {h[1]:6.3f} {h[2]:6.3f}   {w[0]:6.3f} {w[1]:6.3f} {w[2]:6.3f}", flush=True)
    for name, (tp, fp, fn) in totals.items():
        p, r = tp / (tp + fp), tp / (tp + fn)
        print(f"pooled {name:6} P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f} (TP {tp:g} FP {fp:g} FN {fn:g})")
    if args.write:
        beta, threshold = fit(data, np.arange(len(rows)), args.l2)
        baseline, weights = pack_weights(data, beta, threshold, hand_threshold)
        write(PACK, block(baseline, weights, args.l2, args.min_count))
        print(f"wrote {len(weights)} word weights and baseline {baseline:g} to {PACK}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
