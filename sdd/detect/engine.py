"""The engine of ``sdd adr detect``: which diff to read, signals with line evidence, a verdict.

The rules are data (``sdd.detect.rulepack``). How a diff is read (each step keeps precision up):

1. Files matching the pack's ``exclude`` globs (tests, docs, CI, generated, assets) or the
   config's ``ignore`` are left out.
2. One literal scan (``sdd.detect.prefilter``) finds the changed lines each content rule could
   match.
3. Among those lines, an added and a removed line that are equal once whitespace and trailing
   commas are ignored cancel out (moved code and reformatting say nothing), and comments are
   cut (a keyword in a comment, or code quoted in backticks, is no evidence).
4. Each rule's expression then runs on its remaining lines, within one line. Rules with a
   ``key`` group compare keys between removed and added lines (a route added, removed, or
   renamed). Path rules need a changed line that is not a comment, or an added or deleted
   file. Dependency rules read manifests (``sdd.detect.manifests``).
5. A category's score is the sum of the weights of its distinct rules that fired; it is
   significant at the threshold. Signals whose paths an ADR ``covers:``, or that a commit
   trailer ``ADR: NNNN`` claims, are covered: a category whose uncovered score stays below the
   threshold is shown as covered and not suggested.
"""

from __future__ import annotations

import bisect
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sdd.base.errors import UsageError
from sdd.base.globs import GlobSet
from sdd.detect.diff import ADDED, DELETED, FileChange, Patch
from sdd.detect.manifests import model as manifests
from sdd.detect.manifests.changes import dependency_changes
from sdd.detect.prefilter import save_cache
from sdd.detect.rulepack import Rule, RulePack
from sdd.detect.source import DiffRequest, PendingSource, Source, open_source, trailer_numbers

if TYPE_CHECKING:
    from sdd.adr.record import Adr
    from sdd.project.project import Project

SCHEMA = "sdd.adr-detect/1"
MAX_EVIDENCE_PER_RULE = 20
MAX_TEXT_CHARS = 200

_NO_WHITESPACE = str.maketrans("", "", " \t\r\f\v")
_COMMENT_LINE = re.compile(r"[ \t]*(?:#|//|/\*|\*|--|<!--)")
_TRAILING_COMMENT = re.compile(r"[ \t](?:#|//)[^\n'\"`]*$", re.MULTILINE)
SUGGESTION = (
    "📋 Architectural decision detected: {brief} — Document reasoning and tradeoffs? "
    "Run `/sp.adr {title}`"
)


# --- signals and the verdict -------------------------------------------------------------------


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
            suffix = f" ({', '.join(a[0].lower() + a[1:] for a in areas)})" if areas else ""
            return detail[0].upper() + detail[1:] + suffix
        if len(areas) == 1:
            return areas[0]
        return f"{areas[0]}, {areas[1][0].lower()}{areas[1][1:]}"

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

    def as_dict(self, pack: RulePack, *, explain: bool) -> dict[str, object]:
        shown = [c for c in self.categories if explain or c.significant]
        return {
            "schema": SCHEMA,
            "significant": self.significant,
            "suggest": self.suggest,
            "threshold": _number(self.threshold),
            "categories": [c.as_dict() for c in shown],
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
            },
            "lines_considered": self.lines_considered,
            "commits": list(self.commits),
            "notes": list(self.notes),
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


# --- the engine ----------------------------------------------------------------------------------


@dataclass
class _Side:
    """The effective changed lines of one side (added or removed) of all files, in order."""

    lines: list[str]
    owners: list[int]  # position of each line's file (non-decreasing)
    numbers: list[int]  # line numbers in the old (removed) or new (added) file

    def text_and_starts(self) -> tuple[str, list[int]]:
        starts = [0, *accumulate(len(text) + 1 for text in self.lines)][:-1]
        return "\n".join(self.lines), starts


def _flatten(files: Sequence[FileChange], which: str) -> _Side:
    lines: list[str] = []
    owners: list[int] = []
    numbers: list[int] = []
    for position, change in enumerate(files):
        texts = change.added if which == "added" else change.removed
        if not texts:
            continue
        lines.extend(texts)
        numbers.extend(change.added_numbers if which == "added" else change.removed_numbers)
        owners.extend(repeat(position, len(texts)))
    return _Side(lines, owners, numbers)


