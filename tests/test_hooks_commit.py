"""Real ``git commit`` and ``git push`` through the installed hooks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sdd.hooks import install as hooks
from sdd.project.project import load_project
from tests.hooks_support import (
    BROKEN_CONFIG,
    FOREIGN_HOOK,
    GOOD_CONFIG_EXTRA,
    PHR_PATH,
    bare_path,
    good_phr,
    phr_with_placeholder_title,
    phr_with_unclosed_front_matter,
    write_foreign_hook,
)
from tests.support import commit, git, head, output, stage


@pytest.fixture
def hooked(project: Path, sdd) -> Path:  # type: ignore[no-untyped-def]
    """An sdd project with its files committed and sdd's three hooks installed."""
    git(project, "add", "-A", check=False)
    assert commit(project, "sdd init").returncode == 0
    sdd("hooks", "install", ok=True)
    return project


def config_text(root: Path) -> str:
    return (root / "sdd.yaml").read_text("utf-8")


def assert_blocked(result: subprocess.CompletedProcess[str], root: Path, before: str) -> None:
    assert result.returncode != 0, output(result)
    assert head(root) == before, "no commit was made"


# --- pre-commit: what blocks and what passes --------------------------------------------------


def test_a_broken_config_blocks_the_commit_and_says_how_to_skip(hooked: Path) -> None:
    before = head(hooked)
    stage(hooked, "sdd.yaml", BROKEN_CONFIG)
    result = commit(hooked)
    assert_blocked(result, hooked, before)
    text = output(result)
    assert "sdd.yaml:3: error CFG001 features.digits: " in text
    assert "SDD_SKIP_HOOKS=1" in text and "Traceback" not in text


def test_a_good_config_passes(hooked: Path) -> None:
    stage(hooked, "sdd.yaml", config_text(hooked) + GOOD_CONFIG_EXTRA)
    result = commit(hooked)
    assert result.returncode == 0, output(result)
    assert "CFG001" not in output(result)


def test_the_staged_content_is_judged_not_the_working_tree(hooked: Path) -> None:
    good = config_text(hooked)
    before = head(hooked)
    stage(hooked, "sdd.yaml", BROKEN_CONFIG)
    (hooked / "sdd.yaml").write_text(good + GOOD_CONFIG_EXTRA, encoding="utf-8")  # fixed, unstaged
    assert_blocked(commit(hooked), hooked, before)

    stage(hooked, "sdd.yaml", good + GOOD_CONFIG_EXTRA)
    (hooked / "sdd.yaml").write_text(BROKEN_CONFIG, encoding="utf-8")  # broken, unstaged
    result = commit(hooked)
    assert result.returncode == 0, output(result)
    assert git(hooked, "show", "HEAD:sdd.yaml", check=False).stdout == good + GOOD_CONFIG_EXTRA


def test_commit_of_named_paths_and_commit_all_use_git_s_temporary_index(hooked: Path) -> None:
    before = head(hooked)
    (hooked / "sdd.yaml").write_text(BROKEN_CONFIG, encoding="utf-8")  # never staged
    assert_blocked(git(hooked, "commit", "-m", "x", "sdd.yaml", check=False), hooked, before)
    assert_blocked(git(hooked, "commit", "-a", "-m", "x", check=False), hooked, before)


