"""The pre-commit hook as git runs it (DESIGN §6): ≤ 60 ms when no artifact is staged (3
ordinary files), ≤ 120 ms with 2,000 staged ordinary files, ≤ 150 ms validating a few staged
artifacts, and (issue 13) at most half of the peer: ``pre-commit run`` (the framework) with a
no-op hook on the same staged files. Each workload is a fresh repository with sdd's hooks
installed by the sdd under test; the script in ``.git/hooks/pre-commit`` is timed, from its
shell to its exit, in turn with the peer (A B A B …; the peer's configuration file is staged
for both). The floor is ``sh -c true``: the shell git starts for any hook."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks import harness
from benchmarks.harness import Result, sdd_command, time_command, time_paired
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


def _many_features(count: int) -> dict[str, str]:
    """``count`` complete feature specs: an adoption commit (issue 15: 118 s before the
    selection became linear)."""
    spec = _spec()
    return {
        f"specs/{n:04d}-feature-{n}/spec.md": spec.replace("001-login", f"{n:04d}-feature-{n}")
        for n in range(1, count + 1)
    }


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
    ("pre-commit hook, 1 PHR staged", lambda: {PHR_PATH: good_phr()}, 150, False),
    ("pre-commit hook, 3 artifacts staged, 1 edited since (snapshot)", _artifacts, None, True),
    ("pre-commit hook, 2,000 feature specs staged", lambda: _many_features(2000), 5000, False),
]


NO_OP_CONFIG = """repos:
  - repo: local
    hooks:
      - id: no-op
        name: no-op
        entry: "true"
        language: system
"""


def _peer_command(root: Path, base: Path) -> tuple[list[str], dict[str, str]] | None:
    """``pre-commit run`` with one no-op hook in ``root``, if pre-commit is installed."""
    import shutil
    import sys

    beside = Path(sys.executable).parent / "pre-commit"
    found = str(beside) if beside.exists() else shutil.which("pre-commit")
    if found is None:
        return None
    (root / ".pre-commit-config.yaml").write_text(NO_OP_CONFIG, encoding="utf-8")
    _git(root, "add", ".pre-commit-config.yaml")
    return [found, "run"], {"PRE_COMMIT_HOME": str(base / "pre-commit-home")}


def run(runs: int) -> list[Result]:
    results = []
    workloads = [WORKLOADS[1], WORKLOADS[3], WORKLOADS[4]] if harness.QUICK else WORKLOADS
    shell, _ = time_command(["sh", "-c", "true"], runs=runs)
    with tempfile.TemporaryDirectory(prefix="sdd-bench-hooks-") as base:
        for index, (name, files, budget, edit) in enumerate(workloads):
            root = _hooked_repository(Path(base) / f"repo{index}")
            _write(root, files())
            _git(root, "add", "-A")
            if edit:
                _edited_after_staging(root)
            many = "2,000" in name
            hook = [str(root / ".git/hooks/pre-commit")]
            peer = None if many else _peer_command(root, Path(base))
            peer_ms = None
            if peer is not None:
                median, _, peer_ms = time_paired(
                    hook, peer[0], runs=runs, cwd=root, peer_env=peer[1]
                )
            else:
                median, _ = time_command(
                    hook, runs=1 if many else runs, cwd=root, warmup=0 if many else 2
                )
            results.append(
                Result(
                    name,
                    median,
                    budget,
                    runs,
                    floor_ms=shell,
                    floor_name="sh -c true",
                    peer_ms=peer_ms,
                    peer_name="pre-commit run, one no-op hook" if peer_ms else "",
                    goal=0.5 if "artifacts" in name or "PHR" in name else None,
                    goal_of="peer",
                )
            )
    return results
