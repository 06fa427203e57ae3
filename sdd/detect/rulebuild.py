"""One rule of the pack from its raw mapping: validated, or taken as already validated.

``build_rule`` checks every key and compiles every expression and glob once, so that a bad
rule is refused with the key that is wrong. A packaged pack read back from its cache (see
``sdd.detect.packcache``) was checked when the cache was written: its rules are built with
``checked=True``, which keeps the texts and compiles nothing (``sdd.detect.rulemodel``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sdd.base.globs import check_glob
from sdd.detect.diff import ADDED, COPIED, DELETED, MODIFIED, RENAMED
from sdd.detect.manifests import model as manifests
from sdd.detect.rulemodel import Rule, compiled

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


class RuleProblem(Exception):
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
        raise RuleProblem(key, f"{key} must be a list of strings")
    return list(value)


def expand(
    patterns: list[str], key: str, sets: Mapping[str, list[str]], *, checked: bool = False
) -> tuple[str, ...] | None:
    """The globs with ``@name`` entries expanded; each checked unless ``checked``."""
    if not patterns:
        return None
    expanded: list[str] = []
    for pattern in patterns:
        if pattern.startswith("@"):
            if pattern[1:] not in sets:
                known = ", ".join(f"@{name}" for name in sorted(sets)) or "none"
                raise RuleProblem(key, f"unknown path set {pattern!r} (known: {known})")
            expanded.extend(sets[pattern[1:]])
            continue
        problem = None if checked else check_glob(pattern)
        if problem:
            raise RuleProblem(key, problem)
        expanded.append(pattern)
    return tuple(p.strip() for p in expanded if p.strip())


def _regex(
    raw: dict[str, Any], key: str, *, configured: bool = False, checked: bool = False
) -> str | None:
    """The pattern's text, compiled once to check it (unless ``checked``); a configured one
    (sdd.yaml) is also refused when it may backtrack exponentially (the packaged ones are
    checked by a test, not on every run)."""
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise RuleProblem(key, f"{key} must be a non-empty regular expression")
    if checked:
        return value
    try:
        compiled(value)
    except re.error as exc:
        raise RuleProblem(key, f"invalid regular expression: {exc}") from None
    if configured:
        from sdd.detect.backtracking import backtracking_risk

        risk = backtracking_risk(value)
        if risk is not None:
            raise RuleProblem(
                key, f"{key} may take exponential time on a long line, so it is refused: {risk}"
            )
    return value


def _choices(
    raw: dict[str, Any], key: str, allowed: frozenset[str] | None
) -> frozenset[str] | None:
    """The values of a list key; each must be ``allowed`` (None: already checked)."""
    if key not in raw or raw[key] is None:
        return None
    values = _string_list(raw, key)
    unknown = sorted(set(values) - allowed) if allowed is not None else []
    if unknown:
        assert allowed is not None
        raise RuleProblem(key, f"{key} {unknown[0]!r} is not one of {', '.join(sorted(allowed))}")
    return frozenset(values)


def _ecosystems() -> frozenset[str]:
    from sdd.detect.manifests.formats import ECOSYSTEMS

    return ECOSYSTEMS


def build_rule(
    raw: dict[str, Any],
    *,
    origin: str,
    sets: Mapping[str, list[str]],
    library_groups: Iterable[str],
    checked: bool = False,
    keyed: bool | None = None,
) -> Rule:
    """A validated rule; ``RuleProblem`` names the offending key.

    ``checked``: the rule was validated before (a cached pack), so nothing is compiled and
    ``keyed`` (whether match has a ``key…`` group) is given rather than read from the pattern.
    """
    unknown = sorted(str(k) for k in set(raw) - RULE_KEYS)
    if unknown:
        raise RuleProblem(unknown[0], f"unknown key {unknown[0]!r}")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise RuleProblem("id", "id must be lower-case letters, digits, '.', '_' or '-'")
    category = raw.get("category")
    if not isinstance(category, str) or not _CATEGORY.match(category):
        raise RuleProblem("category", "category must be a lower-case name such as 'auth'")
    weight = raw.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
        raise RuleProblem("weight", "weight must be a number greater than 0")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise RuleProblem("description", "description must be a string")
    configured = origin != "package"
    match = _regex(raw, "match", configured=configured, checked=checked)
    dependency = _choices(raw, "dependency", DEPENDENCY_KINDS)
    if match is not None and dependency is not None:
        raise RuleProblem("dependency", "a rule has either match or dependency, not both")
    sides = _choices(raw, "sides", LINE_SIDES) or frozenset({"added", "removed"})
    if keyed is None or not checked:
        keyed = match is not None and any(n.startswith("key") for n in compiled(match).groupindex)
    if "renamed" in sides and not keyed:
        raise RuleProblem("sides", "'renamed' needs a (?P<key>…) group in match")
    key_match = _regex(raw, "key_match", configured=configured, checked=checked)
    if key_match is not None and not keyed:
        raise RuleProblem("key_match", "key_match needs a (?P<key>…) group in match")
    groups = set(library_groups)
    libraries = tuple(_string_list(raw, "libraries"))
    for group in libraries:
        if group not in groups:
            raise RuleProblem("libraries", f"unknown library group {group!r}")
    ecosystems = _choices(raw, "ecosystems", None if checked else _ecosystems())
    min_count = raw.get("min_count", 1)
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise RuleProblem("min_count", "min_count must be a whole number of at least 1")
    if (libraries or ecosystems or "min_count" in raw) and dependency is None:
        key = "libraries" if libraries else "ecosystems" if ecosystems else "min_count"
        raise RuleProblem(key, f"{key} only applies to dependency rules")
    paths = expand(_string_list(raw, "paths"), "paths", sets, checked=checked)
    exclude = expand(_string_list(raw, "exclude"), "exclude", sets, checked=checked)
    path_regex = _regex(raw, "path_regex", configured=configured, checked=checked)
    status = _choices(raw, "status", STATUSES)
    if match is None and dependency is None and paths is None and path_regex is None and not status:
        raise RuleProblem("match", "a rule needs match, dependency, paths, path_regex or status")
    return Rule(
        id=rule_id,
        category=category,
        description=description,
        weight=float(weight),
        path_patterns=paths,
        path_regex_source=path_regex,
        exclude_patterns=exclude,
        status=status,
        match_source=match,
        key_match_source=key_match,
        sides=sides,
        dependency=dependency,
        libraries=libraries,
        ecosystems=ecosystems,
        min_count=min_count,
        origin=origin,
        checklist=_checklist(raw),
        argument_edits=_flag(raw, "argument_edits"),
        keyed=keyed,
    )


def _flag(raw: dict[str, Any], key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise RuleProblem(key, f"{key} must be true or false")
    return value


def _checklist(raw: dict[str, Any]) -> str | None:
    value = raw.get("checklist")
    if value is None:
        return None
    if value not in CHECKLIST_ROLES:
        raise RuleProblem(
            "checklist", f"checklist must be one of {', '.join(sorted(CHECKLIST_ROLES))}"
        )
    return str(value)
