"""Run the benchmark sections and print one table: each figure beside its budget, its floor
and its peer (measured in the same run), the ratios, and the goal it is judged by.

Usage: ``python -m benchmarks.run [--quick] [--runs N] [--clock cpu|wall] [--only SECTION ...]``
from the repository root, with sdd installed in the running interpreter's environment.
``--quick`` (about a minute or two on a quiet machine): smaller workloads and 3 runs each,
to see the shape; the full run gives the figures the budgets are set for.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys

from benchmarks import harness

SECTIONS = (
    "startup",
    "features",
    "status",
    "validate",
    "phr",
    "detect",
    "hooks",
    "agents",
    "checklist",
    "workflow",
    "mcp",
    "site",
    "monorepo",
)
QUICK_SECTIONS = ("startup", "validate", "phr", "status", "hooks")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=None, help="timed runs per workload")
    parser.add_argument("--quick", action="store_true", help="small workloads, 3 runs each")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    parser.add_argument("--only", nargs="*", choices=SECTIONS, help="sections to run")
    options = parser.parse_args(argv)
    harness.QUICK = options.quick
    harness.CLOCK = options.clock
    runs = options.runs or (3 if options.quick else 15)
    sections = options.only or (QUICK_SECTIONS if options.quick else SECTIONS)
    floor = harness.floor_ms(max(runs, 10))
    print(
        f"python {platform.python_version()} on {platform.machine()}, {runs} runs each, "
        f"{options.clock} time{', quick' if options.quick else ''}"
    )
    print(harness.HEADER)
    print(f"{'python -c pass':<60} {floor:>9.1f}")
    results: list[harness.Result] = []
    for section in sections:
        module = importlib.import_module(f"benchmarks.bench_{section}")
        for result in module.run(runs):
            print(result.row(floor), flush=True)
            results.append(result)
    legend: dict[str, list[str]] = {}
    for result in results:
        if result.references():
            legend.setdefault(result.references(), []).append(result.name.split(",")[0])
    if legend:
        print("references (floor: the least the work needs; peer: a comparable tool):")
        for references, names in legend.items():
            print(f"  {', '.join(dict.fromkeys(names))}: {references}")
    over = sum(1 for r in results if not r.within)
    print(
        f"{over} figure(s) over budget or goal" if over else "every figure within budget and goal"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
