"""bench/fit_words.py writes the fitted word weights into rules/claims.yaml; what it writes
must load as the uncited rule's word_evidence, every word as written (YAML would read some
bare words, such as 'yes' and 'no', as booleans)."""
from __future__ import annotations

import shutil
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import fit_words  # noqa: E402

from claimlint.packs import load_pack  # noqa: E402


def test_the_written_block_loads_as_the_weights_it_was_given(tmp_path):
    pack = tmp_path / "claims.yaml"
    shutil.copy(ROOT / "rules" / "claims.yaml", pack)
    weights = {f"word{chr(97 + i % 26)}{'x' * (i // 26)}": round(i / 100 - 0.5, 2) for i in range(120)}
    weights.update({"yes": 1.4, "no": -0.3, "on": 0.1, "null": 0.2, "<number>": 0.5, "£": -0.37, "µg": 1.1})
    fit_words.write(pack, fit_words.block(-0.41, weights, 20, 3))
    evidence = load_pack(str(pack)).rules[0].classifier.words
    assert evidence.baseline == -0.41
    assert evidence.weights == weights
    assert {"the", "and"} <= evidence.unnamed  # the hand-written keys above the block stay


def test_the_pack_in_the_repository_has_the_block_to_rewrite():
    text = (ROOT / "rules" / "claims.yaml").read_text(encoding="utf-8")
    assert text.count(fit_words.BEGIN) == 1 and text.count(fit_words.END) == 1
    assert text.index(fit_words.BEGIN) < text.index(fit_words.END)
