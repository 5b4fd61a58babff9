"""The facts remembered about the packs (claimlint.packfacts) change no finding: with and
without them, after a corrupt file, after a pack was edited. Each run is a fresh process (the
facts are also kept in memory, so in-process runs would not read the file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

EXAMPLES = ROOT / "examples"
PACK = """\
pack: local
description: A test pack.
rules:
  - id: wonder
    kind: phrase
    category: overpromise
    severity: error
    phrases: [{phrase}]
    message: "'{{match}}' overpromises."
    why: Because.
  - id: pattern
    kind: pattern
    category: overpromise
    severity: warning
    patterns: ['\\b{phrase}s? (?:drug|cure)\\b']
    message: "'{{match}}' overpromises."
    why: Because.
"""


def _check(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, CLAIMLINT_NO_SERVER="1")
    return subprocess.run([sys.executable, "-m", "claimlint", "check", "--format", "json", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def _facts(cache):
    return sorted((cache / "facts").glob("*.json"))


def _forget_results(cache):
    """Drop the result cache's entries, so that the next run lints (with the facts)."""
    for path in (cache / "v1").rglob("*.json"):
        path.unlink()


@pytest.fixture(scope="module")
def fresh():
    """The report on examples/ with nothing remembered."""
    run = _check(EXAMPLES, "--no-cache")
    assert run.returncode in (0, 1), run.stderr
    return run


def test_findings_are_the_same_with_and_without_remembered_facts(tmp_path, fresh):
    cache = tmp_path / "cache"
    first = _check(EXAMPLES, "--cache-dir", cache)  # works the facts out and writes them
    assert (first.returncode, first.stdout) == (fresh.returncode, fresh.stdout)
    [file] = _facts(cache)
    header, body = file.read_bytes().split(b"\n", 1)
    facts = json.loads(body)
    assert json.loads(header)["format"] == 1 and facts["facts"] and len(facts["yaml"]) >= 5
    written = file.stat().st_mtime_ns

    _forget_results(cache)
    second = _check(EXAMPLES, "--cache-dir", cache)  # lints again, with the facts read back
    assert (second.returncode, second.stdout) == (fresh.returncode, fresh.stdout)
    assert file.stat().st_mtime_ns == written  # nothing new was learnt: not rewritten


def test_runs_from_other_folders_use_the_same_facts(tmp_path, fresh):
    """`python -m claimlint` puts the working folder on sys.path: running from another one
    must neither start another facts file nor rewrite the one there."""
    cache, here, there = tmp_path / "cache", tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    first = _check(EXAMPLES, "--cache-dir", cache, cwd=here)
    [file] = _facts(cache)
    written, content = file.stat().st_mtime_ns, file.read_bytes()
    (here / "notes.md").write_text("a file written in the working folder changes its mtime\n", encoding="utf-8")
    for folder in (there, here, ROOT):
        _forget_results(cache)
        run = _check(EXAMPLES, "--cache-dir", cache, cwd=folder)
        assert (run.returncode, run.stdout) == (first.returncode, first.stdout) == (fresh.returncode, fresh.stdout)
        assert _facts(cache) == [file]
        assert (file.stat().st_mtime_ns, file.read_bytes()) == (written, content)


def test_the_entry_point_stamp_sees_distributions_not_folders(tmp_path, monkeypatch):
    from claimlint import packfacts

    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    rest = [p for p in sys.path if p not in ("", ".")]
    monkeypatch.setattr(sys, "path", [str(here)] + rest)
    stamp = packfacts._path_stamp()
    (here / "notes.md").write_text("x", encoding="utf-8")
    assert packfacts._path_stamp() == stamp
    monkeypatch.setattr(sys, "path", [str(there)] + rest)
    assert packfacts._path_stamp() == stamp
    (there / "plugin-1.0.dist-info").mkdir()  # a distribution installed there: its entry points count
    assert packfacts._path_stamp() != stamp


def test_facts_worked_out_in_workers_are_kept_for_the_next_run(tmp_path):
    """With --jobs, the prefilters are worked out in the workers; the main process saves them
    with its own, so that a later run on one of the files learns nothing new."""
    cache, folder = tmp_path / "cache", tmp_path / "articles"
    folder.mkdir()
    sources = sorted(EXAMPLES.glob("*.md"))
    for index in range(12):  # more than run.POOL_MIN_FILES
        source = sources[index % len(sources)]
        (folder / f"{index:02}-{source.name}").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    many = _check(folder, "--cache-dir", cache, "--jobs", "2")
    assert many.returncode in (0, 1), many.stderr
    assert many.stdout == _check(folder, "--no-cache", "--jobs", "1").stdout
    [file] = _facts(cache)
    facts = json.loads(file.read_bytes().split(b"\n", 1)[1])["facts"]
    assert sum("required" in entry for entry in facts.values()) > 100
    written, content = file.stat().st_mtime_ns, file.read_bytes()
    _forget_results(cache)
    one = _check(folder / f"00-{sources[0].name}", "--cache-dir", cache)
    assert one.returncode in (0, 1), one.stderr
    assert (file.stat().st_mtime_ns, file.read_bytes()) == (written, content)  # nothing new to learn


