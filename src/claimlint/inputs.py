"""Which files to lint, and their text: discovery, decoding, and input errors.

Folders are walked recursively for the formats the readers know, skipping hidden folders,
`node_modules` and build output, in a stable (sorted) order. Bytes are decoded as UTF-8 (a
UTF-8 or UTF-16 byte-order mark is honoured and dropped); a file with NUL bytes is binary and a
file that is not valid UTF-8 is reported and skipped, never guessed at.

Reading is defensive: only regular files are read (a FIFO, socket or device found in a tree,
or swapped in after discovery, is skipped before it can block the run), a file over the size
limit is skipped before it is read, and a file removed or made unreadable after discovery is
an input error for that file only.
"""

from __future__ import annotations

import codecs
import os
import stat as _stat
from dataclasses import dataclass
from pathlib import Path

from claimlint.readers import FORMATS

DEFAULT_MAX_FILE_SIZE = 10_000_000  # bytes (10 MB); 0 means no limit

SKIP_DIRS = frozenset({"node_modules", "build", "dist", "_site", "site", "public", "__pycache__", "venv"})


class InputError(Exception):
    """A file that cannot be linted; `str()` is a one-line message starting with its path."""


@dataclass(frozen=True)
class Input:
    path: str  # as shown to the user
    format: str


def discover(paths: list[str]) -> tuple[list[Input], list[str]]:
    """Inputs to lint, and error messages for paths that cannot be used."""
    found: list[Input] = []
    errors: list[str] = []
    seen: set[str] = set()

    def add(path: str, fmt: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            found.append(Input(path, fmt))

    for given in paths:
        path = Path(given)
        try:
            path.stat()
        except OSError as exc:
            try:
                link = path.is_symlink()
            except OSError:
                link = False
            if link:
                errors.append(f"{given}: broken symbolic link or symlink loop; skipped")
            else:
                errors.append(f"{given}: {'no such file or directory' if isinstance(exc, FileNotFoundError) else exc.strerror or exc}")
            continue
        if path.is_dir():
            for file in _walk(path):
                fmt = FORMATS.get(file.suffix.lower())
                if fmt:
                    add(str(file), fmt)
        elif path.is_file():
            fmt = FORMATS.get(path.suffix.lower())
            if fmt is None:
                known = ", ".join(sorted(FORMATS))
                errors.append(f"{given}: unsupported file type '{path.suffix or '(none)'}' (supported: {known})")
            else:
                add(given, fmt)
        elif path.exists():
            errors.append(f"{given}: not a regular file; skipped")
        else:
            errors.append(f"{given}: no such file or directory")
    return found, errors


def _walk(root: Path) -> list[Path]:
    files: list[Path] = []
    visited: set[tuple[int, int]] = set()
    for folder, dirs, names in os.walk(root, followlinks=True, onerror=None):  # unreadable folders are skipped
        try:
            stat = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (stat.st_dev, stat.st_ino) in visited:  # a symlink loop
            dirs[:] = []
            continue
        visited.add((stat.st_dev, stat.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(names):
            file = Path(folder) / name
            try:
                regular = file.is_file()  # follows symlinks; False for FIFOs, sockets, loops
            except OSError:  # a name too long, a permission race...
                regular = False
            if regular:
                files.append(file)
    return files


def decode(data: bytes, path: str) -> str:
    """Text of a file's bytes, or InputError."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not valid UTF-16 ({exc.reason}); skipped") from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file (contains NUL bytes); skipped")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); skipped"
        ) from None


def size_text(size: int) -> str:
    """ "50 MB", "10.5 MB", "800 bytes": sizes in decimal megabytes, as --max-file-size counts."""
    if size < 100_000:
        return f"{size:,} bytes"
    mb = f"{size / 1_000_000:.1f}".removesuffix(".0")
    return f"{mb} MB"


def too_big(path: str, size: int, limit: int) -> InputError:
    return InputError(
        f"{path}: file is {size_text(size)}, over the --max-file-size limit of {size_text(limit)}; "
        "skipped (raise it with --max-file-size BYTES)"
    )


def read_bytes(path: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """A regular file's bytes, or InputError. Never blocks on a FIFO: the file is opened
    non-blocking and checked to be a regular file before any byte is read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not _stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: not a regular file; skipped")
        if max_size and info.st_size > max_size:
            raise too_big(path, info.st_size, max_size)
        chunks: list[bytes] = []
        total = 0
        while True:  # read to the end, in case the file grew since fstat
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if max_size and total > max_size:
                raise too_big(path, total, max_size)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def read_stdin(name: str, stream, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """Standard input's bytes, with the same size limit as files."""
    data = stream.read(max_size + 1) if max_size else stream.read()
    if max_size and len(data) > max_size:
        raise too_big(name, len(data), max_size)
    return data


def read_text(path: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    return decode(read_bytes(path, max_size), path)
