"""Hostile input: the installed CLI never crashes, never hangs and never loses a word.

Every case goes through the real command line (typer's CliRunner in-process, or a real
`python -m claimlint` subprocess where a hang, a signal or argv parsing is what is tested) and
asserts the exact exit code (0/1 findings, 2 input error) and the one-line message. Big files
are made at test time in tmp_path; rule packs that are hostile live in tests/hostile/.
"""

from __future__ import annotations

import codecs
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parent / "hostile"
CURES = "This tea cures arthritis.\n"  # 'cures' is overpromise.cure (error) at column 10


def spans(run, rule: str = "overpromise.cure") -> list[tuple[int, int, str]]:
    return [(f["line"], f["column"], f["text"]) for f in run.json["findings"] if f["rule"] == rule]


def check_json(cli, *args):
    return cli("check", "--format", "json", *args)


def python_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimlint", *args], capture_output=True, text=True,
                          timeout=kwargs.pop("timeout", 120), **kwargs)


# -- files that are empty, binary or in an odd encoding ------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  \r\n", b"\n" * 1000], ids=["empty", "whitespace", "newlines"])
def test_empty_and_whitespace_files_are_clean(cli, tmp_path, content):
    (tmp_path / "a.md").write_bytes(content)
    run = check_json(cli, tmp_path / "a.md")
    assert run.exit_code == 0, run.stderr
    assert run.json["summary"]["files"] == 1 and run.json["errors"] == []


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("nul.md", b"Some text\x00more text", "binary file (contains NUL bytes); skipped"),
        ("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file (contains NUL bytes); skipped"),
        ("latin1.md", "Caf\u00e9 cures.\n".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at offset 3); skipped"),
        ("utf16-bad.md", codecs.BOM_UTF16_LE + b"a\x00\x00\xd8", "not valid UTF-16"),
    ],
)
def test_unreadable_encodings_are_skipped_and_the_rest_linted(cli, tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.md").write_text(CURES)
    run = check_json(cli, tmp_path / name, tmp_path / "good.md")
    assert run.exit_code == 2
    assert run.json["errors"] == [f"{tmp_path / name}: {message}"] or run.json["errors"][0].startswith(f"{tmp_path / name}: {message}")
    assert len(run.json["errors"]) == 1
    assert spans(run) == [(1, 10, "cures")]  # the good file was still linted
    assert f"claimlint: {tmp_path / name}: {message}" in run.stderr


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + CURES.encode(),
        codecs.BOM_UTF16_LE + CURES.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + CURES.encode("utf-16-be"),
    ],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_byte_order_marks_do_not_shift_columns(cli, tmp_path, encoded):
    (tmp_path / "a.md").write_bytes(encoded)
    run = check_json(cli, tmp_path / "a.md")
    assert run.exit_code == 1
    assert spans(run) == [(1, 10, "cures")]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"], ids=["crlf", "old-mac-cr", "lf"])
@pytest.mark.parametrize("ext", [".md", ".txt", ".html"])
def test_line_ends_keep_positions_exact(cli, tmp_path, newline, ext):
    lines = ["# Title", "", "Intro line.", "", "Ginger " + CURES.strip()]
    if ext == ".html":
        lines = ["<h1>Title</h1>", "", "<p>Intro line.</p>", "", "<p>Ginger " + CURES.strip() + "</p>"]
    (tmp_path / f"a{ext}").write_bytes(newline.join(lines).encode() + newline.encode())
    run = check_json(cli, tmp_path / f"a{ext}")
    assert run.exit_code == 1
    column = 17 + (3 if ext == ".html" else 0)
    assert spans(run) == [(5, column, "cures")]


# -- size limit ------------------------------------------------------------------------------


def test_file_over_the_default_limit_is_skipped_with_exit_2(cli, tmp_path):
    big = tmp_path / "big.md"
    with big.open("wb") as out:  # 12 MB, never read: the size is checked first
        out.truncate(12_000_000)
    (tmp_path / "good.md").write_text(CURES)
    run = check_json(cli, big, tmp_path / "good.md")
    assert run.exit_code == 2
    assert run.json["errors"] == [
        f"{big}: file is 12 MB, over the --max-file-size limit of 10 MB; skipped (raise it with --max-file-size BYTES)"
    ]
    assert spans(run) == [(1, 10, "cures")]


def test_max_file_size_can_be_lowered_raised_and_switched_off(cli, tmp_path):
    article = tmp_path / "a.md"
    article.write_text("Filler words here. " * 300 + "\n\n" + CURES)
    size = article.stat().st_size
    run = check_json(cli, "--max-file-size", "1000", article)
    assert run.exit_code == 2
    assert run.json["errors"] == [
        f"{article}: file is {size:,} bytes, over the --max-file-size limit of 1,000 bytes; "
        "skipped (raise it with --max-file-size BYTES)"
    ]
    for limit in ("6000", "0"):
        run = check_json(cli, "--max-file-size", limit, article)
        assert run.exit_code == 1 and spans(run) == [(3, 10, "cures")]
    assert cli("check", "--max-file-size", "-1", article).exit_code == 2  # a usage error


