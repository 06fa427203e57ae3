# ruff: noqa: E501
"""Prompt History Records against the real-world corpus: every file validates without a
traceback, and the findings per file are the ones a reviewer finds by reading it.

The table below was written while reading each file (notes in specs/003-prompt-history/plan.md):
duplicate IDs within folders (PHR017) and across them (PHR018, older kits number per folder),
prompts dumped into ``command:`` that break the YAML (PHR004), front matter that never closes
(PHR003), upper-case and template-variable keys (PHR006), stages outside the list (PHR009),
records in the wrong folder (PHR014) or in folders that name no feature (PHR015), ``.phr`` files
and names without a stage (PHR011), unquoted test entries holding ``: `` that YAML reads as
mappings (PHR007), ``$ARGUMENTS`` left in prompts (PHR021), missing sections (PHR019, PHR020).
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from sdd.phr import checks as phrchecks
from sdd.project.project import load_project
from sdd.project.selection import Selection

# Feature folders under specs/ in the repositories the records come from.
FEATURES = {
    "404mw__TODO-GIAIC": ["001-todo-core", "002-perpetua-frontend", "003-perpetua-backend"],
    "NihalGhauri__Hackthon-II-phase-1-console-todo-app": ["001-console-todo-app"],
    "SKneha0__Hackthon-2_phase-3-GIAIC": [
        "001-modern-ui-design",
        "003-ai-chatbot-integration",
        "1-backend-fastapi-todo",
    ],
    "bilalinit__evolution-of-todo": [
        "001-cli-todo",
        "002-cli-menu-ui",
        "003-nextjs-frontend",
        "004-frontend-auth",
        "005-fastapi-backend",
    ],
}

EXPECTED = {
    ("404mw__TODO-GIAIC", "001-todo-core/001-create-todo-core-spec.spec.prompt.md"): "PHR018@1",
    ("404mw__TODO-GIAIC", "001-todo-core/002-clarify-todo-core-spec.spec.prompt.md"): "PHR018@1",
    ("404mw__TODO-GIAIC", "001-todo-core/003-research-in-memory-storage.plan.prompt.md"): "",
    ("404mw__TODO-GIAIC", "001-todo-core/004-todo-core-implementation-planning.plan.prompt.md"): "",
    (
        "404mw__TODO-GIAIC",
        "001-todo-core/005-todo-core-task-generation.tasks.prompt.md",
    ): "PHR021@28",
    (
        "404mw__TODO-GIAIC",
        "002-perpetua-frontend/001-implement-phase5-error-handling.green.prompt.md",
    ): "PHR017@1 PHR018@1",
    (
        "404mw__TODO-GIAIC",
        "002-perpetua-frontend/001-reverse-engineer-frontend.misc.prompt.md",
    ): "PHR017@1 PHR018@1",
    (
        "404mw__TODO-GIAIC",
        "002-perpetua-frontend/002-generate-tasks-intelligence.tasks.prompt.md",
    ): "PHR017@1 PHR018@1",
    (
        "404mw__TODO-GIAIC",
        "002-perpetua-frontend/002-implement-phase6-testing-validation.green.prompt.md",
    ): "PHR017@1 PHR018@1 PHR007@29",
    (
        "404mw__TODO-GIAIC",
        "003-perpetua-backend/001-apply-tasks-remediations.tasks.prompt.md",
    ): "PHR017@1 PHR018@1",
    (
        "404mw__TODO-GIAIC",
        "003-perpetua-backend/001-create-backend-spec.spec.prompt.md",
    ): "PHR017@1 PHR018@1",
    (
        "404mw__TODO-GIAIC",
        "003-perpetua-backend/001-plan-refinement-oauth-websocket.plan.prompt.md",
    ): "PHR017@1 PHR018@1",
    (
        "404mw__TODO-GIAIC",
        "003-perpetua-backend/007-cross-artifact-consistency-analysis.misc.prompt.md",
    ): "",
    ("404mw__TODO-GIAIC", "003-perpetua-backend/016-implement-phase3-auth.green.prompt.md"): "",
    (
        "404mw__TODO-GIAIC",
        "003-perpetua-backend/034-implement-phase21-api-assembly.green.prompt.md",
    ): "",
    (
        "404mw__TODO-GIAIC",
        "003-perpetua-backend/041-fix-integration-test-failures.green.prompt.md",
    ): "PHR007@40",
    (
        "404mw__TODO-GIAIC",
        "constitution/001-initial-constitution-ratification.constitution.prompt.md",
    ): "PHR018@1",
    (
        "404mw__TODO-GIAIC",
        "perpetua-frontend/001-perpetua-frontend-spec.spec.prompt.md",
    ): "PHR015@1 PHR018@1",
    (
        "404mw__TODO-GIAIC",
        "perpetua-frontend/010-specification-analysis.analyze.prompt.md",
    ): "PHR015@1 PHR009@4 PHR021@31",
    (
        "404mw__TODO-GIAIC",
        "perpetua-frontend/012-specification-analysis.plan.prompt.md",
    ): "PHR015@1 PHR021@32",
    (
        "404mw__TODO-GIAIC",
        "perpetua-frontend/018-cross-artifact-consistency-analysis.misc.prompt.md",
    ): "PHR015@1",
    (
        "NihalGhauri__Hackthon-II-phase-1-console-todo-app",
        "001-console-todo-app/0001-create-console-todo-app-spec.spec.prompt.md",
    ): "",
    (
        "SKneha0__Hackthon-2_phase-3-GIAIC",
        "001-modern-ui-design/001-create-impl-plan.plan.prompt.md",
    ): "PHR016@1 PHR017@1 PHR018@1",
    (
        "SKneha0__Hackthon-2_phase-3-GIAIC",
        "001-modern-ui-design/001-implement-frontend-ui.green.prompt.md",
    ): "PHR016@1 PHR017@1 PHR018@1",
    (
        "SKneha0__Hackthon-2_phase-3-GIAIC",
        "003-ai-chatbot-integration/4-ai-chatbot-specification.spec.prompt.md",
    ): "PHR016@1",
    (
        "SKneha0__Hackthon-2_phase-3-GIAIC",
        "1-backend-fastapi-todo/2-backend-specification-work.spec.prompt.md",
    ): "PHR018@1",
    (
        "SKneha0__Hackthon-2_phase-3-GIAIC",
        "constitution/1-update-hackathon-constitution.constitution.prompt.md",
    ): "PHR018@1",
    (
        "SKneha0__Hackthon-2_phase-3-GIAIC",
        "constitution/2-update-constitution-v2-0-0.constitution.prompt.md",
    ): "PHR018@1",
    (
        "SKneha0__Hackthon-2_phase-3-GIAIC",
        "general/1-backend-tasks-generation.tasks.prompt.md",
    ): "PHR014@1 PHR018@1",
    (
        "bilalinit__evolution-of-todo",
        "001-cli-todo/0001-generate-cli-todo-tasks.tasks.prompt.md",
    ): "PHR017@1 PHR018@1",
    (
        "bilalinit__evolution-of-todo",
        "001-cli-todo/001-implement-cli-todo-app.phr",
    ): "PHR003@1 PHR011@1 PHR017@1 PHR018@1 PHR008@13 PHR007@36 PHR008@47 PHR019@49 PHR020@49",
    (
        "bilalinit__evolution-of-todo",
        "001-cli-todo/1-spec-cli-todo.spec.prompt.md",
    ): "PHR017@1 PHR018@1 PHR004@16",
    (
        "bilalinit__evolution-of-todo",
        "001-cli-todo/3-plan-cli-todo.plan.prompt.md",
    ): "PHR018@1 PHR004@16",
    ("bilalinit__evolution-of-todo", "001-cli-todo/4-adr-cli-todo.adr.prompt.md"): "PHR009@4",
    ("bilalinit__evolution-of-todo", "001-cli-todo/5-tasks-cli-todo.tasks.prompt.md"): "PHR008@13",
    (
        "bilalinit__evolution-of-todo",
        "002-cli-menu-ui/0001-generate-implementation-tasks.tasks.prompt.md",
    ): "PHR017@1 PHR018@1",
    (
        "bilalinit__evolution-of-todo",
        "002-cli-menu-ui/001-implement-phase-1-2.green.prompt.md",
    ): "PHR017@1 PHR018@1 PHR006@5 PHR006@17 PHR006@24 PHR004@28 PHR008@28 PHR021@29 PHR008@32 PHR019@87 PHR020@87",
    (
        "bilalinit__evolution-of-todo",
        "002-cli-menu-ui/002-complete-menu-ui-implementation.green.prompt.md",
    ): "PHR018@1 PHR006@5",
    (
        "bilalinit__evolution-of-todo",
        "002-cli-menu-ui/003-git-workflow-commit-pr.misc.prompt.md",
    ): "PHR018@1 PHR006@5",
    (
        "bilalinit__evolution-of-todo",
        "003-nextjs-frontend/001-create-nextjs-frontend-spec.spec.prompt.md",
    ): "PHR017@1 PHR018@1 PHR004@11",
    (
        "bilalinit__evolution-of-todo",
        "003-nextjs-frontend/001-implement-authentication-flow.green.prompt.md",
    ): "PHR003@1 PHR017@1 PHR018@1 PHR006@2 PHR006@5 PHR008@13 PHR006@17 PHR006@47 PHR008@51 PHR019@52 PHR020@52",
    (
        "bilalinit__evolution-of-todo",
        "003-nextjs-frontend/001-implement-organization-profile-features.green.prompt.md",
    ): "PHR003@1 PHR017@1 PHR018@1 PHR006@2 PHR006@5 PHR008@13 PHR006@17 PHR006@37 PHR008@41 PHR008@43 PHR019@45 PHR020@45",
    (
        "bilalinit__evolution-of-todo",
        "003-nextjs-frontend/001-plan-todo-web-app-frontend.plan.prompt.md",
    ): "PHR003@1 PHR017@1 PHR018@1",
    (
        "bilalinit__evolution-of-todo",
        "003-nextjs-frontend/002-generate-tasks-for-todo-frontend.tasks.prompt.md",
    ): "PHR003@1 PHR018@1 PHR008@13",
    (
        "bilalinit__evolution-of-todo",
        "004-frontend-auth/0001-create-frontend-auth-spec.spec.prompt.md",
    ): "PHR017@1 PHR018@1 PHR004@11",
    (
        "bilalinit__evolution-of-todo",
        "004-frontend-auth/0002-plan-frontend-auth-implementation.plan.prompt.md",
    ): "PHR017@1 PHR018@1 PHR008@2 PHR019@14",
    (
        "bilalinit__evolution-of-todo",
        "004-frontend-auth/0003-generate-implementation-tasks.tasks.prompt.md",
    ): "PHR018@1 PHR008@13 PHR007@21",
    (
        "bilalinit__evolution-of-todo",
        "004-frontend-auth/001-fix-better-auth-schema.green.prompt.md",
    ): "PHR017@1 PHR018@1 PHR020@27",
    (
        "bilalinit__evolution-of-todo",
        "004-frontend-auth/001-implement-better-auth-server.phr",
    ): "PHR011@1 PHR017@1 PHR018@1 PHR007@25",
    (
        "bilalinit__evolution-of-todo",
        "004-frontend-auth/002-implement-profile-password-change.green.prompt.md",
    ): "PHR017@1 PHR018@1 PHR020@28",
    (
        "bilalinit__evolution-of-todo",
        "005-fastapi-backend/001-create-specification.spec.prompt.md",
    ): "PHR017@1 PHR018@1 PHR004@11",
    (
        "bilalinit__evolution-of-todo",
        "005-fastapi-backend/001-generate-tasks-md.tasks.prompt.md",
    ): "PHR017@1 PHR018@1",
    (
        "bilalinit__evolution-of-todo",
        "005-fastapi-backend/002-create-implementation-plan.plan.prompt.md",
    ): "PHR016@1 PHR018@1 PHR007@24 PHR020@30",
    (
        "bilalinit__evolution-of-todo",
        "005-fastapi-backend/1-implement-fastapi-backend-tasks.general.prompt.md",
    ): "PHR014@1 PHR017@1 PHR018@1 PHR006@5 PHR006@18 PHR006@40 PHR008@45 PHR004@47 PHR008@47 PHR008@101 PHR008@102 PHR019@104 PHR020@104",
    (
        "bilalinit__evolution-of-todo",
        "cli-menu-ui/1-spec-menu-driven-ui.prompt.md",
    ): "PHR011@1 PHR015@1 PHR018@1 PHR004@11",
    (
        "bilalinit__evolution-of-todo",
        "cli-menu-ui/2-plan-menu-driven-ui.prompt.md",
    ): "PHR011@1 PHR015@1 PHR018@1 PHR007@25",
    (
        "bilalinit__evolution-of-todo",
        "constitution/0001-improve-evolution-of-todo-constitution.constitution.prompt.md",
    ): "PHR018@1",
    (
        "bilalinit__evolution-of-todo",
        "general/0002-create-github-repo-evolution-todo.general.prompt.md",
    ): "PHR017@1 PHR018@1",
    (
        "bilalinit__evolution-of-todo",
        "general/001-git-push-workflow.general.prompt.md",
    ): "PHR017@1 PHR018@1",
    (
        "bilalinit__evolution-of-todo",
        "general/001-implement-fastapi-backend.general.prompt.md",
    ): "PHR017@1 PHR018@1 PHR008@13 PHR006@18 PHR006@28 PHR008@32 PHR008@33 PHR019@35 PHR020@35",
    (
        "bilalinit__evolution-of-todo",
        "general/002-sp-git-commit-pr-workflow.general.prompt.md",
    ): "PHR017@1 PHR018@1",
    (
        "bilalinit__evolution-of-todo",
        "general/2-update-claude-md-skill-docs.general.prompt.md",
    ): "PHR017@1 PHR018@1",
}


@pytest.fixture(scope="module")
def corpus_projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each corpus repository's records rebuilt at their original paths in a temporary project."""
    from tests.conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    out = tmp_path_factory.mktemp("corpus")
    roots: dict[str, Path] = {}
    for line in (CORPUS / "SOURCES.tsv").read_text("utf-8").splitlines():
        parts = line.split("\t")
        if not parts[0].startswith("phr/"):
            continue
        repo = parts[0].split("/")[1]
        original = parts[3].split(" (")[0]
        root = roots.setdefault(repo, out / repo)
        destination = root / original
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / parts[0], destination)
    for repo, root in roots.items():
        for feature in FEATURES[repo]:
            (root / "specs" / feature).mkdir(parents=True, exist_ok=True)
        (root / "sdd.yaml").write_text("version: 1\n", encoding="utf-8")
    return roots