def test_facts_from_a_worker_of_an_unexpected_shape_are_ignored(monkeypatch):
    from claimlint import packfacts

    monkeypatch.setattr(packfacts, "_facts", {})
    monkeypatch.setattr(packfacts, "_documents", {})
    for learnt in (None, 7, {"facts": 5}, {"facts": {"a": 1}, "yaml": {"d": 2}},
                   {"facts": {"b": {"required": 7, "alone": "yes"}}, "yaml": []}):
        packfacts.merge_learnt(learnt)
    assert packfacts._facts == {"b": {}} and packfacts._documents == {}
    packfacts.merge_learnt({"facts": {"b": {"required": [["word"], []], "alone": True}}})
    packfacts.merge_learnt({"facts": {"b": {"required": None, "alone": False}}})  # known: kept as it was
    assert packfacts._facts == {"b": {"required": [["word"], []], "alone": True}}


def test_data_files_are_remembered_as_yaml_loads_them(tmp_path):
    import yaml

    from claimlint import packfacts

    cache = tmp_path / "cache"
    run = _check(EXAMPLES, "--cache-dir", cache)
    assert run.returncode in (0, 1), run.stderr
    [file] = _facts(cache)
    kept = json.loads(file.read_bytes().split(b"\n", 1)[1])["yaml"]
    for name in ("citations.yaml", "english.yaml"):
        text = packfacts.data_text(name)
        assert json.loads(kept["safe_load " + packfacts._digest(text)]) == yaml.safe_load(text)


def test_no_cache_neither_reads_nor_writes_facts(tmp_path, fresh):
    run = _check(EXAMPLES, "--no-cache")
    assert run.stdout == fresh.stdout
    home = os.environ["XDG_CACHE_HOME"]
    assert not os.path.exists(os.path.join(home, "claimlint", "facts"))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "edited", "wrong shape", "directory"])
