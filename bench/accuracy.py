#!/usr/bin/env python3
"""Measure claimlint's accuracy against the labelled corpus in tests/corpus.

    python bench/accuracy.py [--split dev|test|all] [--corpus tests/corpus]
                             [--claimlint "python -m claimlint"] [--findings FILE.json] [--json]

Runs ``claimlint check <files> --format json`` once over every article whose gold file is in
the chosen split, matches the findings to the gold labels by (path, line, category) and prints,
per category, TP / FP / FN, precision, recall and F1, then every miss (FN), false alarm (FP)
and hit on a ``clean`` line (a hard negative that got flagged).

Matching rules:
  * findings are matched by (path, line, category), as the held-back scoring does: a second
    finding of the same category on a line already matched (e.g. "miracle" and "cure" in
    "miracle cure") is a repeat, listed but not counted; on an unmatched line it is a false
    positive;
  * a finding whose category is not among the gold findings for that line is a false positive;
    if the line is listed under ``clean`` for that category it is also reported as a clean hit;
  * a finding on a line listed under ``ignore`` for its category (a sentence the gold author
    judged ambiguous) is not counted at all.

``--findings FILE.json`` reads claimlint's JSON output from a file instead of running the
linter (used to test this script; paths in the file are resolved against the current
directory). Standard library only; gold files are read with a small parser for the subset of
YAML described in tests/corpus/README.md (PyYAML is used only as a fallback for files
outside that subset, if it happens to be installed).

Exit status: 0 after a completed run, whatever the scores; 2 if claimlint fails (exit code
other than 0 or 1, or output that is not the JSON contract), or a gold file is unreadable.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CATEGORY_ORDER = ["citation", "overpromise", "disclaimer", "reference"]
SPLITS = ("dev", "test", "all")


class BenchError(Exception):
    """A failure that stops the run (exit status 2)."""


# --------------------------------------------------------------------------- gold files

def _strip_comment(line: str) -> str:
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == "\\" and quote == '"':
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def _split_top(text: str, sep: str) -> list[str]:
    """Split on sep outside quotes and brackets."""
    parts, depth, quote, buf, i = [], 0, None, [], 0
    while i < len(text):
        ch = text[i]
        if quote:
            buf.append(ch)
            if ch == "\\" and quote == '"' and i + 1 < len(text):
                buf.append(text[i + 1])
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
            buf.append(ch)
        elif ch in "{[":
            depth += 1
            buf.append(ch)
        elif ch in "}]":
            depth -= 1
            buf.append(ch)
        elif ch == sep and depth == 0:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    if quote:
        raise ValueError("unterminated quoted string")
    parts.append("".join(buf))
    return parts


def _scalar(text: str):
    t = text.strip()
    if not t:
        return None
    if t.startswith('"'):
        if not t.endswith('"') or len(t) < 2:
            raise ValueError(f"bad quoted string: {t}")
        return json.loads(t)
    if t.startswith("'"):
        if not t.endswith("'") or len(t) < 2:
            raise ValueError(f"bad quoted string: {t}")
        return t[1:-1].replace("''", "'")
    if t.startswith("{"):
        return _flow_map(t)
    if t == "[]":
        return []
    if t.startswith("["):
        if not t.endswith("]"):
            raise ValueError(f"bad flow list: {t}")
        return [_scalar(p) for p in _split_top(t[1:-1], ",") if p.strip()]
    if t.lstrip("-").isdigit():
        return int(t)
    if t in ("null", "~"):
        return None
    if t in ("true", "false"):
        return t == "true"
    return t


def _flow_map(text: str) -> dict:
    t = text.strip()
    if not (t.startswith("{") and t.endswith("}")):
        raise ValueError(f"bad flow mapping: {t}")
    out = {}
    for part in _split_top(t[1:-1], ","):
        if not part.strip():
            continue
        key, sep, value = part.partition(":")
        if not sep:
            raise ValueError(f"missing ':' in {part.strip()!r}")
        out[key.strip()] = _scalar(value)
    return out


def parse_gold_yaml(text: str) -> dict:
    """Parse the gold subset: top-level `key: scalar` and `key:` + list of mappings
    (flow `- {line: 3, category: citation}` or block `- line: 3` / `  category: ...`)."""
    data: dict = {}
    current_list = None
    current_item = None
    item_indent = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw.replace("\t", "    "))
        if not line.strip() or line.strip() == "---":
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        try:
            if indent == 0:
                key, sep, value = body.partition(":")
                if not sep:
                    raise ValueError("expected 'key: value'")
                key = key.strip()
                if value.strip():
                    data[key] = _scalar(value)
                    current_list = None
                else:
                    data[key] = current_list = []
                current_item = None
            elif body.startswith("- ") or body == "-":
                if current_list is None:
                    raise ValueError("list item outside a list")
                rest = body[1:].strip()
                if rest.startswith("{") or not rest:
                    current_item = _flow_map(rest) if rest else {}
                    current_list.append(current_item)
                    item_indent = indent + 2
                else:
                    key, sep, value = rest.partition(":")
                    if not sep:
                        current_list.append(_scalar(rest))
                        current_item = None
                        continue
                    current_item = {key.strip(): _scalar(value)}
                    current_list.append(current_item)
                    item_indent = indent + 2
            else:
                if current_item is None or indent < item_indent:
                    raise ValueError("unexpected indentation")
                key, sep, value = body.partition(":")
                if not sep:
                    raise ValueError("expected 'key: value'")
                current_item[key.strip()] = _scalar(value)
        except ValueError as exc:
            raise ValueError(f"line {lineno}: {exc}") from None
    return data


def load_gold_file(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    try:
        return parse_gold_yaml(text)
    except ValueError as exc:
        try:
            import yaml  # type: ignore
        except ImportError:
            raise BenchError(f"{path}: {exc} (outside the gold YAML subset)") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as yexc:
            raise BenchError(f"{path}: {yexc}") from None
        if not isinstance(data, dict):
            raise BenchError(f"{path}: top level must be a mapping")
        return data


def find_article(gold_path: Path, data: dict) -> Path:
    if data.get("path"):
        rel = Path(str(data["path"]))
        for base in (REPO, Path.cwd(), gold_path.parent):
            cand = (base / rel)
            if cand.is_file():
                return cand.resolve()
        raise BenchError(f"{gold_path}: path {rel} not found (tried repo root and cwd)")
    stem = gold_path.name[: -len(".gold.yaml")]
    cands = [p for p in gold_path.parent.glob(stem + ".*")
             if p.is_file() and not p.name.endswith((".gold.yaml", ".gold.yml"))]
    if len(cands) != 1:
        raise BenchError(f"{gold_path}: expected one article named {stem}.*, found {len(cands)}")
    return cands[0].resolve()


def _items(gold_path: Path, data: dict, key: str) -> list[dict]:
    items = data.get(key) or []
    if not isinstance(items, list):
        raise BenchError(f"{gold_path}: '{key}' must be a list")
    out = []
    for i, it in enumerate(items, 1):
        if not isinstance(it, dict) or "line" not in it or "category" not in it:
            raise BenchError(f"{gold_path}: {key} item {i} needs 'line' and 'category'")
        try:
            line = int(it["line"])
        except (TypeError, ValueError):
            raise BenchError(f"{gold_path}: {key} item {i}: line must be an integer") from None
        out.append({**it, "line": line, "category": str(it["category"])})
    return out


def load_corpus(corpus: Path, split: str) -> list[dict]:
    if not corpus.is_dir():
        raise BenchError(f"corpus folder not found: {corpus}")
    docs = []
    for gold_path in sorted(corpus.rglob("*.gold.yaml")):
        data = load_gold_file(gold_path)
        doc_split = str(data.get("split", "dev"))
        if doc_split not in ("dev", "test"):
            raise BenchError(f"{gold_path}: split must be dev or test, not {doc_split!r}")
        if split != "all" and doc_split != split:
            continue
        docs.append({
            "gold": gold_path,
            "article": find_article(gold_path, data),
            "split": doc_split,
            "findings": _items(gold_path, data, "findings"),
            "clean": _items(gold_path, data, "clean"),
            "ignore": _items(gold_path, data, "ignore"),
        })
    return docs


# --------------------------------------------------------------------------- claimlint

def run_claimlint(cmd: str, paths: list[Path], timeout: float) -> dict:
    argv = shlex.split(cmd) + ["check", *[str(p) for p in paths], "--format", "json"]
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8",
                              timeout=timeout)
    except FileNotFoundError:
        raise BenchError(f"cannot run {argv[0]!r}: not found (use --claimlint CMD)") from None
    except subprocess.TimeoutExpired:
        raise BenchError(f"claimlint did not finish within {timeout:.0f}s") from None
    if proc.returncode not in (0, 1):
        raise BenchError(f"claimlint exited with {proc.returncode}:\n{proc.stderr.strip()}")
    try:
        return parse_report(proc.stdout, "claimlint output")
    except BenchError as exc:
        tail = (proc.stderr.strip() or proc.stdout.strip())[-600:]
        raise BenchError(f"{exc}\n(exit {proc.returncode}) {tail}") from None


def parse_report(text: str, where: str) -> dict:
    try:
        report = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BenchError(f"{where} is not JSON: {exc}") from None
    if not isinstance(report, dict) or not isinstance(report.get("findings"), list):
        raise BenchError(f"{where}: expected an object with a 'findings' list")
    return report


# --------------------------------------------------------------------------- matching

def _norm(path: str | os.PathLike) -> str:
    return os.path.normcase(os.path.realpath(path))


def display(path: str | os.PathLike) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def match(docs: list[dict], findings: list[dict]) -> dict:
    by_path = {_norm(d["article"]): d for d in docs}
    remaining: dict[tuple, list[dict]] = defaultdict(list)
    clean, ignore, matched_keys = set(), set(), set()
    for d in docs:
        p = _norm(d["article"])
        for it in d["findings"]:
            key = (p, it["line"], it["category"])
            if not remaining[key]:  # one label per (line, category), like the findings
                remaining[key].append(it)
        clean |= {(p, it["line"], it["category"]) for it in d["clean"]}
        ignore |= {(p, it["line"], it["category"]) for it in d["ignore"]}

    tp, fp, ignored, outside, repeats = [], [], [], [], []
    def sort_key(f):
        return (str(f.get("path", "")), _int(f.get("line")), _int(f.get("column")))
    for f in sorted(findings, key=sort_key):
        p = _norm(str(f.get("path", "")))
        if p not in by_path:
            outside.append(f)
            continue
        key = (p, _int(f.get("line")), str(f.get("category", "?")))
        if remaining.get(key):
            gold = remaining[key].pop(0)
            tp.append({"finding": f, "gold": gold, "key": key})
            matched_keys.add(key)
        elif key in matched_keys:
            repeats.append({"finding": f, "key": key})
        elif key in ignore:
            ignored.append({"finding": f, "key": key})
        else:
            fp.append({"finding": f, "key": key,
                       "clean": key in clean, "duplicate": key in matched_keys})
    fn = [{"gold": it, "key": key} for key, items in remaining.items() for it in items]
    fn.sort(key=lambda m: m["key"])
    return {"tp": tp, "fp": fp, "fn": fn, "ignored": ignored, "outside": outside, "repeats": repeats}


def _int(v) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return 0


def _ratio(a: int, b: int):
    return round(a / b, 4) if b else None


def scores(result: dict, docs: list[dict]) -> dict:
    cats = set(CATEGORY_ORDER) & {it["category"] for d in docs for it in d["findings"]}
    for kind in ("tp", "fp", "fn"):
        cats |= {m["key"][2] for m in result[kind]}
    ordered = [c for c in CATEGORY_ORDER if c in cats] + sorted(cats - set(CATEGORY_ORDER))
    table = {}
    for c in ordered + ["all"]:
        n = {k: sum(1 for m in result[k] if c == "all" or m["key"][2] == c)
             for k in ("tp", "fp", "fn")}
        p, r = _ratio(n["tp"], n["tp"] + n["fp"]), _ratio(n["tp"], n["tp"] + n["fn"])
        f1 = round(2 * p * r / (p + r), 4) if p is not None and r is not None and p + r else None
        table[c] = {"tp": n["tp"], "fp": n["fp"], "fn": n["fn"],
                    "precision": p, "recall": r, "f1": f1}
    return table


# --------------------------------------------------------------------------- output

def _fmt(v) -> str:
    return "   -  " if v is None else f"{v:6.3f}"


def _excerpt(s, n=90) -> str:
    s = " ".join(str(s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def print_text(table: dict, result: dict, docs: list[dict], split: str) -> None:
    out = sys.stdout
    out.write(f"claimlint accuracy — split: {split}, articles: {len(docs)}\n\n")
    out.write(f"{'category':<13}{'TP':>5}{'FP':>5}{'FN':>5}  {'prec':>6}  {'recall':>6}  {'F1':>6}\n")
    for cat, n in table.items():
        if cat == "all":
            out.write("-" * 53 + "\n")
        out.write(f"{cat:<13}{n['tp']:>5}{n['fp']:>5}{n['fn']:>5}  {_fmt(n['precision'])}"
                  f"  {_fmt(n['recall'])}  {_fmt(n['f1'])}\n")

    def where(key):
        return f"{display(key[0])}:{key[1]}"

    out.write(f"\nMisses (FN): {len(result['fn'])}\n")
    for m in result["fn"]:
        g = m["gold"]
        detail = " — ".join(x for x in (_excerpt(g.get("text")), _excerpt(g.get("note"))) if x)
        out.write(f"  {where(m['key'])}  {m['key'][2]}  {detail}\n")
    out.write(f"\nFalse alarms (FP): {len(result['fp'])}\n")
    for m in result["fp"]:
        f = m["finding"]
        tags = "".join(t for t, on in ((" [clean]", m["clean"]), (" [duplicate]", m["duplicate"])) if on)
        out.write(f"  {where(m['key'])}  {m['key'][2]}{tags}  {f.get('rule', '')}"
                  f"  text={_excerpt(f.get('text'), 50)!r}  {_excerpt(f.get('message'), 70)}\n")
    hits = [m for m in result["fp"] if m["clean"]]
    out.write(f"\nClean lines flagged (hard negatives hit): {len(hits)}\n")
    for m in hits:
        note = next((it.get("note", "") for d in docs if _norm(d["article"]) == m["key"][0]
                     for it in d["clean"] if (it["line"], it["category"]) == m["key"][1:]), "")
        out.write(f"  {where(m['key'])}  {m['key'][2]}  text={_excerpt(m['finding'].get('text'), 50)!r}"
                  f"  gold note: {_excerpt(note, 70)}\n")
    if result["ignored"]:
        out.write(f"\nNot counted (lines marked 'ignore' as ambiguous): {len(result['ignored'])}\n")
    if result["outside"]:
        out.write(f"\nFindings in files without gold (not counted): {len(result['outside'])}\n")


def as_json(table: dict, result: dict, docs: list[dict], split: str) -> dict:
    def fitem(m):
        f = m["finding"]
        return {"path": display(m["key"][0]), "line": m["key"][1], "category": m["key"][2],
                "rule": f.get("rule"), "text": f.get("text"), "message": f.get("message"),
                **({"clean": m["clean"], "duplicate": m["duplicate"]} if "clean" in m else {})}
    return {
        "split": split, "articles": len(docs), "scores": table,
        "false_negatives": [{"path": display(m["key"][0]), "line": m["key"][1],
                             "category": m["key"][2], "text": m["gold"].get("text"),
                             "note": m["gold"].get("note")} for m in result["fn"]],
        "false_positives": [fitem(m) for m in result["fp"]],
        "clean_hits": [fitem(m) for m in result["fp"] if m["clean"]],
        "ignored": len(result["ignored"]), "outside_gold": len(result["outside"]),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=SPLITS, default="dev",
                    help="which gold split to score (default: dev; tune only on dev)")
    ap.add_argument("--corpus", default=None,
                    help="folder searched recursively for *.gold.yaml (default: tests/corpus)")
    ap.add_argument("--claimlint", default="claimlint", metavar="CMD",
                    help='command that runs the linter, e.g. "python -m claimlint"')
    ap.add_argument("--findings", metavar="FILE.json",
                    help="read claimlint JSON output from FILE instead of running claimlint")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--timeout", type=float, default=600, help="seconds to allow claimlint")
    args = ap.parse_args(argv)

    corpus = Path(args.corpus) if args.corpus else (
        Path("tests/corpus") if Path("tests/corpus").is_dir() else REPO / "tests" / "corpus")
    try:
        docs = load_corpus(corpus, args.split)
        if not docs:
            raise BenchError(f"no gold files for split {args.split!r} under {corpus}")
        if args.findings:
            try:
                text = Path(args.findings).read_text(encoding="utf-8")
            except OSError as exc:
                raise BenchError(f"cannot read {args.findings}: {exc}") from None
            report = parse_report(text, args.findings)
        else:
            report = run_claimlint(args.claimlint, [d["article"] for d in docs], args.timeout)
    except BenchError as exc:
        print(f"accuracy.py: error: {exc}", file=sys.stderr)
        return 2
    result = match(docs, [f for f in report["findings"] if isinstance(f, dict)])
    table = scores(result, docs)
    if args.json:
        json.dump(as_json(table, result, docs, args.split), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_text(table, result, docs, args.split)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. piped into `head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
