"""How each kind of rule turns what it matched into signals: line rules, keyed rules (a route
added, removed or renamed), path rules and dependency rules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sdd.detect.diff import ADDED, DELETED
from sdd.detect.lines import Side
from sdd.detect.manifests import model as manifests
from sdd.detect.reader import MAX_TEXT_CHARS, DiffReader
from sdd.detect.rulemodel import Rule, RulePack
from sdd.detect.verdict import Signal

MAX_EVIDENCE_PER_RULE = 20

_SUBJECT = re.compile(r"\s*[\w.:<>]+")  # the name a matched call is applied to
_NO_WHITESPACE = str.maketrans("", "", " \t\r\f\v")


def line_rule(reader: DiffReader, rule: Rule, positions: list[int]) -> list[Signal]:
    found: dict[str, list[tuple[Side, int, str]]] = {"added": [], "removed": []}
    for which in ("added", "removed"):
        if which not in rule.sides and not rule.argument_edits:
            continue
        seen: set[int] = set()
        for side, index, code, match in reader.matches(rule, positions, which):
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
                reader.signal(
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


def keyed_rule(reader: DiffReader, rule: Rule, positions: list[int]) -> list[Signal]:
    """Compare the keys of removed and added lines: new, gone, or renamed (same line otherwise)."""
    sides: dict[str, list[tuple[str, str, int, Side]]] = {"added": [], "removed": []}
    for which in ("added", "removed"):
        for side, index, line, found in reader.matches(rule, positions, which):
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
                reader.signal(
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
                reader.signal(
                    rule, side.owners[index], side.numbers[index], side.lines[index], "removed"
                )
            )
    return signals[:MAX_EVIDENCE_PER_RULE]


def path_rule(reader: DiffReader, rule: Rule, positions: list[int]) -> list[Signal]:
    signals = []
    for position in positions:
        change = reader.files[position]
        if rule.status is None and not (
            reader.has_effective_change(position) or change.status in (ADDED, DELETED)
        ):
            continue
        signals.append(
            reader.signal(rule, position, change.first_line, f"{change.status} file", "file")
        )
        if len(signals) >= MAX_EVIDENCE_PER_RULE:
            break
    return signals


def _library_match(pack: RulePack, rule: Rule, names: Iterable[str]) -> bool:
    if not rule.libraries:
        return True
    return any(pack.libraries[group].matches(name) for group in rule.libraries for name in names)


def dependency_rule(
    reader: DiffReader, rule: Rule, changes: Sequence[manifests.DependencyChange]
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
        if not _library_match(reader.pack, rule, names):
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
                reader.coverage.covering(change.path),
            )
        )
    return signals


def once(signals: list[Signal]) -> list[Signal]:
    """Evidence once per (rule, path, line): two matches on one line are one signal."""
    seen: set[tuple[str, str, int]] = set()
    kept = []
    for signal in signals:
        key = (signal.rule, signal.path, signal.line)
        if key not in seen:
            seen.add(key)
            kept.append(signal)
    return kept