def _moved_lines(
    added: _Side, removed: _Side, added_lines: set[int], removed_lines: set[int]
) -> tuple[set[int], set[int]]:
    """Indices of the given added and removed lines that pair up once whitespace is ignored.

    Only lines some rule will read are compared: a moved line holds the same literals as its
    counterpart, so both are among them.
    """
    removed_keys = {i: "".join(removed.lines[i].split()).rstrip(",;") for i in removed_lines}
    counts = Counter(removed_keys.values())
    counts.pop("", None)
    if not counts:
        return set(), set()
    matched: Counter[str] = Counter()
    moved_added: set[int] = set()
    for index in sorted(added_lines):
        key = "".join(added.lines[index].split()).rstrip(",;")
        if key and counts[key] > matched[key]:
            matched[key] += 1
            moved_added.add(index)
    moved_removed: set[int] = set()
    for index in sorted(removed_lines):
        key = removed_keys[index]
        if matched[key] > 0:
            matched[key] -= 1
            moved_removed.add(index)
    return moved_added, moved_removed


def code_of(line: str) -> str:
    """A changed line without its comment: "" for a comment line, else trailing comment cut."""
    if _COMMENT_LINE.match(line):
        return ""
    if "#" in line or "//" in line:
        return _TRAILING_COMMENT.sub("", line)
    return line


class _Engine:
    def __init__(self, patch: Patch, pack: RulePack, coverage: Coverage) -> None:
        self.pack = pack
        self.coverage = coverage
        self.files: list[FileChange] = []
        excluded = 0
        left_out = pack.exclude.matching([change.path for change in patch.files])
        for position, change in enumerate(patch.files):
            if position in left_out:
                excluded += 1
                continue
            self.files.append(change)
        self.paths = [change.path for change in self.files]
        self.files_changed = len(patch.files)
        self.excluded = excluded
        self.sides = {
            "added": _flatten(self.files, "added"),
            "removed": _flatten(self.files, "removed"),
        }
        self._effective: dict[int, bool] = {}
        self._masks: dict[tuple[object, ...], list[int]] = {}
        self._globs: dict[tuple[str, ...], set[int]] = {}
        self._candidates: dict[str, dict[str, set[int]]] = {"added": {}, "removed": {}}
        self._moved: dict[str, set[int]] = {"added": set(), "removed": set()}

    @property
    def lines_considered(self) -> int:
        return len(self.sides["added"].lines) + len(self.sides["removed"].lines)

    def _file_lines(self, which: str, position: int) -> range:
        owners = self.sides[which].owners
        return range(bisect.bisect_left(owners, position), bisect.bisect_right(owners, position))

    def has_effective_change(self, position: int) -> bool:
        """Whether the file has a changed line that is neither blank nor a comment."""
        found = self._effective.get(position)
        if found is None:
            found = any(
                code_of(self.sides[which].lines[index]).strip()
                for which in ("added", "removed")
                for index in self._file_lines(which, position)
            )
            self._effective[position] = found
        return found

    def mask(self, rule: Rule) -> list[int]:
        """Positions of the files ``rule`` reads (its globs, path expression and statuses)."""
        key = (*rule.path_key(), rule.status)
        found = self._masks.get(key)
        if found is None:
            candidates = self._glob_hits(rule.paths) if rule.paths is not None else None
            found = [
                position
                for position, change in enumerate(self.files)
                if (candidates is None or position in candidates) and selects(rule, change)
            ]
            self._masks[key] = found
        return found

    def _glob_hits(self, globs: GlobSet) -> set[int]:
        # Many rules share a glob list (``@code``): match each list once per file.
        found = self._globs.get(globs.patterns)
        if found is None:
            found = self._globs[globs.patterns] = globs.matching(self.paths)
        return found

    def prepare(self, rules: Sequence[Rule]) -> None:
        """Find the lines the content ``rules`` will read and which of them only moved.

        One literal scan per side serves every prefiltered rule (step 4); rules without a
        prefilter read every line of their files. Moves are then paired among those lines.
        """
        scanner = self.pack.scanner(rules)
        wanted: dict[str, set[int]] = {"added": set(), "removed": set()}
        texts = {which: side.text_and_starts() for which, side in self.sides.items() if side.lines}
        live = scanner.live(*(text for text, _ in texts.values()))
        for which in self.sides:
            if which in texts:
                text, starts = texts[which]
                self._candidates[which] = scanner.scan(text, starts, live)
            for lines in self._candidates[which].values():
                wanted[which] |= lines
        for rule in rules:
            if self.pack.prefilter(rule) is None:
                for position in self.mask(rule):
                    for which in wanted:
                        wanted[which].update(self._file_lines(which, position))
        self._moved["added"], self._moved["removed"] = _moved_lines(
            self.sides["added"], self.sides["removed"], wanted["added"], wanted["removed"]
        )

    def matches(
        self, rule: Rule, positions: list[int], which: str
    ) -> Iterable[tuple[_Side, int, str, re.Match[str]]]:
        """Matches of ``rule`` in the code (comments cut) of the changed lines of one side of
        the files at ``positions``: (side, line index, the code matched, the match)."""
        assert rule.match is not None
        finditer = rule.match.finditer
        side = self.sides[which]
        selected = set(positions)
        indices: Iterable[int]
        if self.pack.prefilter(rule) is not None:
            indices = sorted(self._candidates[which].get(rule.id, ()))
        else:
            indices = [i for p in sorted(selected) for i in self._file_lines(which, p)]
        owners, lines, moved = side.owners, side.lines, self._moved[which]
        for index in indices:
            if owners[index] in selected and index not in moved:
                code = code_of(lines[index])
                if code:
                    for found in finditer(code):
                        # Code quoted in prose (a docstring's ``app.use(``) is no evidence.
                        if code[found.start() - 1 : found.start()] != "`":
                            yield side, index, code, found

    def signal(self, rule: Rule, position: int, line: int, text: str, side: str) -> Signal:
        path = self.files[position].path
        shown = text.strip()
        if len(shown) > MAX_TEXT_CHARS:
            shown = shown[: MAX_TEXT_CHARS - 1] + "…"
        return Signal(
            rule.id,
            rule.category,
            path,
            line,
            shown,
            side,
            rule.weight,
            self.coverage.covering(path),
        )


