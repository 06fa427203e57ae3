"""Scripted repositories for the PR checklist tests: real git history, written file by file.

``api_change`` — an sdd project whose branch ``001-items`` specifies a feature, then adds an
items table (Alembic migration, SQLAlchemy model), an items API, tests and a dependency.
``docs_only`` — a branch that changes documentation and nothing else.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from typer.testing import CliRunner

from sdd.cli.main import app

# Fixed dates keep commit ids the same from run to run (nothing in the checklist shows them).
_DATE = "2026-01-05T10:00:00+00:00"


def git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_DATE": _DATE, "GIT_COMMITTER_DATE": _DATE}
    import os

    completed = subprocess.run(
        ["git", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def init_sdd(root: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(root)])
    assert result.exit_code == 0, result.output


BASE_FILES = {
    "pyproject.toml": (
        '[project]\nname = "shop"\nversion = "0.1.0"\n'
        'dependencies = [\n    "fastapi>=0.110",\n    "sqlalchemy>=2.0",\n]\n'
    ),
    "uv.lock": 'version = 1\n\n[[package]]\nname = "fastapi"\nversion = "0.110.0"\n',
    "app/__init__.py": "",
    "app/main.py": (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        '@app.get("/health")\ndef health() -> dict[str, str]:\n    return {"status": "ok"}\n'
    ),
    "app/db.py": (
        "from sqlalchemy.orm import DeclarativeBase, Session\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n\n\n"
        "def get_session() -> Session:\n    raise NotImplementedError\n"
    ),
    "docs/guide.md": "# Guide\n\nRun the shop with `uvicorn app.main:app`.\n",
}

SPEC = """# Feature Specification: Items API

**Feature Branch**: `001-items`
**Status**: Draft

## User Scenarios & Testing *(mandatory)*

### User Story 1 - Keep a list of items (Priority: P1)

A shop owner adds items and reads them back.

**Acceptance Scenarios**:

1. **Given** no item, **When** the owner posts one, **Then** it is stored and returned.

### Edge Cases

- Two items with the same name: the second is refused.

## Requirements *(mandatory)*

### Functional Requirements

- **FR-001**: The API MUST create an item from a name and a price.
- **FR-002**: The API MUST return an item by its id.
- **FR-003**: The API MUST refuse a second item with the same name.

## Success Criteria *(mandatory)*

### Measurable Outcomes

- **SC-001**: An owner adds an item in one request.
"""

PLAN = """# Implementation Plan: Items API

**Branch**: `001-items` | **Spec**: [spec.md](spec.md)

## Summary

An `items` table and two routes (FR-001, FR-002, FR-003).

## Technical Context

**Primary Dependencies**: FastAPI, SQLAlchemy; Alembic for the schema migration.

## Constitution Check

- Small modules, tests first. ✔

## Project Structure

```text
app/models.py, app/api/items.py, alembic/versions/
```

A release that must be undone runs `alembic downgrade -1`, then redeploys the previous image
(the rollback).
"""

TASKS = """# Tasks: Items API

## Phase 1: Setup

- [x] T001 Add Alembic and the items migration in alembic/versions/0001_create_items.py

## Phase 2: Foundational

- [x] T002 [US1] POST /items and GET /items/{id} in app/api/items.py (FR-001, FR-002)
- [ ] T003 [US1] Refuse duplicate names with 409 in app/api/items.py
"""


def _phr(number: str, slug: str, title: str, stage: str, prompt: str) -> tuple[str, str]:
    path = f"history/prompts/001-items/{number}-{slug}.{stage}.prompt.md"
    text = f"""---
id: "{number}"
title: {title}
stage: {stage}
date: 2026-01-05
surface: agent
model: claude-sonnet-4
feature: 001-items
branch: 001-items
user: dev
command: /sp.{stage if stage != "green" else "implement"}
labels: [items]
links:
  spec: specs/001-items/spec.md
  ticket: null
  adr: null
  pr: null
files:
  - specs/001-items/spec.md
tests: []
---

## Prompt

{prompt}

## Response snapshot

Done as asked.

## Outcome

- ✅ Impact: the items feature moved on.

## Evaluation notes (flywheel)

