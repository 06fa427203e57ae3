"""``sdd tasks next``: dependencies, parallel groups, cycles; walking a feature to the end."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.features.task_order import build_graph, cycles, next_tasks
from tests.support import git

TASKS = """# Tasks: Demo

## Phase 1: Setup

- [ ] T001 Create the project structure
- [ ] T002 [P] Configure linting in pyproject.toml
- [ ] T003 [P] Configure CI in .github/workflows/ci.yml

## Phase 2: User Story 1

- [ ] T004 [P] [US1] Model in src/models/user.py
- [ ] T005 [P] [US1] Test in tests/test_user.py (depends on T004)
- [ ] T006 [US1] Service in src/services/user.py

## Phase 3: Polish

- [ ] T007 Docs
- [ ] T008 [P] Release notes

## Dependencies

- T008 depends on T007
- T002 → T003
"""


def test_graph_from_phases_sequence_and_stated_dependencies() -> None:
    graph = build_graph(TASKS)
    assert graph.prerequisites("T001") == set()
    assert graph.prerequisites("T002") == {"T001"}
    assert graph.prerequisites("T003") == {"T001", "T002"}  # stated by the arrow
    assert graph.prerequisites("T005") == {"T001", "T002", "T003", "T004"}
    assert graph.prerequisites("T006") >= {"T004", "T005"}
    assert graph.stated == {"T005": {"T004"}, "T008": {"T007"}, "T003": {"T002"}}
    assert cycles(graph) == []


def test_ranges_lists_and_blocks() -> None:
    text = (
        "## Phase 1\n\n- [ ] T001 a\n- [ ] T002 [P] b\n- [ ] T003 [P] c\n- [ ] T004 [P] d\n\n"
        "T001 blocks T002–T004\nT004 requires T002 and T003\n"
    )
    graph = build_graph(text)
    assert graph.stated == {
        "T002": {"T001"},
        "T003": {"T001"},
        "T004": {"T001", "T002", "T003"},
    }


def test_forward_dependency_makes_a_cycle_and_blocks() -> None:
    text = TASKS.replace("Create the project structure", "Create it (depends on T006)")
    graph = build_graph(text)
    assert cycles(graph) == [["T001", "T002", "T003", "T004", "T005", "T006"]]
    found = next_tasks(text)
    assert found.ready == () and found.remaining == 8
    assert found.blocked_by_cycle[0][0] == "T001"


def _walk(text: str) -> list[list[str]]:
    steps: list[list[str]] = []
    while True:
        found = next_tasks(text)
        if not found.ready:
            assert found.remaining == 0
            return steps
        ids = [task.id for task in found.ready if task.id]
        steps.append(ids)
        for task_id in ids:
            text = text.replace(f"- [ ] {task_id} ", f"- [x] {task_id} ", 1)


def test_walk_to_the_end_in_a_valid_order() -> None:
    assert _walk(TASKS) == [
        ["T001"],
        ["T002"],
        ["T003"],
        ["T004"],
        ["T005"],
        ["T006"],
        ["T007"],
        ["T008"],
    ]
    without_arrow = TASKS.replace("- T002 → T003\n", "")
    assert _walk(without_arrow)[1] == ["T002", "T003"]


@settings(max_examples=80, deadline=None)
@given(
    flags=st.lists(st.tuples(st.booleans(), st.integers(0, 2)), min_size=1, max_size=12),
    forward=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=4),
)
def test_any_walk_respects_every_dependency(
    flags: list[tuple[bool, int]], forward: list[tuple[int, int]]
) -> None:
    lines = []
    phase = -1
    for index, (parallel, phase_step) in enumerate(flags):
        if phase_step == 0 or phase < 0:
            phase += 1
            lines.append(f"\n## Phase {phase + 1}\n")
        lines.append(f"- [ ] T{index + 1:03d} {'[P] ' if parallel else ''}task {index}")
    count = len(flags)
    lines.append("")
    for waiter, waited in forward:
        if waiter < count and waited < count:
            lines.append(f"T{waiter + 1:03d} depends on T{waited + 1:03d}")
    text = "\n".join(lines) + "\n"
    graph = build_graph(text)
    done: set[str] = set()
    while True:
        found = next_tasks(text)
        if not found.ready:
            break
        for task in found.ready:
            assert task.id is not None
            assert graph.prerequisites(task.id) <= done
        for task in found.ready:
            assert task.id is not None
            done.add(task.id)
            text = text.replace(f"- [ ] {task.id} ", f"- [x] {task.id} ", 1)
    if found.remaining:
        assert cycles(graph)
    else:
        assert len(done) == count


def test_cli_walks_a_feature_on_a_real_repository(project: Path, sdd, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    folder = project / "specs" / "001-demo"
    folder.mkdir(parents=True)
    (folder / "spec.md").write_text("# Spec\n", encoding="utf-8")
    (folder / "tasks.md").write_text(TASKS.replace("- T002 → T003\n", ""), encoding="utf-8")
    git(project, "add", "-A")
    order: list[str] = []
    for _ in range(10):
        document = json.loads(sdd("tasks", "next", "001", "--json", ok=True).stdout)
        if document["finished"]:
            break
        ids = [task["id"] for task in document["ready"]]
        order.extend(ids)
        sdd("tasks", "done", *ids, "--feature", "001", ok=True)
    assert order == ["T001", "T002", "T003", "T004", "T005", "T006", "T007", "T008"]
    result = sdd_exe("tasks", "next", "001", cwd=project)
    assert result.returncode == 0 and "all 8 tasks are done" in result.stdout


def test_cli_reports_a_cycle_with_exit_1(project: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    folder = project / "specs" / "001-demo"
    folder.mkdir(parents=True)
    cyclic = TASKS.replace("Create the project structure", "Create it (depends on T002)")
    (folder / "tasks.md").write_text(cyclic, encoding="utf-8")
    result = sdd_exe("tasks", "next", "001", cwd=project)
    assert result.returncode == 1
    assert "T001 → T002" in result.stderr
    missing = sdd_exe("tasks", "next", "002", cwd=project)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_a_long_chain_needs_no_recursion() -> None:
    lines = ["## Phase 1\n"] + [f"- [ ] T{index:04d} step {index}" for index in range(1, 3001)]
    text = "\n".join(lines) + "\n"
    assert [task.id for task in next_tasks(text).ready] == ["T0001"]
    looped = text.replace("step 1\n", "step 1 (after T3000)\n", 1)
    graph = build_graph(looped)
    (cycle,) = cycles(graph)
    assert cycle[0] == "T0001" and cycle[-1] == "T3000" and len(cycle) == 3000
    assert next_tasks(looped).ready == ()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "## Phase 1",
                "## Phase 2",
                "- [ ] T001 a",
                "- [x] T002 [P] b in src/x.py",
                "- [ ] T003 [P] c (depends on T001, T002)",
                "- [ ] T004 d (after T009)",
                "T003 blocks T001",
                "T001 → T002 -> T004",
                "T002–T004 depend on T001",
                "```",
                "<!-- T004 depends on T003 -->",
                "plain text",
                "",
            ]
        ),
        max_size=25,
    )
)
def test_any_text_gives_a_graph_over_its_own_tasks(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    graph = build_graph(text)
    nodes = set(graph.edges)
    assert all(targets <= nodes for targets in graph.edges.values())
    assert set(graph.stated) <= set(graph.by_id)
    for cycle in cycles(graph):
        assert len(cycle) > 1 and set(cycle) <= set(graph.by_id)
    found = next_tasks(text)
    assert all(not task.done for task in found.ready)
    if not found.ready and found.remaining:
        assert found.blocked_by_cycle


def test_a_reused_id_is_ordered_once_and_named(project: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    folder = project / "specs" / "001-demo"
    folder.mkdir(parents=True)
    (folder / "tasks.md").write_text(
        "## Phase 1\n\n- [ ] T001 first\n- [ ] T001 again\n- [ ] T002 next\n", encoding="utf-8"
    )
    result = sdd_exe("tasks", "next", "001", cwd=project)
    assert result.returncode == 0
    assert "T001 first" in result.stdout
    assert "specs/001-demo/tasks.md:4: task ID T001 is used again" in result.stderr
