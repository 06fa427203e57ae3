"""tasks.md: the task-line parser and in-place checkbox flipping (property-based too)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.base.errors import ParseError, UsageError
from sdd.features.tasks import normalise_id, parse_tasks, set_done

SAMPLE = """# Tasks: Demo

## Phase 1: Setup

- [ ] T001 Create project structure per implementation plan
- [x] T002 [P] Initialize Python project with typer dependencies
- [X] **T003** [P] [US1] Bold IDs are accepted in src/cli.py
* [ ] T037A [US5a] Letter suffixes too in src/app.py
+ [ ] T015b: a colon after the ID

```markdown
- [ ] T900 inside a code fence is not a task
```

<!--
- [ ] T901 inside an HTML comment is not a task either
-->

## Phase 2: Foundational

- [ ] A checklist item without an ID
  - [x] a nested checklist item
- [] T004 missing the space in the box
-[ ] T005 missing the space after the bullet
- [ ]T006 missing the space after the box
- [ ] T007
"""


def test_task_lines_and_their_parts() -> None:
    parsed = parse_tasks(SAMPLE)
    by_id = {task.id: task for task in parsed.tasks}
    assert list(by_id) == ["T001", "T002", "T003", "T037A", "T015b", "T007"]
    assert by_id["T001"].done is False and by_id["T001"].line == 5
    assert by_id["T001"].description == "Create project structure per implementation plan"
    assert by_id["T002"].done and by_id["T002"].parallel and by_id["T002"].story is None
    assert by_id["T003"].done and by_id["T003"].parallel and by_id["T003"].story == "US1"
    assert by_id["T003"].description == "Bold IDs are accepted in src/cli.py"
    assert by_id["T037A"].story == "US5a" and not by_id["T037A"].parallel
    assert by_id["T015b"].description == "a colon after the ID"
    assert by_id["T007"].description == ""
    assert {task.phase for task in parsed.tasks[:5]} == {"Phase 1: Setup"}
    assert by_id["T007"].phase == "Phase 2: Foundational"


def test_checklist_items_and_malformed_lines() -> None:
    parsed = parse_tasks(SAMPLE)
    assert [(item.line, item.done, item.description) for item in parsed.checklist] == [
        (21, False, "A checklist item without an ID"),
        (22, True, "a nested checklist item"),
    ]
    assert [(bad.line, bad.text) for bad in parsed.malformed] == [
        (23, "- [] T004 missing the space in the box"),
        (24, "-[ ] T005 missing the space after the bullet"),
        (25, "- [ ]T006 missing the space after the box"),
    ]
    assert (parsed.done, parsed.total) == (2, 6)


def test_a_file_without_task_ids_is_counted_by_its_checklist() -> None:
    parsed = parse_tasks("## Work\n\n- [x] one\n- [ ] two\n- [X] three\n")
    assert parsed.tasks == []
    assert (parsed.done, parsed.total) == (2, 3)
    assert [task.description for task in parsed.open] == ["two"]


def test_crlf_lines_parse_like_lf_lines() -> None:
    text = SAMPLE.replace("\n", "\r\n")
    crlf, lf = parse_tasks(text), parse_tasks(SAMPLE)
    strip = [(t.id, t.done, t.line, t.description, t.story) for t in crlf.tasks]
    assert strip == [(t.id, t.done, t.line, t.description, t.story) for t in lf.tasks]
    assert [bad.line for bad in crlf.malformed] == [bad.line for bad in lf.malformed]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("T001", "T001"), ("t12", "T12"), (" T037A ", "T037A"), ("**T5**", "T5")],
)
def test_task_ids_are_normalised(raw: str, normalised: str) -> None:
    assert normalise_id(raw) == normalised


@pytest.mark.parametrize("raw", ["", "001", "X001", "T", "T-1", "done"])
def test_text_that_is_no_task_id_is_refused(raw: str) -> None:
    with pytest.raises(UsageError):
        normalise_id(raw)


def _write(folder: Path, text: str | bytes) -> Path:
    path = folder / "tasks.md"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_done_and_undone_change_only_the_box(tmp_path: Path) -> None:
    path = _write(tmp_path, SAMPLE)
    before = path.read_bytes()
    update = set_done(path, ["T001", "t037a"], done=True)
    assert [task.id for task in update.changed] == ["T001", "T037A"]
    after = path.read_bytes()
    differing = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(differing) == 2
    assert all(after[i : i + 1] in (b"x", b"X") for i in differing)
    again = set_done(path, ["T001"], done=True)
    assert again.changed == () and [t.id for t in again.unchanged] == ["T001"]
    set_done(path, ["T001", "T037A"], done=False)
    assert path.read_bytes() == before


def test_the_done_mark_follows_the_file(tmp_path: Path) -> None:
    upper = _write(tmp_path, "- [X] T001 a\n- [X] T002 b\n- [ ] T003 c\n")
    set_done(upper, ["T003"], done=True)
    assert upper.read_text("utf-8").endswith("- [X] T003 c\n")
    lower = _write(tmp_path, "- [x] T001 a\n- [ ] T002 b\n")
    set_done(lower, ["T002"], done=True)
    assert lower.read_text("utf-8") == "- [x] T001 a\n- [x] T002 b\n"


def test_unknown_and_duplicate_ids_change_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, "- [ ] T001 a\n- [ ] T002 b\n- [ ] T002 c\n")
    before = path.read_bytes()
    with pytest.raises(UsageError, match="no task T009"):
        set_done(path, ["T001", "T009"], done=True)
    with pytest.raises(UsageError, match="T002 appears more than once"):
        set_done(path, ["T002"], done=True)
    assert path.read_bytes() == before


def test_binary_tasks_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, b"- [ ] T001 a\n\x00\x01\x02")
    with pytest.raises(ParseError, match="binary"):
        set_done(path, ["T001"], done=True)
    assert path.read_bytes() == b"- [ ] T001 a\n\x00\x01\x02"


@pytest.mark.slow
def test_a_huge_tasks_file_is_parsed_and_flipped(tmp_path: Path) -> None:
    lines = [f"- [ ] T{index:06d} Step {index} in src/step_{index}.py" for index in range(100_000)]
    path = _write(tmp_path, "# Tasks\n\n## Phase 1: Setup\n\n" + "\n".join(lines) + "\n")
    parsed = parse_tasks(path.read_text("utf-8"))
    assert parsed.total == 100_000 and parsed.tasks[-1].line == 100_004
    set_done(path, ["T099999"], done=True)
    assert path.read_text("utf-8").endswith("- [x] T099999 Step 99999 in src/step_99999.py\n")


# --- properties -----------------------------------------------------------------------------

words = (
    st.text(
        alphabet=st.characters(
            categories=("L", "N", "Zs"),
            include_characters="./_-()`:,é😀",
            exclude_characters="\r\n",
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(lambda text: bool(text) and not text.startswith(("[", ":", "-", "—")))
)


@st.composite
def task_lines(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    bullet = draw(st.sampled_from("-*+"))
    mark = draw(st.sampled_from([" ", "x", "X"]))
    number = draw(st.integers(min_value=0, max_value=99999))
    suffix = draw(st.sampled_from(["", "a", "B"]))
    task_id = f"T{number:03d}{suffix}"
    bold = draw(st.booleans())
    parallel = draw(st.booleans())
    # A task serves no story, one ("[US3]") or several ("[US1/2]", "[US1/US2]", "[US1, US2]").
    numbers = draw(st.lists(st.integers(1, 20), max_size=3, unique=True))
    separator = draw(st.sampled_from(["/", "/US", ", US", ","]))
    label = "US" + separator.join(str(n) for n in numbers) if numbers else ""
    stories = tuple(f"US{n}" for n in numbers)
    description = draw(words)
    indent = draw(st.sampled_from(["", "  "]))
    shown_id = f"**{task_id}**" if bold else task_id
    markers = (" [P]" if parallel else "") + (f" [{label}]" if label else "")
    line = f"{indent}{bullet} [{mark}] {shown_id}{markers} {description}"
    expected = {
        "id": task_id,
        "done": mark != " ",
        "parallel": parallel,
        "story": stories[0] if stories else None,
        "stories": stories,
        "description": description,
    }
    return line, expected


@settings(max_examples=300)
@given(st.lists(task_lines(), min_size=1, max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_generated_task_lines_parse_back(
    lines: list[tuple[str, dict[str, object]]], newline: str
) -> None:
    text = "## Phase 1: Setup" + newline + newline.join(line for line, _ in lines) + newline
    parsed = parse_tasks(text)
    assert parsed.malformed == []
    assert len(parsed.tasks) == len(lines)
    for task, (_, expected) in zip(parsed.tasks, lines, strict=True):
        actual = {key: getattr(task, key) for key in expected}
        assert actual == expected
        assert task.phase == "Phase 1: Setup"


filler = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=40)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A tasks.md of task lines mixed with arbitrary other lines, and its task IDs."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines: list[str] = []
    ids: list[str] = []
    for index in range(draw(st.integers(1, 12))):
        if draw(st.booleans()):
            mark = draw(st.sampled_from([" ", "x", "X"]))
            task_id = f"T{index + 1:03d}"
            ids.append(task_id)
            lines.append(f"- [{mark}] {task_id} {draw(words)}")
        else:
            other = draw(filler)
            if "T0" in other or "```" in other or "~~~" in other or "<!--" in other:
                other = "plain text"
            lines.append(other)
    if not ids:
        ids.append("T999")
        lines.append("- [ ] T999 the last task")
    trailing = draw(st.sampled_from(["", newline]))
    return newline.join(lines) + trailing, ids


@settings(max_examples=200, deadline=None)
@given(documents(), st.data())
def test_flipping_changes_only_the_chosen_boxes(
    document: tuple[str, list[str]], data: st.DataObject
) -> None:
    text, ids = document
    chosen = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    done = data.draw(st.booleans())
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), text)
        before = path.read_bytes()
        set_done(path, chosen, done=done)
        after = path.read_bytes()
    assert len(after) == len(before)
    differing = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(differing) <= len(chosen)
    allowed = (b"x", b"X") if done else (b" ",)
    assert all(after[i : i + 1] in allowed for i in differing)
    flipped = {task.id: task.done for task in parse_tasks(after.decode("utf-8")).tasks}
    assert all(flipped[task_id] is done for task_id in chosen)


@settings(max_examples=200, deadline=None)
@given(documents(), st.data())
def test_done_then_undone_round_trips_byte_exact(
    document: tuple[str, list[str]], data: st.DataObject
) -> None:
    text, ids = document
    opened = text.replace("[x]", "[ ]").replace("[X]", "[ ]")
    chosen = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), opened)
        set_done(path, chosen, done=True)
        assert path.read_bytes() != opened.encode("utf-8")
        set_done(path, chosen, done=False)
        assert path.read_bytes() == opened.encode("utf-8")
