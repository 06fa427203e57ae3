"""Scripted repositories for the PR checklist tests: real git history, laid out from the sample
trees in ``tests/data/shop/`` one commit at a time.

``api_change`` — an sdd project whose branch ``001-items`` specifies a feature (``specify/``),
then adds an items table (Alembic migration, SQLAlchemy model), an items API, tests and a
dependency (``items/``). ``docs_only`` — a branch that changes documentation and nothing else
(``docs-install/``). ``base/`` is the shop skeleton both start from.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sdd.cli.main import app
from tests.support import commit, copy_data_tree, git

# Fixed dates keep commit ids the same from run to run (nothing in the checklist shows them).
FIXED_DATES = {
    "GIT_AUTHOR_DATE": "2026-01-05T10:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-05T10:00:00+00:00",
}


def commit_all(root: Path, message: str) -> None:
    commit(root, message, all_files=True, check=True, env=FIXED_DATES)


def init_sdd(root: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(root)])
    assert result.exit_code == 0, result.output


def shop(root: Path) -> None:
    """``root`` (a git repository) made into an sdd project holding the shop skeleton."""
    init_sdd(root)
    copy_data_tree("shop/base", root)
    commit_all(root, "Shop skeleton and sdd")


def api_change(root: Path) -> Path:
    """``root`` (a git repository with one commit on ``main``) made into the API scenario."""
    shop(root)
    git(root, "checkout", "-q", "-b", "001-items")
    copy_data_tree("shop/specify", root)
    commit_all(root, "Specify the items API")
    copy_data_tree("shop/items", root)
    commit_all(root, "Items table, API and tests")
    return root


def docs_only(root: Path) -> Path:
    """``root`` made into an sdd project whose branch ``docs-install`` changes docs only."""
    shop(root)
    git(root, "checkout", "-q", "-b", "docs-install")
    copy_data_tree("shop/docs-install", root)
    commit_all(root, "Explain the installation")
    return root
