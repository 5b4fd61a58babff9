"""Where teams run claimlint: configuration, suppressions, baseline, CI formats, changed files,
and the real pre-commit, set up in temporary content repositories as a new user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import FILES, ROOT

HYPE = "# Tea\n\nThis tea cures everything.\n"
CLEAN = "# Walking\n\nWalking is pleasant.\n"


@pytest.fixture
def site(tmp_path, monkeypatch):
    """An empty content repository, as the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rules_of(run) -> list[tuple[str, int, str]]:
    return [(Path(f["path"]).as_posix(), f["line"], f["rule"]) for f in run.json["findings"]]


# --- configuration ----------------------------------------------------------------------

def test_config_from_pyproject_is_picked_up_from_a_subfolder(cli, site, monkeypatch):
    write(site / "pyproject.toml", '[project]\nname = "site"\n\n[tool.claimlint]\nignore = ["overpromise.cure"]\nfail_on = "warning"\n')
    write(site / "blog" / "a.md", HYPE + "\nVitamin D lowers fracture risk by 20%.\n")
    monkeypatch.chdir(site / "blog")
    run = cli("check", "a.md", "--format", "json")
    assert [r for _, _, r in rules_of(run)] == ["claims.uncited"]
    assert run.exit_code == 1  # fail_on warning from the file
    assert cli("check", "a.md", "--isolated", "--format", "json").json["summary"]["error"] == 1


def test_claimlint_yaml_wins_and_config_flag_wins_over_both(cli, site):
    write(site / "pyproject.toml", '[tool.claimlint]\nignore = ["claims"]\n')
    write(site / ".claimlint.yaml", "ignore: [overpromise]\n")
    write(site / "other.yaml", "select: [overpromise.cure]\n")
    write(site / "a.md", HYPE + "\nVitamin D lowers fracture risk by 20%.\n")
    assert [r for _, _, r in rules_of(cli("check", "a.md", "--format", "json"))] == ["claims.uncited"]
    assert [r for _, _, r in rules_of(cli("check", "a.md", "--config", "other.yaml", "--format", "json"))] == ["overpromise.cure"]


def test_severity_overrides_and_per_path_overrides(cli, site):
    write(site / ".claimlint.yaml",
          "severity:\n  overpromise.cure: warning\n"
          "overrides:\n  - paths: ['shop/**']\n    packs: [us-dshea]\n    severity: {overpromise.cure: error}\n"
          "  - paths: ['news/*.md']\n    ignore: [overpromise]\n")
    write(site / "blog" / "a.md", HYPE)
    write(site / "news" / "b.md", HYPE)
    write(site / "shop" / "c.md", "# Joint Plus\n\nThese capsules support healthy joints.\n")
    run = cli("check", ".", "--format", "json")
    found = {(p, f["severity"]) for p, f in zip([x[0] for x in rules_of(run)], run.json["findings"])}
    assert ("blog/a.md", "warning") in found
    assert not [p for p, _, _ in rules_of(run) if p.startswith("news/")]
    assert any(p == "shop/c.md" and r.startswith("us-dshea.") for p, _, r in rules_of(run))


def test_include_exclude_and_default_skips(cli, site):
    write(site / ".claimlint.yaml", "exclude: ['drafts/**', '*.txt']\n")
    for name in ["a.md", "drafts/b.md", "notes.txt", "node_modules/c.md", ".git/d.md", "build/e.md"]:
        write(site / name, HYPE)
    run = cli("check", ".", "--format", "json")
    assert [Path(f["path"]).as_posix() for f in run.json["files"]] == ["a.md"]
    # a file named on the command line is linted even if excluded
    assert len(cli("check", "drafts/b.md", "--format", "json").json["files"]) == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("fail_on: sometimes\n", ".claimlint.yaml:1:10: fail_on: 'sometimes' is not one of error, warning, info, never"),
        ("ignore: [a]\nselcet: [b]\n", ".claimlint.yaml:2:1: selcet: unknown key"),
        ("severity:\n  claims.uncited: fatal\n", ".claimlint.yaml:2:19: severity.claims.uncited: 'fatal' is not one of error, warning, info"),
        ("overrides:\n  - packs: [us-dshea]\n", ".claimlint.yaml:2:5: overrides[0]: missing required key 'paths'"),
        ("packs: [\n", ".claimlint.yaml:2:1: not valid YAML"),
    ],
)
def test_invalid_config_is_exit_2_with_file_line_and_key(cli, site, text, message):
    write(site / ".claimlint.yaml", text)
    write(site / "a.md", CLEAN)
    run = cli("check", "a.md")
    assert run.exit_code == 2
    assert message in run.stderr and run.stderr.count("\n") == 1


def test_invalid_pyproject_key_names_the_line(cli, site):
    write(site / "pyproject.toml", '[project]\nname = "x"\n\n[tool.claimlint]\nfail_on = "warning"\nignor = ["x"]\n')
    write(site / "a.md", CLEAN)
    run = cli("check", "a.md")
    assert run.exit_code == 2 and "pyproject.toml:6:1: ignor: unknown key" in run.stderr


