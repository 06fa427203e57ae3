"""Timing helpers shared by the benchmark sections: medians of whole-process runs."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    name: str
    median_ms: float
    budget_ms: float | None
    runs: int
    peak_mb: float | None = None

    def row(self, floor_ms: float) -> str:
        budget = f"{self.budget_ms:>8.0f}" if self.budget_ms is not None else f"{'-':>8}"
        verdict = ""
        if self.budget_ms is not None:
            verdict = "ok" if self.median_ms <= self.budget_ms else "OVER BUDGET"
        peak = f"{self.peak_mb:>8.1f}" if self.peak_mb is not None else f"{'':>8}"
        return f"{self.name:<58} {self.median_ms:>9.1f} {budget} {floor_ms:>8.1f} {peak}  {verdict}"


HEADER = f"{'workload':<58} {'median ms':>9} {'budget':>8} {'floor':>8} {'peak MB':>8}"


def sdd_command() -> list[str]:
    beside = Path(sys.executable).parent / "sdd"
    found = str(beside) if beside.exists() else shutil.which("sdd")
    if found is None:
        raise SystemExit("the sdd executable is not installed; pip install . first")
    return [found]


def time_command(
    command: Sequence[str],
    *,
    runs: int = 15,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    warmup: int = 2,
    stdin: bytes | None = None,
) -> tuple[float, float]:
    """Median wall time in ms over ``runs`` runs, and the peak RSS in MB of the children."""
    full_env = dict(os.environ)
    # Installed packages run from compiled bytecode (pip compiles it at install time); a
    # session that forbids writing it would time the compiler instead of sdd.
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    full_env.update(env or {})
    samples: list[float] = []
    for index in range(warmup + runs):
        start = time.perf_counter()
        completed = subprocess.run(
            list(command),
            cwd=cwd,
            env=full_env,
            input=stdin,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            stdin=None if stdin is not None else subprocess.DEVNULL,
        )
        elapsed = (time.perf_counter() - start) * 1000
        if completed.returncode not in (0, 1):
            raise SystemExit(
                f"{' '.join(command)} failed ({completed.returncode}): "
                f"{completed.stderr.decode(errors='replace')[-400:]}"
            )
        if index >= warmup:
            samples.append(elapsed)
    return statistics.median(samples), peak_child_rss_mb()


def peak_child_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def floor_ms(runs: int = 20) -> float:
    median, _ = time_command([sys.executable, "-c", "pass"], runs=runs)
    return median


def git(cwd: Path, *args: str) -> None:
    """Run git in ``cwd`` with a fixed identity (workload set-up), failing loudly."""
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )
