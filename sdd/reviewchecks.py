"""The migration, dependency, authentication and secret sections of a PR checklist.

* Migrations: files the ``database.migration-file`` rule's globs name; a data model changed
  without one (the detector's model and schema signals); whether each can be rolled back
  (``sdd.migrations``); whether the feature's plan speaks of a rollback; whether the commits
  that add a migration hold other code than models and tests.
* Dependencies: manifests whose changed lines name dependencies, and whether the lock files the
  rule pack pairs with them (``locks:``) were updated too; each runtime dependency added,
  swapped or moved to a new major version, and whether the feature's artifacts or an ADR name
  it.
* Authentication: the detector's auth signals, for a security review; secrets in added lines
  (``sdd.secrets``), reported in their own section when auth is not touched.
"""

from __future__ import annotations

import re

from sdd import manifests
from sdd.checkitems import (
    FAIL,
    INFO,
    PASS,
    REVIEW,
    Evidence,
    Item,
    Section,
    capped,
    code,
    listed,
    one_line,
    plural,
)
from sdd.diffparse import DELETED, FileChange
from sdd.migrations import reversibility
from sdd.prfacts import Facts

MIGRATION_RULE = "database.migration-file"
MODEL_RULES = (
    "database.model-field",
    "database.entity-declaration",
    "database.model-definition",
    "database.schema-ddl",
)
CONTAINER_FORMATS = frozenset({"compose", "dockerfile"})
_ROLLBACK = re.compile(r"\broll(?:ing)?[ -]?back\b|\bdowngrade\b", re.IGNORECASE)


# --- migrations --------------------------------------------------------------------------------


def migration_files(facts: Facts) -> list[FileChange]:
    rule = next((r for r in facts.change.pack.rules if r.id == MIGRATION_RULE), None)
    if rule is None or rule.paths is None:
        return []
    return [
        change
        for change in facts.considered
        if rule.paths.matches(change.path)
        and not (rule.exclude is not None and rule.exclude.matches(change.path))
    ]


def _reversible_items(facts: Facts, migrations: list[FileChange]) -> list[Item]:
    present = [change.path for change in migrations if change.status != DELETED]
    texts = facts.read_at_head(present)
    items = []
    for change in migrations:
        shown = code(change.path)
        if change.status == DELETED:
            items.append(
                Item(
                    "migrations.reversible",
                    REVIEW,
                    f"{shown} is deleted: no shared database ever ran it",
                )
            )
            continue
        verdict = reversibility(change.path, texts.get(change.path, ""), facts.tree)
        where = f" (line {verdict.line})" if verdict.line else ""
        words = {PASS: "reversible", FAIL: "not reversible", REVIEW: "reversible?"}[verdict.state]
        items.append(
            Item(
                "migrations.reversible", verdict.state, f"{shown}: {words}, {verdict.reason}{where}"
            )
        )
    return items


def _rollback_item(facts: Facts, migrations: list[FileChange]) -> Item:
    names = listed([code(change.path.rpartition("/")[2]) for change in migrations])
    plan = facts.feature_plan
    text = facts.texts.get(plan, "") if plan is not None else ""
    found = _ROLLBACK.search(text)
    if plan is not None and found is not None:
        line = text.count("\n", 0, found.start()) + 1
        return Item(
            "migrations.rollback", PASS, f"rollback plan: {code(f'{plan}:{line}')} describes one"
        )
    reason = (
        f"{code(plan)} does not mention a rollback"
        if plan is not None
        else "no feature plan names one"
    )
    return Item("migrations.rollback", REVIEW, f"rollback plan for {names}: {reason}")


def _separate_item(facts: Facts, migrations: list[FileChange]) -> Item:
    migration_paths = {change.path for change in migrations}
    source, models, tests = (
        facts.path_set("code"),
        facts.path_set("models"),
        facts.path_set("tests"),
    )
    mixed: list[str] = []
    apart: list[str] = []
    for commit in facts.change.commits:
        if not migration_paths.intersection(commit.paths):
            continue
        others = [
            path
            for path in commit.paths
            if path not in migration_paths
            and source.matches(path)
            and not models.matches(path)
            and not tests.matches(path)
        ]
        subject = f"commit “{one_line(commit.subject)}”"
        if others:
            mixed.append(f"{subject} also changes {listed([code(p) for p in others])}")
        else:
            apart.append(f"{subject}: migrations, models and tests only")
    if mixed:
        return Item(
            "migrations.separate",
            REVIEW,
            "the code committed with the migrations belongs with them",
            capped(mixed + apart),
        )
    return Item(
        "migrations.separate",
        PASS,
        "migrations are committed apart from unrelated code",
        capped(apart),
    )


def migrations_section(facts: Facts) -> Section | None:
    migrations = migration_files(facts)
    migration_paths = {change.path for change in migrations}
    model_signals = [
        signal
        for signal in facts.signals("database", MODEL_RULES)
        if signal.path not in migration_paths
    ]
    if not migrations and not model_signals:
        return None
    if not migrations:
        return Section(
            "migrations",
            "Migrations",
            (
                Item(
                    "migrations.missing",
                    FAIL,
                    "the data model changed but no migration is in this range",
                    capped(Evidence(s.path, s.line, s.text).markdown() for s in model_signals),
                ),
            ),
        )
    items = _reversible_items(facts, migrations)
    items.append(_rollback_item(facts, migrations))
    items.append(_separate_item(facts, migrations))
    return Section("migrations", "Migrations", tuple(items))


# --- dependencies ------------------------------------------------------------------------------


def _dependency_manifests(facts: Facts) -> list[tuple[FileChange, str]]:
    found = []
    for change in facts.files:
        for globs, fmt in facts.change.pack.manifests:
            if globs.matches(change.path):
                if any(True for _ in manifests.read_entries(change, fmt)):
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


# --- authentication and secrets ----------------------------------------------------------------


def secrets_in_range(facts: Facts) -> list[Evidence]:
    """Possible secrets on added lines (kind only: the value is never repeated)."""
    from sdd.secrets import find_secrets

    found = []
    for change in facts.files:
        if not change.added:
            continue
        for secret in find_secrets("\n".join(change.added)):
            number = change.added_numbers[secret.line - 1]
            found.append(Evidence(change.path, number, secret.kind))
    return found


def _secrets_item(found: list[Evidence], added: int) -> Item:
    if found:
        return Item(
            "secrets",
            FAIL,
            f"{plural(len(found), 'possible secret')} in the added lines",
            capped(f"{code(f'{e.path}:{e.line}')} {e.text}" for e in found),
        )
    return Item("secrets", PASS, f"no secret in the {plural(added, 'added line')} of this range")


def auth_sections(facts: Facts) -> list[Section]:
    signals = facts.signals("auth")
    found = secrets_in_range(facts)
    added = sum(len(change.added) for change in facts.files)
    if signals:
        files = sorted({signal.path for signal in signals})
        review = Item(
            "auth.review",
            REVIEW,
            f"security review of the authentication changes in {listed([code(p) for p in files])}",
            capped(f"{s.side}: {Evidence(s.path, s.line, s.text).markdown()}" for s in signals),
        )
        return [Section("auth", "Authentication", (review, _secrets_item(found, added)))]
    if found:
        return [Section("secrets", "Secrets", (_secrets_item(found, added),))]
    return []
