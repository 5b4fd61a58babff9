"""What claimlint works out from the rule packs' text, remembered between runs.

Before a document is linted, every pack file is parsed (PyYAML's pure-Python parser, with
the position of every value for error messages: ~0.1-0.4 s for the shipped packs), every
pattern is checked to compile (`regexes.check_syntax`, ~0.15 s) and analysed for what any
match must contain (`literals.required`, the prefilters: ~250 analyses, ~0.3 s) and whether it
may be searched alone (`literals.alone`). That is most of a run on one file, in every process.
The data files' YAML (`safe_load`) and the entry points of the rule kinds are kept too, and
each compiled `regex` pattern as the data its pickle holds (compiled_regex): a run with the
facts kept compiles no pack pattern (~0.1 s of a one-file run).
Each result depends only on the text it was worked out from and on code (claimlint's, Python's
`re._parser`, the `regex` and `yaml` packages), so they are kept in one JSON file per
combination of those versions, under the result cache's folder: `<cache dir>/facts/<key>.json`,
the key being a digest of claimlint's code fingerprint (version, modules, data files) and the
Python, regex and PyYAML versions. A pack file is found by a digest of its text and a pattern
by its source, so a changed pack simply asks about new texts.

A missing, unreadable, corrupt or foreign file, or an entry of an unexpected shape, is ignored
(that fact is worked out again, as without the file) and never crashes a run. After a run that
worked something out, the file is rewritten atomically with every fact known; only the main
process writes it, so --jobs workers hand what they worked out back with their results
(take_learnt, merge_learnt). `--no-cache`
neither reads nor writes it: such a run uses nothing on disk but its inputs and packs. Files
not rewritten for MAX_AGE_DAYS (those of other versions) are deleted when another is written.
Only YAML documents made of mappings with string keys, lists, strings, finite numbers,
booleans and nulls, without shared (aliased) parts, are kept: JSON gives back exactly those.
"""

from __future__ import annotations

import binascii
import hashlib
import json
import marshal
import os
import re
import sys
import time

FORMAT = 1  # of the file; bump when the layout changes
FOLDER = "facts"
MAX_AGE_DAYS = 30
MAX_FACTS = 50_000  # beyond this, a rewrite keeps only the patterns this process used
MAX_DOCUMENTS = 200  # and beyond this, only the YAML texts it used
_FILE = re.compile(r"[0-9a-f]{32}\.json")

# pattern text -> {"required": None | [words, substrings], "around": the same (required_around),
#                  "alone": bool, "compiles": True, "empty": bool (matches empty text),
#                  "regex_code": base64 of compiled_regex's marshal}
_facts: dict[str, dict] = {}
# sha256 of a YAML text -> JSON text of [data, [[keys, line, column]...] of values, ... of keys]
_documents: dict[str, str] = {}
# entry-point group -> [stamp of the folders on sys.path, [[name, value], ...]]
_entry_points: dict[str, list] = {}
_used: set[str] = set()  # patterns and YAML digests this process asked about
_new: set[str] = set()  # patterns and YAML digests it worked facts out for, since take_learnt()
_store: "_Store | None" = None


class _Store:
    def __init__(self, path: str, key: str) -> None:
        self.path = path
        self.key = key
        self.known: set[str] = set()  # patterns and YAML digests the file has
        self.changed = True  # until the file is read: then only when something new is learnt


def _environment_key() -> str:
    from claimlint.cache import code_fingerprint

    text = (f"facts {FORMAT}\0{code_fingerprint()}\0{sys.version}\0{sys.implementation.cache_tag}\0"
            f"{_package_stamp('regex')}\0{_package_stamp('yaml')}")
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _package_stamp(name: str) -> str:
    """Which installed copy of a package this is, without importing it: its folder, and the
    size and modification time of each of its top-level files (an upgrade rewrites them)."""
    from importlib.util import find_spec

    spec = find_spec(name)
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    stamp = [name]
    for folder in folders:
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.is_file():
                info = entry.stat()
                stamp.append(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}")
    return "\0".join(stamp)


