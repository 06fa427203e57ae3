"""The workflow commands on one large feature: ``sdd analyze``, ``sdd tasks next`` and
``sdd clarify`` over a spec of 300 requirements and a tasks.md of 3,000 tasks in 30 phases
(a tenth of them ``[P]``, every tenth with a stated dependency), beside ``sdd show`` on the same
feature as the peer that reads the same three files. No budget in DESIGN §6: the figures are
compared with ``sdd show`` and the interpreter floor.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from benchmarks.harness import Result, sdd_command, time_command

REQUIREMENTS = 300
TASKS = 3000
PHASES = 30
FEATURE = "001-large"


def generate(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*sdd_command(), "init", str(root)], check=True, capture_output=True)
    folder = root / "specs" / FEATURE
    folder.mkdir(parents=True)
    requirements = "\n".join(
        f"- **FR-{index:03d}**: System MUST handle case {index}"
        + (" for [NEEDS CLARIFICATION: which users?]" if index % 50 == 0 else "")
        + "."
        for index in range(1, REQUIREMENTS + 1)
    )
    (folder / "spec.md").write_text(
        "# Feature Specification: Large\n\n## Requirements\n\n"
        + requirements
        + "\n\n## Success Criteria\n\n- **SC-001**: measured by T0001.\n",
        encoding="utf-8",
    )
    (folder / "plan.md").write_text(
        "# Implementation Plan: Large\n\n## Summary\n\nCovers FR-001 to FR-300 and SC-001.\n\n"
        "## Constitution Check\n\n- Specification First: honoured.\n",
        encoding="utf-8",
    )
    lines = ["# Tasks: Large\n"]
    per_phase = TASKS // PHASES
    for index in range(1, TASKS + 1):
        if (index - 1) % per_phase == 0:
            lines.append(f"\n## Phase {(index - 1) // per_phase + 1}: Work\n")
        parallel = "[P] " if index % 10 in (3, 4, 5) else ""
        after = f" (depends on T{index - 7:04d})" if index % 10 == 0 and index > 7 else ""
        requirement = f"FR-{(index % REQUIREMENTS) + 1:03d}"
        lines.append(
            f"- [ ] T{index:04d} {parallel}Step {index} in src/mod{index}.py ({requirement}){after}"
        )
    (folder / "tasks.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(runs: int) -> list[Result]:
    sdd = sdd_command()
    results = []
    with tempfile.TemporaryDirectory(prefix="sdd-bench-workflow-") as folder:
        root = Path(folder) / "large"
        generate(root)
        size = f"{REQUIREMENTS} FRs, {TASKS} tasks"
        for label, args in (
            ("sdd show FEATURE --json (peer)", ["show", FEATURE, "--json"]),
            ("sdd analyze FEATURE --json", ["analyze", FEATURE, "--json"]),
            ("sdd tasks next FEATURE --json", ["tasks", "next", FEATURE, "--json"]),
            ("sdd clarify FEATURE --json", ["clarify", FEATURE, "--json"]),
        ):
            median, _ = time_command([*sdd, *args], runs=runs, cwd=root)
            results.append(Result(f"{label} ({size})", median, None, runs))
    return results
