"""`claimlint server`: a long-lived process that keeps spaCy and the compiled packs loaded.

The CLI (client.py) hands it a `check`'s argv, working directory, environment and standard
input; the server runs the very same typer command in-process with those, and sends back the
exit code, standard output and standard error. One request at a time.

Safety: the socket lives in a folder only this user can enter (client.runtime_dir), every
connection's peer must be this user (SO_PEERCRED, on Linux), and the server stops after
`idle_timeout` seconds without a request, or as soon as claimlint's code or data change (the
client then lints in-process). Nothing here outlives the user's session: no files but the
socket, a pid file and a log in that private folder.
"""

from __future__ import annotations

import base64
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout

from claimlint import client

DEFAULT_IDLE_TIMEOUT = 900  # seconds


class ServerError(Exception):
    """Cannot start, reach or stop the server: exit 2 with this message."""


def _paths() -> tuple[str, str, str]:
    try:
        sock = client.socket_path(create_dir=True)
    except client.UnsafeRuntimeDir as exc:
        raise ServerError(str(exc)) from None
    stem = sock[: -len(".sock")]
    return sock, stem + ".pid", stem + ".log"


class Server:
    def __init__(self, idle_timeout: float) -> None:
        from claimlint.cache import code_fingerprint
        from claimlint.cli import app
        from claimlint.run import warm_up
        import typer

        self.idle_timeout = idle_timeout
        self.command = typer.main.get_command(app)
        self.started = time.time()
        self.served = 0
        self.fingerprint = code_fingerprint()
        warm_up()

    def serve(self, sock: socket.socket) -> None:
        sock.settimeout(self.idle_timeout if self.idle_timeout > 0 else None)
        while True:
            try:
                conn, _ = sock.accept()
            except socket.timeout:
                return  # idle for too long
            with conn:
                conn.settimeout(None)
                uid = client.peer_uid(conn)
                if uid is not None and uid != os.getuid():
                    continue  # never serve another user
                try:
                    if not self._handle(conn):
                        return
                except (OSError, ValueError, ConnectionError):
                    continue  # a client that went away mid-request

    def _handle(self, conn: socket.socket) -> bool:
        """Answer one request; False when the server should stop."""
        message = json.loads(client.recv_frame(conn))
        command = message.get("command")
        if command == "status":
            self._reply(conn, {"pid": os.getpid(), "served": self.served, "uptime": time.time() - self.started,
                               "idle_timeout": self.idle_timeout, "socket": conn.getsockname()})
            return True
        if command == "stop":
            self._reply(conn, {"stopping": True})
            return False
        if command != "run" or message.get("protocol") != client.PROTOCOL:
            self._reply(conn, {"fallback": True, "reason": "unknown request"})
            return True
        if self._stale():
            self._reply(conn, {"fallback": True, "reason": "claimlint changed since the server started"})
            return False
        code, out, err = self._run(message)
        self.served += 1
        self._reply(conn, {"exit": code})
        client.send_frame(conn, out)
        client.send_frame(conn, err)
        return True

    @staticmethod
    def _reply(conn: socket.socket, data: dict) -> None:
        client.send_frame(conn, json.dumps(data).encode())

    def _stale(self) -> bool:
        from claimlint import cache

        cache._CODE_FINGERPRINT = None
        return cache.code_fingerprint() != self.fingerprint

    def _run(self, message: dict) -> tuple[int, bytes, bytes]:
        """Run the CLI as the client would have, in its folder, with its environment."""
        env = {str(k): str(v) for k, v in dict(message.get("env") or {}).items()}
        if message.get("stdout_tty") and "NO_COLOR" not in env:
            env.setdefault("FORCE_COLOR", "1")  # rich would colour the client's terminal
        if message.get("columns"):
            env.setdefault("COLUMNS", str(message["columns"]))
        stdin = base64.b64decode(message["stdin"]) if message.get("stdin") is not None else b""
        out, err = io.BytesIO(), io.BytesIO()
        out_text = io.TextIOWrapper(out, encoding="utf-8", errors="replace", write_through=True)
        err_text = io.TextIOWrapper(err, encoding="utf-8", errors="replace", write_through=True)
        saved_env, saved_cwd, saved_stdin = dict(os.environ), os.getcwd(), sys.stdin
        try:
            os.environ.clear()
            os.environ.update(env)
            os.chdir(str(message.get("cwd") or saved_cwd))
            sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
            with redirect_stdout(out_text), redirect_stderr(err_text):
                code = self._invoke([str(a) for a in message.get("argv") or []])
        except OSError as exc:  # the client's folder is gone
            err_text.write(f"claimlint: error: {exc}\n")
            code = 2
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
            os.chdir(saved_cwd)
            sys.stdin = saved_stdin
        out_text.flush()
        err_text.flush()
        return code, out.getvalue(), err.getvalue()

    def _invoke(self, argv: list[str]) -> int:
        try:
            self.command.main(args=argv, prog_name="claimlint", standalone_mode=True)
        except SystemExit as exc:
            if exc.code is None:
                return 0
            if isinstance(exc.code, int):
                return exc.code
            print(exc.code, file=sys.stderr)
            return 1
        except Exception:  # a bug: report it as the in-process run would, keep serving
            sys.stderr.write(traceback.format_exc())
            return 2
        return 0