def selects(rule: Rule, change: FileChange) -> bool:
    """Whether the rule reads the file, its ``paths`` globs already checked by the caller."""
    path = change.path
    if rule.status is not None and change.status not in rule.status:
        return False
    if rule.path_regex is not None and rule.path_regex.search(path) is None:
        return False
    return not (rule.exclude is not None and rule.exclude.matches(path))


def _line_rule(engine: _Engine, rule: Rule, positions: list[int]) -> list[Signal]:
    signals: list[Signal] = []
    seen: set[tuple[str, int]] = set()
    for which in ("added", "removed"):
        if which not in rule.sides:
            continue
        for side, index, _code, _found in engine.matches(rule, positions, which):
            if (which, index) in seen:
                continue
            seen.add((which, index))
            signals.append(
                engine.signal(
                    rule, side.owners[index], side.numbers[index], side.lines[index], which
                )
            )
            if len(signals) >= MAX_EVIDENCE_PER_RULE:
                return signals
    return signals


def key_of(found: re.Match[str]) -> tuple[str, tuple[int, int]] | None:
    """The key a keyed rule's match captured (its first ``key…`` group set), and its span."""
    for name, value in found.groupdict().items():
        if name.startswith("key") and value is not None:
            return value, found.span(name)
    return None


def _keyed_rule(engine: _Engine, rule: Rule, positions: list[int]) -> list[Signal]:
    """Compare the keys of removed and added lines: new, gone, or renamed (same line otherwise)."""
    sides: dict[str, list[tuple[str, str, int, _Side]]] = {"added": [], "removed": []}
    for which in ("added", "removed"):
        for side, index, line, found in engine.matches(rule, positions, which):
            keyed = key_of(found)
            if keyed is None:
                continue
            key, (start, end) = keyed
            shape = (line[:start] + "\0" + line[end:]).translate(_NO_WHITESPACE)
            sides[which].append((key, shape, index, side))
    added_keys = {key for key, *_ in sides["added"]}
    removed_keys = {key for key, *_ in sides["removed"]}
    removed_shapes = {shape for key, shape, *_ in sides["removed"] if key not in added_keys}
    added_shapes = {shape for key, shape, *_ in sides["added"] if key not in removed_keys}
    wanted = rule.key_match
    signals: list[Signal] = []
    for key, shape, index, side in sides["added"]:
        if key in removed_keys or (wanted is not None and wanted.search(key) is None):
            continue
        kind = "renamed" if shape in removed_shapes else "added"
        if kind in rule.sides:
            signals.append(
                engine.signal(
                    rule, side.owners[index], side.numbers[index], side.lines[index], kind
                )
            )
    for key, shape, index, side in sides["removed"]:
        if key in added_keys or shape in added_shapes:
            continue
        if wanted is not None and wanted.search(key) is None:
            continue
        if "removed" in rule.sides:
            signals.append(
                engine.signal(
                    rule, side.owners[index], side.numbers[index], side.lines[index], "removed"
                )
            )
    return signals[:MAX_EVIDENCE_PER_RULE]


