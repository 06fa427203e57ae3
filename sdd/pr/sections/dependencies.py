"""The "Dependencies" section of a PR checklist.

* Manifests whose changed lines name dependencies, and whether the lock files the rule pack
  pairs with them (``locks:``) were updated too; a lock file changed alone is a refresh.
* Each runtime dependency added, swapped or moved to a new major version (the detector's
  ``dependency_changes``), and whether the feature's artifacts or an ADR name it.
"""

from __future__ import annotations

from sdd.detect.diff import FileChange
from sdd.detect.manifests import model as manifests
from sdd.detect.manifests.formats import FORMATS, read_entries
from sdd.pr.changes import Facts
from sdd.pr.items import FAIL, INFO, PASS, REVIEW, Item, Section, code, listed

CONTAINER_FORMATS = frozenset({"compose", "dockerfile"})


def _dependency_manifests(facts: Facts) -> list[tuple[FileChange, str]]:
    found = []
    for change in facts.files:
        for globs, fmt in facts.change.pack.manifests:
            if globs.matches(change.path):
                if not FORMATS[fmt].lock and any(True for _ in read_entries(change, fmt)):
                    found.append((change, fmt))
                break
    return found


def _folder(path: str) -> str:
    return path.rpartition("/")[0]


def _lock_items(facts: Facts, changed_manifests: list[tuple[FileChange, str]]) -> list[Item]:
    items = []
    lockfiles = facts.path_set("lockfiles")
    explained: set[str] = set()
    for change, fmt in changed_manifests:
        locks = facts.change.pack.locks.get(fmt)
        if fmt in CONTAINER_FORMATS or locks is None:
            continue
        folder = _folder(change.path)
        beside = sorted(
            path for path in facts.tree if _folder(path) == folder and locks.matches(path)
        )
        updated = [path for path in beside if path in facts.changed_paths]
        explained.update(beside)
        shown = code(change.path)
        if updated:
            items.append(
                Item(
                    "dependencies.lockfile",
                    PASS,
                    f"{shown} changes dependencies and {listed([code(p) for p in updated])} "
                    "was updated with it",
                )
            )
        elif beside:
            items.append(
                Item(
                    "dependencies.lockfile",
                    FAIL,
                    f"{shown} changes dependencies but {listed([code(p) for p in beside])} "
                    "was not updated",
                )
            )
        else:
            items.append(
                Item("dependencies.lockfile", INFO, f"{shown}: no lock file is tracked beside it")
            )
    alone = sorted(
        path for path in facts.changed_paths if lockfiles.matches(path) and path not in explained
    )
    if alone:
        items.append(
            Item(
                "dependencies.lockfile",
                INFO,
                f"{listed([code(p) for p in alone])} changed without a dependency change in "
                "its manifest (a refresh)",
            )
        )
    return items


def _describe(change: manifests.DependencyChange) -> tuple[str, str]:
    """The dependency to justify, and what happened to it."""
    if change.kind == manifests.SWAPPED:
        return change.new or change.name, f"replaces {code(change.old or '?')}"
    if change.kind == manifests.MAJOR:
        return change.name, f"moves to a new major version ({change.old} → {change.new})"
    return change.name, "added"


def _addition_items(facts: Facts) -> list[Item]:
    items = []
    wanted = (manifests.ADDED, manifests.MAJOR, manifests.SWAPPED)
    for change in facts.change.verdict.dependency_changes:
        if change.kind not in wanted:
            continue
        name, what = _describe(change)
        where = code(f"{change.path}:{change.line}")
        mention = facts.mention(name)
        if mention is not None:
            items.append(
                Item(
                    "dependencies.justified",
                    PASS,
                    f"{code(name)} {what} ({where}): named in "
                    f"{code(f'{mention.path}:{mention.line}')}",
                )
            )
        else:
            items.append(
                Item(
                    "dependencies.justified",
                    REVIEW,
                    f"{code(name)} {what} ({where}): say why; neither the feature's artifacts "
                    "nor an ADR names it",
                )
            )
    return items


def dependencies_section(facts: Facts) -> Section | None:
    changed = _dependency_manifests(facts)
    items = _lock_items(facts, changed) + _addition_items(facts)
    if not items:
        return None
    return Section("dependencies", "Dependencies", tuple(items))