def use_folder(cache_dir: str | os.PathLike) -> None:
    """Read the facts kept under `cache_dir` (if any) and remember to write new ones there.
    The file is a JSON header line (format, key, sha256 of the rest), then the facts as JSON."""
    global _store
    try:
        key = _environment_key()
    except Exception:  # an unreadable install: work everything out, keep nothing
        return
    store = _store = _Store(os.path.join(os.fspath(cache_dir), FOLDER, f"{key}.json"), key)
    try:
        with open(store.path, "rb") as handle:
            header, _, body = handle.read().partition(b"\n")
        header = json.loads(header)
        if (not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key
                or header.get("sha256") != hashlib.sha256(body).hexdigest()):
            return
        data = json.loads(body)
        damaged = False
        for source, entry in data["facts"].items():
            if isinstance(source, str) and isinstance(entry, dict):
                checked = _checked(entry)
                damaged = damaged or checked != entry
                _facts.setdefault(source, checked)
                store.known.add(source)
        for group, listed in data.get("entry_points", {}).items():
            if isinstance(group, str):
                _entry_points.setdefault(group, listed)
        for digest, document in data["yaml"].items():
            if isinstance(digest, str) and isinstance(document, str):
                _documents.setdefault(digest, document)
                store.known.add(digest)
    except Exception:  # missing, unreadable, corrupt, foreign: as if there were none
        return
    store.changed = damaged


def _checked(entry: dict) -> dict:
    """The facts of one pattern that have the shape save() writes."""
    kept = {}
    for name in ("required", "around"):
        required = entry.get(name, False)
        if required is None or (isinstance(required, list) and len(required) == 2
                                and _strings(required[0]) and _strings(required[1])):
            kept[name] = required
    if isinstance(entry.get("alone"), bool):
        kept["alone"] = entry["alone"]
    if entry.get("compiles") is True:
        kept["compiles"] = True
    if isinstance(entry.get("empty"), bool):
        kept["empty"] = entry["empty"]
    if isinstance(entry.get("regex_code"), str):
        kept["regex_code"] = entry["regex_code"]
    return kept


def save() -> None:
    """Write the facts if this process worked out or was missing any (never raises)."""
    store = _store
    if store is None or not store.changed:
        return
    facts = _facts if len(_facts) <= MAX_FACTS else {s: f for s, f in _facts.items() if s in _used}
    documents = _documents if len(_documents) <= MAX_DOCUMENTS else {
        d: t for d, t in _documents.items() if d in _used}
    try:
        from claimlint.writes import atomic_write

        folder = os.path.dirname(store.path)
        os.makedirs(folder, exist_ok=True)
        body = json.dumps({"facts": facts, "yaml": documents, "entry_points": _entry_points},
                          separators=(",", ":"), sort_keys=True)
        header = json.dumps({"format": FORMAT, "key": store.key,
                             "sha256": hashlib.sha256(body.encode()).hexdigest()})
        atomic_write(store.path, header + "\n" + body, fsync=False)
        store.changed = False
        store.known = set(facts) | set(documents)
        _delete_old(folder, os.path.basename(store.path))
    except Exception:  # read-only or full disk: the next run works them out again
        pass


def folder() -> str | None:
    """The cache folder whose facts this process uses (use_folder), or None."""
    return None if _store is None else os.path.dirname(os.path.dirname(_store.path))


def take_learnt() -> dict | None:
    """The facts this process worked out since the last call (None if none), for a --jobs
    worker to hand to the main process: only the main process writes the file."""
    if not _new:
        return None
    learnt = {"facts": {s: dict(_facts[s]) for s in _new if s in _facts},
              "yaml": {d: _documents[d] for d in _new if d in _documents}}
    _new.clear()
    return learnt


def merge_learnt(learnt) -> None:
    """Add what a worker's take_learnt() gave (facts already known are kept as they are), so
    that save() keeps them for the next run. Anything of an unexpected shape is ignored."""
    if not isinstance(learnt, dict):
        return
    facts, documents = learnt.get("facts"), learnt.get("yaml")
    for source, entry in (facts.items() if isinstance(facts, dict) else ()):
        if not (isinstance(source, str) and isinstance(entry, dict)):
            continue
        _used.add(source)
        known = _facts.setdefault(source, {})
        for name, value in _checked(entry).items():
            if name not in known:
                known[name] = value
                if _store is not None:
                    _store.changed = True
    for digest, document in (documents.items() if isinstance(documents, dict) else ()):
        if isinstance(digest, str) and isinstance(document, str):
            _used.add(digest)
            if digest not in _documents:
                _documents[digest] = document
                if _store is not None:
                    _store.changed = True


def clean(cache_dir: str | os.PathLike, older_than: float | None = None) -> int:
    """`claimlint cache clean`: delete the facts files under `cache_dir` (those not rewritten
    for `older_than` seconds), and the folder if left empty. Returns the bytes deleted."""
    folder = os.path.join(os.fspath(cache_dir), FOLDER)
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    limit = None if older_than is None else time.time() - older_than
    for entry in entries:
        try:
            if not (_FILE.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)):
                continue
            info = entry.stat(follow_symlinks=False)
            if limit is None or info.st_mtime < limit:
                os.unlink(entry.path)
                removed += info.st_size
        except OSError:
            continue
    try:
        os.rmdir(folder)
    except OSError:
        pass
    return removed


