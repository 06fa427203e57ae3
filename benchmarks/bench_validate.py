"""``sdd validate`` on 10,000 PHRs and 500 filled-in features (issue 13): cold (no result
cache) at most 1.2× the libyaml floor of the same files, warm (nothing changed since the last
run, every result from ``.sdd/cache``) within 0.3 s. ``--quick``: 2,000 PHRs, 100 features."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks import harness
from benchmarks.bench_features import generate
from benchmarks.harness import Result, read_floor_command, sdd_command, time_command


def run(runs: int) -> list[Result]:
    sdd = sdd_command()
    phrs, features = (2_000, 100) if harness.QUICK else (10_000, 500)
    size = f"{phrs:,} PHRs, {features} features"
    with tempfile.TemporaryDirectory(prefix="sdd-bench-validate-") as folder:
        root = Path(folder) / "project"
        generate(root, features=features, phrs=phrs)
        floor_command = read_floor_command(root / "specs", root / "history")
        floor, _ = time_command(floor_command, runs=runs, warmup=1)
        floor_name = "read + libyaml CSafeLoader front matter, same files"
        version, _ = time_command([*sdd, "--version"], runs=runs)
        cold_command = ["sh", "-c", 'rm -rf .sdd/cache && exec "$0" validate', *sdd]
        cold, cold_peak = time_command(cold_command, runs=runs, cwd=root, warmup=1)
        warm, warm_peak = time_command([*sdd, "validate"], runs=runs, cwd=root, warmup=2)
    return [
        Result(
            f"sdd validate, cold ({size})",
            cold,
            1500 if not harness.QUICK else None,
            runs,
            cold_peak,
            floor_ms=floor,
            floor_name=floor_name,
            goal=1.2,
        ),
        Result(
            f"sdd validate, warm: nothing changed ({size})",
            warm,
            300,
            runs,
            warm_peak,
            floor_ms=floor,
            floor_name=floor_name,
            peer_ms=version,
            peer_name="sdd --version",
        ),
    ]
