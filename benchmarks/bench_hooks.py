"""The pre-commit hook as git runs it (DESIGN §6): ≤ 60 ms when no artifact is staged (3
ordinary files), ≤ 120 ms with 2,000 staged ordinary files, ≤ 150 ms validating a few staged
artifacts. Each workload is a fresh repository with sdd's hooks installed by the sdd under
test; the script in ``.git/hooks/pre-commit`` is timed, from its shell to its exit."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness import Result, sdd_command, time_command
from tests.hooks_support import PHR_PATH, good_phr


def _spec() -> str:
    """A complete spec (the demo's), so that the hook times validation of good artifacts."""
    from sdd.base import templates
    from sdd.demo.tour import DATA

    return templates.render_file(
        DATA / "feature/spec.md", {"feature": "001-login", "date": "2026-11-27"}
    )


ADR = """---
id: 1
title: Sessions in signed cookies
status: accepted
date: 2026-11-27
feature: 001-login
supersedes: null
superseded_by: null
covers:
  - "src/login.py"
---

# ADR-0001: Sessions in signed cookies

## Context

Logins need a session.

## Decision

Signed cookies.

## Consequences

### Positive

- Stateless.

### Negative

- Revocation is harder.

## Alternatives Considered

- Server-side sessions.

## References

- none
"""


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def _hooked_repository(folder: Path) -> Path:
    sdd = sdd_command()
    subprocess.run([*sdd, "init", str(folder), "--git"], check=True, capture_output=True)
    _git(folder, "-c", "user.name=bench", "-c", "user.email=b@example.com", "add", "-A")
    _git(folder, "-c", "user.name=bench", "-c", "user.email=b@example.com", "commit", "-qm", "init")
    subprocess.run([*sdd, "hooks", "install"], cwd=folder, check=True, capture_output=True)
    return folder


def _ordinary(count: int) -> dict[str, str]:
    return {f"src/pkg{i % 40}/module_{i}.py": f"VALUE = {i}\n" for i in range(count)}


def _artifacts() -> dict[str, str]:
    return {
        "specs/001-login/spec.md": _spec(),
        PHR_PATH: good_phr(),
        "adr/0001-sessions-in-signed-cookies.md": ADR,
    }


def _edited_after_staging(root: Path) -> None:
    spec = root / "specs/001-login/spec.md"
    spec.write_text(_spec() + "\nEdited after staging.\n", encoding="utf-8")


WORKLOADS: list[tuple[str, Callable[[], dict[str, str]], float | None, bool]] = [
    ("pre-commit hook, 3 ordinary files staged", lambda: _ordinary(3), 60, False),
    (
        "pre-commit hook, 3 files staged incl. README.md, docs/*.md",
        lambda: {**_ordinary(1), "README.md": "# demo 2\n", "docs/guide.md": "# Guide\n"},
        60,
        False,
    ),
    ("pre-commit hook, 2,000 ordinary files staged", lambda: _ordinary(2000), 120, False),
    ("pre-commit hook, 3 artifacts staged (spec, PHR, ADR)", _artifacts, 150, False),
    ("pre-commit hook, 3 artifacts staged, 1 edited since (snapshot)", _artifacts, None, True),
]


def run(runs: int) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory(prefix="sdd-bench-hooks-") as base:
        for index, (name, files, budget, edit) in enumerate(WORKLOADS):
            root = _hooked_repository(Path(base) / f"repo{index}")
            _write(root, files())
            _git(root, "add", "-A")
            if edit:
                _edited_after_staging(root)
            median, _ = time_command([str(root / ".git/hooks/pre-commit")], runs=runs, cwd=root)
            results.append(Result(name, median, budget, runs))
    return results
