"""The --jobs worker pool under stress: a worker that dies, and Ctrl-C in the middle of a run.

These run the real CLI in a subprocess and act on its worker processes, found through /proc
(Linux only). Each waits for the workers to exist before acting, so the signal always lands
while files are still being linted.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

CORPUS = ROOT / "tests" / "corpus"


def _articles(folder: Path, copies: int) -> Path:
    folder.mkdir()
    sources = sorted(p for p in CORPUS.iterdir() if p.suffix in {".md", ".html", ".txt"} and p.name != "README.md")
    for copy in range(copies):
        for source in sources:
            shutil.copy(source, folder / f"{copy:03d}-{source.name}")
    return folder


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.append(int(entry))
    return found


def _start(*args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "claimlint", "check", *args]
    env = {**os.environ, "CLAIMLINT_NO_SERVER": "1"}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)


def _wait_for_workers(process: subprocess.Popen, count: int = 2) -> list[int]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        workers = _children(process.pid)
        if len(workers) >= count:
            return workers
        if process.poll() is not None:
            break
        time.sleep(0.005)
    pytest.fail(f"the run never started {count} workers (exit code {process.poll()})")


def test_a_worker_that_dies_does_not_lose_or_reorder_findings(tmp_path):
    articles = _articles(tmp_path / "articles", 1)
    expected = subprocess.run(
        [sys.executable, "-m", "claimlint", "check", str(articles), "--no-cache", "--jobs", "1", "--format", "json"],
        capture_output=True, text=True, env={**os.environ, "CLAIMLINT_NO_SERVER": "1"},
    )
    process = _start(str(articles), "--no-cache", "--jobs", "2", "--format", "json")
    victim = _wait_for_workers(process)[0]
    os.kill(victim, signal.SIGKILL)
    out, err = process.communicate(timeout=180)
    assert process.returncode == expected.returncode, err
    assert "Traceback" not in err
    assert json.loads(out) == json.loads(expected.stdout)


def test_ctrl_c_during_a_pool_run_exits_130_quietly_and_leaves_no_worker(tmp_path):
    articles = _articles(tmp_path / "articles", 20)
    process = _start(str(articles), "--no-cache", "--jobs", "2", "--format", "json")
    workers = _wait_for_workers(process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=180)
    assert process.returncode == 130, err
    assert "Traceback" not in err and out == ""  # no half-written report
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived the interrupted run"
        time.sleep(0.05)


def test_workers_die_with_a_killed_parent(tmp_path):
    articles = _articles(tmp_path / "articles", 20)
    process = _start(str(articles), "--no-cache", "--jobs", "2", "--format", "json")
    workers = _wait_for_workers(process)
    process.kill()  # SIGKILL: no handler, no clean-up in the parent
    try:
        process.communicate(timeout=180)  # returns once no worker holds stdout open
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived its killed parent"
            time.sleep(0.05)
    finally:  # a failing run must not leave its orphans behind
        for pid in workers:
            try:
                if b"claimlint" in Path(f"/proc/{pid}/cmdline").read_bytes():  # not a reused pid
                    os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def _state(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "zombie"
    return next((line for line in status.splitlines() if line.startswith("State:")), "").lower()
