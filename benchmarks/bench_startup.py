"""Startup: ``sdd --version`` and ``sdd --help`` (budget 150 ms, DESIGN §6)."""

from __future__ import annotations

from benchmarks.harness import Result, sdd_command, time_command


def run(runs: int) -> list[Result]:
    sdd = sdd_command()
    results = []
    for args in (["--version"], ["--help"]):
        median, _ = time_command([*sdd, *args], runs=runs)
        results.append(Result(f"sdd {' '.join(args)}", median, 150, runs))
    return results
