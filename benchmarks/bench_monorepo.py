"""Several projects in one repository: ``sdd projects`` on a repository of 100,000 files (10,000
with ``--quick``) holding three projects and a ``node_modules`` tree, beside its floor, ``git
ls-files`` of the same repository (discovery lists files through git and reads none of them).
``sdd status --all`` is shown beside ``sdd status`` in one of its projects (the peer: what a
single-project command costs), so that the cost of going over every project is visible.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from benchmarks import harness
from benchmarks.harness import Result, sdd_command, time_command

FILES = 100_000
QUICK_FILES = 10_000


def generate(root: Path, files: int) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for part in ("backend", "web"):
        subprocess.run([*sdd_command(), "init", str(root / part)], check=True, capture_output=True)
        subprocess.run(
            [*sdd_command(), "--project", str(root / part), "feature", "new", "First feature"],
            check=True,
            capture_output=True,
        )
    (root / "infra" / "doc" / "adr").mkdir(parents=True)
    (root / "infra" / ".adr-dir").write_text("doc/adr\n", encoding="utf-8")
    (root / "infra" / "doc" / "adr" / "0001-record-decisions.md").write_text(
        "# 1. Record decisions\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n", encoding="utf-8"
    )
    per_folder = 100
    made: set[Path] = set()
    for index in range(files):
        folder = root / ("node_modules" if index % 10 == 0 else "src") / f"m{index // per_folder}"
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        (folder / f"f{index}.ts").write_text("export {}\n", encoding="utf-8")
    (root / ".gitignore").write_text("node_modules/\n", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(
        ["git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-q", "-m", "x"],
        cwd=root,
        check=True,
    )


def run(runs: int) -> list[Result]:
    sdd = sdd_command()
    files = QUICK_FILES if harness.QUICK else FILES
    results = []
    with tempfile.TemporaryDirectory(prefix="sdd-bench-monorepo-") as folder:
        root = Path(folder)
        generate(root, files)
        floor, _ = time_command(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            runs=runs,
            cwd=root,
        )
        listed, peak = time_command([*sdd, "projects", "--json"], runs=runs, cwd=root)
        results.append(
            Result(
                f"sdd projects ({files:,} files, 3 projects)",
                listed,
                None,
                runs,
                peak,
                floor_ms=floor,
                floor_name="git ls-files of the same repository",
            )
        )
        single, _ = time_command([*sdd, "status", "--json"], runs=runs, cwd=root / "backend")
        every, _ = time_command([*sdd, "status", "--all", "--json"], runs=runs, cwd=root)
        results.append(
            Result(
                "sdd status --all (3 projects)",
                every,
                None,
                runs,
                peer_ms=single,
                peer_name="sdd status in one project",
            )
        )
    return results
