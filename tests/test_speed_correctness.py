"""--jobs and the result cache change how fast a run is, never what it reports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FILES, ROOT
from claimlint.config import Config
from claimlint import run as run_module
from claimlint.run import CheckOptions, run_check

CORPUS = ROOT / "tests" / "corpus"
HOUSE = (FILES / "packs" / "house-style.yaml").read_text(encoding="utf-8")


@pytest.fixture
def folder(tmp_path):
    """Twelve corpus articles (Markdown, HTML and text) copied to a temporary folder."""
    target = tmp_path / "articles"
    target.mkdir()
    sources = sorted(p for p in CORPUS.iterdir() if p.suffix in {".md", ".html", ".txt"} and p.name != "README.md")
    for source in sources[:12]:
        shutil.copy(source, target / source.name)
    assert len(list(target.iterdir())) == 12
    return target


def check(folder, cache_dir=None, jobs=1, packs=(), paths=None):
    options = CheckOptions(paths=[str(p) for p in (paths or [folder])], extra_packs=list(packs), config=Config(),
                           cache_dir=str(cache_dir) if cache_dir else None, jobs=jobs, profile=True)
    return run_check(options)


def as_json(run) -> str:
    from claimlint.report.json import as_dict

    return json.dumps(as_dict(run), sort_keys=True)


def test_jobs_2_gives_the_same_json_as_jobs_1(cli, folder):
    one = cli("check", folder, "--no-cache", "--jobs", "1", "--format", "json")
    two = cli("check", folder, "--no-cache", "--jobs", "2", "--format", "json")
    assert one.exit_code == two.exit_code
    assert one.stdout == two.stdout  # byte for byte, in input order
    assert one.json["summary"]["files"] == 12 and one.json["findings"]


def test_the_pool_is_used_and_keeps_input_order(folder):
    run = check(folder, jobs=2)
    assert run.timings["workers"] == 2 and run.timings["files linted"] == 12
    assert [Path(r.path).name for r in run.files] == sorted(p.name for p in folder.iterdir())
    assert as_json(run) == as_json(check(folder, jobs=1))


def test_a_cache_hit_returns_the_same_findings(folder, tmp_path):
    cache = tmp_path / "cache"
    cold = check(folder, cache)
    assert cold.timings["cache hits"] == 0
    warm = check(folder, cache, jobs=2)
    assert warm.timings["cache hits"] == 12 and warm.timings["files linted"] == 0
    assert as_json(warm) == as_json(cold) == as_json(check(folder))


def test_changing_a_file_misses_only_that_file(folder, tmp_path):
    cache = tmp_path / "cache"
    before = check(folder, cache)
    changed = sorted(folder.glob("*.md"))[0]
    changed.write_text("# Tea\n\nThis miracle tea cures arthritis.\n", encoding="utf-8")
    after = check(folder, cache)
    assert after.timings["cache hits"] == 11 and after.timings["files linted"] == 1
    assert as_json(after) != as_json(before)
    assert "overpromise.miracle" in [f.rule for f in after.findings if f.path == str(changed)]
    assert as_json(after) == as_json(check(folder))


def test_editing_a_pack_misses(folder, tmp_path):
    cache, pack = tmp_path / "cache", tmp_path / "house.yaml"
    article = folder / "wonder.md"
    article.write_text("# Skin\n\nTry our wonder cream tonight.\n", encoding="utf-8")
    pack.write_text(HOUSE, encoding="utf-8")
    first = check(folder, cache, packs=[str(pack)], paths=[article])
    assert [f.rule for f in first.findings if f.rule.startswith("house-style")] == ["house-style.wonder-cream"]
    assert check(folder, cache, packs=[str(pack)], paths=[article]).timings["cache hits"] == 1
    pack.write_text(HOUSE.replace("wonder cream, wonder creams", "magic balm"), encoding="utf-8")
    edited = check(folder, cache, packs=[str(pack)], paths=[article])
    assert edited.timings["cache hits"] == 0
    assert not [f for f in edited.findings if f.rule.startswith("house-style")]
    without = check(folder, cache, paths=[article])  # other packs: another key
    assert without.timings["cache hits"] == 0


@pytest.mark.parametrize("damage", ["garbage", "empty", "other-version", "wrong-fields", "directory"])
def test_a_damaged_cache_entry_is_ignored_and_rebuilt(folder, tmp_path, damage):
    cache = tmp_path / "cache"
    expected = as_json(check(folder, cache))
    entries = sorted((cache / "v1").rglob("*.json"))  # result entries (facts/ holds packfacts)
    assert len(entries) == 12
    for entry in entries:
        if damage == "garbage":
            entry.write_bytes(b"\xff\x00{not json")
        elif damage == "empty":
            entry.write_bytes(b"")
        elif damage == "other-version":
            data = json.loads(entry.read_text(encoding="utf-8"))
            entry.write_text(json.dumps({**data, "version": "0.0.0-other"}), encoding="utf-8")
        elif damage == "wrong-fields":
            data = json.loads(entry.read_text(encoding="utf-8"))
            data["findings"] = [{"path": "x"}]
            data["sentences"] = "many"
            entry.write_text(json.dumps(data), encoding="utf-8")
        else:
            entry.unlink()
            entry.mkdir()  # cannot be read nor replaced
    run = check(folder, cache)
    assert run.timings["cache hits"] == 0
    assert as_json(run) == expected
    if damage != "directory":
        assert check(folder, cache).timings["cache hits"] == 12  # rewritten


def test_an_unwritable_cache_does_not_stop_the_run(cli, folder, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    expected = as_json(check(folder))
    assert as_json(check(folder, blocker)) == expected
    assert as_json(check(folder, blocker / "below")) == expected
    run = cli("check", folder, "--cache-dir", blocker, "--format", "json")
    assert run.exit_code in (0, 1) and run.json["summary"]["files"] == 12


def test_the_default_cache_folder_follows_xdg_cache_home(cli, folder, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cli("check", folder, "--format", "json")
    assert len(list((tmp_path / "xdg" / "claimlint" / "v1").rglob("*.json"))) == 12
    cli("check", folder, "--format", "json", "--no-cache", "--cache-dir", tmp_path / "unused")
    assert not (tmp_path / "unused").exists()


def test_a_fully_cached_run_does_not_import_spacy(folder, tmp_path):
    cache = tmp_path / "cache"
    script = (
        "import sys\n"
        "from claimlint.cli import main\n"
        "sys.argv = ['claimlint', 'check', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('SPACY', 'spacy' in sys.modules, file=sys.stderr)\n"
    )
    args = [sys.executable, "-c", script, str(folder), "--cache-dir", str(cache), "--format", "json", "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
    cold = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert "SPACY False" in cold.stderr  # the blank pipeline splits sentences without spaCy
    warm = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert "SPACY False" in warm.stderr, warm.stderr
    assert warm.stdout == cold.stdout


def test_profile_prints_the_stages(cli, folder):
    run = cli("check", folder, "--no-cache", "--profile", "--format", "json")
    for stage in ("read", "cite", "segment", "classify", "rules", "report"):
        assert stage in run.stderr
    assert run.json["summary"]["files"] == 12


def test_fail_fast_with_workers_stops_at_the_first_bad_file(cli, folder):
    bad = folder / "0000-bad.md"
    bad.write_bytes(b"# broken\n\n\xff\xfe\x00 not utf-8 \xc3\x28\n" * 4)
    plain = cli("check", folder, "--no-cache", "--jobs", "2", "--format", "json")
    fast = cli("check", folder, "--no-cache", "--jobs", "2", "--format", "json", "--fail-fast")
    assert plain.exit_code == 2 and len(plain.json["errors"]) == 1 and plain.json["summary"]["files"] == 12
    assert fast.exit_code == 2 and fast.json["summary"]["files"] == 0  # nothing after the binary file
    big = cli("check", folder, "--no-cache", "--jobs", "2", "--format", "json", "--max-file-size", "100")
    assert big.exit_code == 2 and len(big.json["errors"]) == 13


def test_a_pool_that_breaks_while_batches_are_sent_finishes_the_rest_here(folder, monkeypatch):
    # a worker that dies (killed, out of memory) before every batch is sent makes the
    # executor refuse the rest: those are linted in this process, findings and order unchanged
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    submit = ProcessPoolExecutor.submit
    sent = []

    def submit_then_break(self, *args, **kwargs):
        if sent:
            raise BrokenProcessPool("a worker died")
        sent.append(1)
        return submit(self, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit_then_break)
    run = check(folder, jobs=2)
    monkeypatch.undo()
    assert sent and run.timings["files linted"] == 12
    assert as_json(run) == as_json(check(folder, jobs=1))


def test_a_run_leaves_the_garbage_collector_as_it_found_it(folder):
    """The lint loop freezes what is alive and collects less often (run._fewer_collections);
    afterwards the thresholds and the frozen objects are back, so a long-lived server that
    runs check after check still collects its garbage."""
    import gc

    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    seen = []
    original = run_module.lint_text

    def spying(*args, **kwargs):
        seen.append((gc.get_threshold()[0], gc.get_freeze_count() > frozen))
        return original(*args, **kwargs)

    run_module.lint_text = spying
    try:
        run_check(CheckOptions(paths=[str(folder)], jobs=1))
    finally:
        run_module.lint_text = original
    assert seen and all(seen_threshold == run_module._LINT_GC_THRESHOLD and froze for seen_threshold, froze in seen)
    assert gc.get_threshold() == threshold and gc.get_freeze_count() == frozen