def test_the_first_commit_of_a_repository_is_checked_too(tmp_path: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "fresh"
    sdd("init", str(root), "--git", ok=True)
    monkeypatch.chdir(root)
    sdd("hooks", "install", ok=True)
    git(root, "add", "-A", check=False)
    (root / "sdd.yaml").write_text(BROKEN_CONFIG, encoding="utf-8")
    git(root, "add", "sdd.yaml", check=False)
    result = commit(root)
    assert result.returncode != 0 and "CFG001" in output(result)
    stage(root, "sdd.yaml", "version: 1\n")
    assert commit(root).returncode == 0


def test_sdd_skip_hooks_skips_sdd_but_not_the_users_own_hook(hooked: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("hooks", "uninstall", ok=True)
    write_foreign_hook(hooked / ".git/hooks", "pre-commit")
    sdd("hooks", "install", ok=True)
    stage(hooked, "sdd.yaml", BROKEN_CONFIG)
    result = commit(hooked, env={"SDD_SKIP_HOOKS": "1"})
    assert result.returncode == 0, output(result)
    assert "skipped (SDD_SKIP_HOOKS is set)" in output(result)
    assert "foreign hook ran" in (hooked / ".foreign-log").read_text("utf-8")


@pytest.mark.parametrize(
    ("kept_exit", "config", "blocked"),
    [(1, "good", True), (0, "broken", True), (1, "broken", True), (0, "good", False)],
)
def test_exit_codes_combine_and_both_hooks_always_run(
    hooked: Path, sdd, kept_exit: int, config: str, blocked: bool
) -> None:  # type: ignore[no-untyped-def]
    sdd("hooks", "uninstall", ok=True)
    script = (
        '#!/bin/sh\necho kept-ran >> "$(git rev-parse --show-toplevel)/.kept-log"\n'
        f"exit {kept_exit}\n"
    )
    write_foreign_hook(hooked / ".git/hooks", "pre-commit", script.encode())
    sdd("hooks", "install", ok=True)
    content = BROKEN_CONFIG if config == "broken" else config_text(hooked) + GOOD_CONFIG_EXTRA
    stage(hooked, "sdd.yaml", content)
    result = commit(hooked)
    assert (result.returncode != 0) is blocked, output(result)
    assert (hooked / ".kept-log").read_text("utf-8") == "kept-ran\n"
    assert ("CFG001" in output(result)) is (config == "broken")


# --- stdin, interpreter, fast path ------------------------------------------------------------


@pytest.mark.parametrize("config", ["broken", "good"])
def test_commit_with_stdin_closed(hooked: Path, config: str) -> None:
    content = BROKEN_CONFIG if config == "broken" else config_text(hooked) + GOOD_CONFIG_EXTRA
    stage(hooked, "sdd.yaml", content)
    result = commit(hooked, closed_stdin=True)
    assert (result.returncode == 0) is (config == "good"), output(result)


@pytest.mark.parametrize("hook", ["pre-commit", "post-commit"])
def test_the_hook_never_reads_stdin_it_was_not_given(hooked: Path, hook: str) -> None:
    stage(hooked, "sdd.yaml", config_text(hooked) + GOOD_CONFIG_EXTRA)
    with subprocess.Popen(
        [str(hooked / ".git/hooks" / hook)],
        cwd=hooked,
        stdin=subprocess.PIPE,  # open and never written: reading it would hang
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail(f"the {hook} hook waited for stdin")
        assert process.returncode == 0, process.stderr.read() if process.stderr else ""


def test_pre_push_run_by_hand_with_stdin_closed_does_not_hang(hooked: Path) -> None:
    script = hooked / ".git/hooks/pre-push"
    result = subprocess.run(
        ["bash", "-c", '"$@" <&-', "bash", str(script), "origin", "/nowhere"],
        cwd=hooked,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def _install_with(root: Path, python: str) -> None:
    project = load_project(root)
    target = hooks.target_for(project, python=python)
    hooks.install(root / ".git/hooks", hooks.HOOKS, target)


def test_a_vanished_interpreter_falls_back_to_the_sdd_on_path(hooked: Path) -> None:
    _install_with(hooked, str(hooked / "gone-venv/bin/python"))
    stage(hooked, "sdd.yaml", BROKEN_CONFIG)
    before = head(hooked)
    assert_blocked(commit(hooked), hooked, before)


def test_no_sdd_on_this_machine_is_reported_and_does_not_block(
    hooked: Path, tmp_path: Path
) -> None:
    _install_with(hooked, str(hooked / "gone-venv/bin/python"))
    stage(hooked, "sdd.yaml", BROKEN_CONFIG)
    result = commit(hooked, env={"PATH": str(bare_path(tmp_path))})
    assert result.returncode == 0, output(result)
    assert "HOOK002" in output(result) and "gone-venv/bin/python" in output(result)
    assert "not found on this machine" in output(result)


def test_nothing_that_could_be_an_artifact_never_starts_python(
    hooked: Path, tmp_path: Path
) -> None:
    _install_with(hooked, str(hooked / "gone-venv/bin/python"))
    no_sdd = {"PATH": str(bare_path(tmp_path))}
    stage(hooked, "src/app.py", "print('hi')\n")
    stage(hooked, "README.md", "# demo, edited\n")
    stage(hooked, "docs/guide.md", "# guide\n")
    result = commit(hooked, env=no_sdd)
    assert result.returncode == 0
    assert "HOOK002 pre-commit" not in output(result), "the prefilter decided without Python"
    assert "HOOK002 post-commit" in output(result), "post-commit has no prefilter"
    stage(hooked, "specs/001-demo/spec.md", "# Feature\n")
    result = commit(hooked, env=no_sdd)
    assert "HOOK002 pre-commit" in output(result), "an artifact reaches Python"


def _python_without_sdd() -> str | None:
    candidates = {
        getattr(sys, "_base_executable", ""),
        "/usr/bin/python3",
        "/usr/local/bin/python3",
    }
    for candidate in sorted(c for c in candidates if c and Path(c).exists()):
        probe = subprocess.run(
            [candidate, "-c", "import sdd"], capture_output=True, cwd="/", check=False
        )
        if probe.returncode != 0:
            return candidate
    return None


def test_an_interpreter_without_sdd_is_reported_and_does_not_block(hooked: Path) -> None:
    python = _python_without_sdd()
    if python is None:
        pytest.skip("every Python found here has sdd installed")
    _install_with(hooked, python)
    stage(hooked, "sdd.yaml", BROKEN_CONFIG)
    result = commit(hooked)
    assert result.returncode == 0, output(result)
    assert "HOOK003" in output(result) and "Traceback" not in output(result)


def test_moving_the_artifact_folders_asks_for_a_reinstall(hooked: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    moved = config_text(hooked).replace('adr: "adr"', 'adr: "docs/adr"')
    assert moved != config_text(hooked)
    stage(hooked, "sdd.yaml", moved)
    result = commit(hooked)
    assert result.returncode == 0, output(result)
    assert "HOOK001" in output(result)
    status = json.loads(sdd("hooks", "status", "--json", ok=True).stdout)
    assert status["hooks"][0]["state"] == "outdated"
    sdd("hooks", "install", ok=True)
    stage(hooked, "docs/adr/0001-x.md", "# ADR\n")
    assert "HOOK001" not in output(commit(hooked))


# --- where the hooks live: core.hooksPath, worktrees, sub-folder projects ---------------------


@pytest.mark.parametrize("hooks_path", [".husky", "ABSOLUTE"])
def test_core_hooks_path_is_honoured(hooked: Path, sdd, tmp_path: Path, hooks_path: str) -> None:  # type: ignore[no-untyped-def]
    sdd("hooks", "uninstall", ok=True)
    folder = hooked / hooks_path if hooks_path != "ABSOLUTE" else tmp_path / "shared-hooks"
    git(
        hooked,
        "config",
        "core.hooksPath",
        hooks_path if hooks_path != "ABSOLUTE" else str(folder),
        check=False,
    )
    husky = write_foreign_hook(folder, "pre-commit")
    report = json.loads(sdd("hooks", "install", "--json", ok=True).stdout)
    assert report["hooks_dir"] == str(folder)
    assert not (hooked / ".git/hooks/pre-commit").exists()
    before = head(hooked)
    stage(hooked, "sdd.yaml", BROKEN_CONFIG)
    assert_blocked(commit(hooked), hooked, before)
    assert "foreign hook ran" in (hooked / ".foreign-log").read_text("utf-8")
    sdd("hooks", "uninstall", ok=True)
    assert husky.read_bytes() == FOREIGN_HOOK


def test_a_commit_in_a_linked_worktree_runs_the_hook(hooked: Path, tmp_path: Path) -> None:
    worktree = tmp_path / "linked"
    added = git(hooked, "worktree", "add", "-b", "feature", str(worktree), check=False)
    assert added.returncode == 0, added.stderr
    before = head(worktree)
    stage(worktree, "sdd.yaml", BROKEN_CONFIG)
    result = commit(worktree)
    assert_blocked(result, worktree, before)
    assert "CFG001" in output(result)
    stage(worktree, "sdd.yaml", config_text(hooked) + GOOD_CONFIG_EXTRA)
    assert commit(worktree).returncode == 0


@pytest.mark.slow
def test_a_project_in_a_sub_folder_of_the_repository(repo: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    service = repo / "services/billing"
    sdd("init", str(service), ok=True)
    monkeypatch.chdir(service)
    sdd("hooks", "install", ok=True)
    script = (repo / ".git/hooks/pre-commit").read_text("utf-8")
    assert "project=services/billing\n" in script
    assert "':(top,literal)services/billing/sdd.yaml'" in script
    git(repo, "add", "-A", check=False)
    assert commit(repo).returncode == 0
    before = head(repo)
    stage(repo, "services/billing/sdd.yaml", BROKEN_CONFIG)
    result = commit(repo)
    assert_blocked(result, repo, before)
    assert "sdd.yaml:3: error CFG001" in output(result)
    git(repo, "reset", "-q", "HEAD", "services/billing/sdd.yaml", check=False)
    stage(repo, "sdd.yaml", BROKEN_CONFIG)  # not this project's config
    assert commit(repo).returncode == 0


# --- with the real PHR checker and ADR detector ---------------------------------------------


@pytest.mark.parametrize(
    "broken",
    [phr_with_placeholder_title(), phr_with_unclosed_front_matter()],
    ids=["placeholder-title", "unclosed-front-matter"],
)
def test_blocked_on_a_broken_phr_passing_on_a_good_one(hooked: Path, broken: str) -> None:
    before = head(hooked)
    stage(hooked, PHR_PATH, broken)
    result = commit(hooked)
    assert_blocked(result, hooked, before)
    assert f"{PHR_PATH}:" in output(result) and ": error " in output(result)

    stage(hooked, PHR_PATH, good_phr())
    result = commit(hooked)
    assert result.returncode == 0, output(result)
    assert PHR_PATH in git(hooked, "show", "--name-only", "HEAD", check=False).stdout


SIGNIFICANT_CHANGE = {
    "requirements.txt": "fastapi==0.110.0\npsycopg2-binary==2.9.9\npyjwt==2.8.0\n",
    "app/db/migrations/0001_create_users.sql": (
        "CREATE TABLE users (\n  id SERIAL PRIMARY KEY,\n  email TEXT UNIQUE NOT NULL,\n"
        "  password_hash TEXT NOT NULL\n);\n"
    ),
    "app/auth.py": (
        "import jwt\nfrom fastapi.security import OAuth2PasswordBearer\n\n"
        "oauth2_scheme = OAuth2PasswordBearer(tokenUrl='/api/v2/token')\n\n"
        "def create_access_token(subject: str, secret: str) -> str:\n"
        "    return jwt.encode({'sub': subject}, secret, algorithm='HS256')\n"
    ),
}


def test_post_commit_prints_the_suggestion_and_creates_no_adr(hooked: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    adr_before = sorted(p.name for p in (hooked / "adr").iterdir())
    for relative, content in SIGNIFICANT_CHANGE.items():
        stage(hooked, relative, content)
    result = commit(hooked, "Add users table and JWT login")
    assert result.returncode == 0, output(result)
    detected = sdd("adr", "detect", "--commit", "HEAD", "--json")
    assert detected.exit_code == 0, detected.output
    document = json.loads(detected.stdout)
    assert document["schema"] == "sdd.adr-detect/1"
    assert document["significant"] is True
    assert document["message"].startswith("📋 Architectural decision detected:")
    assert document["message"].strip() in output(result)
    assert sorted(p.name for p in (hooked / "adr").iterdir()) == adr_before, "no ADR created"


PARTIAL_ADR = """---
id: 1
title: Use JWT bearer tokens
status: accepted
date: 2026-11-27
feature: null
supersedes: null
superseded_by: null
covers:
  - "app/auth.py"
  - "requirements.txt"
---

# ADR-0001: Use JWT bearer tokens

## Context

Login needs stateless tokens.

## Decision

Use signed JWT bearer tokens.

## Consequences

### Positive

- No session store.

### Negative

- Tokens cannot be revoked before they expire.

## Alternatives Considered

- Server-side sessions.

## References

- None.
"""


def test_post_commit_still_suggests_when_only_part_of_the_change_is_covered(
    hooked: Path, sdd
) -> None:  # type: ignore[no-untyped-def]
    stage(hooked, "adr/0001-use-jwt-bearer-tokens.md", PARTIAL_ADR)
    assert commit(hooked, "Decide on JWT").returncode == 0
    for relative, content in SIGNIFICANT_CHANGE.items():
        stage(hooked, relative, content)
    result = commit(hooked, "Add users table and JWT login")
    assert result.returncode == 0, output(result)
    document = json.loads(sdd("adr", "detect", "--commit", "HEAD", "--json").stdout)
    assert document["covered_by"], "the auth part is covered by ADR 0001"
    assert document["message"], "the migration still needs an ADR"
    assert document["message"].strip() in output(result)


# --- pre-push ---------------------------------------------------------------------------------


def test_pre_push_feeds_the_refs_to_the_kept_hook_and_never_blocks(
    hooked: Path, sdd, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    sdd("hooks", "uninstall", ok=True)
    recorder = (
        b'#!/bin/sh\nlog="$(git rev-parse --show-toplevel)/.push-log"\n'
        b'echo "args: $*" > "$log"\ncat >> "$log"\n'
    )
    write_foreign_hook(hooked / ".git/hooks", "pre-push", recorder)
    sdd("hooks", "install", ok=True)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote), check=False)
    git(hooked, "remote", "add", "origin", str(remote), check=False)
    for relative, content in SIGNIFICANT_CHANGE.items():
        stage(hooked, relative, content)
    assert commit(hooked, "significant").returncode == 0
    result = git(hooked, "push", "origin", "main", closed_stdin=True, check=False)
    assert result.returncode == 0, output(result)
    log = (hooked / ".push-log").read_text("utf-8").splitlines()
    assert log[0] == f"args: origin {remote}"
    assert log[1] == f"refs/heads/main {head(hooked)} refs/heads/main {'0' * 40}"
    assert git(remote, "rev-parse", "main", check=False).stdout.strip() == head(hooked)
    assert sorted(p.name for p in (hooked / "adr").iterdir()) == [".gitkeep"]


def test_pre_push_without_a_temporary_folder_still_runs_the_kept_hook(
    hooked: Path, sdd, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    sdd("hooks", "uninstall", ok=True)
    write_foreign_hook(hooked / ".git/hooks", "pre-push", b"#!/bin/sh\ncat\nexit 3\n")
    sdd("hooks", "install", ok=True)
    result = subprocess.run(
        [str(hooked / ".git/hooks/pre-push"), "origin", "/nowhere"],
        cwd=hooked,
        env={**os.environ, "TMPDIR": str(tmp_path / "missing")},
        input="refs/heads/main a refs/heads/main b\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert result.stdout == "refs/heads/main a refs/heads/main b\n"
    assert "sdd's part skipped" in result.stderr


def test_a_staged_name_that_is_not_utf_8_is_reported_not_a_crash(hooked: Path) -> None:
    """Even where the locale makes standard output strict UTF-8."""
    before = head(hooked)
    name = os.fsdecode(b"history/prompts/general/0001-caf\xe9.general.prompt.md")
    stage(hooked, name, phr_with_placeholder_title())
    result = subprocess.run(
        ["git", "commit", "-m", "x"],
        cwd=hooked,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    text = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode != 0 and head(hooked) == before
    assert "unexpected error" not in text
    assert b"0001-caf\xe9.general.prompt.md:" in result.stderr  # git shows hooks on stderr
    assert "commit blocked" in text


def test_pre_push_input_that_is_not_utf_8_never_fails_the_push(hooked: Path) -> None:
    script = hooked / ".git/hooks/pre-push"
    refs = f"refs/heads/caf\xe9 {head(hooked)} refs/heads/caf\xe9 {'0' * 40}\n".encode("latin-1")
    result = subprocess.run(
        [str(script), "origin", "/nowhere"],
        cwd=hooked,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
        input=refs,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert b"unexpected error" not in result.stderr
