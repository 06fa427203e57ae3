"""The rule pack of ``sdd adr detect``: rules as data, validated once, compiled on first use.

The packaged pack is ``sdd/detect/rules/default.yaml`` (its header documents every rule key). A
project extends or overrides it from ``sdd.yaml``: ``detect.rules`` entries with a new id are
added, entries with a packaged id are merged over the packaged rule (``enabled: false`` turns it
off), ``detect.ignore`` adds excluded globs and ``detect.threshold`` replaces the threshold. A
bad rule is a ``ConfigError`` naming the rule, the key and the line of ``sdd.yaml``; a bad
packaged rule is a ``ParseError`` naming the pack.

Given a ``PackCache`` (the command's I/O edge keeps one on disk, ``sdd.detect.packcache``), the
packaged pack is read from it when its content is unchanged: no YAML parser, no validation, and
the facts found by compiling each rule (its ``key`` group, its prefilter literals) come with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from sdd.base.errors import ConfigError, ConfigProblem, ParseError
from sdd.base.globs import check_glob
from sdd.detect.prefilter import Literal, cached_literals
from sdd.detect.roles import file_roles, role_sets
from sdd.detect.rulebuild import (
    CHECKLIST_ROLES as CHECKLIST_ROLES,
)
from sdd.detect.rulebuild import (
    DEPENDENCY_KINDS as DEPENDENCY_KINDS,
)
from sdd.detect.rulebuild import (
    LINE_SIDES as LINE_SIDES,
)
from sdd.detect.rulebuild import (
    RULE_KEYS as RULE_KEYS,
)
from sdd.detect.rulebuild import (
    STATUSES as STATUSES,
)
from sdd.detect.rulebuild import RuleProblem, build_rule, expand
from sdd.detect.rulemodel import Category as Category
from sdd.detect.rulemodel import LazyGlobSets as LazyGlobSets
from sdd.detect.rulemodel import Rule as Rule
from sdd.detect.rulemodel import RulePack as RulePack
from sdd.detect.rulemodel import compiled

PACK_PATH = Path(__file__).resolve().parent / "rules" / "default.yaml"


class PackCache(Protocol):
    """Where validated packs are kept between runs, by the digest of their text."""

    def get(self, digest: str) -> Mapping[str, Any] | None: ...

    def put(self, digest: str, entry: dict[str, Any]) -> None: ...


def _pack_problem(message: str, source: Path, line: int | None = None) -> ParseError:
    return ParseError(f"rule pack: {message}", path=source, line=line)


def _read_pack(
    pack_path: Path, cache: PackCache | None
) -> tuple[Any, Mapping[str, Any] | None, str]:
    """The pack's data, the facts a cache keeps for this exact text (if any), its digest."""
    try:
        raw = pack_path.read_bytes()
    except OSError as exc:
        raise _pack_problem(f"cannot be read ({exc.strerror}); reinstall sdd", pack_path) from None
    digest = hashlib.sha256(raw).hexdigest()
    entry = cache.get(digest) if cache is not None else None
    if entry is not None:
        return entry["data"], entry, digest
    from sdd.base import yamlio

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _pack_problem("is not UTF-8 text; reinstall sdd", pack_path) from None
    return yamlio.load(text, pack_path), None, digest


def _formats(names: Sequence[str], facts: Mapping[str, Any] | None) -> dict[str, tuple[str, bool]]:
    """format → (ecosystem, lock file?) for the formats the pack names."""
    if facts is not None:
        return {name: (str(value[0]), bool(value[1])) for name, value in facts["formats"].items()}
    from sdd.detect.manifests.formats import FORMATS

    known = [name for name in names if name in FORMATS]
    return {name: (FORMATS[name].ecosystem, FORMATS[name].lock) for name in known}


