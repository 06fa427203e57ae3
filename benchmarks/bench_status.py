"""``sdd status`` on 1,000 filled-in features (issue 13): at most 3× the floor of reading
their spec, plan and tasks files in one process, in the table and in ``--json``. Each feature
has a few PHRs, as a project that records its prompts does (status counts them without
reading them). Each folder's summary comes from the result cache while its files are unchanged;
the cold figure (no cache) is shown beside it. ``--quick``: the same size, fewer runs
(generating it takes seconds)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.bench_features import generate
from benchmarks.harness import Result, read_floor_command, sdd_command, time_command

FEATURES = 1_000
PHRS = 3_000


def run(runs: int) -> list[Result]:
    sdd = sdd_command()
    results = []
    with tempfile.TemporaryDirectory(prefix="sdd-bench-status-") as folder:
        root = Path(folder) / "project"
        generate(root, features=FEATURES, phrs=PHRS)
        floor, _ = time_command(
            read_floor_command(root / "specs", front_matter=False), runs=runs, warmup=1
        )
        for arguments in ((), ("--json",)):
            median, peak = time_command([*sdd, "status", *arguments], runs=runs, cwd=root)
            results.append(
                Result(
                    f"{' '.join(('sdd status', *arguments))} ({FEATURES} features)",
                    median,
                    None,
                    runs,
                    peak,
                    floor_ms=floor,
                    floor_name="read every spec, plan and tasks file",
                    goal=3.0,
                )
            )
        cold_command = ["sh", "-c", 'rm -rf .sdd/cache && exec "$0" status', *sdd]
        cold, peak = time_command(cold_command, runs=runs, cwd=root, warmup=1)
        results.append(
            Result(
                f"sdd status, cold: no cache ({FEATURES} features)",
                cold,
                None,
                runs,
                peak,
                floor_ms=floor,
                floor_name="read every spec, plan and tasks file",
            )
        )
    return results