def test_stdin_has_the_same_size_limit(cli):
    run = cli("check", "--format", "json", "--max-file-size", "100", "-", input=("x " * 100).encode())
    assert run.exit_code == 2
    assert run.json["errors"] == [
        "-: file is 101 bytes, over the --max-file-size limit of 100 bytes; skipped (raise it with --max-file-size BYTES)"
    ]


def test_a_big_file_with_the_limit_raised_finishes_in_bounded_time(cli, tmp_path):
    """The 50 MB figure is measured by hand (see fuzz/README.md); here ~1 MB keeps the suite fast."""
    corpus = Path(__file__).resolve().parent / "corpus"
    body = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.md")))
    big = tmp_path / "big.md"
    big.write_text((body * (1_000_000 // len(body) + 1))[:1_000_000] + "\n\n" + CURES, encoding="utf-8")
    started = time.monotonic()
    run = check_json(cli, "--max-file-size", "0", big)
    assert run.exit_code == 1
    assert time.monotonic() - started < 60
    last = big.read_text(encoding="utf-8").count("\n")
    assert (last, 10, "cures") in spans(run)


def test_a_single_long_line(cli, tmp_path):
    line = tmp_path / "line.md"
    line.write_text("Ginger tea is nice. " * 10_000 + CURES)  # one 200 KB line
    run = check_json(cli, line)
    assert run.exit_code == 1
    assert spans(run) == [(1, 200_010, "cures")]


# -- structure: nesting, unclosed tags, broken front matter ------------------------------------------


@pytest.mark.parametrize(
    "name, source, line, column",
    [
        ("quotes.md", "Intro.\n\n" + ">" * 10_000 + " " + CURES, 3, 10_011),
        ("lists.md", "- " * 10_000 + CURES, 1, 20_010),
        ("indented.md", "".join("  " * i + "- item\n" for i in range(300)) + "  " * 300 + "- " + CURES, 301, 612),
        ("divs.md", "<div>" * 10_000 + "\n\n" + CURES, 3, 10),
        ("divs.html", "<div>" * 10_000 + CURES + "</div>" * 10_000, 1, 50_010),
        ("spans.html", "<p>" + "<span><b>" * 5_000 + CURES, 1, 45_013),
        ("emphasis.md", "*" * 3_000 + "a" + "*" * 3_000 + "\n\n" + CURES, 3, 10),
        ("links.md", "[" * 1_000 + "x" + "](y)" * 1_000 + "\n\n" + CURES, 3, 10),
    ],
)
def test_deep_nesting_neither_crashes_nor_loses_words(cli, tmp_path, name, source, line, column):
    (tmp_path / name).write_text(source)
    run = check_json(cli, tmp_path / name)
    assert run.exit_code == 1, run.json["errors"]
    assert spans(run) == [(line, column, "cures")]


def test_words_nested_too_deep_for_markdown_it_are_read_with_a_notice():
    from claimlint.readers import read_source

    doc = read_source("q.md", "> " * 50 + CURES, "markdown")
    assert [b.text for b in doc.blocks] == [CURES.strip()]
    assert doc.notices == ["1 line(s) nested more than 20 levels deep were read as plain text"]


def test_unclosed_html_tags(cli, tmp_path):
    (tmp_path / "a.html").write_text("<html><body><p>Intro.<p><b>Ginger " + CURES + "<div><i>more <span")
    run = check_json(cli, tmp_path / "a.html")
    assert run.exit_code == 1 and spans(run) == [(1, 44, "cures")]


def test_broken_front_matter_is_a_notice_and_the_rest_is_linted(cli, tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: [unclosed\n---\n\n" + CURES)
    run = check_json(cli, tmp_path / "a.md")
    assert run.exit_code == 1 and spans(run) == [(5, 10, "cures")]


# -- unicode: invisible characters, emoji, combining marks --------------------------------------


def test_zero_width_and_bidi_controls_keep_spans_exact(cli, tmp_path):
    source = "This\u200b tea \u202ecures\u202c arthritis.\u2066 x\u2069\ufeff\n"
    (tmp_path / "a.md").write_text(source)
    run = check_json(cli, tmp_path / "a.md")
    assert run.exit_code == 1 and spans(run) == [(1, 12, "cures")]
    for finding in run.json["findings"]:  # text is the source at the span, invisible chars and all
        start = finding["column"] - 1
        assert source[start : start + len(finding["text"])] == finding["text"]


def test_columns_count_code_points_for_emoji_and_combining_marks(cli, tmp_path):
    # 😀 is 1 code point (2 UTF-16 units, 4 bytes); "é" written as e + U+0301 is 2 code points
    (tmp_path / "a.md").write_text("\U0001F600 e\u0301 " + CURES)
    run = check_json(cli, tmp_path / "a.md")
    assert run.exit_code == 1 and spans(run) == [(1, 15, "cures")]


# -- the file system changes under us ---------------------------------------------------------


def _after_discovery(monkeypatch, action):
    import claimlint.run

    real = claimlint.run.discover

    def discover(paths):
        found = real(paths)
        action()
        return found

    monkeypatch.setattr(claimlint.run, "discover", discover)


def test_a_file_removed_after_discovery_is_reported_and_the_rest_linted(cli, tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text(CURES)
    (tmp_path / "b.md").write_text(CURES)
    _after_discovery(monkeypatch, (tmp_path / "a.md").unlink)
    run = check_json(cli, tmp_path)
    assert run.exit_code == 2
    assert run.json["errors"] == [f"{tmp_path / 'a.md'}: cannot read: No such file or directory"]
    assert [f["path"] for f in run.json["findings"] if f["rule"] == "overpromise.cure"] == [str(tmp_path / "b.md")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_file_swapped_for_a_fifo_after_discovery_never_blocks(cli, tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text(CURES)
    (tmp_path / "b.md").write_text(CURES)

    def swap():
        (tmp_path / "a.md").unlink()
        os.mkfifo(tmp_path / "a.md")

    _after_discovery(monkeypatch, swap)
    run = check_json(cli, tmp_path)  # would block forever if the FIFO were opened for reading
    assert run.exit_code == 2
    assert run.json["errors"] == [f"{tmp_path / 'a.md'}: not a regular file; skipped"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_a_file_made_unreadable_is_reported(cli, tmp_path):
    (tmp_path / "a.md").write_text(CURES)
    (tmp_path / "a.md").chmod(0)
    (tmp_path / "b.md").write_text(CURES)
    run = check_json(cli, tmp_path)
    assert run.exit_code == 2
    assert run.json["errors"] == [f"{tmp_path / 'a.md'}: cannot read: Permission denied"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_symlink_loops_fifos_and_sockets_in_a_tree_are_skipped(tmp_path):
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "good.md").write_text(CURES)
    os.mkfifo(tree / "pipe.md")
    (tree / "loop").symlink_to(tree)  # a folder loop
    (tree / "self.md").symlink_to(tree / "self.md")  # a file loop
    (tree / "dangling.md").symlink_to(tree / "missing.md")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tree / "sock.md"))
    except OSError:  # path too long for AF_UNIX on some systems
        pass
    try:
        proc = python_cli("check", "--format", "json", str(tree), timeout=120)
    finally:
        sock.close()
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert '"path": "' + str(tree / "sub" / "good.md") + '"' in proc.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_on_the_command_line_is_skipped(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "good.md").write_text(CURES)
    proc = python_cli("check", str(tmp_path / "pipe.md"), str(tmp_path / "good.md"), timeout=120)
    assert proc.returncode == 2
    assert f"{tmp_path / 'pipe.md'}: not a regular file; skipped" in proc.stdout


def test_a_symlink_loop_named_on_the_command_line(cli, tmp_path):
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    run = check_json(cli, tmp_path / "loop.md")
    assert run.exit_code == 2
    assert run.json["errors"] == [f"{tmp_path / 'loop.md'}: broken symbolic link or symlink loop; skipped"]


@pytest.mark.parametrize("name", ["-odd.md", "with space.md", "caf\u00e9 \u6587\u7ae0.md", "--weird.md"])
def test_odd_file_names_through_a_real_process(tmp_path, name):
    (tmp_path / name).write_text(CURES)
    proc = python_cli("check", "--format", "json", "--", name, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert f'"path": "{name}"' in proc.stdout or name.encode("ascii", "ignore").decode() != name


# -- one file's failure is that file's -------------------------------------------------------


def _explode_on(monkeypatch, bad: str):
    import claimlint.readers.markdown as markdown

    real = markdown.read

    def read(path, source):
        if path.endswith(bad):
            raise ValueError("boom")
        return real(path, source)

    monkeypatch.setattr(markdown, "read", read)


def test_an_internal_error_in_one_file_is_reported_and_the_rest_linted(cli, tmp_path, monkeypatch):
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text(CURES)
    _explode_on(monkeypatch, "b.md")
    run = check_json(cli, tmp_path)
    assert run.exit_code == 2
    assert run.json["errors"] == [
        f"{tmp_path / 'b.md'}: internal error while linting (ValueError: boom); please report it"
    ]
    assert [f["path"] for f in run.json["findings"] if f["rule"] == "overpromise.cure"] == [
        str(tmp_path / "a.md"), str(tmp_path / "c.md")
    ]


def test_fail_fast_stops_at_the_first_file_that_fails(cli, tmp_path, monkeypatch):
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text(CURES)
    _explode_on(monkeypatch, "b.md")
    run = check_json(cli, "--fail-fast", tmp_path)
    assert run.exit_code == 2
    assert [f["path"] for f in run.json["files"]] == [str(tmp_path / "a.md"), str(tmp_path / "b.md")][:1]
    assert len(run.json["errors"]) == 1


def test_fail_fast_stops_before_linting_when_a_named_path_is_bad(cli, tmp_path):
    (tmp_path / "a.md").write_text(CURES)
    run = check_json(cli, "--fail-fast", tmp_path / "missing.md", tmp_path / "a.md")
    assert run.exit_code == 2
    assert run.json["files"] == []
    assert run.json["errors"] == [f"{tmp_path / 'missing.md'}: no such file or directory"]


# -- hostile rule packs (tests/hostile/) ---------------------------------------------------------


@pytest.mark.parametrize(
    "name, where",
    [
        ("pack-is-a-list.yaml", ":1:1: a rule pack must be a mapping with 'pack' and 'rules'"),
        ("pack-empty.yaml", ":1:1: a rule pack must be a mapping with 'pack' and 'rules'"),
        ("pack-1mb-string.yaml", ":11:5: rules[0].nonsense: unknown key"),
        ("pack-deep-nesting.yaml", ":1:1: not valid YAML"),
        ("pack-deep-mapping.yaml", ":1:1: not valid YAML"),
        ("pack-binary.yaml", ": cannot read rule pack"),
    ],
)
def test_hostile_packs_are_one_line_errors(cli, tmp_path, name, where):
    (tmp_path / "a.md").write_text(CURES)
    pack = HOSTILE / name
    run = cli("check", "--pack", pack, tmp_path / "a.md")
    assert run.exit_code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert lines[0].startswith(f"claimlint: error: {pack}{where}"), lines[0]
    assert len(lines[0]) < 1000  # a 1 MB string is never echoed back


# -- interrupts -----------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_signals_exit_quietly_with_the_shell_codes_and_no_partial_files(tmp_path, signum, code):
    corpus = Path(__file__).resolve().parent / "corpus"
    folder = tmp_path / "many"
    folder.mkdir()
    body = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.md")))
    for i in range(400):
        (folder / f"{i:03}.md").write_text(body, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimlint", "check", str(folder), "--format", "json", "--output", str(out / "report.json")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(4)  # past start-up: spaCy loaded, files being linted
    assert proc.poll() is None, "the run finished before the signal; make the folder bigger"
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert "Traceback" not in stderr and stderr.strip() == ""
    assert list(out.iterdir()) == []  # no report, no temporary file


# -- found by fuzzing (fuzz/README.md) ----------------------------------------------------------


@pytest.mark.parametrize("name", ["front-matter-bad-date.md", "front-matter-yaml-bomb.md"])
def test_front_matter_that_yaml_cannot_build_is_a_notice_and_the_rest_is_linted(cli, name):
    from claimlint.readers import read_source

    run = check_json(cli, "--pack", "editorial", HOSTILE / name)
    assert run.exit_code == 1 and run.json["errors"] == []
    source = (HOSTILE / name).read_text()
    assert spans(run) == [(source.count("\n"), 10, "cures")]
    if name == "front-matter-bad-date.md":
        doc = read_source(name, source, "markdown")
        assert doc.notices == ["front matter could not be read (ValueError: month must be in 1..12); ignored"]


def test_a_pack_with_a_control_character_is_a_one_line_error(cli, tmp_path):
    (tmp_path / "a.md").write_text(CURES)
    run = cli("check", "--pack", HOSTILE / "pack-control-character.yaml", tmp_path / "a.md")
    assert run.exit_code == 2
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr


FUZZ = Path(__file__).resolve().parents[1] / "fuzz"


@pytest.mark.parametrize("target, seeds", [("fuzz_readers.py", "tests/corpus/*.md"), ("fuzz_packs.py", "rules/*.yaml")])
def test_a_short_fuzz_run_finds_nothing(tmp_path, target, seeds):
    pytest.importorskip("atheris", reason="atheris is not installed (pip install atheris; see fuzz/README.md)")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(FUZZ.parent.glob(seeds))[:5]:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    proc = subprocess.run(
        [sys.executable, str(FUZZ / target), str(corpus), "-max_total_time=4", "-timeout=20",
         f"-artifact_prefix={tmp_path}/", "-max_len=8192"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_a_link_that_urlsplit_rejects_does_not_skip_the_file(cli):
    run = check_json(cli, HOSTILE / "link-invalid-ipv6-url.md")
    assert run.json["errors"] == []
    assert spans(run) == [(3, 10, "cures")]