- Failure modes observed: none.
"""
    return path, text


ADR_ALEMBIC = """---
id: 1
title: Alembic manages the database schema
status: accepted
date: 2026-01-05
feature: 001-items
supersedes: null
superseded_by: null
covers:
  - "pyproject.toml"
  - "uv.lock"
---

# ADR-0001: Alembic manages the database schema

## Context

The items feature needs its first table.

## Decision

Schema changes are Alembic migrations.

## Consequences

### Positive

- Every schema change can be replayed and undone.

### Negative

- One more tool to learn.

## Alternatives Considered

- `Base.metadata.create_all()`: cannot change an existing schema.

## References

- specs/001-items/plan.md
"""

MIGRATION = '''"""create items

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("items")
'''

MODELS = """from sqlalchemy import Column, Integer, Numeric, String

from app.db import Base


class Item(Base):
    __tablename__ = "items"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True)
    price = Column(Numeric(10, 2), nullable=False)
"""

ITEMS_API = """from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.exc import IntegrityError

from app.auth import get_current_user
from app.db import get_session
from app.models import Item

router = APIRouter()


@router.post("/items", status_code=201)
def create_item(name: str, price: float, session=Depends(get_session),
                user=Depends(get_current_user)):
    item = Item(name=name, price=price)
    session.add(item)
    try:
        session.commit()
    except IntegrityError as exc:
        raise HTTPException(status_code=409, detail=str(exc))
    return {"id": item.id, "name": item.name}


@router.get("/items/{item_id}")
def read_item(item_id: int, session=Depends(get_session)):
    item = session.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="item not found")
    return {"id": item.id, "name": item.name}
"""

TESTS = """from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_create_item() -> None:
    response = client.post("/items", params={"name": "pen", "price": 2})
    assert response.status_code == 201


def test_missing_item() -> None:
    assert client.get("/items/999").status_code == 404


def test_bad_price() -> None:
    assert client.post("/items", params={"name": "pen", "price": "x"}).status_code == 422
"""


def api_change(root: Path) -> Path:
    """``root`` (a git repository with one commit on ``main``) made into the API scenario."""
    init_sdd(root)
    write(root, BASE_FILES)
    commit_all(root, "Shop skeleton and sdd")
    git(root, "checkout", "-q", "-b", "001-items")
    spec_phr = _phr(
        "0001", "specify-items-api", "Specify items API", "spec", "Specify an items API."
    )
    write(
        root,
        {
            "specs/001-items/spec.md": SPEC,
            "specs/001-items/plan.md": PLAN,
            "specs/001-items/tasks.md": TASKS,
            spec_phr[0]: spec_phr[1],
            "adr/0001-alembic-manages-the-database-schema.md": ADR_ALEMBIC,
        },
    )
    commit_all(root, "Specify the items API")
    green_phr = _phr(
        "0002", "implement-items-api", "Implement items API", "green", "Implement T001-T002."
    )
    pyproject = BASE_FILES["pyproject.toml"].replace(
        '    "sqlalchemy>=2.0",\n', '    "sqlalchemy>=2.0",\n    "alembic>=1.13",\n'
    )
    write(
        root,
        {
            "alembic/versions/0001_create_items.py": MIGRATION,
            "app/models.py": MODELS,
            "app/api/__init__.py": "",
            "app/api/items.py": ITEMS_API,
            "tests/test_items.py": TESTS,
            "pyproject.toml": pyproject,
            green_phr[0]: green_phr[1],
        },
    )
    commit_all(root, "Items table, API and tests")
    return root


def docs_only(root: Path) -> Path:
    """``root`` made into an sdd project whose branch ``docs-install`` changes docs only."""
    init_sdd(root)
    write(root, BASE_FILES)
    commit_all(root, "Shop skeleton and sdd")
    git(root, "checkout", "-q", "-b", "docs-install")
    write(
        root,
        {
            "docs/guide.md": BASE_FILES["docs/guide.md"] + "\nInstall it with `uv sync` first.\n",
            "README.md": "# demo\n\nA small shop. See docs/guide.md.\n",
        },
    )
    commit_all(root, "Explain the installation")
    return root
