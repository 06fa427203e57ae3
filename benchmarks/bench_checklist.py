"""PR checklist: ``sdd pr checklist`` on a branch of 400 changed files (no budget in DESIGN §6).

The branch touches every section: a feature's spec, plan and tasks, PHRs, an ADR, routes under
``app/api/``, an Alembic migration, models, tests, a manifest and its lock file, and a few
hundred ordinary modules; the base holds 200 files of its own.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.harness import Result, git, sdd_command, time_command

MODULES = 300
ROUTE_FILES = 40
TEST_FILES = 40
PHRS = 15


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _base_files() -> dict[str, str]:
    files = {
        "sdd.yaml": "version: 1\n",
        "pyproject.toml": '[project]\nname = "shop"\ndependencies = [\n    "fastapi>=0.110",\n]\n',
        "uv.lock": "version = 1\n",
    }
    for index in range(200):
        files[f"src/base/module_{index}.py"] = f"def base_{index}(value):\n    return value\n"
    return files


def _branch_files() -> dict[str, str]:
    feature = "specs/001-orders"
    files = {
        f"{feature}/spec.md": (
            "# Feature Specification: Orders\n\n## Requirements\n\n### Functional Requirements\n\n"
            + "".join(f"- **FR-{n:03d}**: The API MUST do thing {n}.\n" for n in range(1, 31))
        ),
        f"{feature}/plan.md": "# Implementation Plan: Orders\n\n## Summary\n\nUses httpx.\n",
        f"{feature}/tasks.md": "# Tasks: Orders\n\n## Phase 1: Setup\n\n"
        + "".join(
            f"- [{'x' if n % 3 else ' '}] T{n:03d} Task {n} for FR-{n:03d}\n" for n in range(1, 31)
        ),
        "adr/0001-orders-in-postgres.md": (
            "---\nid: 1\ntitle: Orders in Postgres\nstatus: accepted\ndate: 2026-01-05\n"
            'covers:\n  - "pyproject.toml"\n---\n\n# ADR-0001: Orders in Postgres\n'
        ),
        "migrations/versions/0001_orders.py": (
            "def upgrade():\n    op.create_table('orders')\n\n\n"
            "def downgrade():\n    op.drop_table('orders')\n"
        ),
        "app/models.py": (
            "class Order(Base):\n    __tablename__ = 'orders'\n"
            "    id = Column(Integer, primary_key=True)\n"
        ),
        "pyproject.toml": (
            '[project]\nname = "shop"\ndependencies = [\n    "fastapi>=0.110",\n'
            '    "httpx>=0.27",\n]\n'
        ),
        "uv.lock": "version = 1\n# httpx\n",
    }
    for index in range(ROUTE_FILES):
        files[f"app/api/orders_{index}.py"] = (
            f'@router.post("/orders/{index}", status_code=201)\n'
            f"def create_{index}(body, session=Depends(get_session)):\n"
            "    session.add(body)\n    session.commit()\n    return body\n"
        )
    for index in range(TEST_FILES):
        files[f"tests/test_orders_{index}.py"] = (
            f"def test_{index}(client):\n"
            f'    assert client.post("/orders/{index}").status_code == 201\n'
        )
    for index in range(MODULES):
        files[f"src/pkg{index % 20}/module_{index}.py"] = "".join(
            f"def handler_{index}_{n}(value):\n    return value * {n}\n" for n in range(20)
        )
    for index in range(1, PHRS + 1):
        files[f"history/prompts/001-orders/{index:04d}-step-{index}.green.prompt.md"] = (
            f'---\nid: "{index:04d}"\ntitle: Step {index}\nstage: green\ndate: 2026-01-05\n'
            f"feature: 001-orders\n---\n\n## Prompt\n\nDo step {index}.\n\n## Response snapshot\n\n"
            "Done.\n\n## Outcome\n\n- ok\n\n## Evaluation notes (flywheel)\n\n- none\n"
        )
    return files


def repository(folder: Path) -> Path:
    root = folder / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    _write(root, _base_files())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "001-orders")
    branch = _branch_files()
    paths = sorted(branch)
    for part in range(4):  # four commits, so that the per-commit reading has work to do
        _write(root, {path: branch[path] for path in paths[part::4]})
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"orders part {part + 1}")
    return root


def run(runs: int) -> list[Result]:
    sdd = sdd_command()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        root = repository(Path(tmp))
        changed = len(_branch_files())
        median, peak = time_command([*sdd, "pr", "checklist"], runs=runs, cwd=root)
        results.append(
            Result(f"pr checklist ({changed} changed files, 4 commits)", median, None, runs, peak)
        )
        median, peak = time_command([*sdd, "pr", "checklist", "--json"], runs=runs, cwd=root)
        results.append(Result("pr checklist --json (same branch)", median, None, runs, peak))
    return results
