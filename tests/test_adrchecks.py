"""The ADR checker of ``sdd validate``: one test per diagnostic code."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdd.adr.checks import check
from sdd.project.project import load_project
from sdd.validation.validate import CHECKERS, Selection
from tests.support import build_file_tree

BODY = """
# ADR-{n}: A decision

## Context

Why.

## Decision

What.

## Consequences

### Positive

Good.

### Negative

Bad.

## Alternatives Considered

Others.

## References

- none
"""


def _record(
    number: int = 1,
    *,
    status: str = "accepted",
    extra: str = "",
    body: str | None = None,
    front: str | None = None,
) -> str:
    header = (
        front
        if front is not None
        else (
            f"id: {number}\ntitle: A decision\nstatus: {status}\ndate: 2026-11-27\n"
            f"feature: null\nsupersedes: null\nsuperseded_by: null\ncovers: []\n{extra}"
        )
    )
    return f"---\n{header}---\n{body if body is not None else BODY.format(n=number)}"


def _codes(root: Path, files: dict[str, str], selection: Selection | None = None) -> list[str]:
    (root / "adr").mkdir(exist_ok=True)
    build_file_tree(root / "adr", files)
    project = load_project(root)
    return sorted(
        f"{f.path}:{f.line}:{f.severity}:{f.code}:{f.message}"
        for f in check(project, selection or Selection.everything())
    )


def test_the_checker_is_registered() -> None:
    assert "sdd.adr.checks:check" in CHECKERS


def test_a_complete_record_is_clean(tmp_path: Path) -> None:
    assert _codes(tmp_path, {"0001-a.md": _record()}) == []


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("---\nid: 1\ntitle: x\n", "ADR001", "not closed"),
        ("---\nid: [1\n---\n# x\n", "ADR001", "invalid YAML"),
        ("---\n- a\n- b\n---\n# x\n", "ADR001", "mapping"),
        (_record(front="id: 1\ntitle: A decision\nstatus: accepted\n"), "ADR002", "'date'"),
        (_record(extra="").replace("id: 1", "id: abc"), "ADR003", "id must be a number"),
        (_record().replace("date: 2026-11-27", "date: 27/11/2026"), "ADR003", "YYYY-MM-DD"),
        (_record().replace("date: 2026-11-27", "date: '2026-02-30'"), "ADR003", "not a real date"),
        (_record().replace("supersedes: null", "supersedes: soon"), "ADR003", "supersedes"),
        (_record().replace("covers: []", "covers: src/**"), "ADR003", "list of path globs"),
        (_record().replace("feature: null", "feature: [a]"), "ADR003", "feature"),
        (_record(status="finished"), "ADR016", "not one sdd knows (proposed, accepted"),
        (_record(front="id: 1\ntitle: A decision\ndate: 2026-11-27\n"), "ADR004", "no status"),
        (_record(status="superseded"), "ADR005", "superseded_by names no ADR"),
        (
            _record().replace("superseded_by: null", "superseded_by: 1"),
            "ADR005",
            "not 'superseded'",
        ),
        (
            _record(status="superseded").replace("superseded_by: null", "superseded_by: 7"),
            "ADR006",
            "does not exist",
        ),
        (_record(body=BODY.format(n=1) + "\nOwner: [TEAM NAME]\n"), "ADR009", "placeholder"),
        (_record(body=BODY.format(n=1) + "\n{{ title }}\n"), "ADR009", "placeholder"),
        (
            _record().replace("title: A decision", "title: '[DECISION TITLE]'"),
            "ADR009",
            "placeholder",
        ),
        (
            _record(body=BODY.format(n=1).replace("## Decision\n", "## Choice\n")),
            "ADR010",
            "'Decision'",
        ),
        (_record().replace("id: 1", "id: 3"), "ADR011", "differs"),
        (
            _record(
                status="proposed",
                body=BODY.format(n=1).replace("What.", "*To be completed: what.*"),
            ),
            "ADR012",
            "to be completed",
        ),
        (_record(extra="owner: me\n"), "ADR013", "unknown front matter key 'owner'"),
    ],
)
def test_each_code(tmp_path: Path, text: str, code: str, words: str) -> None:
    found = _codes(tmp_path, {"0001-a.md": text})
    matching = [f for f in found if f":{code}:" in f]
    assert matching, found
    assert any(words in f for f in matching), matching


def test_links_must_point_back(tmp_path: Path) -> None:
    old = _record(1, status="superseded").replace("superseded_by: null", "superseded_by: 2")
    new = _record(2)
    found = _codes(tmp_path, {"0001-old.md": old, "0002-new.md": new})
    assert any(":ADR007:" in f and "0001-old.md" in f for f in found)
    fixed = _record(2).replace("supersedes: null", "supersedes: 1")
    assert _codes(tmp_path, {"0002-new.md": fixed}) == []


def test_duplicate_numbers_name_the_other_file_and_the_fix(tmp_path: Path) -> None:
    found = _codes(tmp_path, {"0001-a.md": _record(), "0001-b.md": _record()})
    assert len([f for f in found if ":ADR008:" in f]) == 2
    assert all("sdd adr renumber" in f for f in found if ":ADR008:" in f)


def test_only_selected_records_are_reported(tmp_path: Path) -> None:
    files = {"0001-a.md": _record(status="finished"), "0002-b.md": _record(2, status="wrong")}
    selection = Selection.of([tmp_path / "adr" / "0002-b.md"])
    found = _codes(tmp_path, files, selection)
    assert found and all("0002-b.md" in f for f in found)
    assert _codes(tmp_path, {}, Selection.of([tmp_path / "specs"])) == []


def test_spec_kit_plus_template_status_is_invalid(tmp_path: Path) -> None:
    text = (
        "# ADR-001: Title\n\n- **Status:** Proposed | Accepted | Superseded\n"
        "- **Date:** 2025-01-01\n"
        "- **Context:** why\n\n## Decision\n\nx\n\n## Consequences\n\ny\n"
    )
    found = _codes(tmp_path, {"001-title.md": text})
    assert [f for f in found if ":ADR004:" in f]


def test_readme_and_non_adr_files_are_ignored(tmp_path: Path) -> None:
    files = {"README.md": "# [TODO INDEX]\n", "template.md": "{{ x }}", "0001-a.md": _record()}
    assert _codes(tmp_path, files) == []


def test_unparsable_front_matter_is_one_finding_not_a_list_of_missing_keys(tmp_path: Path) -> None:
    text = _record().replace("title: A decision", "title: [A decision")
    found = _codes(tmp_path, {"0001-a.md": text})
    assert [f.split(":")[3] for f in found] == ["ADR001"], found
    assert "invalid YAML" in found[0]
