"""One diff as the rules read it: the files they consider, their changed lines, and which of
those lines each rule could match (``sdd.detect.engine`` describes the steps).

Everything a rule needs is found lazily and shared: a rule's files come from the path index
(globs compiled only where their literal occurs), its candidate lines from one literal scan of
each side, and its expression is compiled only when a candidate line exists.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from sdd.detect.diff import FileChange, Patch
from sdd.detect.lines import Side, code_of, flatten, moved_lines, unchanged_lines
from sdd.detect.moves import pair_moves
from sdd.detect.pathindex import PathIndex
from sdd.detect.rulemodel import Rule, RulePack
from sdd.detect.verdict import Coverage, Signal

MAX_TEXT_CHARS = 200
SIDES = ("added", "removed")


def selects(rule: Rule, change: FileChange) -> bool:
    """Whether the rule reads the file, its ``paths`` globs already checked by the caller."""
    path = change.path
    if rule.status is not None and change.status not in rule.status:
        return False
    path_regex = rule.path_regex
    if path_regex is not None and path_regex.search(path) is None:
        return False
    exclude = rule.exclude
    return not (exclude is not None and exclude.matches(path))


class DiffReader:
    def __init__(self, patch: Patch, pack: RulePack, coverage: Coverage) -> None:
        self.pack = pack
        self.coverage = coverage
        changed, self.moved = pair_moves(patch.files)
        left_out = PathIndex([change.path for change in changed]).matching(pack.exclude_patterns)
        self.files: list[FileChange] = [
            change for position, change in enumerate(changed) if position not in left_out
        ]
        self.excluded = len(changed) - len(self.files)
        self.paths = [change.path for change in self.files]
        self.index = PathIndex(self.paths)
        self.files_changed = len(patch.files)
        self.sides = {which: flatten(self.files, which) for which in SIDES}
        self._effective: dict[int, bool] = {}
        self._masks: dict[tuple[object, ...], list[int]] = {}
        self._candidates: dict[str, dict[str, set[int]]] = {which: {} for which in SIDES}
        self._moved: dict[str, set[int]] = {which: set() for which in SIDES}

    @property
    def lines_considered(self) -> int:
        return len(self.sides["added"].lines) + len(self.sides["removed"].lines)

    def file_lines(self, which: str, position: int) -> range:
        owners = self.sides[which].owners
        return range(bisect.bisect_left(owners, position), bisect.bisect_right(owners, position))

    def has_effective_change(self, position: int) -> bool:
        """Whether the file has a changed line that is neither blank nor a comment."""
        found = self._effective.get(position)
        if found is None:
            found = any(
                code_of(self.sides[which].lines[index]).strip()
                for which in SIDES
                for index in self.file_lines(which, position)
            )
            self._effective[position] = found
        return found

    def mask(self, rule: Rule) -> list[int]:
        """Positions of the files ``rule`` reads (its globs, path expression and statuses)."""
        key = (*rule.path_key(), rule.status)
        found = self._masks.get(key)
        if found is None:
            candidates: Iterable[int] = range(len(self.files))
            if rule.path_patterns is not None:
                candidates = sorted(self.index.matching(rule.path_patterns))
            if rule.status is None and rule.path_regex_source is None and not rule.exclude_patterns:
                found = list(candidates)
            else:
                files = self.files
                found = [position for position in candidates if selects(rule, files[position])]
            self._masks[key] = found
        return found

    def prepare(self, rules: Sequence[Rule]) -> None:
        """Find the lines the content ``rules`` will read and which of them only moved.

        One literal scan per side serves every prefiltered rule; rules without a prefilter
        read every line of their files. Moves are then paired among those lines.
        """
        scanner = self.pack.scanner(rules)
        wanted: dict[str, set[int]] = {which: set() for which in SIDES}
        for which in SIDES:
            if self.sides[which].lines:
                self._candidates[which] = scanner.scan(self.sides[which].text())
            for lines in self._candidates[which].values():
                wanted[which] |= lines
        for rule in rules:
            if self.pack.prefilter(rule) is None:
                for position in self.mask(rule):
                    for which in SIDES:
                        wanted[which].update(self.file_lines(which, position))
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
        side = self.sides[which]
        selected = set(positions)
        indices: Iterable[int]
        if self.pack.prefilter(rule) is not None:
            indices = sorted(self._candidates[which].get(rule.id, ()))
        else:
            indices = [i for p in sorted(selected) for i in self.file_lines(which, p)]
        if not indices:
            return
        match = rule.match
        assert match is not None
        finditer = match.finditer
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