def run_foreground(idle_timeout: float = DEFAULT_IDLE_TIMEOUT) -> None:
    """Serve on this user's socket until idle, stopped, or claimlint changes."""
    if not hasattr(socket, "AF_UNIX"):
        raise ServerError("claimlint server needs Unix sockets, which this platform lacks")
    import fcntl

    sock_path, pid_path, _ = _paths()
    lock = open(sock_path[: -len(".sock")] + ".lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # two starts at once: one server
    except OSError:
        lock.close()
        raise ServerError(f"a server is already running or starting on {sock_path}") from None
    server = Server(idle_timeout)  # loads packs and spaCy before the socket appears
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        os.unlink(sock_path)  # a stale socket: nothing answered on it
    except FileNotFoundError:
        pass
    old_umask = os.umask(0o177)
    try:
        sock.bind(sock_path)
    finally:
        os.umask(old_umask)
    sock.listen(16)
    with open(pid_path, "w", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()}\n")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve(sock)
    finally:
        sock.close()
        for path in (sock_path, pid_path):
            try:
                os.unlink(path)
            except OSError:
                pass
        lock.close()


def _status() -> dict | None:
    conn = client.connect()
    if conn is None:
        return None
    try:
        return client.request(conn, {"command": "status"}, timeout=5)
    except (OSError, ValueError, ConnectionError):
        return None
    finally:
        conn.close()


def status() -> dict | None:
    """The running server's pid, requests served, uptime and idle timeout; None if none runs."""
    _paths()  # an unsafe runtime folder is an error, not "not running"
    return _status()


def start(idle_timeout: float = DEFAULT_IDLE_TIMEOUT, wait: float = 120.0) -> dict:
    """Start a detached server (if none runs) and wait until it answers; its status."""
    running = status()
    if running is not None:
        return running
    _, _, log_path = _paths()
    process = spawn(idle_timeout)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        running = _status()
        if running is not None:
            return running
        if process.poll() is not None and not _starting():
            raise ServerError(f"the server exited at start (code {process.returncode}); see {log_path}")
        time.sleep(0.05)
    process.terminate()
    raise ServerError(f"the server did not answer within {wait:.0f} s; see {log_path}")


def _starting() -> bool:
    """Does some process hold the start lock (a server running or loading)?"""
    import fcntl

    sock_path, _, _ = _paths()
    try:
        with open(sock_path[: -len(".sock")] + ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    return False


def spawn(idle_timeout: float = DEFAULT_IDLE_TIMEOUT) -> subprocess.Popen:
    """Start a detached server process; it logs to the private runtime folder."""
    _, _, log_path = _paths()
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "claimlint", "server", "run", "--idle-timeout", str(idle_timeout)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True,
        )


def stop() -> bool:
    """Ask the running server to stop; False if none was running."""
    _paths()
    conn = client.connect()
    if conn is None:
        return False
    try:
        client.request(conn, {"command": "stop"}, timeout=30)
    except (OSError, ValueError, ConnectionError):
        pass
    finally:
        conn.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and os.path.exists(client.socket_path()):
        time.sleep(0.05)  # the server removes its socket on the way out
    return True