def _delete_old(folder: str, keep: str) -> None:
    limit = time.time() - MAX_AGE_DAYS * 86400
    for entry in os.scandir(folder):
        if entry.name != keep and _FILE.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                if entry.stat(follow_symlinks=False).st_mtime < limit:
                    os.unlink(entry.path)
            except OSError:
                pass


def _seen(name: str) -> None:
    _used.add(name)
    if _store is not None and name not in _store.known:
        _store.changed = True  # known here (worked out now or by an earlier run in this process)


def _entry(source: str) -> dict:
    _seen(source)
    entry = _facts.get(source)
    if entry is None:
        entry = _facts[source] = {}
    return entry


def _learnt(source: str, entry: dict, name: str, value) -> None:
    entry[name] = value
    _new.add(source)
    if _store is not None:
        _store.changed = True


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def required(source: str) -> tuple[set[str], set[str]] | None:
    """`literals.required(source)`, remembered."""
    return _atoms(source, "required")


def required_around(source: str) -> tuple[set[str], set[str]] | None:
    """`literals.required_around(source)`, remembered."""
    return _atoms(source, "around")


def _atoms(source: str, name: str) -> tuple[set[str], set[str]] | None:
    entry = _entry(source)
    known = entry.get(name, False)
    if known is None:
        return None
    if isinstance(known, list) and len(known) == 2 and _strings(known[0]) and _strings(known[1]):
        return set(known[0]), set(known[1])
    from claimlint import literals

    atoms = literals.required(source) if name == "required" else literals.required_around(source)
    _learnt(source, entry, name, None if atoms is None else [sorted(atoms[0]), sorted(atoms[1])])
    return atoms


def alone(source: str) -> bool:
    """`literals.alone(source)`, remembered."""
    entry = _entry(source)
    known = entry.get("alone")
    if isinstance(known, bool):
        return known
    from claimlint import literals

    value = literals.alone(source)
    _learnt(source, entry, "alone", value)
    return value


def independent(sources: list[str]) -> bool:
    """`literals.independent(sources)`, remembered per pattern."""
    return all(alone(source) for source in sources)


def compiles(source: str, check) -> str | None:
    """`check(source)` (None if it compiles, else the error), remembering only success."""
    entry = _entry(source)
    if entry.get("compiles") is True:
        return None
    problem = check(source)
    if problem is None:
        _learnt(source, entry, "compiles", True)
    return problem


def compiled_regex(source: str, compile):
    """`compile(source)`, a `regex` pattern (always compiled with the same flags), remembered
    as what pickling it keeps: the arguments of the `regex` module's C constructor, which
    are plain data (marshal). Reading them back skips its pure-Python parser and compiler
    (~0.5 ms a pattern against ~0.03 ms), and calls nothing but that constructor."""
    entry = _entry(source)
    kept = entry.get("regex_code")
    if isinstance(kept, str):
        pattern = _rebuilt(kept, source)
        if pattern is not None:
            return pattern
    pattern = compile(source)
    import copyreg

    try:
        constructor, arguments = copyreg.dispatch_table[type(pattern)](pattern)
        from regex import _regex

        if constructor is not _regex.compile:
            return pattern
        kept = binascii.b2a_base64(marshal.dumps(arguments), newline=False).decode("ascii")
    except Exception:  # not picklable as expected: compile it again next time
        return pattern
    _learnt(source, entry, "regex_code", kept)
    return pattern


def _rebuilt(kept: str, source: str):
    try:
        from regex import _regex

        pattern = _regex.compile(*marshal.loads(binascii.a2b_base64(kept)))
        if pattern.pattern == source:
            return pattern
    except Exception:  # not what compiled_regex wrote: compile the source again
        pass
    return None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def yaml_document(text: str):
    """(data, marks, key_marks) of a YAML text parsed before (fresh objects), or None."""
    if not _documents:
        return None
    digest = _digest(text)
    _seen(digest)
    document = _documents.get(digest)
    if document is None:
        return None
    try:
        data, marks, key_marks = json.loads(document)
        return data, _marks(marks), _marks(key_marks)
    except Exception:  # not what save() wrote: parse the text again
        return None


def _marks(rows: list) -> dict:
    """The positions of a YAML text, checked to have the shape remember_yaml writes (a loop,
    not _keys: ~3,000 marks for the shipped packs, and a generator per mark cost ~10 ms)."""
    marks = {}
    for keys, line, column in rows:
        if type(keys) is not list or type(line) is not int or type(column) is not int:
            raise ValueError("bad mark")
        for key in keys:
            if type(key) is not str and type(key) is not int:
                raise ValueError("bad mark")
        marks[tuple(keys)] = (line, column)
    return marks


