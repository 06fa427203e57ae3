"""What ``sdd adr detect`` found: signals with line evidence, per-category scores, the verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sdd.base.globs import GlobSet
from sdd.detect.manifests import model as manifests
from sdd.detect.rulepack import RulePack

if TYPE_CHECKING:
    from sdd.detect.source import Source

SCHEMA = "sdd.adr-detect/1"
SUGGESTION = (
    "📋 Architectural decision detected: {brief} — Document reasoning and tradeoffs? "
    "Run `/sp.adr {title}`"
)


@dataclass(frozen=True)
class Signal:
    rule: str
    category: str
    path: str
    line: int
    text: str
    side: str  # added | removed | renamed | file | dependency
    weight: float
    covered_by: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "path": self.path,
            "line": self.line,
            "text": self.text,
            "side": self.side,
            "weight": _number(self.weight),
            "covered_by": list(self.covered_by),
        }


@dataclass(frozen=True)
class CategoryResult:
    name: str
    title: str
    score: float
    uncovered_score: float
    threshold: float
    signals: tuple[Signal, ...]
    rules: tuple[str, ...]
    covered_by: tuple[int, ...]

    @property
    def significant(self) -> bool:
        return self.score >= self.threshold

    @property
    def covered(self) -> bool:
        return self.significant and self.uncovered_score < self.threshold

    @property
    def suggested(self) -> bool:
        return self.significant and not self.covered

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "score": _number(self.score),
            "threshold": _number(self.threshold),
            "significant": self.significant,
            "covered": self.covered,
            "covered_by": list(self.covered_by),
            "rules": list(self.rules),
            "signals": [s.as_dict() for s in self.signals],
        }


@dataclass(frozen=True)
class Coverage:
    """What already documents a change: ADRs' ``covers:`` globs and trailer-named ADRs."""

    covers: tuple[tuple[int, GlobSet], ...] = ()
    trailers: tuple[int, ...] = ()

    def covering(self, path: str) -> tuple[int, ...]:
        found = {number for number, globs in self.covers if globs.matches(path)}
        found.update(self.trailers)
        return tuple(sorted(found))


@dataclass(frozen=True)
class Verdict:
    categories: tuple[CategoryResult, ...]  # every category with a signal, strongest first
    threshold: float
    files_changed: int
    files_considered: int
    files_excluded: int
    lines_considered: int
    dependency_changes: tuple[manifests.DependencyChange, ...]
    commits: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    files_moved: int = 0  # deletion/addition pairs that were one file moved

    @property
    def significant(self) -> bool:
        return any(c.significant for c in self.categories)

    @property
    def suggested(self) -> tuple[CategoryResult, ...]:
        return tuple(c for c in self.categories if c.suggested)

    @property
    def suggest(self) -> bool:
        return bool(self.suggested)

    @property
    def covered_by(self) -> tuple[int, ...]:
        return tuple(sorted({n for c in self.categories if c.significant for n in c.covered_by}))

    def title(self, pack: RulePack) -> str | None:
        """A proposed decision title: the dependency change if any, else the categories."""
        chosen = self.suggested or tuple(c for c in self.categories if c.significant)
        if not chosen:
            return None
        names = [c.name for c in chosen[:2]]
        detail = (
            _dependency_detail(self.dependency_changes)
            if "dependencies" in names
            or any(s.side == "dependency" for c in chosen for s in c.signals)
            else ""
        )
        areas = [pack.category(n).title for n in names if n != "dependencies" or not detail]
        if detail:
            suffix = f" ({', '.join(_in_sentence(a) for a in areas)})" if areas else ""
            return detail[0].upper() + detail[1:] + suffix
        if len(areas) == 1:
            return areas[0]
        return f"{areas[0]}, {_in_sentence(areas[1])}"

    def brief(self, pack: RulePack) -> str | None:
        chosen = self.suggested
        if not chosen:
            return None
        parts = []
        for result in chosen:
            files = sorted({s.path for s in result.signals})
            where = files[0] if len(files) == 1 else f"{len(files)} files"
            parts.append(f"{pack.category(result.name).brief} ({where})")
        return ", ".join(parts)

    def message(self, pack: RulePack) -> str | None:
        brief, title = self.brief(pack), self.title(pack)
        if brief is None or title is None:
            return None
        return SUGGESTION.format(brief=brief, title=title)

    def as_dict(
        self, pack: RulePack, *, explain: bool, source: Source | None = None
    ) -> dict[str, object]:
        """The ``sdd.adr.detect/1`` document; ``source`` names where the diff came from."""
        shown = [c for c in self.categories if explain or c.significant]
        categories = [c.as_dict() for c in shown]
        if explain:  # the role of each signal's file, and its ecosystem
            for category in categories:
                for signal in category["signals"]:  # type: ignore[attr-defined]
                    signal["role"] = pack.roles.describe(signal["path"])
        return {
            "schema": SCHEMA,
            "significant": self.significant,
            "suggest": self.suggest,
            "threshold": _number(self.threshold),
            "categories": categories,
            "title": self.title(pack),
            "message": self.message(pack),
            "covered_by": list(self.covered_by),
            "dependency_changes": [
                {
                    "kind": d.kind,
                    "name": d.name,
                    "ecosystem": d.ecosystem,
                    "path": d.path,
                    "line": d.line,
                    "old": d.old,
                    "new": d.new,
                }
                for d in self.dependency_changes
            ],
            "files": {
                "changed": self.files_changed,
                "considered": self.files_considered,
                "excluded": self.files_excluded,
                "moved": self.files_moved,
            },
            "lines_considered": self.lines_considered,
            "commits": list(self.commits),
            "notes": list(self.notes),
            **({"source": source.as_dict()} if source is not None else {}),
        }


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 3)


def _dependency_detail(changes: Sequence[manifests.DependencyChange]) -> str:
    swaps = [c for c in changes if c.kind == manifests.SWAPPED]
    if swaps:
        return f"replace {swaps[0].old} with {swaps[0].new}"
    majors = [c for c in changes if c.kind == manifests.MAJOR]
    if majors:
        return f"upgrade {majors[0].name} to {majors[0].new}"
    added = [c.name for c in changes if c.kind == manifests.ADDED]
    removed = [c.name for c in changes if c.kind == manifests.REMOVED]
    if added and not removed:
        return "adopt " + ", ".join(added[:3])
    if removed and not added:
        return "drop " + ", ".join(removed[:3])
    return ""


def _in_sentence(title: str) -> str:
    """A title continued mid-sentence: "Database schema" → "database schema", but an acronym
    ("API versioning") keeps its capitals."""
    if title[1:2].isupper():
        return title
    return title[:1].lower() + title[1:]
