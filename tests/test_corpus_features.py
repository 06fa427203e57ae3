"""Every feature folder of the real-world corpus through sdd status and sdd validate.

The expectations were worked out by reading the files: their headings against the default
templates' required sections, their task lines (counted outside code fences), the FR IDs
each spec defines and the ones its plan.md and tasks.md mention. Placeholders per file are
pinned in tests/test_placeholders.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support import git
from tests.test_placeholders import CORPUS_PLACEHOLDERS

REPOSITORIES = (
    "404mw__TODO-GIAIC",
    "NihalGhauri__Hackthon-II-phase-1-console-todo-app",
    "bilalinit__evolution-of-todo",
    "microsoft__CommunityManagement-Sample-Spec-Kit",
)
FLAT_FILES = "_flat-file-next-to-folder"


def _ids(first: int, last: int, *, width: int = 3, without: tuple[int, ...] = ()) -> set[str]:
    return {f"FR-{n:0{width}d}" for n in range(first, last + 1) if n not in without}


# feature → (tasks done, tasks total, errors, FR IDs with a coverage gap)
STATUS: dict[str, dict[str, tuple[int, int, int, set[str]]]] = {
    "404mw__TODO-GIAIC": {
        # tasks.md mentions FR-001 and FR-013 only
        "001-todo-core": (54, 54, 0, _ids(2, 12)),
        # a reverse-engineered spec and plan: 4 + 4 required sections missing
        "002-perpetua-frontend": (0, 121, 8, set()),
        # no task IDs: 338 ticked checklist items count instead; 4 + 4 sections missing (a
        # tasks.md has no required sections)
        "003-perpetua-backend": (338, 338, 8, _ids(1, 15)),
    },
    "NihalGhauri__Hackthon-II-phase-1-console-todo-app": {
        # three placeholders left in plan.md
        "001-console-todo-app": (45, 45, 3, _ids(1, 10)),
    },
    "bilalinit__evolution-of-todo": {
        "001-cli-todo": (76, 76, 0, _ids(1, 12)),
        "002-cli-menu-ui": (70, 70, 0, _ids(1, 15)),
        # 195 task IDs (13 checklist items under "Build Verification" do not count)
        "003-nextjs-frontend": (156, 195, 0, _ids(1, 20, without=(17,))),
        # requirements are grouped by topic: no "Functional Requirements" heading
        "004-frontend-auth": (19, 25, 1, _ids(1, 14)),
        # six placeholders in the Complexity Tracking table
        "005-fastapi-backend": (24, 24, 6, _ids(1, 9)),
    },
    "microsoft__CommunityManagement-Sample-Spec-Kit": {
        # no "Measurable Outcomes"; tasks mention FR-11, FR-12, FR-14
        "001-event-discovery-rsvp": (0, 70, 1, _ids(1, 19, width=2, without=(11, 12, 14))),
        "004-permissions-creator-accounts": (0, 69, 1, _ids(1, 16, width=2, without=(15,))),
        "006-code-review-fixes": (0, 83, 0, set()),
        # two folders numbered 007
        "007-mock-auth": (0, 25, 1, _ids(1, 14)),
        "007-simple-ui-pages": (39, 39, 1, _ids(1, 20)),
        # tasks.md line 292 mentions FR-004/FR-005, FR-001, FR-013, FR-026, FR-027, FR-028
        "010-events-explorer": (77, 84, 0, _ids(1, 28, without=(1, 4, 5, 13, 26, 27, 28))),
    },
}


# Features whose plan and tasks name no requirement ID at all: one FEAT031 says so.
UNTRACED = {
    "003-perpetua-backend",
    "001-console-todo-app",
    "001-cli-todo",
    "002-cli-menu-ui",
    "004-frontend-auth",
    "005-fastapi-backend",
    "007-mock-auth",
    "007-simple-ui-pages",
}


def _expected_gaps(feature: str, gaps: set[str]) -> set[str]:
    return {"untraced"} if feature in UNTRACED and gaps else gaps


def _missing(path: str, *names: str) -> set[tuple[str, int, str, str, str]]:
    return {(path, 1, "error", "FEAT012", f"missing required section '{name}'") for name in names}


def _placeholders(repository: str, artifact: str) -> set[tuple[str, int, str, str, str]]:
    """The FEAT013 findings for the placeholders pinned in tests/test_placeholders.py."""
    return {
        (f"specs/{artifact}", line, "error", "FEAT013", f"template placeholder {text}")
        for line, text in CORPUS_PLACEHOLDERS[f"{repository}/{artifact}"]
    }


SPEC_SECTIONS = ("User Scenarios & Testing", "Edge Cases", "Requirements", "Measurable Outcomes")
PLAN_SECTIONS = ("Summary", "Technical Context", "Constitution Check", "Project Structure")

# Findings other than coverage gaps: (path, line, severity, code, message start).
OTHER_FINDINGS: dict[str, set[tuple[str, int, str, str, str]]] = {
    "404mw__TODO-GIAIC": {
        *_missing("specs/002-perpetua-frontend/spec.md", *SPEC_SECTIONS),
        *_missing("specs/002-perpetua-frontend/plan.md", *PLAN_SECTIONS),
        *_missing("specs/003-perpetua-backend/spec.md", *SPEC_SECTIONS),
        *_missing("specs/003-perpetua-backend/plan.md", *PLAN_SECTIONS),
        (
            "specs/003-perpetua-backend/tasks.md",
            30,
            "warning",
            "FEAT023",
            "no task IDs: 338 checklist items",
        ),
    },
    "NihalGhauri__Hackthon-II-phase-1-console-todo-app": _placeholders(
        "NihalGhauri__Hackthon-II-phase-1-console-todo-app", "001-console-todo-app/plan.md"
    ),
    "bilalinit__evolution-of-todo": {
        *_missing("specs/004-frontend-auth/spec.md", "Functional Requirements"),
        *_placeholders("bilalinit__evolution-of-todo", "005-fastapi-backend/plan.md"),
    },
    "microsoft__CommunityManagement-Sample-Spec-Kit": {
        (
            "specs/001-event-discovery-rsvp.md",
            1,
            "warning",
            "FEAT004",
            "001-event-discovery-rsvp.md lies directly in specs/",
        ),
        *_missing("specs/001-event-discovery-rsvp/spec.md", "Measurable Outcomes"),
        *_missing("specs/004-permissions-creator-accounts/spec.md", "Measurable Outcomes"),
        (
            "specs/007-mock-auth",
            1,
            "error",
            "FEAT002",
            "feature number 007 is also used by 007-simple-ui-pages",
        ),
        (
            "specs/007-simple-ui-pages",
            1,
            "error",
            "FEAT002",
            "feature number 007 is also used by 007-mock-auth",
        ),
    },
}


def _project(corpus: Path, tmp_path: Path, repository: str) -> Path:
    root = tmp_path / repository
    specs = root / "specs"
    shutil.copytree(corpus / "specs" / repository, specs)
    flat = specs / FLAT_FILES
    if flat.is_dir():
        for path in flat.iterdir():
            shutil.move(str(path), specs / path.name)
        flat.rmdir()
    for path in root.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    git(root, "init", "-q")
    return root


def test_the_corpus_is_what_these_tests_describe(corpus: Path) -> None:
    folders = {
        (repository, folder.name)
        for repository in REPOSITORIES
        for folder in (corpus / "specs" / repository).iterdir()
        if folder.name != FLAT_FILES
    }
    assert folders == {(repo, name) for repo, features in STATUS.items() for name in features}


@pytest.mark.parametrize("repository", REPOSITORIES)
def test_status_of_every_corpus_feature(
    corpus: Path, tmp_path: Path, sdd, monkeypatch, repository: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(_project(corpus, tmp_path, repository))
    result = sdd("status", "--json")
    assert result.exit_code == 0, result.output
    rows = {row["feature"]: row for row in json.loads(result.stdout)["features"]}
    assert set(rows) == set(STATUS[repository])
    for feature, (done, total, errors, gaps) in STATUS[repository].items():
        row = rows[feature]
        assert row["artifacts"] == ["spec", "plan", "tasks"], feature
        assert row["tasks"] == {"done": done, "total": total}, feature
        assert row["clarifications"] == 0, feature
        assert row["errors"] == errors, feature
        warnings = len(_expected_gaps(feature, gaps))
        warnings += 1 if feature == "003-perpetua-backend" else 0
        assert row["warnings"] == warnings, feature
        assert (row["phrs"], row["adrs"]) == (0, 0)
    human = sdd("status")
    assert human.exit_code == 0 and "Traceback" not in human.output
    for feature in STATUS[repository]:
        assert feature in human.stdout


@pytest.mark.parametrize("repository", REPOSITORIES)
def test_validate_every_corpus_feature(
    corpus: Path, tmp_path: Path, sdd, monkeypatch, repository: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(_project(corpus, tmp_path, repository))
    result = sdd("validate", "--json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    gaps = {
        (
            f["path"].split("/")[1],
            "untraced" if "not traced" in f["message"] else f["message"].split()[2],
        )
        for f in findings
        if f["code"] == "FEAT031"
    }
    assert all(f["severity"] == "warning" for f in findings if f["code"] == "FEAT031")
    expected_gaps = {
        (feature, fr)
        for feature, row in STATUS[repository].items()
        for fr in _expected_gaps(feature, row[3])
    }
    assert gaps == expected_gaps
    others = [f for f in findings if f["code"] != "FEAT031"]
    expected = OTHER_FINDINGS[repository]
    assert len(others) == len(expected)
    for finding in others:
        key = (finding["path"], finding["line"], finding["severity"], finding["code"])
        assert any(
            key == item[:4] and finding["message"].startswith(item[4]) for item in expected
        ), finding


def test_coverage_gaps_point_at_the_requirement(
    corpus: Path, tmp_path: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(
        _project(corpus, tmp_path, "NihalGhauri__Hackthon-II-phase-1-console-todo-app")
    )
    findings = json.loads(sdd("validate", "specs/001-console-todo-app/spec.md", "--json").stdout)[
        "findings"
    ]
    first = findings[0]
    assert (first["path"], first["line"], first["code"]) == (
        "specs/001-console-todo-app/spec.md",
        83,
        "FEAT031",
    )
    assert first["message"].startswith(
        "coverage not traced: neither plan.md nor tasks.md names a requirement ID, so none of "
        "the 10 functional requirements"
    )
    shown = json.loads(sdd("show", "001", "--json", ok=True).stdout)
    assert [r["id"] for r in shown["requirements"]][:3] == ["FR-001", "FR-002", "FR-003"]
    assert shown["requirements"][0]["covered"] is False
    assert shown["open_tasks"] == []


def test_the_installed_executable_on_a_corpus_project(
    corpus: Path, tmp_path: Path, sdd_exe
) -> None:  # type: ignore[no-untyped-def]
    root = _project(corpus, tmp_path, "microsoft__CommunityManagement-Sample-Spec-Kit")
    status = sdd_exe("status", cwd=root)
    assert status.returncode == 0 and "Traceback" not in status.stderr
    checked = sdd_exe("validate", cwd=root)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert "specs/007-mock-auth:1: error FEAT002" in checked.stdout
    ambiguous = sdd_exe("show", "007", cwd=root)
    assert ambiguous.returncode == 2 and "ambiguous" in ambiguous.stderr
