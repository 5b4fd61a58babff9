"""Writing files safely: to a temporary file beside the target, flushed, then renamed into
place, keeping the original's permissions. An interrupted run leaves the old file or the new
one, never half of one."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def atomic_write(path: str | os.PathLike, text: str, fsync: bool = True) -> None:
    """`fsync=False` (for caches) skips the flush to disk: still all-or-nothing on rename."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    mode = None
    try:
        status = target.stat()
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(status.st_mode):
            # `-o /dev/null`, a FIFO, a terminal: write into it. Renaming a temporary file over
            # it would replace the device itself (as root, /dev/null became a regular file).
            with open(target, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            return
        mode = stat.S_IMODE(status.st_mode)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