def _keys(keys) -> bool:
    return isinstance(keys, list) and all(type(k) is str or type(k) is int for k in keys)


def remember_yaml(text: str, data, marks: dict, key_marks: dict) -> None:
    """Keep a parsed YAML text for later runs, if JSON can give it back exactly."""
    if _store is None or not _plain(data, set()):
        return
    rows = [[list(keys), line, column] for keys, (line, column) in marks.items()]
    key_rows = [[list(keys), line, column] for keys, (line, column) in key_marks.items()]
    if not all(_keys(row[0]) for row in rows + key_rows):
        return
    try:
        digest = _digest(text)
        _documents[digest] = json.dumps([data, rows, key_rows], allow_nan=False)
        _seen(digest)
        _new.add(digest)
    except (ValueError, TypeError, RecursionError):
        return
    _store.changed = True


def _plain(value, seen: set) -> bool:
    """Is `value` made only of what JSON gives back as it was, with no part used twice?"""
    if value is None or type(value) in (str, bool, int):
        return True
    if type(value) is float:
        return value == value and value not in (float("inf"), float("-inf"))
    if type(value) not in (list, dict) or id(value) in seen:
        return False
    seen.add(id(value))
    if type(value) is dict:
        return all(type(k) is str and _plain(v, seen) for k, v in value.items())
    return all(_plain(item, seen) for item in value)


def data_text(name: str) -> str:
    """The text of claimlint's data file `name` (claimlint/data/), read as importlib.resources
    reads it, without importing importlib.resources for a package on disk."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", name)
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    from importlib import resources

    return (resources.files("claimlint") / "data" / name).read_text(encoding="utf-8")


def safe_load(text: str):
    """`yaml.safe_load(text)`, remembered like the packs' YAML (a fresh copy each time): a run
    that finds it here does not import PyYAML. Only what JSON gives back exactly is kept."""
    name = "safe_load " + _digest(text)
    _seen(name)
    document = _documents.get(name)
    if document is not None:
        try:
            return json.loads(document)
        except Exception:  # not what was written below: parse the text again
            pass
    import yaml

    data = yaml.safe_load(text)
    if _store is not None and _plain(data, set()):
        try:
            _documents[name] = json.dumps(data, allow_nan=False)
        except (ValueError, TypeError, RecursionError):
            return data
        _new.add(name)
        _store.changed = True
    return data


def matches_empty(source: str, check) -> bool:
    """`check(source)`: does the pattern match empty text? Remembered."""
    entry = _entry(source)
    known = entry.get("empty")
    if isinstance(known, bool):
        return known
    value = bool(check(source))
    _learnt(source, entry, "empty", value)
    return value


def _path_stamp() -> list:
    """What importlib.metadata finds distributions (and so entry points) by: each folder on
    sys.path that holds *.dist-info or *.egg-info entries, with their names and modification
    times (installing, upgrading or removing a distribution adds, renames or replaces one),
    and each zip file on it. Folders without distributions do not count: the working folder,
    sys.path[0] under `python -m`, changes with every `cd` and every file written in it, and
    used to make each run from another folder scan the distributions and rewrite the facts."""
    stamp = []
    for folder in sys.path:
        try:
            entries = os.scandir(folder or ".")
        except NotADirectoryError:
            try:
                info = os.stat(folder)
                stamp.append([folder, info.st_size, info.st_mtime_ns])
            except OSError:
                pass
            continue
        except OSError:  # missing or unreadable: importlib.metadata finds nothing there either
            continue
        found = []
        egg = os.path.basename(folder).lower().endswith(".egg")
        with entries:
            for entry in entries:
                low = entry.name.lower()
                if low.endswith((".dist-info", ".egg-info")) or (egg and low == "egg-info"):
                    try:
                        found.append([entry.name, entry.stat().st_mtime_ns])
                    except OSError:
                        found.append([entry.name, None])
        if found:
            stamp.append([os.path.abspath(folder or "."), sorted(found)])
    return stamp


def entry_points(group: str, scan) -> list[tuple[str, str]]:
    """`scan()` ((name, value) of the group's entry points), remembered while sys.path's
    folders are unchanged."""
    stamp = _path_stamp()
    known = _entry_points.get(group)
    if (isinstance(known, list) and len(known) == 2 and known[0] == stamp and isinstance(known[1], list)
            and all(isinstance(e, list) and len(e) == 2 and _strings(e) for e in known[1])):
        return [(name, value) for name, value in known[1]]
    listed = scan()
    _entry_points[group] = [stamp, [[name, value] for name, value in listed]]
    if _store is not None:
        _store.changed = True
    return listed
