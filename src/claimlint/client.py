"""The `claimlint` command's entry point, and the client side of `claimlint server`.

Starting Python, importing spaCy and compiling the packs costs about a second, which is most
of the time a pre-commit hook or an editor spends on one file. When the user has started
`claimlint server`, `claimlint check ...` hands its arguments, working directory, environment
and standard input to that warm process over a Unix socket and prints what it sends back, so
the run is the same in every respect but the start-up. This module is therefore imported on
every run: it must import nothing heavy (no typer, rich, spaCy or YAML), and it falls back to
linting in-process whenever the server is absent, unsafe, busy with a stale version or fails.

Only `check` goes to the server. `CLAIMLINT_NO_SERVER=1` turns the server off for a run;
`CLAIMLINT_SERVER=auto` starts one in the background when none answers (for pre-commit hooks).
"""

from __future__ import annotations

import os
import stat
import struct
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socket

PROTOCOL = 1
_HEADER = struct.Struct(">I")  # every frame: its length, then the bytes
MAX_FRAME = 1 << 31


class UnsafeRuntimeDir(Exception):
    """The folder for the socket exists but another user could reach into it."""


def runtime_dir(create: bool = False) -> str:
    """A folder only this user can enter: $XDG_RUNTIME_DIR/claimlint, else <tmp>/claimlint-UID.
    Raises UnsafeRuntimeDir if it is a symlink, not ours, or open to group or others."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base and os.path.isdir(base):
        folder = os.path.join(base, "claimlint")
    else:
        import tempfile

        folder = os.path.join(tempfile.gettempdir(), f"claimlint-{os.getuid()}")
    if create:
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return folder
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise UnsafeRuntimeDir(
            f"{folder}: not a private folder of this user (it must be a directory owned by uid "
            f"{os.getuid()} with mode 0700); remove it or fix its permissions")
    return folder


def install_id() -> str:
    """Which claimlint this is: two installs (venvs, checkouts) never share a server."""
    import hashlib

    here = os.path.dirname(os.path.realpath(__file__))
    return hashlib.sha256(f"{here}\0{sys.prefix}\0{sys.version}".encode()).hexdigest()[:12]


def socket_path(create_dir: bool = False) -> str:
    return os.path.join(runtime_dir(create_dir), f"server-{install_id()}.sock")


def send_frame(conn: socket.socket, payload: bytes) -> None:
    conn.sendall(_HEADER.pack(len(payload)) + payload)


def recv_frame(conn: socket.socket) -> bytes:
    size = _HEADER.unpack(_recv_exact(conn, _HEADER.size))[0]
    if size > MAX_FRAME:
        raise ConnectionError("frame too large")
    return _recv_exact(conn, size)


def _recv_exact(conn: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = conn.recv(min(size - len(chunks), 1 << 20))
        if not chunk:
            raise ConnectionError("connection closed")
        chunks += chunk
    return bytes(chunks)


def peer_uid(conn: socket.socket) -> int | None:
    """The user id of the process at the other end of a Unix socket (Linux), or None."""
    import socket

    if not hasattr(socket, "SO_PEERCRED"):
        return None
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def connect(timeout: float = 2.0) -> socket.socket | None:
    """A connection to this user's server for this install, or None if there is none to use."""
    import socket  # here: a run with no server to ask never imports it

    if not hasattr(socket, "AF_UNIX"):
        return None
    try:
        path = socket_path()
    except UnsafeRuntimeDir:
        return None
    if not os.path.exists(path):
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(timeout)
    try:
        conn.connect(path)
        uid = peer_uid(conn)
        if uid is not None and uid != os.getuid():
            raise ConnectionError("server belongs to another user")
    except OSError:
        conn.close()
        return None
    return conn


def request(conn: socket.socket, message: dict, timeout: float | None = None) -> dict:
    """Send one JSON request; return the JSON reply (a check's output follows it in frames)."""
    import json

    conn.settimeout(timeout)
    send_frame(conn, json.dumps(message).encode())
    return json.loads(recv_frame(conn))


def _stdin_bytes(argv: list[str]) -> bytes | None:
    if "-" not in argv[1:]:
        return None
    data = sys.stdin.buffer.read()
    # if the server cannot take the run after all, the in-process run reads the same bytes
    import io

    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding=sys.stdin.encoding or "utf-8")
    return data


def run_on_server(argv: list[str]) -> int | None:
    """Run `claimlint ARGV` on the server: its exit code, or None to run in-process instead."""
    conn = connect()
    if conn is None:
        return None
    try:
        stdin = _stdin_bytes(argv)
        import base64

        reply = request(conn, {
            "protocol": PROTOCOL, "command": "run", "argv": argv, "cwd": os.getcwd(),
            "env": dict(os.environ), "stdout_tty": _isatty(sys.stdout), "stderr_tty": _isatty(sys.stderr),
            "columns": _columns(), "stdin": None if stdin is None else base64.b64encode(stdin).decode(),
        })
        if reply.get("fallback"):
            return None
        out, err = recv_frame(conn), recv_frame(conn)
    except (OSError, ValueError, ConnectionError):
        return None  # the server went away before answering: nothing was printed yet
    finally:
        conn.close()
    for stream, data in ((sys.stdout, out), (sys.stderr, err)):
        if data:
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
    return int(reply.get("exit", 2))


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _columns() -> int | None:
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return None


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["check"] and not os.environ.get("CLAIMLINT_NO_SERVER"):
        try:
            code = run_on_server(argv)
        except KeyboardInterrupt:
            code = 130
        if code is not None:
            sys.exit(code)
        if os.environ.get("CLAIMLINT_SERVER") == "auto":
            _start_in_background()
    if argv[:1] == ["check"] and "_CLAIMLINT_COMPLETE" not in os.environ:
        from claimlint import checkcommand

        values = checkcommand.parse(argv)
        if values is not None:  # a plain command line: no need to import typer to read it
            checkcommand.main(values)
            return
    from claimlint.cli import main as cli_main

    cli_main()


def _start_in_background() -> None:
    """CLAIMLINT_SERVER=auto: no server answered, so start one for the next run (this run goes
    on in-process). A failure here only means the next run is not faster."""
    try:
        from claimlint.server import spawn

        spawn()
    except Exception:
        pass
