"""Configuration: `.claimlint.yaml`, or `[tool.claimlint]` in `pyproject.toml`.

Looked up from the current directory upwards (in each directory `.claimlint.yaml` wins over
`pyproject.toml`); `--config FILE` names one; `--isolated` ignores all. Command-line flags win
over the file. Every error names the file, line and key.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from claimlint import yamlsource
from claimlint.packs import SEVERITIES
from claimlint.yamlsource import Where, describe, unknown_key

CONFIG_NAMES = (".claimlint.yaml", ".claimlint.yml")
FAIL_ON = ("error", "warning", "info", "never")
_KEYS = {"packs", "select", "ignore", "severity", "fail_on", "include", "exclude", "overrides", "language"}
_OVERRIDE_KEYS = {"paths", "packs", "select", "ignore", "severity"}


class ConfigError(Exception):
    """`str()` is a one-line message naming file:line:col and the key."""


@dataclass
class Override:
    paths: list[str]
    packs: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)


@dataclass
class Config:
    path: str | None = None  # the file it was read from; None for built-in defaults
    root: Path = field(default_factory=Path.cwd)  # globs and pack paths are relative to this
    packs: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    language: str | None = None

    def for_path(self, path: str) -> Override:
        """Packs, select, ignore and severity that apply to one file (global + overrides)."""
        merged = Override(paths=[], packs=list(self.packs), select=list(self.select),
                          ignore=list(self.ignore), severity=dict(self.severity))
        if not self.overrides:
            return merged  # (relative() resolves paths on disk: a run asks this for every file)
        relative = self.relative(path)
        for override in self.overrides:
            if any(glob_match(relative, pattern) for pattern in override.paths):
                merged.packs += override.packs
                merged.select = override.select or merged.select
                merged.ignore += override.ignore
                merged.severity.update(override.severity)
        return merged

    def relative(self, path: str) -> str:
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return PurePosixPath(Path(path).as_posix()).as_posix()

    def wants(self, path: str) -> bool:
        """Include / exclude globs, for files found by walking folders."""
        if not self.include and not self.exclude:
            return True
        relative = self.relative(path)
        if self.include and not any(glob_match(relative, p) for p in self.include):
            return False
        return not any(glob_match(relative, p) for p in self.exclude)


def glob_match(path: str, pattern: str) -> bool:
    """`blog/**`, `**/drafts/*.md`, `*.html`: '**' spans folders, a pattern without '/' matches
    the file name anywhere."""
    pattern = pattern.strip().lstrip("./") if pattern.startswith("./") else pattern.strip()
    if "/" not in pattern.rstrip("/"):
        return fnmatch.fnmatchcase(PurePosixPath(path).name, pattern) or fnmatch.fnmatchcase(path, pattern)
    if pattern.endswith("/"):
        pattern += "**"
    if fnmatch.fnmatchcase(path, pattern):
        return True
    return pattern.startswith("**/") and fnmatch.fnmatchcase(path, pattern[3:])


def discover(start: Path | None = None) -> Path | None:
    folder = (start or Path.cwd()).resolve()
    for directory in [folder, *folder.parents]:
        for name in CONFIG_NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
    return None


def _has_tool_section(pyproject: Path) -> bool:
    try:
        return re.search(r"^\s*\[tool\.claimlint[\].]", pyproject.read_text(encoding="utf-8"), re.M) is not None
    except (OSError, UnicodeDecodeError):
        return False


def load(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    if path.name == "pyproject.toml":
        data, where = _load_toml(text, str(path))
    else:
        try:
            data, where = yamlsource.load(text, str(path))
        except yamlsource.YamlError as exc:
            raise ConfigError(str(exc)) from None
        data = {} if data is None else data
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1:1: configuration must be a mapping of keys ({', '.join(sorted(_KEYS))})")
    return _parse(data, where, path)


def _load_toml(text: str, path: str) -> tuple[dict, Where]:
    import tomllib  # here: most runs read no TOML

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    data = document.get("tool", {}).get("claimlint", {})
    where = Where(path)
    # tomllib keeps no positions: find each key's line in the [tool.claimlint] tables.
    lines = text.splitlines()
    section = None
    for number, line in enumerate(lines, start=1):
        header = re.match(r"^\s*\[\[?\s*tool\.claimlint(?:\.(\w+))?\s*\]\]?", line)
        if header:
            section = header.group(1) or ""
            continue
        if re.match(r"^\s*\[", line):
            section = None
            continue
        key = re.match(r"^\s*([A-Za-z_][\w-]*)\s*=", line)
        if section is not None and key:
            keys = (key.group(1),) if not section else (section, key.group(1))
            where.marks.setdefault(keys, (number, line.index(key.group(1)) + 1))
            where.key_marks.setdefault(keys, (number, line.index(key.group(1)) + 1))
    return data, where


def _parse(data: dict, where: Where, path: Path) -> Config:
    config = Config(path=str(path), root=path.parent)
    _reject_unknown(data, _KEYS, (), where)
    config.packs = [_resolve_pack(p, path.parent) for p in _strings(data, "packs", (), where)]
    config.select = _strings(data, "select", (), where)
    config.ignore = _strings(data, "ignore", (), where)
    config.severity = _severities(data, (), where)
    config.include = _strings(data, "include", (), where)
    config.exclude = _strings(data, "exclude", (), where)
    if data.get("fail_on") is not None:
        value = data["fail_on"]
        if value not in FAIL_ON:
            raise ConfigError(f"{where.at(('fail_on',))}: fail_on: '{value}' is not one of {', '.join(FAIL_ON)}")
        config.fail_on = value
    if data.get("language") is not None:
        if not isinstance(data["language"], str) or not data["language"].strip():
            raise ConfigError(f"{where.at(('language',))}: language: must be 'blank' or an installed spaCy pipeline's name")
        config.language = data["language"]
    overrides = data.get("overrides") or []
    if not isinstance(overrides, list):
        raise ConfigError(f"{where.at(('overrides',))}: overrides: must be a list of {{paths: [...], ...}}")
    for index, raw in enumerate(overrides):
        keys = ("overrides", index)
        if not isinstance(raw, dict):
            raise ConfigError(f"{where.at(keys)}: {describe(keys)}: must be a mapping with paths")
        _reject_unknown(raw, _OVERRIDE_KEYS, keys, where)
        paths = _strings(raw, "paths", keys, where)
        if not paths:
            raise ConfigError(f"{where.at(keys)}: {describe(keys)}: missing required key 'paths'")
        config.overrides.append(Override(
            paths=paths,
            packs=[_resolve_pack(p, path.parent) for p in _strings(raw, "packs", keys, where)],
            select=_strings(raw, "select", keys, where),
            ignore=_strings(raw, "ignore", keys, where),
            severity=_severities(raw, keys, where),
        ))
    return config


def _resolve_pack(name: str, base: Path) -> str:
    """A pack path in a config file is relative to that file; a built-in name stays a name."""
    if "/" in name or "\\" in name or name.endswith((".yaml", ".yml")):
        candidate = Path(name)
        return str(candidate if candidate.is_absolute() else base / candidate)
    return name


def _reject_unknown(data: dict, allowed: set, keys: tuple, where: Where) -> None:
    message = unknown_key(data, allowed, keys, where)
    if message:
        raise ConfigError(message)


def _strings(data: dict, key: str, keys: tuple, where: Where) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where.at(keys + (key,))}: {describe(keys + (key,))}: must be a list of strings")
    return list(value)


def _severities(data: dict, keys: tuple, where: Where) -> dict[str, str]:
    value = data.get("severity")
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where.at(keys + ('severity',))}: {describe(keys + ('severity',))}: must map rule ids to error, warning or info")
    for rule, severity in value.items():
        if severity not in SEVERITIES:
            at = keys + ("severity", rule)
            raise ConfigError(f"{where.at(at)}: {describe(at)}: '{severity}' is not one of {', '.join(SEVERITIES)}")
    return dict(value)


def matches(rule_id: str, selector: str) -> bool:
    """A selector is a rule id (`overpromise.cure`) or a whole pack (`overpromise`)."""
    return rule_id == selector or rule_id.startswith(selector + ".")


STARTER = """\
# claimlint configuration (https://github.com/claimlint/claimlint#configuration)
# Paths and globs are relative to this file. Command-line flags win over these settings.

# Packs added to the five on by default (claims, overpromise, exaggeration, disclaimers, references):
# built-in names (us-dshea, us-ftc, uk-cap, eu-nhc, au-tga, editorial) or paths to your own.
packs: []

# Run only these rules or packs (empty: all), and skip these.
select: []
ignore: []
#   - references.order

# Change a rule's severity (error, warning, info).
severity: {}
#   claims.uncited: error

# Lowest severity that makes `claimlint check` exit with 1: error, warning, info or never.
fail_on: error

# Which files a folder walk lints (hidden folders, node_modules and build output are skipped).
include: []
exclude: []
#   - "drafts/**"

# Different rules for parts of the site.
overrides: []
#   - paths: ["shop/**"]
#     packs: [us-dshea, us-ftc]
#   - paths: ["news/**"]
#     ignore: [disclaimers]

# Language pipeline: blank (built in) or the name of an installed spaCy pipeline.
language: blank
"""
