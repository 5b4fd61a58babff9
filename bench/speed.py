#!/usr/bin/env python3
"""Measure claimlint's speed on the two standard corpora (and, if installed, proselint's).

    python bench/speed.py [--runs 3] [--claimlint "/path/python -m claimlint"]
                          [--proselint "/path/to/proselint"] [--scale 100,1000,5000] [--quick]

Builds the corpora with the shared generator (/work/shared/bench/make_corpus.py, or
--generator) into a temporary folder:

    ci   --files 1000 --words 800  --seed 1   (a CI run over a whole site)
    one  --files 1    --words 1000 --seed 1   (a pre-commit hook on one file)

and runs every case as a subprocess --runs times, printing the median wall time, the ratio
to the first case of its group and the peak RSS of the slowest child (resource.getrusage
(RUSAGE_CHILDREN) is a high-water mark over all children so far, so it is measured in a
fresh `python -c` per case). Cases:

    claimlint --no-cache --jobs 1   cold, in one process (as before --jobs)
    claimlint --no-cache            cold, default --jobs (one worker per core)
    claimlint --cache-dir FRESH     cold cache (filled by this run)
    claimlint --cache-dir KEPT      results cold, but the pack facts (claimlint.packfacts) of an
                                    earlier run kept: a pre-commit hook after files changed
    claimlint --cache-dir WARM      warm cache (every file hits; spaCy is not imported)
    server, --no-cache              `claimlint server` running: cold linting in a warm process
    server, warm cache              `claimlint server` running, every file hits
    proselint                       if found (`proselint FILES...`, its own cache off where possible)

Every case but the server ones runs with CLAIMLINT_NO_SERVER=1; the server runs with a private
XDG_RUNTIME_DIR, so a server the user started is never measured by accident.

Before timing, claimlint's modules are compiled to bytecode (`compileall`), as `pip install`
does: an editable install run with PYTHONDONTWRITEBYTECODE=1 (set on this project's machines)
would otherwise compile every module from source on every run, ~0.1 s of CPU that no installed
copy pays. `--no-compile` measures that case.

--scale adds corpora of 100 / 1,000 / 5,000 files (--words 800) for linearity, cold, default
--jobs. `python -X importtime -c "import claimlint.cli"` is summarised at the end.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

GENERATOR = Path("/work/shared/bench/make_corpus.py")

# Runs one command and prints "<seconds> <peak rss kB> <exit code>": the child's peak memory
# only, because RUSAGE_CHILDREN of this fresh process sees no other child.
_TIMER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "elapsed = time.perf_counter() - start\n"
    "print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def timed(command: list[str], env: dict | None = None) -> tuple[float, int, int]:
    out = subprocess.run([sys.executable, "-c", _TIMER, *command], capture_output=True, text=True, env=env,
                         check=True).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def measure(name: str, command: list[str], runs: int, before=None, env=None) -> dict:
    times, peaks, codes = [], [], set()
    for _ in range(runs):
        if before is not None:
            before()
        seconds, peak, code = timed(command, env)
        times.append(seconds)
        peaks.append(peak)
        codes.add(code)
    row = {"case": name, "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
           "peak_rss_mb": max(peaks) / 1024, "exit": sorted(codes), "runs": runs}
    print(f"  {name:<44} median {row['median_s']:7.2f}s  (min {row['min_s']:.2f}, max {row['max_s']:.2f})"
          f"  peak {row['peak_rss_mb']:6.0f} MB  exit {row['exit']}", flush=True)
    return row


def make_corpus(generator: Path, out: Path, files: int, words: int) -> Path:
    subprocess.run([sys.executable, str(generator), str(out), "--files", str(files), "--words", str(words),
                    "--seed", "1"], check=True, stderr=subprocess.DEVNULL)
    return out


def ratios(rows: list[dict]) -> None:
    base = rows[0]["median_s"]
    for row in rows[1:]:
        print(f"    {row['case']}: {row['median_s'] / base:.2f}x the time of {rows[0]['case']}")
    peer = next((r for r in rows if r["case"].startswith("proselint")), None)
    if peer is not None:
        for row in rows:
            if row is not peer:
                print(f"    {row['case']}: {peer['median_s'] / row['median_s']:.2f}x as fast as proselint")


def importtime(python: str) -> list[tuple[int, str]]:
    proc = subprocess.run([python, "-X", "importtime", "-c", "import claimlint.cli"], capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
            if cumulative.isdigit():
                rows.append((int(cumulative), name))
    return rows


def interpreter(command: list[str]) -> str:
    """The Python that runs `command` ("python -m claimlint", or a console script's shebang)."""
    from shutil import which

    program = which(command[0])
    if program is None:
        return sys.executable
    if Path(program).name.startswith("python"):
        return program
    first = Path(program).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    return first[2:].strip().split()[0] if first.startswith("#!") else sys.executable


def compile_bytecode(python: str) -> str:
    """Write claimlint's .pyc files, as pip does when it installs a package; return the folder."""
    script = ("import claimlint, compileall, os, sys\n"
              "folder = os.path.dirname(claimlint.__file__)\n"
              "print(folder)\n"
              "sys.exit(0 if compileall.compile_dir(folder, quiet=1) else 1)\n")
    return subprocess.run([python, "-c", script], capture_output=True, text=True, check=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--claimlint", default=f"{sys.executable} -m claimlint")
    parser.add_argument("--proselint", default=None, help="proselint command (default: look on PATH)")
    parser.add_argument("--generator", type=Path, default=GENERATOR)
    parser.add_argument("--scale", default="", help="comma-separated file counts, e.g. 100,1000,5000")
    parser.add_argument("--quick", action="store_true", help="one run each, no proselint on the big corpus")
    parser.add_argument("--json", type=Path, help="also write every row to this file")
    parser.add_argument("--no-compile", action="store_true",
                        help="do not compile claimlint's modules to bytecode first (see above)")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    claimlint = shlex.split(args.claimlint)
    if args.no_compile:
        print("claimlint's modules not compiled first (--no-compile)")
    else:
        print(f"compiled claimlint's modules to bytecode in {compile_bytecode(interpreter(claimlint))}")
    proselint = shlex.split(args.proselint) if args.proselint else None
    if proselint is None:
        from shutil import which

        found = which("proselint")
        proselint = [found] if found else None
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (1 min) at start; runs: {runs}")
    results: dict = {"cores": os.cpu_count(), "load_at_start": os.getloadavg(), "groups": {}}
    with tempfile.TemporaryDirectory(prefix="claimlint-speed-") as tmp:
        tmp = Path(tmp)
        no_server = {**os.environ, "CLAIMLINT_NO_SERVER": "1"}
        runtime = tmp / "runtime"
        runtime.mkdir(mode=0o700)
        server_env = {k: v for k, v in os.environ.items() if k != "CLAIMLINT_NO_SERVER"}
        server_env["XDG_RUNTIME_DIR"] = str(runtime)
        corpora = {"ci (1000 files x 800 words)": make_corpus(args.generator, tmp / "ci", 1000, 800),
                   "one (1 file x 1000 words)": make_corpus(args.generator, tmp / "one", 1, 1000)}
        for label, corpus in corpora.items():
            print(f"\n{label}")
            warm = tmp / f"warm-{corpus.name}"
            fresh = tmp / f"fresh-{corpus.name}"
            subprocess.run([*claimlint, "check", str(corpus), "--cache-dir", str(warm), "-f", "json"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=no_server)  # fill the warm cache

            def clear_fresh(folder=fresh) -> None:
                import shutil

                shutil.rmtree(folder, ignore_errors=True)

            kept = tmp / f"kept-{corpus.name}"

            def clear_results(folder=kept, filled=warm) -> None:
                """The pre-commit case: the files changed since the last run, the packs did not."""
                import shutil

                shutil.rmtree(folder, ignore_errors=True)
                shutil.copytree(filled / "facts", folder / "facts")

            base = [*claimlint, "check", str(corpus), "-f", "json", "--fail-on", "never"]
            rows = [
                measure("claimlint --no-cache --jobs 1", [*base, "--no-cache", "--jobs", "1"], runs, env=no_server),
                measure("claimlint --no-cache (default --jobs)", [*base, "--no-cache"], runs, env=no_server),
                measure("claimlint cold cache (fresh --cache-dir)", [*base, "--cache-dir", str(fresh)], runs,
                        before=clear_fresh, env=no_server),
                measure("claimlint warm cache", [*base, "--cache-dir", str(warm)], runs, env=no_server),
                measure("claimlint changed files (results cold, pack facts kept)", [*base, "--cache-dir", str(kept)],
                        runs, before=clear_results, env=no_server),
            ]
            started = subprocess.run([*claimlint, "server", "start", "--idle-timeout", "600"], env=server_env,
                                     capture_output=True, text=True)
            if started.returncode == 0:
                rows.append(measure("claimlint server running, --no-cache", [*base, "--no-cache"], runs,
                                    env=server_env))
                rows.append(measure("claimlint server running, warm cache", [*base, "--cache-dir", str(warm)],
                                    runs, env=server_env))
                subprocess.run([*claimlint, "server", "stop"], env=server_env, capture_output=True)
            else:
                print(f"  (claimlint server did not start: {started.stderr.strip()})")
            if proselint is not None and not (args.quick and corpus.name == "ci"):
                files = sorted(str(p) for p in corpus.glob("*.md"))
                env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "proselint-cache")}
                rows.append(measure("proselint (cold cache)", [*proselint, "check", *files], runs, env=env,
                                    before=lambda: clear_fresh(tmp / "proselint-cache")))
            ratios(rows)
            results["groups"][label] = rows
        if args.scale:
            print("\nlinearity (cold, --no-cache, default --jobs; 800 words a file)")
            rows = []
            for count in [int(n) for n in args.scale.split(",") if n]:
                corpus = make_corpus(args.generator, tmp / f"scale-{count}", count, 800)
                row = measure(f"{count} files", [*claimlint, "check", str(corpus), "-f", "json", "--no-cache",
                                                 "--fail-on", "never"], runs, env=no_server)
                row["ms_per_file"] = 1000 * row["median_s"] / count
                print(f"    {row['ms_per_file']:.1f} ms a file")
                rows.append(row)
            results["groups"]["linearity"] = rows
    python = claimlint[0] if claimlint[0].endswith(("python", "python3")) else sys.executable
    rows = importtime(python)
    if rows:
        total = max(rows)[0]
        print(f"\npython -X importtime -c 'import claimlint.cli': {total / 1000:.0f} ms cumulative; biggest:")
        for cumulative, name in sorted(rows, reverse=True)[:10]:
            print(f"  {cumulative / 1000:7.1f} ms  {name}")
        results["importtime_ms"] = total / 1000
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
