"""Timing helpers shared by the benchmark sections: medians of whole-process runs.

Each figure is printed beside what it is judged against, measured in the same run: a
*floor* (the least any program must do for that work: start Python, read the files, parse
their front matter with libyaml) and a *peer* (another tool or command doing comparable
work); its ratio to each; its budget in ms and its goal as a ratio. Times are the CPU time of
the process and its children (user + system) by default: the machine is shared, and wall
time measures the neighbours; ``--clock wall`` measures wall time instead.
"""

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

CLOCK = "cpu"  # or "wall"; set by the runner
QUICK = False  # set by the runner's --quick: smaller workloads, fewer runs


@dataclass(frozen=True)
class Result:
    """One figure. ``floor_ms``/``peer_ms``: its references, measured in the same run;
    ``goal``: the largest acceptable ratio, to the floor (``goal_of="floor"``) or the peer."""

    name: str
    median_ms: float
    budget_ms: float | None
    runs: int
    peak_mb: float | None = None
    floor_ms: float | None = None
    floor_name: str = ""
    peer_ms: float | None = None
    peer_name: str = ""
    goal: float | None = None
    goal_of: str = "floor"

    def ratio(self, of: str) -> float | None:
        reference = self.floor_ms if of == "floor" else self.peer_ms
        return self.median_ms / reference if reference else None

    @property
    def within(self) -> bool:
        if self.budget_ms is not None and self.median_ms > self.budget_ms:
            return False
        ratio = self.ratio(self.goal_of)
        return self.goal is None or ratio is None or ratio <= self.goal

    def row(self, python_floor_ms: float) -> str:
        def number(value: float | None, width: int = 8, digits: int = 0) -> str:
            return f"{value:>{width}.{digits}f}" if value is not None else f"{'-':>{width}}"

        floor = self.floor_ms if self.floor_ms is not None else python_floor_ms
        floor_ratio = self.median_ms / floor if floor else None
        goal = f"≤{self.goal:g}×{self.goal_of}" if self.goal is not None else "-"
        judged = self.budget_ms is not None or self.goal is not None
        verdict = ("ok" if self.within else "OVER") if judged else ""
        return (
            f"{self.name:<60} {number(self.median_ms, 9, 1)} {number(self.budget_ms)} "
            f"{number(floor, 8, 1)} {number(floor_ratio, 6, 2)} "
            f"{number(self.peer_ms, 8, 1)} {number(self.ratio('peer'), 6, 2)} "
            f"{number(self.peak_mb, 8, 1)} {goal:>14}  {verdict}"
        )

    def references(self) -> str:
        """The names of this figure's floor and peer, for the legend under the table."""
        parts = [f"floor: {self.floor_name}" if self.floor_name else ""]
        parts.append(f"peer: {self.peer_name}" if self.peer_name else "")
        return "; ".join(part for part in parts if part)


HEADER = (
    f"{'figure':<60} {'median ms':>9} {'budget':>8} {'floor ms':>8} {'×floor':>6} "
    f"{'peer ms':>8} {'×peer':>6} {'peak MB':>8} {'goal':>14}  verdict"
)


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
    """Median time in ms over ``runs`` runs (``CLOCK``: CPU time of the command and the
    processes it waited for, or wall time), and the command's own peak RSS in MB: the largest
    ``ru_maxrss`` that ``wait4`` reports for one run (that process, or the largest child it
    waited for), not the maximum over every child the harness ever started."""
    full_env = dict(os.environ)
    # Installed packages run from compiled bytecode (pip compiles it at install time); a
    # session that forbids writing it would time the compiler instead of sdd.
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    full_env.update(env or {})
    samples: list[float] = []
    peak_kb = 0
    for index in range(warmup + runs):
        elapsed, maxrss_kb = _run_once(command, cwd, full_env, stdin)
        if index >= warmup:
            samples.append(elapsed)
            peak_kb = max(peak_kb, maxrss_kb)
    return statistics.median(samples), peak_kb / 1024


def time_paired(
    command: Sequence[str],
    peer: Sequence[str],
    *,
    runs: int = 15,
    cwd: Path | None = None,
    peer_env: dict[str, str] | None = None,
    warmup: int = 2,
) -> tuple[float, float, float]:
    """``time_command`` for ``command`` and a ``peer`` it is judged against, run in turn (A B
    A B …), so that a change in the machine's load weighs on both medians alike: the median
    ms and peak MB of ``command``, and the median ms of ``peer``."""
    full_env = dict(os.environ)
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    peer_full_env = {**full_env, **(peer_env or {})}
    samples: list[float] = []
    peer_samples: list[float] = []
    peak_kb = 0
    for index in range(warmup + runs):
        elapsed, maxrss_kb = _run_once(command, cwd, full_env, None)
        peer_elapsed, _ = _run_once(peer, cwd, peer_full_env, None)
        if index >= warmup:
            samples.append(elapsed)
            peer_samples.append(peer_elapsed)
            peak_kb = max(peak_kb, maxrss_kb)
    return statistics.median(samples), peak_kb / 1024, statistics.median(peer_samples)


def _run_once(
    command: Sequence[str], cwd: Path | None, env: dict[str, str], stdin: bytes | None
) -> tuple[float, int]:
    """One run: its time in ms (``CLOCK``) and its peak RSS in KB, from ``wait4``."""
    import tempfile

    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as given:
        if stdin is not None:
            given.write(stdin)
            given.seek(0)
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            stdin=given if stdin is not None else subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = (time.perf_counter() - start) * 1000
        process.returncode = os.waitstatus_to_exitcode(status)
        if CLOCK == "cpu":
            elapsed = (usage.ru_utime + usage.ru_stime) * 1000
        if process.returncode not in (0, 1):
            errors.seek(0)
            raise SystemExit(
                f"{' '.join(command)} failed ({process.returncode}): "
                f"{errors.read().decode(errors='replace')[-400:]}"
            )
    return elapsed, usage.ru_maxrss


def floor_ms(runs: int = 20) -> float:
    median, _ = time_command([sys.executable, "-c", "pass"], runs=runs)
    return median


# Read every Markdown file under the folders given, and parse each front matter with libyaml:
# the least a validator or a listing of those files must do (the same files, in one process).
_LIBYAML_FLOOR = """
import os, sys, yaml
loader = yaml.CSafeLoader
parse = sys.argv[1] == "yaml"
for top in sys.argv[2:]:
    for base, folders, files in os.walk(top):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(base, name), encoding="utf-8") as handle:
                    text = handle.read()
                if parse and text.startswith("---\\n"):
                    end = text.find("\\n---", 4)
                    if end > 0:
                        yaml.load(text[4:end], Loader=loader)
"""


def read_floor_command(*folders: Path, front_matter: bool = True) -> list[str]:
    """A process that reads the Markdown files under ``folders`` (and, with
    ``front_matter``, parses each front matter with libyaml's CSafeLoader)."""
    mode = "yaml" if front_matter else "read"
    return [sys.executable, "-c", _LIBYAML_FLOOR, mode, *(str(folder) for folder in folders)]


def git(cwd: Path, *args: str) -> None:
    """Run git in ``cwd`` with a fixed identity (workload set-up), failing loudly."""
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )
