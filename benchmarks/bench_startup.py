"""Start-up: ``sdd --version``, ``sdd --help`` and the fixed cost of a command (issue 13, ADR 0090).

Goals, as ratios measured in the same run (commands interleaved, so drift hits all alike):
``sdd --version`` ≤ 3× ``python -c pass``; ``sdd --help`` ≤ 7× it (and ≤ 150 ms, DESIGN §6);
``sdd status`` and ``sdd validate`` on an empty project ≤ 1.5× ``sdd --help``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import Result, sdd_command, time_command


def _interleaved(commands: dict[str, list[str]], runs: int, cwd: Path) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            median, _ = time_command(command, runs=1, warmup=0, cwd=cwd)
            samples[name].append(median)
    return {name: statistics.median(values) for name, values in samples.items()}


def run(runs: int) -> list[Result]:
    sdd = sdd_command()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        subprocess.run(["git", "init", "-q", str(project)], check=True)
        # An empty project: configured, nothing in it yet.
        (project / "sdd.yaml").write_text("version: 1\n", encoding="utf-8")
        for command in (["--version"], ["--help"], ["status"]):  # warm the bytecode caches
            time_command([*sdd, *command], runs=1, warmup=1, cwd=project)
        medians = _interleaved(
            {
                "floor": [sys.executable, "-c", "pass"],
                "version": [*sdd, "--version"],
                "help": [*sdd, "--help"],
                "status": [*sdd, "status"],
                "validate": [*sdd, "validate"],
            },
            runs,
            project,
        )
    floor, helped = medians["floor"], medians["help"]
    return [
        Result(
            f"sdd --version ({medians['version'] / floor:.1f}× python -c pass; goal 3×)",
            medians["version"],
            3 * floor,
            runs,
        ),
        Result(
            f"sdd --help ({helped / floor:.1f}× python -c pass; goal 7×)",
            helped,
            min(150, 7 * floor),
            runs,
        ),
        *(
            Result(
                f"sdd {name}, empty project ({medians[name] / helped:.2f}× --help; goal 1.5×)",
                medians[name],
                1.5 * helped,
                runs,
            )
            for name in ("status", "validate")
        ),
    ]
