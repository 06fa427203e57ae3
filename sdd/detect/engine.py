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
import re
from collections.abc import Iterable, Sequence

from sdd.base.globs import GlobSet
from sdd.detect.diff import ADDED, DELETED, FileChange, Patch
from sdd.detect.lines import Side, code_of, flatten, moved_lines, unchanged_lines
from sdd.detect.manifests import model as manifests
from sdd.detect.manifests.changes import dependency_changes, manifest_notes
from sdd.detect.moves import pair_moves
from sdd.detect.rulepack import Rule, RulePack
from sdd.detect.verdict import CategoryResult, Coverage, Signal, Verdict

MAX_EVIDENCE_PER_RULE = 20
MAX_TEXT_CHARS = 200

_SUBJECT = re.compile(r"\s*[\w.:<>]+")  # the name a matched call is applied to
_NO_WHITESPACE = str.maketrans("", "", " \t\r\f\v")


class _Engine:
    def __init__(self, patch: Patch, pack: RulePack, coverage: Coverage) -> None:
        self.pack = pack
        self.coverage = coverage
        self.files: list[FileChange] = []
        excluded = 0
        changed, self.moved = pair_moves(patch.files)
        left_out = pack.exclude.matching([change.path for change in changed])
        for position, change in enumerate(changed):
            if position in left_out:
                excluded += 1
                continue
            self.files.append(change)
        self.paths = [change.path for change in self.files]
        self.files_changed = len(patch.files)
        self.excluded = excluded
        self.sides = {
            "added": flatten(self.files, "added"),
            "removed": flatten(self.files, "removed"),
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
        self._moved["added"], self._moved["removed"] = moved_lines(
            self.sides["added"], self.sides["removed"], wanted["added"], wanted["removed"]
        )
        self._moved["removed"] |= self._kept_twins(wanted["removed"])

    def _kept_twins(self, removed: set[int]) -> set[int]:
        """Removed lines whose twin stays as context in the same file: one of two identical
        statements went (a duplicate folded), the statement itself did not."""
        side = self.sides["removed"]
        context: dict[int, set[str]] = {}
        twins = set()
        for index in removed:
            owner = side.owners[index]
            kept = context.get(owner)
            if kept is None:
                kept = context[owner] = unchanged_lines(self.files[owner])
            if "".join(side.lines[index].split()) in kept:
                twins.add(index)
        return twins

    def matches(
        self, rule: Rule, positions: list[int], which: str
    ) -> Iterable[tuple[Side, int, str, re.Match[str]]]:
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
    found: dict[str, list[tuple[Side, int, str]]] = {"added": [], "removed": []}
    for which in ("added", "removed"):
        if which not in rule.sides and not rule.argument_edits:
            continue
        seen: set[int] = set()
        for side, index, code, match in engine.matches(rule, positions, which):
            if index not in seen:
                seen.add(index)
                subject = _SUBJECT.match(code, match.end())
                # Go routers name a middleware's configurable form XWithConfig: the same one.
                name = subject.group().removesuffix("WithConfig") if subject else ""
                found[which].append((side, index, match.group() + name))
    if rule.argument_edits:
        # The same call with the same subject on both sides of a file only changed arguments.
        both = {(s.owners[i], key) for s, i, key in found["added"]} & {
            (s.owners[i], key) for s, i, key in found["removed"]
        }
        for which in found:
            found[which] = [(s, i, k) for s, i, k in found[which] if (s.owners[i], k) not in both]
    signals: list[Signal] = []
    for which in ("added", "removed"):
        if which not in rule.sides:
            continue
        for side, index, _key in found[which]:
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
    sides: dict[str, list[tuple[str, str, int, Side]]] = {"added": [], "removed": []}
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


def _once(signals: list[Signal]) -> list[Signal]:
    """Evidence once per (rule, path, line): two matches on one line are one signal."""
    seen: set[tuple[str, str, int]] = set()
    kept = []
    for signal in signals:
        key = (signal.rule, signal.path, signal.line)
        if key not in seen:
            seen.add(key)
            kept.append(signal)
    return kept


def detect(patch: Patch, pack: RulePack, coverage: Coverage | None = None) -> Verdict:
    """Score ``patch`` against ``pack``; pure (no git, no files: ``run`` keeps the cache)."""
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
    notes = manifest_notes(manifest_files) if manifest_files else []
    content_rules = [r for r in pack.rules if r.match is not None and engine.mask(r)]
    engine.prepare(content_rules)
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
            by_category.setdefault(rule.category, []).extend(_once(signals))
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
        files_moved=engine.moved,
        notes=tuple(notes),
        commits=tuple(c.sha or c.subject for c in patch.commits),
    )
