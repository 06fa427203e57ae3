"""Nothing lost, nothing left half done: N >= 20 concurrent processes for every command that
edits existing files, and kill -9 at random points of every multi-file operation followed by
a rerun that leaves ``sdd validate`` clean. The installed ``sdd`` executable, real processes.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import sdd_executable

pytestmark = pytest.mark.slow

PROCESSES = 20


def _adr(number: int, title: str, *, supersedes: str = "null") -> str:
    return (
        f"---\nid: {number}\ntitle: {title}\nstatus: accepted\ndate: 2026-01-01\n"
        f"feature: null\nsupersedes: {supersedes}\nsuperseded_by: null\ncovers: []\n---\n\n"
        f"# ADR-{number:04d}: {title}\n\n## Context\n\nWhy {title}.\n\n## Decision\n\n"
        f"We do {title}.\n\n## Consequences\n\nFewer surprises.\n\n## Alternatives\n\nNone.\n"
    )


def _run_all(commands: list[list[str]], cwd: Path) -> list[subprocess.CompletedProcess[str]]:
    processes = [
        subprocess.Popen(
            [sdd_executable(), *command],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        for command in commands
    ]
    results = []
    for command, process in zip(commands, processes, strict=True):
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return results


def _sdd(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sdd_executable(), *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


# What a run that was never interrupted also leaves: content still to be written.
UNFINISHED_CONTENT = ("FEAT012", "FEAT013", "FEAT014", "ADR010", "ADR012")


def _validate_clean(root: Path) -> None:
    """No finding beyond the unfinished content an uninterrupted run leaves too: no duplicate
    record, dangling link, half-made folder or unreadable file."""
    result = _sdd(root, "validate")
    assert result.returncode in (0, 1), result.stderr
    findings = [
        line
        for line in result.stdout.splitlines()
        if (": error " in line or ": warning " in line)
        and not any(code in line for code in UNFINISHED_CONTENT)
    ]
    assert findings == [], result.stdout


def _leftovers(root: Path) -> list[Path]:
    return [
        p
        for p in root.rglob(".*")
        if p.is_file() and (p.name.endswith(".tmp") or p.name.endswith(".claim"))
    ]


# --- lost updates ------------------------------------------------------------------------------


def test_concurrent_supersedes_lose_no_update(project: Path) -> None:
    folder = project / "adr"
    folder.mkdir(exist_ok=True)
    for number in range(1, PROCESSES + 2):
        (folder / f"{number:04d}-decision-{number}.md").write_text(
            _adr(number, f"Decision {number}"), encoding="utf-8"
        )
    assert _sdd(project, "adr", "index").returncode == 0
    commands = [
        ["adr", "status", str(number), "superseded", "--by", str(number + 1)]
        for number in range(1, PROCESSES + 1)
    ]
    for result in _run_all(commands, project):
        assert result.returncode == 0, result.stderr
    from sdd.adr.record import load_adrs

    records = {adr.number: adr for adr in load_adrs(folder)}
    for number in range(1, PROCESSES + 1):
        assert records[number].status == "superseded", number
        assert records[number].superseded_by == (number + 1,), number
        assert number in records[number + 1].supersedes, number
    index = (folder / "README.md").read_text("utf-8")
    assert index.count("| superseded |") == PROCESSES
    assert not _leftovers(project)


def test_concurrent_new_records_superseding_others_lose_no_link(project: Path) -> None:
    folder = project / "adr"
    folder.mkdir(exist_ok=True)
    for number in range(1, PROCESSES + 1):
        (folder / f"{number:04d}-old-{number}.md").write_text(
            _adr(number, f"Old {number}"), encoding="utf-8"
        )
    commands = [
        ["adr", "new", "--yes", "--supersedes", str(number), f"New {number}"]
        for number in range(1, PROCESSES + 1)
    ]
    for result in _run_all(commands, project):
        assert result.returncode == 0, result.stderr
    from sdd.adr.record import load_adrs

    records = {adr.number: adr for adr in load_adrs(folder)}
    assert len(records) == 2 * PROCESSES
    for number in range(1, PROCESSES + 1):
        assert records[number].status == "superseded", number
        (successor,) = records[number].superseded_by
        assert number in records[successor].supersedes


def test_concurrent_index_writes_one_complete_table(project: Path) -> None:
    folder = project / "adr"
    folder.mkdir(exist_ok=True)
    for number in range(1, 6):
        (folder / f"{number:04d}-d{number}.md").write_text(_adr(number, f"D{number}"), "utf-8")
    (folder / "README.md").write_text("# Decisions\n\nOur notes.\n", encoding="utf-8")
    for result in _run_all([["adr", "index"]] * PROCESSES, project):
        assert result.returncode == 0, result.stderr
    text = (folder / "README.md").read_text("utf-8")
    assert text.startswith("# Decisions\n\nOur notes.\n")
    assert text.count("<!-- sdd:adr-index:start -->") == 1
    assert text.count("| accepted |") == 5


def test_concurrent_tasks_done_tick_every_task(project: Path) -> None:
    assert _sdd(project, "feature", "new", "Checkout").returncode == 0
    feature = project / "specs/001-checkout"
    lines = [f"- [ ] T{n:03d} Step {n}\n" for n in range(1, PROCESSES + 1)]
    (feature / "tasks.md").write_text("# Tasks\n\n" + "".join(lines), encoding="utf-8")
    commands = [
        ["tasks", "done", f"T{n:03d}", "--feature", "001-checkout"] for n in range(1, PROCESSES + 1)
    ]
    for result in _run_all(commands, project):
        assert result.returncode == 0, result.stderr
    text = (feature / "tasks.md").read_text("utf-8")
    assert text.count("- [x] T") == PROCESSES, text


def test_concurrent_agent_installs_keep_every_manifest_entry(project: Path) -> None:
    from sdd.agents.table import AGENTS

    keys = [agent.key for agent in AGENTS]
    commands = [["agents", "install", keys[n % len(keys)]] for n in range(PROCESSES)]
    for result in _run_all(commands, project):
        assert result.returncode == 0, result.stderr
    manifest = json.loads((project / ".sdd/agents.json").read_text("utf-8"))
    written = json.dumps(manifest)
    for key in keys:
        assert f'"{key}"' in written, key
    assert not _leftovers(project)


def _duplicates(project: Path, count: int) -> None:
    """``count`` pairs of ADRs sharing a number, as two merged branches leave them."""
    folder = project / "adr"
    folder.mkdir(exist_ok=True)
    for number in range(1, count + 1):
        (folder / f"{number:04d}-first-{number}.md").write_text(
            _adr(number, f"First {number}"), encoding="utf-8"
        )
        (folder / f"{number:04d}-second-{number}.md").write_text(
            _adr(number, f"Second {number}"), encoding="utf-8"
        )
    spec = project / "specs/001-x/spec.md"
    spec.parent.mkdir(parents=True, exist_ok=True)
    links = "".join(
        f"- [Second {n}](../../adr/{n:04d}-second-{n}.md)\n" for n in range(1, count + 1)
    )
    spec.write_text("# Feature Specification: X\n\n## Decisions\n\n" + links, encoding="utf-8")


def _assert_renumbered(project: Path, count: int) -> None:
    names = sorted(p.name for p in (project / "adr").glob("0*.md"))
    assert len(names) == 2 * count, names
    numbers = [name[:4] for name in names]
    assert len(set(numbers)) == len(numbers), names
    slugs = [name[5:] for name in names]
    assert len(set(slugs)) == len(slugs), "one record under two numbers"
    spec = (project / "specs/001-x/spec.md").read_text("utf-8")
    for target in spec.split("](../../adr/")[1:]:
        assert (project / "adr" / target.split(")")[0]).exists(), target
    assert not (project / "adr/.sdd-renumber.json").exists()


def test_concurrent_renumbers_rename_each_record_once(project: Path) -> None:
    _duplicates(project, 4)
    for result in _run_all([["adr", "renumber"]] * PROCESSES, project):
        assert result.returncode == 0, result.stderr
    _assert_renumbered(project, 4)


# --- kill -9 at random points, then a rerun -----------------------------------------------------


def _kill_at_random(command: list[str], cwd: Path, randomness: random.Random) -> None:
    process = subprocess.Popen(
        [sdd_executable(), *command],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    time.sleep(randomness.uniform(0.15, 0.9))
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_kill_9_during_renumber_is_repaired_by_the_rerun(project: Path) -> None:
    randomness = random.Random(1501)
    for _ in range(4):
        for path in (project / "adr").glob("*"):
            path.unlink()
        _duplicates(project, 3)
        _kill_at_random(["adr", "renumber"], project, randomness)
        rerun = _sdd(project, "adr", "renumber")
        assert rerun.returncode == 0, rerun.stderr
        _assert_renumbered(project, 3)
        _validate_clean(project)


def test_kill_9_during_feature_new_is_cleaned_by_the_next_run(project: Path) -> None:
    randomness = random.Random(1502)
    for trial in range(4):
        _kill_at_random(["feature", "new", f"Killed {trial}"], project, randomness)
        # What a kill between the claim and the spec leaves, made certain once.
        if trial == 0:
            (project / "specs" / "900-half-made").mkdir(parents=True)
        result = _sdd(project, "feature", "new", f"Finished {trial}")
        assert result.returncode == 0, result.stderr
    folders = [p for p in (project / "specs").iterdir() if p.is_dir()]
    assert all((folder / "spec.md").is_file() for folder in folders), folders
    assert not _leftovers(project)
    _validate_clean(project)


def test_kill_9_during_adr_new_skips_no_number(project: Path) -> None:
    randomness = random.Random(1503)
    folder = project / "adr"
    folder.mkdir(exist_ok=True)
    for trial in range(4):
        _kill_at_random(["adr", "new", "--yes", f"Killed {trial}"], project, randomness)
        # The leftovers of a creator killed holding a claim, made certain: a dead pid.
        dead = subprocess.Popen(["true"])
        dead.wait()
        taken = len(list(folder.glob("0*.md")))
        (folder / f".{taken + 1:04d}.claim").write_text(f"{dead.pid}\n", encoding="utf-8")
        (folder / f".{taken + 1:04d}-x.md.{dead.pid}.sdd-abc.tmp").write_text("half", "utf-8")
        result = _sdd(project, "adr", "new", "--yes", "--json", f"Finished {trial}")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["id"] == taken + 1, "no number was skipped"
    assert not _leftovers(project)
    numbers = sorted(int(p.name[:4]) for p in folder.glob("0*.md"))
    assert numbers == list(range(1, len(numbers) + 1))


# Beside each file ``agents install claude gemini cursor`` writes: the command files, the rules
# files (CLAUDE.md, GEMINI.md, .cursor/rules/sdd.mdc), the MCP configurations and the manifest.
AGENT_FOLDERS = {
    ".claude/commands": "sp.plan.md",
    ".gemini/commands": "sp.plan.toml",
    ".cursor/commands": "sp.plan.md",
    ".": "CLAUDE.md",
    ".cursor/rules": "sdd.mdc",
    ".cursor": "mcp.json",
    ".gemini": "settings.json",
    ".sdd": "agents.json",
}


def test_kill_9_during_agents_install_leaves_nothing_behind(project: Path) -> None:
    randomness = random.Random(1504)
    for _ in range(3):
        _kill_at_random(["agents", "install", "claude", "gemini", "cursor"], project, randomness)
        # Where the kill lands depends on the machine's load; what a kill during any write
        # leaves, made certain: a temporary file of a dead writer beside each file written.
        dead = subprocess.Popen(["true"])
        dead.wait()
        for folder, name in AGENT_FOLDERS.items():
            (project / folder).mkdir(parents=True, exist_ok=True)
            (project / folder / f".{name}.{dead.pid}.sdd-xyz.tmp").write_text("half", "utf-8")
        result = _sdd(project, "agents", "install", "claude", "gemini", "cursor")
        assert result.returncode == 0, result.stderr
        assert not _leftovers(project)
    _validate_clean(project)
