"""bench/pattern_cost.py runs and names the patterns it measured (no timing is asserted)."""
from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import pattern_cost  # noqa: E402


def test_lists_patterns_and_keeps_a_budget(tmp_path, capsys):
    article = ROOT / "tests" / "corpus" / "batch9" / "adhd-coaching-blog.md"
    (tmp_path / "a.md").write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    assert pattern_cost.main([str(tmp_path), "--top", "5", "--repeat", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("1 files, ")
    assert len(lines) == 2 + 5
    assert any("claims.uncited cue " in line for line in lines[2:])
    assert pattern_cost.main([str(tmp_path), "--top", "3", "--in-run"]) == 0
    assert "claims.uncited cue " in capsys.readouterr().out
    # every pattern costs more than nothing: a budget of nothing is exceeded
    assert pattern_cost.main([str(tmp_path), "--top", "1", "--repeat", "1", "--budget", "0"]) == 1
