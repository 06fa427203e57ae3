"""Run every benchmark section and print each figure beside its budget and the floor.

Usage: ``python -m benchmarks.run [--runs N] [--only SECTION ...]`` from the repository root,
with sdd installed in the running interpreter's environment.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys

from benchmarks.harness import HEADER, floor_ms

SECTIONS = (
    "startup",
    "features",
    "phr",
    "detect",
    "hooks",
    "agents",
    "checklist",
    "workflow",
    "mcp",
    "site",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per workload")
    parser.add_argument("--only", nargs="*", choices=SECTIONS, help="sections to run")
    options = parser.parse_args(argv)
    sections = options.only or SECTIONS
    floor = floor_ms(max(options.runs, 10))
    print(f"python {platform.python_version()} on {platform.machine()}, {options.runs} runs each")
    print(HEADER)
    print(f"{'floor: python -c pass':<58} {floor:>9.1f}")
    over = 0
    for section in sections:
        module = importlib.import_module(f"benchmarks.bench_{section}")
        for result in module.run(options.runs):
            print(result.row(floor), flush=True)
            over += result.budget_ms is not None and result.median_ms > result.budget_ms
    print(f"{over} workload(s) over budget" if over else "every workload within budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
