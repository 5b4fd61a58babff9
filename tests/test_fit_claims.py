"""bench/fit_claims.py reads which cues fired from each finding's reasons; if the reasons'
wording drifts from the cue labels, its fit would silently lose features."""
from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import fit_claims  # noqa: E402


def test_reasons_add_up_to_the_reported_score():
    linter, _ = fit_claims.hand_linter()
    cues = linter.classifier.cues
    labels = sorted({c.label for c in cues}, key=len, reverse=True)
    weights = {c.label: c.weight for c in cues}
    article = ROOT / "tests" / "corpus" / "batch9" / "adhd-coaching-blog.md"
    # reported_sentences raises if a finding's cue counts do not add up to its score
    rows = list(fit_claims.reported_sentences(linter, article, labels, weights))
    assert len(rows) > 10
    assert any(counts.get("health term", 0) == 2 for _, counts in rows)
    assert any(counts.get("question", 0) for _, counts in rows)


def test_cue_counts_counts_each_quoted_word():
    labels = ["risk language", "health term", "risk"]
    counts = fit_claims.cue_counts(["health term 'heart', 'stroke'", "risk language 'risk'", "score 2 >= 2"], labels)
    assert counts == {"health term": 2, "risk language": 1}
