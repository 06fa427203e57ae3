"""The rule pack of ``sdd adr detect``: rules as data, validated once, compiled once.

The packaged pack is ``sdd/detect/rules/default.yaml`` (its header documents every rule key). A
project extends or overrides it from ``sdd.yaml``: ``detect.rules`` entries with a new id are
added, entries with a packaged id are merged over the packaged rule (``enabled: false`` turns it
off), ``detect.ignore`` adds excluded globs and ``detect.threshold`` replaces the threshold. A
bad rule is a ``ConfigError`` naming the rule, the key and the line of ``sdd.yaml``; a bad
packaged rule is a ``ParseError`` naming the pack.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdd.base.errors import ConfigError, ConfigProblem, ParseError
from sdd.base.globs import GlobSet, check_glob
from sdd.detect.diff import ADDED, COPIED, DELETED, MODIFIED, RENAMED
from sdd.detect.manifests import model as manifests
from sdd.detect.manifests.formats import ECOSYSTEMS, FORMATS
from sdd.detect.prefilter import Literal, LiteralScanner, cached_literals
from sdd.detect.roles import FileRoles, file_roles, role_sets

PACK_PATH = Path(__file__).resolve().parent / "rules" / "default.yaml"
STATUSES = frozenset({ADDED, DELETED, MODIFIED, RENAMED, COPIED})
LINE_SIDES = frozenset({"added", "removed", "renamed"})
DEPENDENCY_KINDS = manifests.KINDS
RULE_KEYS = frozenset(
    {
        "id", "category", "description", "weight", "paths", "path_regex", "exclude", "status",
        "match", "key_match", "sides", "dependency", "libraries", "ecosystems", "min_count",
        "enabled", "checklist", "argument_edits",
    }
)  # fmt: skip
# What `sdd pr checklist` reads rules for: it selects rules by these roles, never by id.
CHECKLIST_ROLES = frozenset(
    {"route-contract", "api-contract", "endpoint-guard", "migration", "data-model"}
)
_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_CATEGORY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Category:
    name: str
    title: str
    brief: str


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    description: str
    weight: float
    paths: GlobSet | None
    path_regex: re.Pattern[str] | None
    exclude: GlobSet | None
    status: frozenset[str] | None
    match: re.Pattern[str] | None
    key_match: re.Pattern[str] | None
    sides: frozenset[str]
    dependency: frozenset[str] | None
    libraries: tuple[str, ...]
    ecosystems: frozenset[str] | None
    min_count: int
    origin: str
    checklist: str | None = None  # the role `sdd pr checklist` reads the rule for
    argument_edits: bool = False  # the same call and subject on both sides is no signal

    @property
    def keyed(self) -> bool:
        return self.match is not None and any(n.startswith("key") for n in self.match.groupindex)

    @property
    def is_path_rule(self) -> bool:
        return self.match is None and self.dependency is None

    def path_key(self) -> tuple[object, ...]:
        return (
            self.paths.patterns if self.paths else None,
            self.path_regex.pattern if self.path_regex else None,
            self.exclude.patterns if self.exclude else None,
        )


@dataclass
class RulePack:
    threshold: float
    categories: Mapping[str, Category]
    exclude: GlobSet
    rules: tuple[Rule, ...]
    manifests: tuple[tuple[GlobSet, str], ...]
    dev_tools: GlobSet
    libraries: Mapping[str, GlobSet]
    # Named glob lists (``@code``, ``@tests``, ``@api`` …) for readers other than the rules
    # (the PR checklist), and the lock files each manifest format keeps beside it.
    path_sets: Mapping[str, GlobSet] = field(default_factory=dict)
    locks: Mapping[str, GlobSet] = field(default_factory=dict)
    roles: FileRoles = field(default_factory=FileRoles)
    # Rules sdd.yaml switched off that the PR checklist would read: id → checklist role.
    disabled: Mapping[str, str] = field(default_factory=dict)
    _prefilters: dict[str, tuple[Literal, ...] | None] = field(default_factory=dict, repr=False)
    _manifest_globs: GlobSet | None = field(default=None, repr=False)

    @property
    def manifest_globs(self) -> GlobSet:
        """Every manifest glob at once, to find the few manifests among many files."""
        if self._manifest_globs is None:
            self._manifest_globs = GlobSet(p for globs, _ in self.manifests for p in globs.patterns)
        return self._manifest_globs

    def prefilter(self, rule: Rule) -> tuple[Literal, ...] | None:
        """The literals one of which each match of a content rule holds (None: no prefilter)."""
        if rule.id not in self._prefilters:
            self._prefilters[rule.id] = (
                cached_literals(rule.match) if rule.match is not None else None
            )
        return self._prefilters[rule.id]

    def scanner(self, rules: Iterable[Rule]) -> LiteralScanner:
        """One scanner for the prefiltered ``rules``."""
        literals = {}
        for rule in rules:
            found = self.prefilter(rule)
            if found is not None:
                literals[rule.id] = found
        return LiteralScanner(literals)

    def checklist(self, role: str) -> tuple[Rule, ...]:
        """The enabled rules `sdd pr checklist` reads for ``role``."""
        return tuple(rule for rule in self.rules if rule.checklist == role)

    def disabled_for(self, role: str) -> list[str]:
        """Ids of rules with ``role`` that the configuration disabled."""
        return sorted(rule_id for rule_id, found in self.disabled.items() if found == role)

    def category(self, name: str) -> Category:
        found = self.categories.get(name)
        if found is not None:
            return found
        readable = name.replace("-", " ")
        return Category(name, readable.capitalize(), readable)


class LazyGlobSets(Mapping[str, GlobSet]):
    """Named glob lists compiled on first use: most runs read few of them (a diff without a
    manifest never asks for a library group)."""

    def __init__(self, patterns: Mapping[str, Sequence[str]]) -> None:
        self._patterns = dict(patterns)
        self._compiled: dict[str, GlobSet] = {}

    def __getitem__(self, name: str) -> GlobSet:
        found = self._compiled.get(name)
        if found is None:
            found = self._compiled[name] = GlobSet(self._patterns[name])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._patterns)

    def __len__(self) -> int:
        return len(self._patterns)


class _RuleProblem(Exception):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


def _string_list(raw: dict[str, Any], key: str) -> list[str]:
    value = raw.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _RuleProblem(key, f"{key} must be a list of strings")
    return list(value)


def _expand(patterns: list[str], key: str, sets: Mapping[str, list[str]]) -> GlobSet | None:
    if not patterns:
        return None
    expanded: list[str] = []
    for pattern in patterns:
        if pattern.startswith("@"):
            if pattern[1:] not in sets:
                known = ", ".join(f"@{name}" for name in sorted(sets)) or "none"
                raise _RuleProblem(key, f"unknown path set {pattern!r} (known: {known})")
            expanded.extend(sets[pattern[1:]])
            continue
        problem = check_glob(pattern)
        if problem:
            raise _RuleProblem(key, problem)
        expanded.append(pattern)
    return _glob_set(tuple(expanded))


@functools.lru_cache(maxsize=256)
def _glob_set(patterns: tuple[str, ...]) -> GlobSet:
    """One compiled set per distinct list: many rules read the same ``@code`` files."""
    return GlobSet(patterns)


def _regex(raw: dict[str, Any], key: str, *, configured: bool = False) -> re.Pattern[str] | None:
    """The compiled pattern; a configured one (sdd.yaml) is also refused when it may backtrack
    exponentially (the packaged ones are checked by a test, not on every run)."""
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise _RuleProblem(key, f"{key} must be a non-empty regular expression")
    try:
        compiled = re.compile(value, re.MULTILINE)
    except re.error as exc:
        raise _RuleProblem(key, f"invalid regular expression: {exc}") from None
    if configured:
        from sdd.detect.backtracking import backtracking_risk

        risk = backtracking_risk(value)
        if risk is not None:
            raise _RuleProblem(
                key, f"{key} may take exponential time on a long line, so it is refused: {risk}"
            )
    return compiled


def _choices(raw: dict[str, Any], key: str, allowed: frozenset[str]) -> frozenset[str] | None:
    if key not in raw or raw[key] is None:
        return None
    values = _string_list(raw, key)
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise _RuleProblem(key, f"{key} {unknown[0]!r} is not one of {', '.join(sorted(allowed))}")
    return frozenset(values)


def build_rule(
    raw: dict[str, Any],
    *,
    origin: str,
    sets: Mapping[str, list[str]],
    library_groups: Iterable[str],
) -> Rule:
    """A validated rule; ``_RuleProblem`` names the offending key."""
    unknown = sorted(str(k) for k in set(raw) - RULE_KEYS)
    if unknown:
        raise _RuleProblem(unknown[0], f"unknown key {unknown[0]!r}")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise _RuleProblem("id", "id must be lower-case letters, digits, '.', '_' or '-'")
    category = raw.get("category")
    if not isinstance(category, str) or not _CATEGORY.match(category):
        raise _RuleProblem("category", "category must be a lower-case name such as 'auth'")
    weight = raw.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
        raise _RuleProblem("weight", "weight must be a number greater than 0")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise _RuleProblem("description", "description must be a string")
    configured = origin != "package"
    match = _regex(raw, "match", configured=configured)
    dependency = _choices(raw, "dependency", DEPENDENCY_KINDS)
    if match is not None and dependency is not None:
        raise _RuleProblem("dependency", "a rule has either match or dependency, not both")
    sides = _choices(raw, "sides", LINE_SIDES) or frozenset({"added", "removed"})
    keyed = match is not None and any(name.startswith("key") for name in match.groupindex)
    if "renamed" in sides and not keyed:
        raise _RuleProblem("sides", "'renamed' needs a (?P<key>…) group in match")
    key_match = _regex(raw, "key_match", configured=configured)
    if key_match is not None and not keyed:
        raise _RuleProblem("key_match", "key_match needs a (?P<key>…) group in match")
    groups = set(library_groups)
    libraries = tuple(_string_list(raw, "libraries"))
    for group in libraries:
        if group not in groups:
            raise _RuleProblem("libraries", f"unknown library group {group!r}")
    ecosystems = _choices(raw, "ecosystems", ECOSYSTEMS)
    min_count = raw.get("min_count", 1)
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise _RuleProblem("min_count", "min_count must be a whole number of at least 1")
    if (libraries or ecosystems or "min_count" in raw) and dependency is None:
        key = "libraries" if libraries else "ecosystems" if ecosystems else "min_count"
        raise _RuleProblem(key, f"{key} only applies to dependency rules")
    paths = _expand(_string_list(raw, "paths"), "paths", sets)
    exclude = _expand(_string_list(raw, "exclude"), "exclude", sets)
    path_regex = _regex(raw, "path_regex", configured=configured)
    status = _choices(raw, "status", STATUSES)
    if match is None and dependency is None and paths is None and path_regex is None and not status:
        raise _RuleProblem("match", "a rule needs match, dependency, paths, path_regex or status")
    return Rule(
        id=rule_id,
        category=category,
        description=description,
        weight=float(weight),
        paths=paths,
        path_regex=path_regex,
        exclude=exclude,
        status=status,
        match=match,
        key_match=key_match,
        sides=sides,
        dependency=dependency,
        libraries=libraries,
        ecosystems=ecosystems,
        min_count=min_count,
        origin=origin,
        checklist=_checklist(raw),
        argument_edits=_flag(raw, "argument_edits"),
    )


def _flag(raw: dict[str, Any], key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise _RuleProblem(key, f"{key} must be true or false")
    return value


def _checklist(raw: dict[str, Any]) -> str | None:
    value = raw.get("checklist")
    if value is None:
        return None
    if value not in CHECKLIST_ROLES:
        raise _RuleProblem(
            "checklist", f"checklist must be one of {', '.join(sorted(CHECKLIST_ROLES))}"
        )
    return str(value)


def _pack_problem(message: str, source: Path, line: int | None = None) -> ParseError:
    return ParseError(f"rule pack: {message}", path=source, line=line)


def load_rule_pack(
    *,
    extra_rules: Sequence[dict[str, Any]] = (),
    ignore: Sequence[str] = (),
    threshold: float | None = None,
    config_path: Path | None = None,
    pack_path: Path = PACK_PATH,
) -> RulePack:
    """The packaged rules merged with the project's (``detect`` in ``sdd.yaml``)."""
    from sdd.base import yamlio

    try:
        text = pack_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _pack_problem(f"cannot be read ({exc.strerror}); reinstall sdd", pack_path) from None
    data = yamlio.load(text, pack_path)
    if not isinstance(data, dict):
        raise _pack_problem("must be a mapping", pack_path)
    sets = {str(k): [str(p) for p in v] for k, v in (data.get("path_sets") or {}).items()}
    role_data = data.get("roles") or {}
    sets.update(role_sets(role_data))
    libraries = LazyGlobSets(
        {
            str(group): [str(n) for n in names]
            for group, names in (data.get("libraries") or {}).items()
        }
    )
    categories = {
        str(name): Category(str(name), str(info.get("title", name)), str(info.get("brief", name)))
        for name, info in (data.get("categories") or {}).items()
    }
    packaged: dict[str, dict[str, Any]] = {}
    for position, raw in enumerate(data.get("rules") or []):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise _pack_problem(f"rule {position} has no id", pack_path)
        if raw["id"] in packaged:
            raise _pack_problem(f"rule id {raw['id']!r} is used twice", pack_path)
        packaged[raw["id"]] = raw
    merged: dict[str, tuple[dict[str, Any], str, int | None]] = {
        rule_id: (raw, "package", None) for rule_id, raw in packaged.items()
    }
    for position, raw in enumerate(extra_rules):
        if not isinstance(raw, dict):
            raise _config_problem(config_path, position, None, "a rule must be a mapping")
        rule_id = raw.get("id")
        if not isinstance(rule_id, str):
            raise _config_problem(config_path, position, "id", "a rule needs an id")
        if merged.get(rule_id, (None, "package", None))[1] == "sdd.yaml":
            raise _config_problem(
                config_path, position, "id", f"rule id {rule_id!r} is used twice in sdd.yaml"
            )
        base = packaged.get(rule_id, {})
        merged[rule_id] = ({**base, **raw}, "sdd.yaml", position)
    rules: list[Rule] = []
    disabled: dict[str, str] = {}
    for rule_id, (raw, origin, index) in merged.items():
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            if index is None:
                raise _pack_problem(f"rule {rule_id!r}: enabled must be true or false", pack_path)
            raise _config_problem(
                config_path, index, "enabled", f"rule {rule_id!r}: enabled must be true or false"
            )
        if not enabled:
            if isinstance(raw.get("checklist"), str):
                disabled[rule_id] = raw["checklist"]
            continue
        try:
            rules.append(build_rule(raw, origin=origin, sets=sets, library_groups=libraries))
        except _RuleProblem as problem:
            if index is None:
                raise _pack_problem(f"rule {rule_id!r}: {problem.message}", pack_path) from None
            raise _config_problem(
                config_path, index, problem.key, f"rule {rule_id!r}: {problem.message}"
            ) from None
    for pattern in ignore:
        problem_text = check_glob(pattern)
        if problem_text:
            raise ConfigError(
                problem_text,
                path=config_path or "sdd.yaml",
                problems=[
                    ConfigProblem(
                        "detect.ignore",
                        _config_line(config_path, ("detect", "ignore")),
                        problem_text,
                    )
                ],
            )
    manifest_list: list[tuple[GlobSet, str]] = []
    locks: dict[str, GlobSet] = {}
    for entry in data.get("manifests") or []:
        fmt = str(entry.get("format"))
        if fmt not in FORMATS:
            raise _pack_problem(f"unknown manifest format {fmt!r}", pack_path)
        manifest_list.append((GlobSet(str(p) for p in entry.get("paths") or []), fmt))
        if entry.get("locks"):
            locks[fmt] = GlobSet(str(p) for p in entry["locks"])
    roles = file_roles(
        role_data,
        [(g, f, FORMATS[f].ecosystem, FORMATS[f].lock) for g, f in manifest_list],
    )
    try:
        exclude = _expand([str(p) for p in data.get("exclude") or []], "exclude", sets)
    except _RuleProblem as problem:
        raise _pack_problem(f"exclude: {problem.message}", pack_path) from None
    pack_threshold = data.get("threshold", 3)
    return RulePack(
        threshold=float(threshold if threshold is not None else pack_threshold),
        categories=categories,
        exclude=GlobSet([*(exclude.patterns if exclude else ()), *ignore]),
        rules=tuple(rules),
        manifests=tuple(manifest_list),
        dev_tools=GlobSet(str(p) for p in data.get("dev_tools") or []),
        libraries=libraries,
        path_sets=LazyGlobSets(sets),
        roles=roles,
        disabled=disabled,
        locks=locks,
    )


def _config_line(config_path: Path | None, loc: tuple[int | str, ...]) -> int | None:
    if config_path is None:
        return None
    from sdd.base import yamlio

    try:
        text = config_path.read_text(encoding="utf-8")
        return yamlio.line_of(yamlio.compose(text, config_path), loc)
    except (OSError, ParseError, UnicodeDecodeError):
        return None


def _config_problem(
    config_path: Path | None, index: int, key: str | None, message: str
) -> ConfigError:
    loc: tuple[int | str, ...] = ("detect", "rules", index) + ((key,) if key else ())
    field_name = ".".join(str(part) for part in loc)
    line = _config_line(config_path, loc)
    return ConfigError(
        message,
        path=config_path or "sdd.yaml",
        problems=[ConfigProblem(field_name, line, message)],
    )
