"""The result cache does not grow for ever, and cleaning it touches nothing else."""

from __future__ import annotations

import os
import shutil
import time

from conftest import ROOT

EXAMPLES = ROOT / "examples"
DAY = 86400


def _entries(cache):
    return sorted(p for p in (cache / "v1").rglob("*.json"))


def _articles(tmp_path, name, count):
    folder = tmp_path / name
    folder.mkdir()
    sources = sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".md", ".html", ".txt"} and p.name != "README.md")
    for source in sources[:count]:
        shutil.copy(source, folder / source.name)
    return folder


def _age(paths, days):
    old = time.time() - days * DAY
    for path in paths:
        os.utime(path, (old, old))


def test_cache_clean_deletes_entries_and_keeps_other_files(cli, tmp_path):
    cache, articles = tmp_path / "cache", _articles(tmp_path, "a", 2)
    first = cli("check", articles, "--cache-dir", cache, "--format", "json")
    assert len(_entries(cache)) == 2
    (cache / "notes.txt").write_text("not claimlint's", encoding="utf-8")
    info = cli("cache", "info", "--cache-dir", cache)
    assert info.exit_code == 0 and "2 entries" in info.stdout

    cleaned = cli("cache", "clean", "--cache-dir", cache)
    assert cleaned.exit_code == 0 and "deleted 2 entries" in cleaned.stdout
    assert _entries(cache) == [] and (cache / "notes.txt").exists()
    again = cli("check", articles, "--cache-dir", cache, "--format", "json")
    assert again.stdout == first.stdout and len(_entries(cache)) == 2


def test_cache_clean_older_than_keeps_recent_entries(cli, tmp_path):
    cache = tmp_path / "cache"
    cli("check", _articles(tmp_path, "a", 2), "--cache-dir", cache)
    entries = _entries(cache)
    _age(entries[:1], 10)
    assert "deleted 1 entry" in cli("cache", "clean", "--cache-dir", cache, "--older-than", "7").stdout
    assert _entries(cache) == entries[1:]


def test_a_run_that_stores_entries_prunes_month_old_ones_once_a_day(cli, tmp_path):
    cache = tmp_path / "cache"
    cli("check", _articles(tmp_path, "a", 1), "--cache-dir", cache)
    old = _entries(cache)
    _age(old, 31)
    stamp = cache / "v1" / "last-prune"
    assert stamp.exists()  # the first run pruned (nothing) and stamped the day

    cli("check", _articles(tmp_path, "b", 2), "--cache-dir", cache)
    assert set(old) <= set(_entries(cache))  # pruned less than a day ago: not again

    _age([stamp], 2)
    cli("check", _articles(tmp_path, "c", 3), "--cache-dir", cache)
    assert not set(old) & set(_entries(cache))
    assert len(_entries(cache)) >= 2  # the recent entries stay


def test_cache_clean_of_a_missing_folder_is_not_an_error(cli, tmp_path):
    result = cli("cache", "clean", "--cache-dir", tmp_path / "nowhere")
    assert result.exit_code == 0 and "deleted 0 entries" in result.stdout
