"""``sdd site`` on 500 features, 10,000 PHRs and 200 ADRs (issue 19: "a few seconds").

Three workloads, each beside ``sdd validate`` on the same project with no cache (the floor:
the site reads everything validation reads, then renders): a cold build into an empty folder
with no ``.sdd/cache`` either (nothing from an earlier run), a rebuild with nothing changed,
and a rebuild after one tasks.md changed (the CI case). Run alone:
``python -m benchmarks.bench_site [--quick]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.bench_features import FEATURES, PHRS, generate
from benchmarks.harness import Result, sdd_command

ADRS = 200
BUDGET_MS = 5000.0  # "a few seconds"


def _adr(number: int) -> str:
    replaced = number % 10 == 0 and number > 1
    keys = f"supersedes: [{number - 1}]\n" if replaced else ""
    status = "superseded" if (number + 1) % 10 == 0 else "accepted"
    if status == "superseded":
        keys += f"superseded_by: [{number + 1}]\n"
    feature = f"{(number % FEATURES) + 1:03d}-feature-{(number % FEATURES) + 1}"
    return (
        f"---\nid: {number}\ntitle: Decision {number}\nstatus: {status}\ndate: 2025-02-01\n"
        f"feature: {feature}\n{keys}covers: [src/module_{number}/**]\n---\n\n"
        f"# ADR-{number:04d}: Decision {number}\n\n## Context\n\nFR-001 needs it.\n\n"
        "## Decision\n\nWe decide.\n\n## Consequences\n\n### Positive\n\n- Faster.\n\n"
        "### Negative\n\n- Costlier.\n\n## Alternatives Considered\n\n- None.\n\n"
        "## References\n\n- None.\n"
    )


def build_workload(root: Path) -> None:
    generate(root)
    adr = root / "adr"
    adr.mkdir(exist_ok=True)
    for number in range(1, ADRS + 1):
        (adr / f"{number:04d}-decision-{number}.md").write_text(_adr(number), encoding="utf-8")


def _timed(command: list[str], cwd: Path, runs: int, before: object = None) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system of the child) in ms. On a shared
    machine the CPU time is the steadier figure; both are printed."""
    import resource

    walls, cpus = [], []
    for _ in range(runs):
        if callable(before):
            before()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        walls.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def run(runs: int) -> list[Result]:
    sdd = sdd_command()
    runs = max(1, min(runs, 5))  # each run writes 500 pages; a few runs give a stable median
    with tempfile.TemporaryDirectory(prefix="sdd-bench-site-") as folder:
        root = Path(folder) / "project"
        build_workload(root)
        output = Path(folder) / "site"
        command = [*sdd, "site", "--output", str(output)]
        cache = root / ".sdd" / "cache"

        def forget() -> None:
            shutil.rmtree(output, True)
            shutil.rmtree(cache, True)

        floor, floor_cpu = _timed([*sdd, "validate"], root, runs, before=forget)
        cold, cold_cpu = _timed(command, root, runs, before=forget)
        warm, warm_cpu = _timed(command, root, runs)
        tasks = root / "specs" / "001-feature-1" / "tasks.md"
        counter = iter(range(10**6))

        def touch_one() -> None:
            tasks.write_text(tasks.read_text("utf-8") + f"- [ ] T9{next(counter):03d} More\n")

        one, one_cpu = _timed(command, root, runs, before=touch_one)
        size = f"{FEATURES} features, {PHRS} PHRs, {ADRS} ADRs"
        print(
            f"# {size}: CPU ms (ratio to sdd validate's CPU): validate {floor_cpu:.0f}, "
            f"site cold {cold_cpu:.0f} ({cold_cpu / floor_cpu:.1f}x), nothing changed "
            f"{warm_cpu:.0f} ({warm_cpu / floor_cpu:.1f}x), one tasks.md changed {one_cpu:.0f} "
            f"({one_cpu / floor_cpu:.1f}x); wall ms: validate {floor:.0f}, site cold {cold:.0f}",
            flush=True,
        )
        return [
            Result(f"sdd validate, same project (floor) ({size})", floor, None, runs),
            Result(f"sdd site cold = {cold / floor:.1f}x floor", cold, BUDGET_MS, runs),
            Result(f"sdd site, nothing changed = {warm / floor:.1f}x floor", warm, BUDGET_MS, runs),
            Result(
                f"sdd site, one tasks.md changed = {one / floor:.1f}x floor", one, BUDGET_MS, runs
            ),
        ]


def main() -> None:
    from benchmarks.harness import HEADER, floor_ms

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one timed run per workload")
    options = parser.parse_args()
    floor = floor_ms(5)
    print(HEADER)
    for result in run(1 if options.quick else 3):
        print(result.row(floor), flush=True)


if __name__ == "__main__":
    main()
