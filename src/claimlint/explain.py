"""`claimlint explain RULE`: a rule's documentation, rendered from its pack entry.

The order follows Ruff's rule pages: what it flags, why, sources, examples, suggestions.
The same content is available as JSON.
"""

from __future__ import annotations

import json
import textwrap

from claimlint.packs import Pack


def find_rule(packs: list[Pack], rule_id: str):
    for pack in reversed(packs):  # a later pack's rule wins, as in a run
        for rule in pack.rules:
            if rule.definition.id == rule_id:
                return rule
    return None


def _kind_summary(kind: str) -> str:
    from claimlint.kinds import known_kinds

    module = known_kinds().get(kind)
    doc = (module.__doc__ or "").strip() if module else ""
    return " ".join(doc.split("\n\n")[0].split()) if doc else kind  # the first paragraph


def as_dict(rule) -> dict:
    d = rule.definition
    return {
        "id": d.id,
        "pack": d.pack,
        "kind": d.kind,
        "category": d.category,
        "severity": d.severity,
        "message": d.message,
        "why": " ".join(d.why.split()),
        "sources": list(d.sources),
        "suggestions": list(getattr(rule, "suggest", ()) or ()),
        "examples": {"flag": list(d.flag_examples), "pass": list(d.pass_examples)},
        "defined_at": d.location,
    }


def render_json(rule) -> str:
    return json.dumps(as_dict(rule), ensure_ascii=False, indent=2) + "\n"


def _wrap(text: str, indent: str = "  ", subsequent: str | None = None) -> str:
    return textwrap.fill(" ".join(text.split()), width=88, initial_indent=indent,
                         subsequent_indent=indent if subsequent is None else subsequent)


def _example(text: str) -> str:
    lines = text.rstrip("\n").splitlines() or [""]
    return "\n".join(["  - " + lines[0]] + ["    " + line for line in lines[1:]])


def render_text(rule) -> str:
    info = as_dict(rule)
    out = [
        f"{info['id']}  ({info['severity']}, category {info['category']}, kind {info['kind']})",
        "",
        "What it flags",
        _wrap(_kind_summary(info["kind"])),
        _wrap(f"Message: {info['message']}"),
        "",
        "Why",
        _wrap(info["why"]),
    ]
    if info["sources"]:
        out += ["", "Sources"] + [_wrap(s, "  - ", "    ") for s in info["sources"]]
    if info["examples"]["flag"]:
        out += ["", "Flagged"] + [_example(e) for e in info["examples"]["flag"]]
    if info["examples"]["pass"]:
        out += ["", "Not flagged"] + [_example(e) for e in info["examples"]["pass"]]
    if info["suggestions"]:
        out += ["", "Instead, try"] + [f"  - {s}" for s in info["suggestions"]]
    out += ["", f"Defined in {info['defined_at']}", ""]
    return "\n".join(out)


def _md_item(text: str) -> str:
    """One example as a Markdown list item: inline code, or a fenced block if it has lines."""
    text = text.rstrip("\n")
    if "\n" not in text:
        return f"- `{text}`" if "`" not in text else f"- {text}"
    body = "\n".join("  " + line if line else "" for line in text.splitlines())
    return f"-\n  ```markdown\n{body}\n  ```"


def render_reference(packs: list[Pack], default_names: tuple[str, ...]) -> str:
    """docs/rules.md: every rule of every pack, from the packs themselves."""
    out = [
        "# Rule reference",
        "",
        "Generated from the packs in `rules/` by `claimlint rules docs > docs/rules.md`;",
        "a test fails when this page is out of date. `claimlint explain RULE` shows the same.",
        "",
    ]
    for pack in packs:
        status = "on by default" if pack.name in default_names else f"opt-in: `--pack {pack.name}`"
        out += [f"## {pack.name} ({status})", "", " ".join(pack.description.split()), ""]
        out += ["| rule | severity | category | kind |", "|---|---|---|---|"]
        out += [f"| [`{r.definition.id}`](#{r.definition.id.replace('.', '')}) | {r.definition.severity} "
                f"| {r.definition.category} | {r.definition.kind} |" for r in pack.rules]
        out.append("")
        for rule in pack.rules:
            info = as_dict(rule)
            out += [f"### {info['id']}", "",
                    f"{info['severity']} · category `{info['category']}` · kind `{info['kind']}`", "",
                    f"**What it flags.** {_kind_summary(info['kind'])} Message: “{info['message']}”", "",
                    f"**Why.** {info['why']}", ""]
            if info["sources"]:
                out += ["**Sources.**", ""] + [f"- {s}" for s in info["sources"]] + [""]
            for title, key in (("**Flagged:**", "flag"), ("**Not flagged:**", "pass")):
                if info["examples"][key]:
                    out += [title, ""] + [_md_item(e) for e in info["examples"][key]] + [""]
            if info["suggestions"]:
                out += ["**Instead, try:** " + "; ".join(f"“{s}”" for s in info["suggestions"]), ""]
    return "\n".join(out).rstrip() + "\n"
