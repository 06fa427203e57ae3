"""Feature artifacts: ``sdd status`` on 500 features (budget 0.5 s) and ``sdd validate`` over
500 features and 10,000 PHRs (budget 1.5 s, 150 MB, linear in file count; DESIGN §6).

The generated features are filled in (no placeholders), each with a spec of 4 user stories
and 12 requirements, a plan, and 40 tasks; the PHRs are spread over the feature folders.
Validation is also timed at half the size, to show that the cost grows linearly.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from benchmarks.harness import Result, read_floor_command, sdd_command, time_command

FEATURES = 500
PHRS = 10_000
REQUIREMENTS = 12
TASKS = 40


def _spec(number: int, title: str) -> str:
    stories = []
    for story in range(1, 5):
        stories.append(
            f"### User Story {story} - {title} journey {story} (Priority: P{story})\n\n"
            f"A user works through journey {story} of {title.lower()} and sees the result.\n\n"
            "**Why this priority**: it delivers the core value of the feature.\n\n"
            "**Independent Test**: run the journey on its own and check the outcome.\n\n"
            "**Acceptance Scenarios**:\n\n"
            "1. **Given** a signed-in user, **When** they start it, **Then** it completes.\n"
            "2. **Given** bad input, **When** they submit it, **Then** they see a clear error.\n\n"
            "---\n"
        )
    requirements = "\n".join(
        f"- **FR-{index:03d}**: System MUST handle case {index} of {title.lower()} "
        f"(see [the guide](https://example.com/{index}))."
        for index in range(1, REQUIREMENTS + 1)
    )
    return (
        f"# Feature Specification: {title}\n\n"
        f"**Feature Branch**: `{number:03d}-feature-{number}`\n"
        "**Created**: 2025-01-01\n**Status**: Draft\n"
        f'**Input**: User description: "{title}"\n\n'
        "## User Scenarios & Testing *(mandatory)*\n\n"
        + "\n".join(stories)
        + "\n### Edge Cases\n\n- What happens when the list is empty?\n"
        "- How does the system handle a timeout?\n\n"
        "## Requirements *(mandatory)*\n\n### Functional Requirements\n\n"
        + requirements
        + "\n\n### Key Entities\n\n- **Item**: what the user manages.\n\n"
        "## Success Criteria *(mandatory)*\n\n### Measurable Outcomes\n\n"
        "- **SC-001**: 95% of users finish in under 2 minutes.\n"
        "- **SC-002**: every error names the field at fault.\n"
    )


def _plan(number: int, title: str) -> str:
    return (
        f"# Implementation Plan: {title}\n\n"
        f"**Branch**: `{number:03d}-feature-{number}` | **Date**: 2025-01-02 | "
        "**Spec**: [spec.md](spec.md)\n\n"
        "## Summary\n\nA service and a CLI cover FR-001 to FR-012.\n\n"
        "## Technical Context\n\n**Language/Version**: Python 3.12\n"
        "**Primary Dependencies**: typer\n**Testing**: pytest\n\n"
        "## Constitution Check\n\n- I. Specification first: honoured.\n\n"
        "## Project Structure\n\n```text\nsrc/\n├── models/\n└── services/\ntests/\n```\n\n"
        "**Structure Decision**: single project.\n"
    )


def _tasks(number: int, title: str) -> str:
    lines = [f"# Tasks: {title}\n", "## Phase 1: Setup\n"]
    for index in range(1, TASKS + 1):
        if index == 5:
            lines.append("\n## Phase 2: Foundational\n")
        if index == 12:
            lines.append("\n## Phase 3: User Story 1 - Journey (Priority: P1)\n")
        mark = "x" if index % 3 == 0 else " "
        story = " [US1]" if index >= 12 else ""
        parallel = " [P]" if index % 2 else ""
        requirement = f" (FR-{(index % REQUIREMENTS) + 1:03d})"
        lines.append(
            f"- [{mark}] T{index:03d}{parallel}{story} Implement step {index} in "
            f"src/services/step_{index}.py{requirement}"
        )
    return "\n".join(lines) + "\n"


def _phr(identifier: int, feature: str) -> str:
    return (
        "---\n"
        f"id: {identifier:04d}\ntitle: Prompt {identifier}\nstage: green\ndate: 2025-01-03\n"
        f"surface: agent\nmodel: test-model\nfeature: {feature}\nbranch: {feature}\n"
        "user: bench\ncommand: /sp.implement\nlabels: [bench]\nlinks:\n  spec: null\n"
        "  ticket: null\n  adr: null\n  pr: null\nfiles: [src/app.py]\ntests: [tests/test_app.py]\n"
        "---\n\n## Prompt\n\nImplement the next task.\n\n## Response snapshot\n\nDone.\n\n"
        "## Outcome\n\n- Impact: one task\n\n## Evaluation notes (flywheel)\n\n- none\n"
    )


def generate(root: Path, *, features: int = FEATURES, phrs: int = PHRS) -> None:
    """An initialised project with ``features`` filled-in features and ``phrs`` PHRs."""
    subprocess.run([*sdd_command(), "init", str(root), "--git"], check=True, capture_output=True)
    names = []
    for number in range(1, features + 1):
        name = f"{number:03d}-feature-{number}"
        names.append(name)
        folder = root / "specs" / name
        folder.mkdir(parents=True)
        title = f"Feature {number}"
        (folder / "spec.md").write_text(_spec(number, title), encoding="utf-8")
        (folder / "plan.md").write_text(_plan(number, title), encoding="utf-8")
        (folder / "tasks.md").write_text(_tasks(number, title), encoding="utf-8")
    for identifier in range(1, phrs + 1):
        feature = names[identifier % len(names)]
        folder = root / "history" / "prompts" / feature
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{identifier:04d}-prompt-{identifier}.green.prompt.md"
        path.write_text(_phr(identifier, feature), encoding="utf-8")


def run(runs: int) -> list[Result]:
    sdd = sdd_command()
    results = []
    with tempfile.TemporaryDirectory(prefix="sdd-bench-features-") as folder:
        full = Path(folder) / "full"
        generate(full)
        # Issue 13: status at most 3× reading the feature artifacts it summarises.
        floor, _ = time_command(read_floor_command(full / "specs", front_matter=False), runs=runs)
        for arguments in ((), ("--json",)):
            median, _ = time_command([*sdd, "status", *arguments], runs=runs, cwd=full)
            name = " ".join(("sdd status", *arguments))
            results.append(
                Result(
                    f"{name} ({FEATURES} features)",
                    median,
                    500,
                    runs,
                    floor_ms=floor,
                    floor_name="read every spec, plan and tasks file",
                    goal=3.0,
                )
            )
        median, peak = _validate(full, runs)
        results.append(
            Result(f"sdd validate ({FEATURES} features, {PHRS} PHRs)", median, 1500, runs, peak)
        )
        half = Path(folder) / "half"
        generate(half, features=FEATURES // 2, phrs=PHRS // 2)
        median, peak = _validate(half, runs)
        results.append(
            Result(
                f"sdd validate ({FEATURES // 2} features, {PHRS // 2} PHRs; linearity)",
                median,
                None,
                runs,
                peak,
            )
        )
    return results


def _validate(root: Path, runs: int) -> tuple[float, float]:
    """Median time of ``sdd validate`` and the peak RSS of one run of it alone."""
    sdd = sdd_command()
    median, _ = time_command([*sdd, "validate"], runs=runs, cwd=root)
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    completed = subprocess.run(
        [sys_executable(), "-c", probe, *sdd, "validate"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return median, float(completed.stdout.strip())


def sys_executable() -> str:
    import sys

    return sys.executable
