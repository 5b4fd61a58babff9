"""A persistent cache of per-file results, so that an unchanged file is not linted again.

The key of one file is the sha256 of: the file's text, its path and format, the run's
language, claimlint's version and a fingerprint of claimlint's own code and data, and the
contents of every pack used for that path (the pack files and their effective rules, which
covers packs they extend). The value is the FileResult *before* the configuration's
select / ignore / severity are applied, so those need not be in the key.

Entries are JSON files sharded by the first two hex digits of the key and written
atomically. A missing, corrupt or foreign entry is a miss; an unwritable directory turns
the cache off for the run. The cache is never trusted over linting and never crashes a run.

The cache does not grow for ever: at most once a day, a run that stored entries deletes the
entries written more than MAX_AGE_DAYS ago and the folders of other entry formats. A hit does
not refresh its entry (that would cost a write per file on the warm path), so an unchanged
file is linted again once a month. `claimlint cache clean` empties it by hand. Only names
this module writes are ever deleted, so a `--cache-dir` pointed at the wrong folder loses
nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from claimlint import __version__
from claimlint.findings import Finding

if TYPE_CHECKING:
    from claimlint.engine import FileResult

FORMAT = 1  # of an entry; bump when the layout changes
MAX_AGE_DAYS = 30
PRUNE_EVERY = 24 * 3600  # seconds between automatic prunes
_PRUNE_STAMP = "last-prune"
_FORMAT_DIR = re.compile(r"v\d+")
_SHARD_DIR = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{62}\.json|\.[0-9a-f]{62}\.json\.\w+\.tmp")
_FINDING_FIELDS = tuple(Finding.__dataclass_fields__)


def default_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "claimlint"


_CODE_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """claimlint's version, plus the size and mtime of its modules and the contents of its
    data files: a source checkout that changes code or data gets new keys."""
    global _CODE_FINGERPRINT
    if _CODE_FINGERPRINT is None:
        digest = hashlib.sha256(f"claimlint {__version__} cache {FORMAT}\0".encode())
        root = Path(__file__).resolve().parent
        for folder, dirs, files in sorted(os.walk(root)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, root)
                if name.endswith(".py"):
                    st = os.stat(path)
                    digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
                elif name.endswith((".yaml", ".yml", ".json")):
                    digest.update(f"{rel}\0".encode())
                    digest.update(Path(path).read_bytes())
        _CODE_FINGERPRINT = digest.hexdigest()
    return _CODE_FINGERPRINT


def packs_fingerprint(packs: list, language: str) -> str:
    """Everything about a Linter that changes its findings: language, code, packs."""
    digest = hashlib.sha256(code_fingerprint().encode() + b"\0" + language.encode() + b"\0")
    for pack in packs:
        digest.update(f"pack\0{pack.name}\0{pack.path}\0".encode())
        try:
            digest.update(Path(pack.path).read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        effective = {"context": pack.context, "rules": [raw for raw, _, _ in pack.entries]}
        digest.update(json.dumps(effective, sort_keys=True, default=repr).encode())
    return digest.hexdigest()


class ResultCache:
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root) / f"v{FORMAT}"
        self.writable = True
        self.hits = 0
        self.misses = 0
        self.stored = 0

    @staticmethod
    def key(fingerprint: str, path: str, format: str, text: str) -> str:
        digest = hashlib.sha256(f"{fingerprint}\0{path}\0{format}\0".encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.root / key[:2] / f"{key[2:]}.json"

    def get(self, key: str, path: str) -> FileResult | None:
        """The cached result, or None for a miss (also for anything unreadable or odd)."""
        from claimlint.engine import FileResult

        try:
            data = json.loads(self._file(key).read_text(encoding="utf-8"))
            if data.get("version") != __version__ or data.get("key") != key or data.get("path") != path:
                raise ValueError("foreign entry")
            findings = []
            for raw in data["findings"]:
                if not isinstance(raw, dict) or tuple(raw) != _FINDING_FIELDS:
                    raise ValueError("bad finding")
                findings.append(Finding(**raw))
            result = FileResult(
                path=path, findings=findings, sentences=int(data["sentences"]), claims=int(data["claims"]),
                cited_claims=int(data["cited_claims"]), notices=[str(n) for n in data["notices"]],
            )
        except Exception:  # missing, corrupt, another version: a miss, never trusted
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: "FileResult") -> None:
        if not self.writable or result.error is not None:
            return
        entry = {
            "version": __version__, "key": key, "path": result.path,
            "sentences": result.sentences, "claims": result.claims, "cited_claims": result.cited_claims,
            "notices": list(result.notices), "findings": [f.to_json() for f in result.findings],
        }
        from claimlint.writes import atomic_write

        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, json.dumps(entry, ensure_ascii=False, separators=(",", ":")), fsync=False)
            self.stored += 1
        except (OSError, ValueError, TypeError):
            self.writable = False  # read-only or full disk: lint without storing

    def prune_if_due(self, now: float | None = None) -> None:
        """After a run that stored entries, and at most once every PRUNE_EVERY seconds: delete
        entries older than MAX_AGE_DAYS and other formats' folders. Never raises."""
        if not self.writable or not self.stored:
            return
        now = time.time() if now is None else now
        stamp = self.root / _PRUNE_STAMP
        try:
            if now - stamp.stat().st_mtime < PRUNE_EVERY:
                return
        except OSError:
            pass
        try:
            prune(self.root.parent, older_than=MAX_AGE_DAYS * 86400, now=now)
            stamp.touch()
            os.utime(stamp, (now, now))
        except OSError:
            pass


@dataclass
class CacheSize:
    entries: int = 0
    bytes: int = 0


def _entries(root: Path):
    """(path, stat, current format?) of every file this module wrote under `root`."""
    try:
        formats = [d for d in os.scandir(root) if d.is_dir(follow_symlinks=False) and _FORMAT_DIR.fullmatch(d.name)]
    except OSError:
        return
    for version in formats:
        current = version.name == f"v{FORMAT}"
        try:
            shards = [d for d in os.scandir(version.path) if d.is_dir(follow_symlinks=False) and _SHARD_DIR.fullmatch(d.name)]
        except OSError:
            continue
        for shard in shards:
            try:
                files = list(os.scandir(shard.path))
            except OSError:
                continue
            for entry in files:
                if _ENTRY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                    try:
                        yield Path(entry.path), entry.stat(follow_symlinks=False), current
                    except OSError:
                        continue


def size(root: str | os.PathLike) -> CacheSize:
    found = CacheSize()
    for _, info, _ in _entries(Path(root)):
        found.entries += 1
        found.bytes += info.st_size
    return found


def prune(root: str | os.PathLike, older_than: float | None = None, now: float | None = None) -> CacheSize:
    """Delete cache entries under `root` (the folder `--cache-dir` names): all of them, or with
    `older_than` (seconds) those written before then, and every entry of another format.
    Folders left empty go too. Returns what was deleted."""
    root = Path(root)
    now = time.time() if now is None else now
    removed = CacheSize()
    touched: set[Path] = set()
    for path, info, current in _entries(root):
        if current and older_than is not None and now - info.st_mtime < older_than:
            continue
        try:
            path.unlink()
        except OSError:
            continue
        removed.entries += 1
        removed.bytes += info.st_size
        touched.add(path.parent)
    for shard in sorted(touched):  # rmdir refuses a folder that is not empty: that is the check
        for folder in (shard, shard.parent):
            try:
                folder.rmdir()
            except OSError:
                break
    return removed