def test_a_corrupt_facts_file_is_ignored_and_rebuilt(tmp_path, fresh, damage):
    cache = tmp_path / "cache"
    _check(EXAMPLES, "--cache-dir", cache)
    [file] = _facts(cache)
    good = file.read_bytes()
    header, body = good.split(b"\n", 1)
    if damage == "garbage":
        file.write_bytes(b"\x00\xffnot json at all")
    elif damage == "truncated":
        file.write_bytes(good[: len(good) // 2])
    elif damage == "edited":  # valid JSON that no longer matches its digest: every cue ruled out
        facts = json.loads(body)
        for entry in facts["facts"].values():
            entry["required"] = [[], []]
        file.write_bytes(header + b"\n" + json.dumps(facts).encode())
    elif damage == "wrong shape":  # a matching digest over entries of the wrong shape
        import hashlib

        body = json.dumps({"facts": {s: {"required": 7, "alone": "yes", "compiles": 1}
                                     for s in json.loads(body)["facts"]},
                           "yaml": {d: "[1, 2" for d in json.loads(body)["yaml"]}}).encode()
        head = json.loads(header)
        head["sha256"] = hashlib.sha256(body).hexdigest()
        file.write_bytes(json.dumps(head).encode() + b"\n" + body)
    else:
        file.unlink()
        file.mkdir()
    _forget_results(cache)

    run = _check(EXAMPLES, "--cache-dir", cache)
    assert (run.returncode, run.stdout, run.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
    if damage != "directory":
        assert _comparable(file.read_bytes()) == _comparable(good)  # rebuilt: the same facts again


def _comparable(content: bytes) -> dict:
    """A facts file's facts, with each compiled pattern only marked present: `regex` lists the
    members of a set of first characters in the compiled code in hash order, which differs
    from process to process (either order is the same pattern)."""
    facts = json.loads(content.split(b"\n", 1)[1])
    for entry in facts["facts"].values():
        if "regex_code" in entry:
            entry["regex_code"] = True
    return facts


def test_an_edited_pack_gets_new_facts(tmp_path):
    cache, pack = tmp_path / "cache", tmp_path / "local.yaml"
    article = tmp_path / "article.md"
    article.write_text("This miracle cure works. A marvel drug too.\n", encoding="utf-8")

    def findings(*args):
        run = _check(article, "--pack", pack, *args)
        assert run.returncode in (0, 1), run.stderr
        return [(f["rule"], f["text"]) for f in json.loads(run.stdout)["findings"] if f["rule"].startswith("local.")]

    pack.write_text(PACK.format(phrase="miracle"), encoding="utf-8")
    assert findings("--cache-dir", cache) == [("local.pattern", "miracle cure"), ("local.wonder", "miracle")]
    pack.write_text(PACK.format(phrase="marvel"), encoding="utf-8")
    expected = findings("--no-cache")
    assert expected == [("local.pattern", "marvel drug"), ("local.wonder", "marvel")]
    assert findings("--cache-dir", cache) == expected
    _forget_results(cache)
    assert findings("--cache-dir", cache) == expected  # read back from the facts file


def test_cache_clean_deletes_the_facts_too(tmp_path, cli):
    cache = tmp_path / "cache"
    _check(EXAMPLES, "--cache-dir", cache)
    assert _facts(cache)
    (cache / "facts" / "notes.txt").write_text("not claimlint's", encoding="utf-8")
    cleaned = cli("cache", "clean", "--cache-dir", cache)
    assert cleaned.exit_code == 0 and "of remembered pack facts" in cleaned.stdout
    assert _facts(cache) == [] and (cache / "facts" / "notes.txt").exists()


def test_compiled_patterns_are_kept_and_read_back(tmp_path, fresh):
    cache = tmp_path / "cache"
    _check(EXAMPLES, "--cache-dir", cache)
    [file] = _facts(cache)
    facts = json.loads(file.read_bytes().split(b"\n", 1)[1])["facts"]
    assert sum("regex_code" in entry for entry in facts.values()) > 100

    import regex

    from claimlint import packfacts

    for source, entry in facts.items():
        if "regex_code" in entry:
            pattern = packfacts._rebuilt(entry["regex_code"], source)
            fresh_pattern = regex.compile(source, regex.I | regex.V0)
            assert (pattern.pattern, pattern.flags, pattern.groups) == (source, fresh_pattern.flags, fresh_pattern.groups)


@pytest.mark.parametrize("damage", ["not base64", "another pattern", "not arguments", "code", "garbage"])
def test_a_kept_compiled_pattern_that_is_not_ours_is_compiled_again(monkeypatch, damage, capfd):
    import copyreg
    import marshal

    import regex

    from claimlint import packfacts

    monkeypatch.setattr(packfacts, "_facts", {})
    monkeypatch.setattr(packfacts, "_store", None)
    other = copyreg.dispatch_table[regex.Pattern](regex.compile("other", regex.I | regex.V0))[1]
    kept = {"not base64": b"%%%",
            "another pattern": marshal.dumps(other),
            "not arguments": marshal.dumps(42),
            "code": marshal.dumps(compile("print('should-not-run')", "<kept>", "exec")),
            "garbage": b"\x80\x04garbage"}[damage]
    import base64

    packfacts._facts["\\bcure\\b"] = {"regex_code": kept.decode() if damage == "not base64" else base64.b64encode(kept).decode()}
    compiled = []

    def compile_now(source):
        compiled.append(source)
        return regex.compile(source, regex.I | regex.V0)

    pattern = packfacts.compiled_regex("\\bcure\\b", compile_now)
    assert compiled == ["\\bcure\\b"] and pattern.search("A CURE").group() == "CURE"
    assert "should-not-run" not in capfd.readouterr().out
    assert packfacts._rebuilt(packfacts._facts["\\bcure\\b"]["regex_code"], "\\bcure\\b") is not None  # replaced


def test_a_run_with_the_facts_kept_compiles_no_pack_regex_and_skips_the_analyses(tmp_path, fresh):
    cache = tmp_path / "cache"
    script = ("import sys; sys.argv = ['claimlint', 'check', *sys.argv[1:]]\n"
              "import regex\n"
              "compiled = []\n"
              "real = regex.compile\n"
              "def compile(source, flags=0, **kwargs):\n"
              "    if flags == regex.IGNORECASE | regex.V0:  # as claimlint.regexes compiles a pack's\n"
              "        compiled.append(source)\n"
              "    return real(source, flags, **kwargs)\n"
              "regex.compile = compile\n"
              "from claimlint.client import main\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(len(compiled), 'claimlint.literals' in sys.modules, file=sys.stderr)\n")
    args = [sys.executable, "-c", script, str(EXAMPLES), "--cache-dir", str(cache), "--format", "json"]
    env = dict(os.environ, CLAIMLINT_NO_SERVER="1")
    first = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert first.stdout == fresh.stdout
    assert int(first.stderr.split()[-2]) > 100 and first.stderr.split()[-1] == "True"
    _forget_results(cache)
    kept = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert kept.stdout == fresh.stdout
    assert kept.stderr.split()[-2:] == ["0", "False"], kept.stderr


@pytest.mark.parametrize("rows", [[[["rules", 1.5], 1, 2]], [[["rules"], "1", 2]], [["rules", 1, 2]],
                                  [[["rules", True], 1, 2]], [[["rules"], 1]], [7]])
def test_kept_yaml_positions_of_another_shape_are_not_used(monkeypatch, rows):
    from claimlint import packfacts

    text = "pack: local\n"
    monkeypatch.setattr(packfacts, "_documents", {packfacts._digest(text): json.dumps([{"pack": "local"}, rows, []])})
    assert packfacts.yaml_document(text) is None  # parsed again
    monkeypatch.setattr(packfacts, "_documents", {packfacts._digest(text): json.dumps([{"pack": "local"}, [[["pack"], 1, 7]], []])})
    assert packfacts.yaml_document(text) == ({"pack": "local"}, {("pack",): (1, 7)}, {})