def load_rule_pack(
    *,
    extra_rules: Sequence[dict[str, Any]] = (),
    ignore: Sequence[str] = (),
    threshold: float | None = None,
    config_path: Path | None = None,
    pack_path: Path = PACK_PATH,
    cache: PackCache | None = None,
) -> RulePack:
    """The packaged rules merged with the project's (``detect`` in ``sdd.yaml``)."""
    data, facts, digest = _read_pack(pack_path, cache)
    checked = facts is not None
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
    keyed: Mapping[str, bool] = facts["keyed"] if facts is not None else {}
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
        trusted = checked and index is None
        try:
            rules.append(
                build_rule(
                    raw,
                    origin=origin,
                    sets=sets,
                    library_groups=libraries,
                    checked=trusted,
                    keyed=keyed.get(rule_id) if trusted else None,
                )
            )
        except RuleProblem as problem:
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
    entries = data.get("manifests") or []
    formats = _formats([str(entry.get("format")) for entry in entries], facts)
    manifest_list: list[tuple[tuple[str, ...], str]] = []
    locks: dict[str, list[str]] = {}
    for entry in entries:
        fmt = str(entry.get("format"))
        if fmt not in formats:
            raise _pack_problem(f"unknown manifest format {fmt!r}", pack_path)
        manifest_list.append((_globs(entry.get("paths") or []), fmt))
        if entry.get("locks"):
            locks[fmt] = [str(p) for p in entry["locks"]]
    roles = file_roles(role_data, [(g, f, formats[f][0], formats[f][1]) for g, f in manifest_list])
    try:
        exclude = expand(
            [str(p) for p in data.get("exclude") or []], "exclude", sets, checked=checked
        )
    except RuleProblem as problem:
        raise _pack_problem(f"exclude: {problem.message}", pack_path) from None
    pack_threshold = data.get("threshold", 3)
    pack = RulePack(
        threshold=float(threshold if threshold is not None else pack_threshold),
        categories=categories,
        exclude_patterns=_globs([*(exclude or ()), *ignore]),
        rules=tuple(rules),
        manifest_patterns=tuple(manifest_list),
        dev_tool_patterns=_globs(data.get("dev_tools") or []),
        libraries=libraries,
        path_sets=LazyGlobSets(sets),
        roles=roles,
        disabled=disabled,
        locks=LazyGlobSets(locks),
        known_literals=_literals(facts) if facts is not None else {},
    )
    if cache is not None and facts is None:
        _keep(cache, digest, data, packaged, formats)
    return pack


def _globs(patterns: Sequence[object]) -> tuple[str, ...]:
    return tuple(str(p).strip() for p in patterns if str(p).strip())


def _literals(facts: Mapping[str, Any]) -> dict[str, tuple[Literal, ...] | None]:
    return {
        rule_id: None if value is None else tuple((text, case) for text, case in value)
        for rule_id, value in facts["literals"].items()
    }


def _keep(
    cache: PackCache,
    digest: str,
    data: dict[str, Any],
    packaged: Mapping[str, dict[str, Any]],
    formats: Mapping[str, tuple[str, bool]],
) -> None:
    """Offer the validated packaged pack, and what compiling its rules told, to the cache.

    Facts are taken from the packaged rules themselves (never from sdd.yaml's versions of
    them); a pack whose data JSON cannot hold exactly is not kept."""
    try:
        if json.loads(json.dumps(data)) != data:
            return
    except (TypeError, ValueError, RecursionError):
        return
    keyed: dict[str, bool] = {}
    literals: dict[str, list[list[Any]] | None] = {}
    for rule_id, raw in packaged.items():
        match = raw.get("match")
        if not isinstance(match, str):
            continue
        pattern = compiled(match)
        keyed[rule_id] = any(name.startswith("key") for name in pattern.groupindex)
        found = cached_literals(pattern)
        literals[rule_id] = None if found is None else [[text, case] for text, case in found]
    entry = {
        "data": data,
        "keyed": keyed,
        "literals": literals,
        "formats": {name: [ecosystem, lock] for name, (ecosystem, lock) in formats.items()},
    }
    cache.put(digest, entry)


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
