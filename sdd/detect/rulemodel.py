"""The rule pack as data: rules, categories and named glob lists, compiled on first use.

A rule keeps the text of its expressions and globs and compiles them the first time they are
read (``Rule.match``, ``Rule.paths`` …): a diff only pays for the rules that can apply to it. One
compiled object serves every rule that shares a text (many read the same ``@code`` globs).
Loading and validating a pack is ``sdd.detect.rulepack``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from sdd.base.globs import GlobSet
from sdd.detect.prefilter import cached_literals
from sdd.detect.roles import FileRoles
from sdd.detect.scanner import Literal, LiteralScanner


@functools.lru_cache(maxsize=1024)
def compiled(pattern: str) -> re.Pattern[str]:
    """A rule's expression, compiled as every rule expression is (``re.MULTILINE``)."""
    return re.compile(pattern, re.MULTILINE)


@functools.lru_cache(maxsize=256)
def glob_set(patterns: tuple[str, ...]) -> GlobSet:
    """One compiled set per distinct list: many rules read the same ``@code`` files."""
    return GlobSet(patterns)


def _optional(pattern: str | None) -> re.Pattern[str] | None:
    return None if pattern is None else compiled(pattern)


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
    path_patterns: tuple[str, ...] | None
    path_regex_source: str | None
    exclude_patterns: tuple[str, ...] | None
    status: frozenset[str] | None
    match_source: str | None
    key_match_source: str | None
    sides: frozenset[str]
    dependency: frozenset[str] | None
    libraries: tuple[str, ...]
    ecosystems: frozenset[str] | None
    min_count: int
    origin: str
    checklist: str | None = None  # the role `sdd pr checklist` reads the rule for
    argument_edits: bool = False  # the same call and subject on both sides is no signal
    keyed: bool = False  # match has a (?P<key…>) group: keys are compared across sides

    @property
    def match(self) -> re.Pattern[str] | None:
        return _optional(self.match_source)

    @property
    def key_match(self) -> re.Pattern[str] | None:
        return _optional(self.key_match_source)

    @property
    def path_regex(self) -> re.Pattern[str] | None:
        return _optional(self.path_regex_source)

    @property
    def paths(self) -> GlobSet | None:
        return None if self.path_patterns is None else glob_set(self.path_patterns)

    @property
    def exclude(self) -> GlobSet | None:
        return None if self.exclude_patterns is None else glob_set(self.exclude_patterns)

    @property
    def is_path_rule(self) -> bool:
        return self.match_source is None and self.dependency is None

    def path_key(self) -> tuple[object, ...]:
        return (self.path_patterns, self.path_regex_source, self.exclude_patterns)


class LazyGlobSets(Mapping[str, GlobSet]):
    """Named glob lists compiled on first use: most runs read few of them (a diff without a
    manifest never asks for a library group)."""

    def __init__(self, patterns: Mapping[str, Sequence[str]]) -> None:
        self._patterns = {name: tuple(globs) for name, globs in patterns.items()}

    def __getitem__(self, name: str) -> GlobSet:
        return glob_set(self._patterns[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._patterns)

    def __len__(self) -> int:
        return len(self._patterns)


@dataclass
class RulePack:
    threshold: float
    categories: Mapping[str, Category]
    exclude_patterns: tuple[str, ...]
    rules: tuple[Rule, ...]
    manifest_patterns: tuple[tuple[tuple[str, ...], str], ...]
    dev_tool_patterns: tuple[str, ...]
    libraries: Mapping[str, GlobSet]
    # Named glob lists (``@code``, ``@tests``, ``@api`` …) for readers other than the rules
    # (the PR checklist), and the lock files each manifest format keeps beside it.
    path_sets: Mapping[str, GlobSet] = field(default_factory=dict)
    locks: Mapping[str, GlobSet] = field(default_factory=dict)
    roles: FileRoles = field(default_factory=FileRoles)
    # Rules sdd.yaml switched off that the PR checklist would read: id → checklist role.
    disabled: Mapping[str, str] = field(default_factory=dict)
    # Prefilter literals known without compiling the rule (a cached pack): id → literals.
    known_literals: Mapping[str, tuple[Literal, ...] | None] = field(default_factory=dict)
    _prefilters: dict[str, tuple[Literal, ...] | None] = field(default_factory=dict, repr=False)

    @property
    def exclude(self) -> GlobSet:
        return glob_set(self.exclude_patterns)

    @property
    def dev_tools(self) -> GlobSet:
        return glob_set(self.dev_tool_patterns)

    @property
    def manifests(self) -> tuple[tuple[GlobSet, str], ...]:
        return tuple((glob_set(globs), fmt) for globs, fmt in self.manifest_patterns)

    @property
    def manifest_glob_patterns(self) -> tuple[str, ...]:
        return tuple(p for globs, _ in self.manifest_patterns for p in globs)

    @property
    def manifest_globs(self) -> GlobSet:
        """Every manifest glob at once, to find the few manifests among many files."""
        return glob_set(self.manifest_glob_patterns)

    def prefilter(self, rule: Rule) -> tuple[Literal, ...] | None:
        """The literals one of which each match of a content rule holds (None: no prefilter)."""
        if rule.id not in self._prefilters:
            if rule.id in self.known_literals and rule.origin == "package":
                found = self.known_literals[rule.id]
            else:
                match = rule.match
                found = cached_literals(match) if match is not None else None
            self._prefilters[rule.id] = found
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