def test_init_writes_a_starter_that_loads(cli, site):
    run = cli("init")
    assert run.exit_code == 0 and (site / ".claimlint.yaml").is_file()
    write(site / "a.md", HYPE)
    assert cli("check", "a.md").exit_code == 1
    again = cli("init")
    assert again.exit_code == 2 and "already exists" in again.stderr


# --- suppressions -----------------------------------------------------------------------

def test_suppressions_are_honoured_and_unused_ones_reported(cli):
    run = cli("check", FILES / "suppress", "--format", "json")
    found = [(Path(p).name, line, rule) for p, line, rule in rules_of(run)]
    assert found == [
        ("article.md", 4, "claims.uncited"),
        ("article.md", 6, "overpromise.cure"),
        ("article.md", 12, "overpromise.miracle"),
        ("article.md", 14, "claimlint.unused-suppression"),
        ("article.md", 17, "claimlint.unused-suppression"),
        ("notes.txt", 1, "overpromise.cure"),
        ("notes.txt", 6, "overpromise.miracle"),
    ]
    unused = [f for f in run.json["findings"] if f["rule"] == "claimlint.unused-suppression"]
    assert {f["severity"] for f in unused} == {"info"}
    assert unused[0]["text"] == "claimlint-disable-next-line overpromise.hype"


# --- baseline ---------------------------------------------------------------------------

def test_baseline_hides_old_findings_and_reports_new_ones_after_lines_move(cli, site):
    article = write(site / "a.md", "# Tea\n\nThis tea cures everything.\n\nA miracle balm.\n")
    made = cli("baseline", "create", "baseline.json", "a.md")
    assert made.exit_code == 0 and "recorded 2 findings" in made.stdout
    assert cli("check", "a.md", "--baseline", "baseline.json", "--format", "json").json["findings"] == []
    article.write_text("# Tea\n\nNew intro paragraph.\n\nMore text here.\n\nThis tea cures everything.\n\n"
                       "A miracle balm.\n\nGuaranteed results.\n", encoding="utf-8")
    run = cli("check", "a.md", "--baseline", "baseline.json", "--format", "json")
    assert [(f["line"], f["rule"]) for f in run.json["findings"]] == [(11, "overpromise.guarantee")]
    assert run.exit_code == 1
    # fixing a finding and rewriting the baseline drops it
    article.write_text("# Tea\n\nThis tea is pleasant.\n", encoding="utf-8")
    assert "recorded 0 findings" in cli("baseline", "create", "baseline.json", "a.md").stdout
    assert json.loads((site / "baseline.json").read_text())["findings"] == []


def test_broken_baseline_is_exit_2(cli, site):
    write(site / "a.md", CLEAN)
    write(site / "baseline.json", "{not json")
    run = cli("check", "a.md", "--baseline", "baseline.json")
    assert run.exit_code == 2 and "baseline.json: not a valid baseline" in run.stderr


# --- formats ----------------------------------------------------------------------------

def _sarif_multitool() -> str | None:
    cache = Path(os.environ.get("CLAIMLINT_TEST_CACHE", Path.home() / ".cache" / "claimlint-tests"))
    tool = cache / "sarif" / "node_modules" / ".bin" / "sarif-multitool"
    if tool.exists():
        return str(tool)
    npm = shutil.which("npm")
    if npm is None:
        return None
    (cache / "sarif").mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(cache / "sarif"),
                           "@microsoft/sarif-multitool@5.7.0"], capture_output=True, text=True, timeout=600)
    return str(tool) if proc.returncode == 0 and tool.exists() else None