def _path_rule(engine: _Engine, rule: Rule, positions: list[int]) -> list[Signal]:
    signals = []
    for position in positions:
        change = engine.files[position]
        if rule.status is None and not (
            engine.has_effective_change(position) or change.status in (ADDED, DELETED)
        ):
            continue
        signals.append(
            engine.signal(rule, position, change.first_line, f"{change.status} file", "file")
        )
        if len(signals) >= MAX_EVIDENCE_PER_RULE:
            break
    return signals


def _library_match(pack: RulePack, rule: Rule, names: Iterable[str]) -> bool:
    if not rule.libraries:
        return True
    return any(pack.libraries[group].matches(name) for group in rule.libraries for name in names)


def _dependency_rule(
    engine: _Engine, rule: Rule, changes: Sequence[manifests.DependencyChange]
) -> list[Signal]:
    assert rule.dependency is not None
    chosen = []
    for change in changes:
        if change.kind not in rule.dependency:
            continue
        if rule.ecosystems is not None and change.ecosystem not in rule.ecosystems:
            continue
        names = [change.name]
        if change.kind == manifests.SWAPPED:
            names = [n.strip() for n in f"{change.old},{change.new}".split(",") if n.strip()]
        if not _library_match(engine.pack, rule, names):
            continue
        chosen.append(change)
    if len(chosen) < rule.min_count:
        return []
    signals = []
    for change in chosen[:MAX_EVIDENCE_PER_RULE]:
        text = f"{change.describe()}: {change.text}"
        if len(text) > MAX_TEXT_CHARS:
            text = text[: MAX_TEXT_CHARS - 1] + "…"
        signals.append(
            Signal(
                rule.id,
                rule.category,
                change.path,
                change.line,
                text,
                "dependency",
                rule.weight,
                engine.coverage.covering(change.path),
            )
        )
    return signals


