"""The core called without the CLI: modules that commands reach, tested as a library."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdd.base.errors import RefusedError
from sdd.base.markdown import MarkdownText
from sdd.detect.draft import detection_context
from sdd.detect.runner import run
from sdd.detect.source import DiffRequest
from sdd.features.requirements import find_requirements, referenced_keys
from sdd.pr.checklist import build, render_markdown
from sdd.pr.items import FAIL, PASS
from sdd.project.folders import require_folders
from sdd.project.project import load_project
from tests.pr_repos import api_change

SPEC = """# Feature Specification: Items

## Requirements

- **FR-001**: System MUST store items.
- **FR-002**: System MUST list items.
| SC-01 | 95% of lists load in under a second |

```
- **FR-099**: inside a fence, not a definition
```
"""


def test_requirements_are_defined_once_and_ranges_mention_every_id() -> None:
    found = find_requirements(MarkdownText(SPEC))
    assert [(r.id, r.line) for r in found] == [("FR-001", 5), ("FR-002", 6), ("SC-01", 7)]
    assert {key[:2] for key in referenced_keys("covers FR-001–FR-003 and SC-1")} == {
        ("FR", 1),
        ("FR", 2),
        ("FR", 3),
        ("SC", 1),
    }
    assert referenced_keys("NFR-001 and X-FR-002 are other IDs") == set()


@given(st.integers(1, 999), st.integers(0, 20))
def test_a_range_mentions_exactly_its_ids(first: int, length: int) -> None:
    last = first + length
    keys = referenced_keys(f"tasks cover FR-{first:03d}..FR-{last:03d}.")
    assert sorted(number for _, number, _ in keys) == list(range(first, last + 1))


def test_require_folders_refuses_a_file_on_the_way(project: Path) -> None:
    loaded = load_project(project)
    (project / "specs" / "blocker").write_text("a file\n", encoding="utf-8")
    with pytest.raises(RefusedError, match="specs/blocker is a file"):
        require_folders(loaded, project / "specs" / "blocker" / "001-x")
    require_folders(loaded, project / "specs" / "002-new" / "deeper")  # missing folders are fine


def test_checklist_and_detection_draft_from_the_core(repo: Path) -> None:
    api_change(repo)
    project = load_project(repo)
    checklist = build(project, base="main")
    by_id = {item.id: item for item in checklist.items}
    assert by_id["feature.artifacts"].state == PASS
    assert by_id["feature.tasks"].state == FAIL  # T003 is open
    assert by_id["phr.recorded"].state == PASS
    assert checklist.as_dict()["schema"] == "sdd.pr-checklist/1"
    markdown = render_markdown(project, checklist)
    assert "001-items" in markdown and "T003" in markdown

    verdict, _, source = run(project, DiffRequest(base="main"), start=repo)
    assert verdict.significant
    context, covers = detection_context(verdict, source.label)
    assert "alembic/versions/0001_create_items.py" in context
    assert "alembic/versions/0001_create_items.py" in covers
    assert "To be completed" in context


# --- requirement IDs as teams write them -----------------------------------------------------

IDS = st.tuples(st.sampled_from(["FR", "SC"]), st.integers(1, 999), st.sampled_from(["", "a", "b"]))
# The shapes of a definition line: a list item or paragraph opening with the ID, optionally
# bold, then a colon (ASCII or full-width) or a spaced dash; a heading; a table row.
DEFINITIONS = [
    "- **{id}**: System MUST work.",
    "- **{id}:** System MUST work.",
    "**{id}**: System MUST work.",
    "{id}: System MUST work.",
    "  - {id}：系统必须工作。",
    "1. **{id}**: System MUST work.",
    "- {id} — System MUST work.",
    "### {id}: Work",
    "| {id} | System MUST work |",
    "> - **{id}**: quoted.",
]
# Lines that open with an ID only because a sentence wrapped there: mentions, never definitions.
CONTINUATIONS = [
    "  {id}/US5-AC2).",
    "  {id}, and the audit log.",
    "{id} and the rest of the sentence.",
    "  {id}…FR-022, evidence",
    "  {id} - FR-010 both apply.",
    "- {id} and FR-002 interplay (a list item citing, not defining)",
    "  {id}).",
]


def _written(key: tuple[str, int, str], width: int) -> str:
    kind, number, suffix = key
    return f"{kind}-{number:0{width}d}{suffix}"


@given(
    st.lists(
        st.tuples(IDS, st.sampled_from(DEFINITIONS + CONTINUATIONS), st.sampled_from([1, 3])),
        max_size=12,
    )
)
def test_only_definition_lines_define_an_id(
    lines: list[tuple[tuple[str, int, str], str, int]],
) -> None:
    text = "# Spec\n\nSome prose before.\n" + "".join(
        shape.format(id=_written(key, width)) + "\n" for key, shape, width in lines
    )
    defined = [r.key for r in find_requirements(MarkdownText(text))]
    expected = [(k, n, s) for (k, n, s), shape, _ in lines if shape in DEFINITIONS]
    assert defined == expected


@given(
    st.sampled_from(["FR", "SC"]),
    st.lists(st.tuples(st.integers(1, 999), st.sampled_from(["", "b"])), min_size=1, max_size=5),
    st.booleans(),
)
def test_a_slash_list_mentions_each_member(
    kind: str, members: list[tuple[int, str]], full: bool
) -> None:
    first, *rest = members
    written = f"{kind}-{first[0]:03d}{first[1]}" + "".join(
        f"/{kind + '-' if full else ''}{number:03d}{suffix}" for number, suffix in rest
    )
    assert referenced_keys(f"covers ({written}).") == {(kind, n, s) for n, s in members}


def test_slash_lists_ranges_and_story_like_tails() -> None:
    keys = referenced_keys("FR-009/010/010b, FR-017/023…025 and FR-016/US5-AC2")
    assert keys == {("FR", n, s) for n, s in [(9, ""), (10, ""), (10, "b"), (16, ""), (17, "")]} | {
        ("FR", n, "") for n in (23, 24, 25)
    }
    assert referenced_keys("FR-001/SC-002") == {("FR", 1, ""), ("SC", 2, "")}


def test_a_checker_whose_folder_the_selection_misses_is_neither_imported_nor_needed(
    project: Path,
) -> None:
    """validate runs only the checkers whose folder a selected path touches (ADR 0172): run
    anyway, each skipped checker reports nothing for that selection."""
    from sdd.project.selection import Selection
    from sdd.validation import validate
    from tests.hooks_support import PHR_PATH

    files = {
        "specs/001-login/spec.md": "# Login\n\n[NEEDS CLARIFICATION: which provider?]\n",
        "specs/002-logout/plan.md": "# Plan\n",
        PHR_PATH: "---\nid: x\ntitle: \n---\n\n## Prompt\n",
        "adr/0001-sessions.md": "---\nid: 1\ntitle: Sessions\nstatus: maybe\n---\n\n# Sessions\n",
        "adr/0001-duplicate.md": "---\nid: 1\n---\n",
        "README.md": "# Readme\n",
    }
    for relative, text in files.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text, encoding="utf-8")
    loaded = load_project(project)
    selections = [*files, "specs/001-login", "specs", "history", "adr", "."]
    for selected in selections:
        selection = Selection.of([project / selected])
        every = [
            finding
            for checker in validate.load_checkers(validate.CHECKERS)
            for finding in checker(loaded, selection)
        ]
        assert sorted(validate.all_findings(loaded, selection)) == sorted(every), selected
    needed = validate._checkers_for(loaded, Selection.of([project / PHR_PATH]))
    assert needed == ("sdd.phr.checks:check",)
    assert validate._checkers_for(loaded, Selection.everything()) == validate.CHECKERS
