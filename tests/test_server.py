"""`claimlint server`: a check run through the warm server is the same run, only faster.

Every test starts a real server process (the real CLI, the real socket) in its own private
runtime folder, and compares what a client gets from it with the in-process run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid") or sys.platform == "win32", reason="Unix sockets")

EXAMPLES = ROOT / "examples"


def _command() -> list[str]:
    script = shutil.which("claimlint", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "claimlint"]


def claimlint(*args, env, cwd=None, input=None, server=True):
    env = dict(env)
    if not server:
        env["CLAIMLINT_NO_SERVER"] = "1"
    return subprocess.run(_command() + [str(a) for a in args], env=env, cwd=cwd, input=input,
                           capture_output=True, timeout=300)


def served(env) -> int:
    proc = claimlint("server", "status", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return int(proc.stdout.decode().split(", ")[2].split()[0])


@pytest.fixture
def env(tmp_path):
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLINT_")}
    environ.update(XDG_RUNTIME_DIR=str(runtime), XDG_CACHE_HOME=str(tmp_path / "cache"), NO_COLOR="1")
    return environ


@pytest.fixture
def server(env):
    proc = claimlint("server", "start", "--idle-timeout", "120", env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"0 check(s) served" in proc.stdout
    yield env
    claimlint("server", "stop", env=env)


@pytest.mark.parametrize("args", [
    ["check", "examples", "--format", "json"],
    ["check", "examples"],
    ["check", "examples/hype-page.md", "--format", "sarif", "--fail-on", "never"],
    ["check", "examples", "--format", "github", "--pack", "us-dshea", "--jobs", "2", "--no-cache"],
    ["check", "no-such-file.md"],
    ["check", "--bogus-option", "examples"],
    ["check", "examples", "--pack", "no-such-pack"],
])
def test_server_run_is_the_in_process_run(server, args):
    before = served(server)
    via_server = claimlint(*args, env=server, cwd=ROOT)
    in_process = claimlint(*args, env=server, cwd=ROOT, server=False)
    assert served(server) == before + 1  # the first run really went through the server
    assert via_server.returncode == in_process.returncode
    assert via_server.stdout == in_process.stdout
    assert via_server.stderr == in_process.stderr


def test_stdin_and_relative_output_use_the_clients_input_and_folder(server, tmp_path):
    text = b"Our serum cures arthritis in 3 days.\n"
    proc = claimlint("check", "-", "--stdin-filename", "page.md", "--format", "json", "--output", "report.json",
                     env=server, cwd=tmp_path, input=text)
    assert proc.returncode == 1, proc.stderr
    report = (tmp_path / "report.json").read_text(encoding="utf-8")
    assert '"overpromise.cure"' in report and '"page.md"' in report
    assert served(server) == 1


def test_a_changed_pack_is_reloaded(server, tmp_path):
    pack = tmp_path / "house.yaml"
    article = tmp_path / "a.md"
    article.write_text("A wonder pill for everyone.\n", encoding="utf-8")

    def write_pack(word):
        pack.write_text(
            "pack: house\nrules:\n  - id: word\n    kind: phrase\n    category: style\n    severity: error\n"
            f"    message: \"'{{match}}' is banned\"\n    why: House style.\n    phrases: [{word}]\n",
            encoding="utf-8")

    write_pack("wonder")
    first = claimlint("check", article, "--pack", pack, "--no-cache", "--format", "json", env=server)
    assert b"house.word" in first.stdout
    time.sleep(0.01)
    write_pack("zebra")
    os.utime(pack, ns=(time.time_ns(), time.time_ns() + 10**9))  # a new mtime even on coarse clocks
    second = claimlint("check", article, "--pack", pack, "--no-cache", "--format", "json", env=server)
    assert b"house.word" not in second.stdout
    assert served(server) == 2


def test_stop_and_idle_timeout_remove_the_socket(env):
    runtime = os.path.join(env["XDG_RUNTIME_DIR"], "claimlint")
    assert claimlint("server", "start", "--idle-timeout", "1", env=env).returncode == 0
    assert any(name.endswith(".sock") for name in os.listdir(runtime))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(name.endswith(".sock") for name in os.listdir(runtime)):
        time.sleep(0.2)
    assert not any(name.endswith(".sock") for name in os.listdir(runtime))
    status = claimlint("server", "status", env=env)
    assert status.returncode == 1 and b"not running" in status.stdout
    # with no server, check runs in-process as usual
    proc = claimlint("check", EXAMPLES / "hype-page.md", "--format", "json", env=env)
    assert proc.returncode == 1 and b"overpromise.miracle" in proc.stdout


def test_unsafe_runtime_folder_is_refused_and_check_runs_in_process(env):
    runtime = os.path.join(env["XDG_RUNTIME_DIR"], "claimlint")
    os.mkdir(runtime)
    os.chmod(runtime, 0o777)
    proc = claimlint("server", "start", env=env)
    assert proc.returncode == 2
    assert b"not a private folder" in proc.stderr and b"Traceback" not in proc.stderr
    check = claimlint("check", EXAMPLES / "hype-page.md", env=env)
    assert check.returncode == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to act as another user")
def test_another_user_cannot_reach_the_server(env):
    import tempfile

    python = shutil.which("python3", path="/usr/bin:/bin")  # one that user 'nobody' may run
    if python is None:
        pytest.skip("no system python3 for the other user")
    base = tempfile.mkdtemp(prefix="claimlint-rt-", dir="/tmp")
    os.chmod(base, 0o711)  # others may pass through, as with a real /run/user/UID or /tmp
    env = dict(env, XDG_RUNTIME_DIR=base)
    assert claimlint("server", "start", "--idle-timeout", "120", env=env).returncode == 0
    try:
        sock = next(os.path.join(base, "claimlint", f) for f in os.listdir(os.path.join(base, "claimlint"))
                    if f.endswith(".sock"))
        probe = ("import socket,sys\n"
                 "s=socket.socket(socket.AF_UNIX)\n"
                 "try:\n s.connect(sys.argv[1]); print('connected')\n"
                 "except PermissionError:\n print('refused')\n")
        proc = subprocess.run([python, "-c", probe, sock], capture_output=True, text=True,
                              user=65534, cwd="/", timeout=60)
        assert proc.stdout.strip() == "refused", proc.stdout + proc.stderr
    finally:
        claimlint("server", "stop", env=env)
        shutil.rmtree(base, ignore_errors=True)


def test_auto_mode_starts_a_server_for_the_next_run(env):
    auto = dict(env, CLAIMLINT_SERVER="auto")
    first = claimlint("check", EXAMPLES / "hype-page.md", "--format", "json", env=auto)
    assert first.returncode == 1
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and claimlint("server", "status", env=env).returncode != 0:
            time.sleep(0.2)
        second = claimlint("check", EXAMPLES / "hype-page.md", "--format", "json", env=auto)
        assert second.stdout == first.stdout
        assert served(env) == 1
    finally:
        claimlint("server", "stop", env=env)