def test_sarif_validates_against_the_2_1_0_schema(cli, site):
    for name in ["careful-article.md", "hype-page.md", "news-report.html", "plain-notes.txt"]:
        shutil.copy(ROOT / "examples" / name, site / name)
    write(site / "bad.md", "\x00binary")
    run = cli("check", ".", "--format", "sarif", "--output", "out.sarif")
    assert run.exit_code == 2  # the binary file
    sarif = json.loads((site / "out.sarif").read_text(encoding="utf-8"))
    driver = sarif["runs"][0]["tool"]["driver"]
    results = sarif["runs"][0]["results"]
    assert sarif["version"] == "2.1.0" and driver["name"] == "claimlint"
    cure = next(r for r in driver["rules"] if r["id"] == "overpromise.cure")
    assert "There is no cure for lupus." in cure["help"]["text"] and cure["defaultConfiguration"]["level"] == "error"
    assert {r["ruleId"] for r in results} >= {"overpromise.cure", "claims.uncited", "references.dangling"}
    assert all(driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    tool = _sarif_multitool()
    if tool is None:
        pytest.skip("npm or @microsoft/sarif-multitool is not available to validate the SARIF file")
    proc = subprocess.run([tool, "validate", str(site / "out.sarif")], capture_output=True, text=True, timeout=300)
    errors = [line for line in proc.stdout.splitlines() if ": error " in line]
    assert errors == [], "\n".join(errors)
    assert "1 files scanned" in proc.stdout


def test_github_workflow_commands(cli, site):
    write(site / "dir, with: comma" / "a.md", HYPE + "\n50% of people, it says: line\n")
    run = cli("check", ".", "--format", "github", "--fail-on", "never")
    lines = run.stdout.splitlines()
    assert run.exit_code == 0
    assert lines[0] == ("::error file=dir%2C with%3A comma/a.md,line=3,col=10,endLine=3,endColumn=15,"
                        "title=overpromise.cure::'cures' promises a cure; say what the evidence shows instead.")
    for line in lines:
        command, properties, message = line.split("::", 2)[1].split(" ", 1)[0], line.split(" ", 1)[1].split("::")[0], line.split("::")[2]
        assert command in {"error", "warning", "notice"} and "\n" not in message
        assert dict(p.split("=", 1) for p in properties.split(","))["file"].endswith("a.md")


def test_junit_report(cli, site):
    write(site / "a.md", HYPE)
    write(site / "b.md", CLEAN)
    run = cli("check", ".", "--format", "junit")
    root = ET.fromstring(run.stdout)
    assert root.tag == "testsuites" and root.get("failures") == "1"
    suites = {s.get("name"): s for s in root}
    assert suites["a.md"].find("testcase/failure").get("message").startswith("overpromise.cure:")
    assert suites["b.md"].find("testcase/failure") is None


def test_output_is_written_atomically_and_keeps_permissions(cli, site):
    write(site / "a.md", HYPE)
    target = write(site / "report.json", "old")
    target.chmod(0o640)
    run = cli("check", "a.md", "--format", "json", "--output", "report.json")
    assert run.stdout == "" and json.loads(target.read_text())["summary"]["error"] == 1
    assert oct(target.stat().st_mode & 0o777) == "0o640"
    assert [p.name for p in site.iterdir() if p.name.startswith(".report.json")] == []


def test_output_into_a_fifo_writes_into_it_and_leaves_it_a_fifo(cli, site):
    """`-o /dev/null` (or a pipe) must not be replaced by a regular file: as root, renaming
    the temporary report over /dev/null turned the device into a file."""
    import stat
    import threading

    write(site / "a.md", HYPE)
    fifo = site / "report.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    run = cli("check", "a.md", "--format", "json", "--output", "report.fifo")
    reader.join(timeout=30)
    assert run.exit_code == 1
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["summary"]["error"] == 1
    assert [p.name for p in site.iterdir() if p.name.startswith(".report.fifo")] == []


# --- changed files ----------------------------------------------------------------------

def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def test_changed_since_lints_only_changed_files(cli, site):
    write(site / "old.md", HYPE)
    git(site, "init", "-q", "-b", "main")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "old")
    write(site / "new.md", HYPE)
    write(site / "old2.md", "x")
    (site / "old.md").write_text(HYPE)  # unchanged content
    run = cli("check", ".", "--changed-since", "main", "--format", "json")
    assert sorted(Path(f["path"]).name for f in run.json["files"]) == ["new.md", "old2.md"]


def test_changed_since_outside_git_is_a_clear_error(cli, site):
    write(site / "a.md", HYPE)
    run = cli("check", ".", "--changed-since", "main")
    assert run.exit_code == 2
    assert run.stderr.startswith("claimlint: error: --changed-since main: ") and "git repository" in run.stderr


# --- pre-commit -------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_real_pre_commit_blocks_an_overpromise_and_passes_a_clean_commit(tmp_path):
    pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable))
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]' installs it)")
    if not (ROOT / ".git").exists():
        pytest.skip("this checkout is not a git repository, so pre-commit cannot use it as a hook repo")
    rev = git(ROOT, "rev-parse", "HEAD").strip()
    repo = tmp_path / "content"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write(repo / ".pre-commit-config.yaml",
          f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: claimlint\n")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run([pre_commit, "install"], cwd=repo, env=env, check=True, capture_output=True)

    def commit(name: str, text: str) -> subprocess.CompletedProcess:
        write(repo / name, text)
        subprocess.run(["git", "add", name, ".pre-commit-config.yaml"], cwd=repo, env=env, check=True)
        return subprocess.run(["git", "commit", "-m", name], cwd=repo, env=env, capture_output=True, text=True, timeout=900)

    blocked = commit("hype.md", HYPE)
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    assert "overpromise.cure" in blocked.stdout + blocked.stderr
    subprocess.run(["git", "rm", "-q", "--cached", "hype.md"], cwd=repo, env=env, check=True)
    (repo / "hype.md").unlink()
    passed = commit("clean.md", CLEAN)
    assert passed.returncode == 0, passed.stdout + passed.stderr
