"""Agent commands: install for all eight agents, reinstall (nothing to do), and list.

DESIGN §6 sets no budget for these; they run once per project setup, so the figures are
reported beside the startup budget's floor only.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from benchmarks.harness import Result, sdd_command, time_command

AGENTS = ("claude", "gemini", "copilot", "cursor", "codex", "opencode", "windsurf", "qwen")


def run(runs: int) -> list[Result]:
    sdd = sdd_command()
    with tempfile.TemporaryDirectory(prefix="sdd-bench-agents-") as folder:
        root = Path(folder) / "project"
        subprocess.run([*sdd, "init", str(root), "--git"], check=True, capture_output=True)
        fresh = Path(folder) / "fresh"
        shutil.copytree(root, fresh)

        def first_install() -> None:
            shutil.rmtree(root)
            shutil.copytree(fresh, root)

        results = []
        samples = []
        for _ in range(max(3, runs // 3)):
            first_install()
            median, _ = time_command(
                [*sdd, "agents", "install", *AGENTS], cwd=root, runs=1, warmup=0
            )
            samples.append(median)
        samples.sort()
        results.append(
            Result(
                "sdd agents install (8 agents, 64 files, fresh)",
                samples[len(samples) // 2],
                None,
                len(samples),
            )
        )
        median, _ = time_command([*sdd, "agents", "install", *AGENTS], cwd=root, runs=runs)
        results.append(Result("sdd agents install (8 agents, all up to date)", median, None, runs))
        median, _ = time_command([*sdd, "agents", "list", "--json"], cwd=root, runs=runs)
        results.append(Result("sdd agents list --json", median, None, runs))
        return results
