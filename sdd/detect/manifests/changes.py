"""Dependency changes read from the changed lines of manifests (pyproject, package.json, …).

Entries removed and added are compared per ecosystem across all manifests of the diff, so
moving a dependency from requirements.txt to pyproject.toml, reformatting it, or rewriting
Poetry tables as PEP 621 lists is no change.

A change is ``added``, ``removed``, ``major`` (the release line — the major, or ``0.y`` where
0.x minors break — of the lowest allowed version differs), or ``swapped`` (one manifest change
both adds and removes runtime dependencies). A lock file adds ``lock-major`` for a package
whose resolved release line moved when no manifest of the diff states that change (a framework
upgrade visible only in Gemfile.lock). Development dependencies (dev sections, dev-named
requirement files, the rule pack's dev tools) and minor or patch bumps yield nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from sdd.detect.diff import FileChange
from sdd.detect.manifests.formats import FORMATS, read_entries
from sdd.detect.manifests.model import (
    ADDED,
    LOCK_MAJOR,
    MAJOR,
    REMOVED,
    SWAPPED,
    DependencyChange,
    Entry,
    normalize,
    release_line,
)


def dependency_changes(
    manifests: list[tuple[FileChange, str]], is_dev_tool: Callable[[str], bool]
) -> list[DependencyChange]:
    """Compare the dependencies removed and added across ``manifests`` (file, format) pairs."""
    removed: dict[tuple[str, str], Entry] = {}
    added: dict[tuple[str, str], Entry] = {}
    locked: dict[tuple[str, str], dict[str, list[Entry]]] = {}
    for manifest, fmt in manifests:
        form = FORMATS[fmt]
        ecosystem = form.ecosystem
        for sign, entry in read_entries(manifest, fmt):
            name = normalize(entry.name, ecosystem)
            if not name or entry.dev or is_dev_tool(name):
                continue
            if name in ("python", "node") and ecosystem != "container-image":
                continue
            key = (ecosystem, name)
            if form.lock:
                locked.setdefault(key, {"+": [], "-": []})[sign].append(entry)
                continue
            target = added if sign == "+" else removed
            target.setdefault(key, entry)
    changes: list[DependencyChange] = []
    gained: dict[str, list[DependencyChange]] = {}
    lost: dict[str, list[DependencyChange]] = {}
    for key, entry in added.items():
        ecosystem, name = key
        before = removed.get(key)
        if before is None:
            change = DependencyChange(
                ADDED, name, ecosystem, entry.path, entry.line, entry.text, None, entry.spec
            )
            changes.append(change)
            gained.setdefault(entry.path, []).append(change)
            continue
        old_major = release_line(before.spec, ecosystem)
        new_major = release_line(entry.spec, ecosystem)
        if old_major is not None and new_major is not None and old_major != new_major:
            changes.append(
                DependencyChange(
                    MAJOR,
                    name,
                    ecosystem,
                    entry.path,
                    entry.line,
                    entry.text,
                    before.spec,
                    entry.spec,
                )
            )
    for key, entry in removed.items():
        if key in added:
            continue
        ecosystem, name = key
        change = DependencyChange(
            REMOVED, name, ecosystem, entry.path, entry.line, entry.text, entry.spec, None
        )
        changes.append(change)
        lost.setdefault(entry.path, []).append(change)
    stated = {(c.ecosystem, c.name) for c in changes}
    for key, sides in locked.items():
        if key in stated or key in added or key in removed or not sides["+"] or not sides["-"]:
            continue
        moved = _lock_major(key, sides)
        if moved is not None:
            changes.append(moved)
    for path, gains in gained.items():
        losses = lost.get(path)
        if not losses:
            continue
        old_names = ", ".join(c.name for c in losses)
        new_names = ", ".join(c.name for c in gains)
        first = gains[0]
        changes.append(
            DependencyChange(
                SWAPPED,
                new_names,
                first.ecosystem,
                path,
                first.line,
                first.text,
                old_names,
                new_names,
            )
        )
    return changes


def _lock_major(key: tuple[str, str], sides: dict[str, list[Entry]]) -> DependencyChange | None:
    """A package resolved at a release line it was not resolved at before (a lock file may
    hold several versions of one package: only a line that is new counts)."""
    ecosystem, name = key
    before = {release_line(e.spec, ecosystem) for e in sides["-"]} - {None}
    after = [(release_line(e.spec, ecosystem), e) for e in sides["+"]]
    new = [(line, entry) for line, entry in after if line is not None and line not in before]
    if not before or not new:
        return None
    entry = new[0][1]
    old = next(e.spec for e in sides["-"] if release_line(e.spec, ecosystem) is not None)
    return DependencyChange(
        LOCK_MAJOR, name, ecosystem, entry.path, entry.line, entry.text, old, entry.spec
    )


LARGE_LOCK_LINES = 100_000


def manifest_notes(manifests: list[tuple[FileChange, str]]) -> list[str]:
    """What a reader of the verdict should know about manifests that did not read cleanly."""
    notes = []
    for manifest, fmt in manifests:
        changed = len(manifest.added) + len(manifest.removed)
        if any("\ufffd" in line for line in (*manifest.added, *manifest.removed)):
            notes.append(
                f"{manifest.path}: not UTF-8 text; undecodable bytes were replaced, so names on "
                "those lines may read wrong"
            )
        if not FORMATS[fmt].lock or not changed:
            continue
        if not any(True for _ in read_entries(manifest, fmt)):
            notes.append(
                f"{manifest.path}: no package version could be read from its {changed} changed "
                "lines (malformed, or a layout sdd does not know); its upgrades are not judged"
            )
        elif changed > LARGE_LOCK_LINES:
            notes.append(
                f"{manifest.path}: {changed:,} changed lines; only package versions were read"
            )
    return notes