def test_every_corpus_record_gets_the_findings_a_reader_finds(
    corpus_projects: dict[str, Path],
) -> None:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for repo, root in corpus_projects.items():
        for path in (root / "history/prompts").rglob("*"):
            if path.is_file():
                found[(repo, path.relative_to(root / "history/prompts").as_posix())]
        for finding in phrchecks.check(load_project(root), Selection.everything()):
            key = (repo, finding.path.removeprefix("history/prompts/"))
            found[key].add(f"{finding.code}@{finding.line}")
    assert len(found) == 62
    for key, codes in EXPECTED.items():
        assert found[key] == set(codes.split()), key
    assert set(found) == set(EXPECTED)


def test_selection_reports_only_the_selected_record(corpus_projects: dict[str, Path]) -> None:
    root = corpus_projects["SKneha0__Hackthon-2_phase-3-GIAIC"]
    target = root / "history/prompts/general/1-backend-tasks-generation.tasks.prompt.md"
    findings = list(phrchecks.check(load_project(root), Selection.of([target])))
    assert {f.path for f in findings} == {
        "history/prompts/general/1-backend-tasks-generation.tasks.prompt.md"
    }
    assert {f.code for f in findings} == {"PHR014", "PHR018"}


def test_messages_name_the_problem(corpus_projects: dict[str, Path]) -> None:
    root = corpus_projects["bilalinit__evolution-of-todo"]
    by_code: dict[str, list[str]] = defaultdict(list)
    for finding in phrchecks.check(load_project(root), Selection.everything()):
        by_code[finding.code].append(finding.message)
    assert any("'date_iso'" in m and "'date'" in m for m in by_code["PHR006"])
    assert any("lower-case: ID, TITLE" in m for m in by_code["PHR006"])
    assert any("stage 'adr'" in m for m in by_code["PHR009"])
    assert any("placeholder" in m and "$ARGUMENTS" in m for m in by_code["PHR021"])
    assert any("never closes" in m for m in by_code["PHR020"])  # the open fence at line 246
    assert any("quote the value" in m for m in by_code["PHR007"])
