"""Cross-domain use cases called directly: ``sdd init`` (scaffold), ``sdd status`` (overview),
``sdd doctor`` with its hooks, and the ``--all`` views over a repository's projects."""

from __future__ import annotations

from pathlib import Path

from sdd.base import gitio
from sdd.hooks import install as hooks
from sdd.hooks.doctor import checkup
from sdd.overview.repository import load_projects, status_all
from sdd.overview.status import natural_key, project_status, status_document
from sdd.pr.checklist import build_all, render_all_markdown
from sdd.project.project import load_project
from sdd.project.scaffold import init_project
from tests.support import build_file_tree, git

SPEC = "# Feature Specification: Login\n\n## Requirements\n\n- **FR-001**: Users MUST sign in.\n"
TASKS = "# Tasks\n\n- [x] T001 Sign-in form for FR-001\n- [ ] T002 Sign-out\n"


def test_init_lays_out_a_project_once(repo: Path) -> None:
    first = init_project(repo)
    assert first.changed and "sdd.yaml" in first.created
    assert first.as_dict()["schema"] == "sdd.init/1"
    again = init_project(repo)
    assert not again.changed and "sdd.yaml" in again.skipped


def test_status_counts_tasks_per_feature_in_natural_order(project: Path) -> None:
    build_file_tree(
        project / "specs",
        {"10-later/spec.md": SPEC, "2-login/spec.md": SPEC, "2-login/tasks.md": TASKS},
    )
    rows = project_status(load_project(project))
    assert [row.feature for row in rows] == ["2-login", "10-later"]
    assert (rows[0].tasks_done, rows[0].tasks_total) == (1, 2)
    assert status_document(rows)["schema"] == "sdd.status/1"
    assert sorted(["b10", "b2", "a"], key=natural_key) == ["a", "b2", "b10"]


def test_checkup_reports_the_hooks_and_warns_about_an_outdated_one(project: Path) -> None:
    clean = checkup(project)
    assert clean.ok and {state for _, state in clean.hooks} == {"absent"}
    gone = str(project / "no-such-python")
    target = hooks.target_for(load_project(project), python=gone)
    hooks.install(gitio.hooks_dir(project), ["pre-commit"], target)
    report = checkup(project)
    codes = [problem.code for problem in report.diagnosis.problems]
    assert dict(report.hooks)["pre-commit"] == f"outdated (its Python {gone} is gone)"
    assert codes == ["DOC007", "DOC008"]
    document = report.as_dict()
    assert document["schema"] == "sdd.doctor/1" and document["ok"] is True


def test_the_all_views_cover_each_project_of_a_monorepo(repo: Path) -> None:
    for name in ("api", "web"):
        init_project(repo / name)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "two projects")
    states = load_projects(repo)
    assert sorted(state.name for state in states) == ["api", "web"]
    status = status_all(states).as_dict()
    assert status["schema"] == "sdd.status/1"
    git(repo, "checkout", "-q", "-b", "change")
    build_file_tree(repo, {"api/specs/001-x/spec.md": SPEC})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "api feature")
    checklists = build_all(repo, base="main")
    assert [state.name for state, _ in checklists.checklists] == ["api"]
    assert checklists.as_dict()["schema"] == "sdd.pr-checklist-all/1"
    assert render_all_markdown(checklists).startswith("# Project `api`")
