"""The "Migrations" section of a PR checklist.

* Migrations are the files the ``database.migration-file`` rule's globs name; a data model
  changed without one (the detector's model and schema signals) fails.
* Each migration: whether it can be rolled back, told from its file as the tools write them
  (``reversibility``); whether the feature's plan speaks of a rollback; whether the commits
  that add it hold other code than models and tests.

Reversibility is recognised for (anything else is left to a reviewer):

* Alembic (``def upgrade(``): a ``downgrade()`` whose body does something (not only ``pass``,
  ``...``, a docstring or comments);
* Django (``migrations.Migration``): reversible unless a ``RunPython`` lacks ``reverse_code``
  (its second argument) or a ``RunSQL`` lacks ``reverse_sql``;
* knex, Sequelize, TypeORM, MikroORM (JavaScript/TypeScript): a ``down`` function;
* Rails (Ruby): ``def down``, or ``def change`` (which Rails reverses);
* SQL: ``NAME.up.sql`` with ``NAME.down.sql`` in the tree (golang-migrate, sqlx), a
  ``-- +goose Down`` / ``-- +migrate Down`` / ``-- migrate:down`` section (goose, sql-migrate,
  dbmate), a Flyway ``V<n>__x.sql`` with its ``U<n>__x.sql`` undo script; a ``.down.sql`` file
  is itself the way back; Prisma Migrate writes no down migration;
* Liquibase: ``rollback`` in the changelog.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from sdd.detect.diff import DELETED, FileChange
from sdd.pr.changes import Facts
from sdd.pr.items import (
    FAIL,
    PASS,
    REVIEW,
    Evidence,
    Item,
    Section,
    capped,
    code,
    listed,
    one_line,
)
from sdd.pr.sections.roles import disabled_items

# The rule pack's checklist roles this section reads rules for (never rule ids).
MIGRATION_ROLE = "migration"
MODEL_ROLE = "data-model"
_ROLLBACK = re.compile(r"\broll(?:ing)?[ -]?back\b|\bdowngrade\b", re.IGNORECASE)


@dataclass(frozen=True)
class Reversibility:
    state: str  # pass | fail | review
    reason: str
    line: int | None = None


_ALEMBIC_UPGRADE = re.compile(r"^def upgrade\(", re.MULTILINE)
_ALEMBIC_DOWNGRADE = re.compile(r"^def downgrade\([^\n]*\n", re.MULTILINE)
_DJANGO = re.compile(r"\bmigrations\.Migration\b|^class Migration\(", re.MULTILINE)
_DJANGO_CALL = re.compile(r"\b(RunPython|RunSQL)\(")
_JS_DOWN = re.compile(
    r"\bexports\.down\b|^\s*(?:export\s+)?(?:async\s+)?(?:function\s+)?down\s*[(:=]"
    r"|^\s*(?:public\s+|override\s+)*(?:async\s+)?down\s*\(",
    re.MULTILINE,
)
_RUBY_DOWN = re.compile(r"^\s*def (down|change)\b", re.MULTILINE)
_SQL_DOWN_SECTION = re.compile(
    r"^--\s*(?:\+goose\s+Down|\+migrate\s+Down|migrate:down)\b", re.MULTILINE | re.IGNORECASE
)
_FLYWAY = re.compile(r"^V(?P<version>[\d._]+)__(?P<rest>.+\.sql)$")
_LIQUIBASE_ROLLBACK = re.compile(r"rollback", re.IGNORECASE)
_NOTHING = re.compile(r'^\s*(?:pass|\.\.\.|#.*|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\')?\s*$')


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _python_body(text: str, start: int) -> str:
    """The indented body that follows a top-level ``def`` line ending at ``start``."""
    lines = []
    for line in text[start:].splitlines():
        if line.strip() and not line[:1].isspace():
            break
        lines.append(line)
    return "\n".join(lines)


def _does_nothing(body: str) -> bool:
    stripped = re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'', "", body)
    return all(_NOTHING.match(line) for line in stripped.splitlines())


def _alembic(text: str) -> Reversibility:
    found = _ALEMBIC_DOWNGRADE.search(text)
    if found is None:
        return Reversibility(FAIL, "no `downgrade()`")
    line = _line_of(text, found.start())
    if _does_nothing(_python_body(text, found.end())):
        return Reversibility(FAIL, "`downgrade()` does nothing", line)
    return Reversibility(PASS, "`downgrade()` defined", line)


def _call_arguments(text: str, start: int) -> str:
    """The text between the parentheses of the call whose ``(`` is at ``start - 1``."""
    depth = 1
    for index in range(start, len(text)):
        char = text[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return text[start:index]
    return text[start:]


def _has_second_argument(arguments: str) -> bool:
    depth = 0
    for index, char in enumerate(arguments):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            return bool(arguments[index + 1 :].strip())
    return False


def _django(text: str) -> Reversibility:
    for found in _DJANGO_CALL.finditer(text):
        kind = found.group(1)
        arguments = _call_arguments(text, found.end())
        keyword = "reverse_code" if kind == "RunPython" else "reverse_sql"
        if keyword not in arguments and not _has_second_argument(arguments):
            line = _line_of(text, found.start())
            return Reversibility(FAIL, f"`{kind}` without `{keyword}`", line)
    return Reversibility(PASS, "Django operations Django can reverse")


def _sql(path: str, text: str, tree: Collection[str]) -> Reversibility:
    folder, _, name = path.rpartition("/")
    prefix = f"{folder}/" if folder else ""
    if name.endswith(".down.sql"):
        return Reversibility(PASS, "a down migration (the way back itself)")
    if name.endswith(".up.sql"):
        down = prefix + name[: -len(".up.sql")] + ".down.sql"
        if down in tree:
            return Reversibility(PASS, f"`{down}` is beside it")
        return Reversibility(FAIL, f"no `{down}` beside it")
    section = _SQL_DOWN_SECTION.search(text)
    if section is not None:
        return Reversibility(PASS, "a down section", _line_of(text, section.start()))
    flyway = _FLYWAY.match(name)
    if flyway is not None:
        undo_name = f"U{flyway.group('version')}__{flyway.group('rest')}"
        if prefix + undo_name in tree:
            return Reversibility(PASS, f"undo script `{undo_name}` beside it")
        return Reversibility(FAIL, f"no Flyway undo script `{undo_name}`")
    if "/prisma/migrations/" in f"/{path}":
        return Reversibility(REVIEW, "Prisma Migrate writes no down migration")
    return Reversibility(REVIEW, "no down migration convention recognised")


def reversibility(path: str, text: str, tree: Collection[str]) -> Reversibility:
    """How ``path`` (its content ``text``) can be rolled back; ``tree``: every path at HEAD."""
    suffix = path.rpartition(".")[2].lower()
    if suffix == "py":
        if _ALEMBIC_UPGRADE.search(text):
            return _alembic(text)
        if _DJANGO.search(text):
            return _django(text)
    elif suffix in ("js", "ts", "mjs", "cjs"):
        found = _JS_DOWN.search(text)
        if found is not None:
            return Reversibility(PASS, "`down` defined", _line_of(text, found.start()))
        return Reversibility(FAIL, "no `down` migration")
    elif suffix == "rb":
        found = _RUBY_DOWN.search(text)
        if found is not None:
            return Reversibility(PASS, f"`def {found.group(1)}`", _line_of(text, found.start()))
        return Reversibility(FAIL, "neither `def down` nor `def change`")
    elif suffix == "sql":
        return _sql(path, text, tree)
    elif suffix in ("xml", "yaml", "yml", "json") and "liquibase" in text.lower() + path:
        found = _LIQUIBASE_ROLLBACK.search(text)
        if found is not None:
            return Reversibility(PASS, "a Liquibase rollback", _line_of(text, found.start()))
        return Reversibility(REVIEW, "Liquibase rolls back only some change types by itself")
    return Reversibility(REVIEW, "the migration format is not one sdd recognises")


# --- the section -----------------------------------------------------------------------------


def migration_files(facts: Facts) -> list[FileChange]:
    rules = [r for r in facts.change.pack.checklist(MIGRATION_ROLE) if r.paths is not None]
    return [
        change
        for change in facts.considered
        if any(
            rule.paths is not None
            and rule.paths.matches(change.path)
            and not (rule.exclude is not None and rule.exclude.matches(change.path))
            for rule in rules
        )
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
        for signal in facts.signals(
            "database", [r.id for r in facts.change.pack.checklist(MODEL_ROLE)]
        )
        if signal.path not in migration_paths
    ]
    if not migrations and not model_signals:
        return None
    disabled = disabled_items(facts, "migrations", (MIGRATION_ROLE, MODEL_ROLE))
    if not migrations and facts.change.pack.disabled_for(MIGRATION_ROLE):
        return Section("migrations", "Migrations", tuple(disabled))
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
    return Section("migrations", "Migrations", (*items, *disabled))
