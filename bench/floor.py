#!/usr/bin/env python3
"""The regex floor of issue #5: read every Markdown file of a folder and search each line with
one case-insensitive regular expression of 30 alternatives (hype words), in one process.

    python bench/floor.py FOLDER [--runs 3]

Prints the median wall time. A Python linter cannot do less work than this per run; issue #5
asks for an unchanged corpus (every file a cache hit) to take at most twice as long.
"""
from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

WORDS = ["miracle", "cure", "cures", "guaranteed", "breakthrough", "detox", "proven", "instant", "permanent",
         "revolutionary", "no side effects", "risk-free", "game changer", "wonder", "secret", "amazing",
         "toxins", "boost", "reverse", "reverses", "heal", "heals", "natural", "clinically", "doctors hate",
         "shocking", "life-changing", "100%", "overnight", "melt"]


def once(folder: Path) -> tuple[float, int]:
    start = time.perf_counter()
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, WORDS)) + r")\b", re.IGNORECASE)
    found = 0
    for path in sorted(folder.rglob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            found += sum(1 for _ in pattern.finditer(line))
    return time.perf_counter() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = [once(args.folder)[0] for _ in range(args.runs)]
    print(f"regex floor: median {statistics.median(times):.2f}s (min {min(times):.2f}, max {max(times):.2f})"
          f" over {args.runs} runs, in-process (add Python start-up, ~0.02 s, for a command)")


if __name__ == "__main__":
    main()