def detect(patch: Patch, pack: RulePack, coverage: Coverage | None = None) -> Verdict:
    """Score ``patch`` against ``pack``; pure (no git, no files)."""
    coverage = coverage or Coverage()
    engine = _Engine(patch, pack, coverage)
    manifest_files = []
    for position in sorted(pack.manifest_globs.matching(engine.paths)):
        change = engine.files[position]
        for globs, fmt in pack.manifests:
            if globs.matches(change.path):
                manifest_files.append((change, fmt))
                break
    changes = dependency_changes(manifest_files, pack.dev_tools.matches) if manifest_files else []
    content_rules = [r for r in pack.rules if r.match is not None and engine.mask(r)]
    engine.prepare(content_rules)
    save_cache()
    by_category: dict[str, list[Signal]] = {}
    for rule in pack.rules:
        if rule.dependency is not None:
            signals = _dependency_rule(engine, rule, changes) if changes else []
        else:
            positions = engine.mask(rule)
            if not positions:
                continue
            if rule.is_path_rule:
                signals = _path_rule(engine, rule, positions)
            elif rule.keyed:
                signals = _keyed_rule(engine, rule, positions)
            else:
                signals = _line_rule(engine, rule, positions)
        if signals:
            by_category.setdefault(rule.category, []).extend(signals)
    weights = {rule.id: rule.weight for rule in pack.rules}
    results = []
    for name, signals in by_category.items():
        fired = sorted({s.rule for s in signals})
        uncovered = {s.rule for s in signals if not s.covered_by}
        results.append(
            CategoryResult(
                name=name,
                title=pack.category(name).title,
                score=sum(weights[r] for r in fired),
                uncovered_score=sum(weights[r] for r in uncovered),
                threshold=pack.threshold,
                signals=tuple(signals),
                rules=tuple(fired),
                covered_by=tuple(sorted({n for s in signals for n in s.covered_by})),
            )
        )
    results.sort(key=lambda r: (-r.score, r.name))
    return Verdict(
        categories=tuple(results),
        threshold=pack.threshold,
        files_changed=engine.files_changed,
        files_considered=len(engine.files),
        files_excluded=engine.excluded,
        lines_considered=engine.lines_considered,
        dependency_changes=tuple(changes),
        commits=tuple(c.sha or c.subject for c in patch.commits),
    )


def _has_adr_files(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(e.name[:1].isdigit() or e.name[:3].lower() == "adr" for e in entries)
    except OSError:
        return False


def project_coverage(
    project: Project | None, trailers: Sequence[int]
) -> tuple[Coverage, tuple[str, ...]]:
    """ADRs that document changes: ``covers:`` of proposed/accepted records, and trailers."""
    records: list[Adr] = []
    covering: frozenset[str] = frozenset()
    if project is not None and _has_adr_files(project.paths.adr):
        from sdd.adr.record import COVERING_STATUSES, load_adrs

        records = load_adrs(project.paths.adr)
        covering = COVERING_STATUSES
    covers = []
    for record in records:
        if record.status in covering and record.covers:
            usable = [glob for glob in record.covers if glob.strip()]
            try:
                covers.append((record.number, GlobSet(usable)))
            except (re.error, UsageError):
                continue
    notes = []
    known = {record.number for record in records}
    accepted = []
    for number in trailers:
        if records and number not in known:
            notes.append(
                f"a commit trailer names ADR {number}, which does not exist; it covers nothing"
            )
            continue
        accepted.append(number)
    return Coverage(tuple(covers), tuple(accepted)), tuple(notes)


def run(
    project: Project | None,
    request: DiffRequest,
    *,
    start: Path,
    stdin: IO[bytes] | None = None,
    pending: PendingSource | None = None,
) -> tuple[Verdict, RulePack, Source]:
    """Read the requested diff and judge it against the project's rules and ADRs.

    ``pending``: a source the caller already opened (so git ran while the project loaded).
    """
    from sdd.detect.rulepack import load_rule_pack

    if pending is None:
        pending = open_source(start, request, stdin)
    try:
        if project is not None:
            settings = project.config.detect
            pack = load_rule_pack(
                extra_rules=settings.rules,
                ignore=settings.ignore,
                threshold=settings.threshold,
                config_path=project.config_path,
            )
        else:
            pack = load_rule_pack()
    except BaseException:
        pending.cancel()
        raise
    source = pending.finish()
    coverage, notes = project_coverage(project, trailer_numbers(source.messages))
    verdict = detect(source.patch, pack, coverage)
    if source.notes or notes:
        verdict = Verdict(
            categories=verdict.categories,
            threshold=verdict.threshold,
            files_changed=verdict.files_changed,
            files_considered=verdict.files_considered,
            files_excluded=verdict.files_excluded,
            lines_considered=verdict.lines_considered,
            dependency_changes=verdict.dependency_changes,
            commits=verdict.commits,
            notes=(*source.notes, *notes),
        )
    return verdict, pack, source
