"""Which files to lint, and their text: discovery, decoding, and input errors.

Folders are walked recursively for the formats the readers know, skipping hidden folders,
`node_modules` and build output, in a stable (sorted) order. Bytes are decoded as UTF-8 (a
UTF-8 or UTF-16 byte-order mark is honoured and dropped); a file with NUL bytes is binary and a
file that is not valid UTF-8 is reported and skipped, never guessed at.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

from claimlint.readers import FORMATS

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
    for folder, dirs, names in os.walk(root, followlinks=True, onerror=None):
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
            if file.is_file():
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


def read_text(path: str) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return decode(data, path)
