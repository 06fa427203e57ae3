"""Fixtures of the git hook tests: foreign hooks, configurations and records to stage."""

from __future__ import annotations

import stat
from pathlib import Path

FOREIGN_HOOK = b'#!/bin/sh\n# my own hook\necho "foreign hook ran with: $*" >> "$(git rev-parse --show-toplevel)/.foreign-log"\nexit 0\n'  # noqa: E501


def write_foreign_hook(
    folder: Path, name: str, content: bytes = FOREIGN_HOOK, mode: int = 0o755
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    path.chmod(mode)
    return path


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


BROKEN_CONFIG = "version: 1\nfeatures:\n  digits: many\n"
GOOD_CONFIG_EXTRA = "\n# a comment added in a later commit\n"


def good_phr(title: str = "Add login endpoint", *, phr_id: str = "0001") -> str:
    """A PHR of stage ``general`` in the shape of DESIGN §3 / Spec-Kit Plus."""
    return f"""---
id: {phr_id}
title: {title}
stage: general
date: 2026-11-27
surface: agent
model: claude-sonnet-4-5
feature: none
branch: main
user: Test User
command: /sp.phr
labels: ["auth", "api"]
links:
  spec: null
  ticket: null
  adr: null
  pr: null
files:
  - src/app/login.py
tests:
  - tests/test_login.py
---

## Prompt

Add a POST /login endpoint that checks the password and returns a session token.

## Response snapshot

Added the endpoint in src/app/login.py and a test for a good and a bad password.

## Outcome

- Impact: users can log in
- Tests: tests/test_login.py passes
- Files: src/app/login.py, tests/test_login.py
- Next prompts: rate-limit failed logins
- Reflection: the token format should be decided in an ADR

## Evaluation notes (flywheel)

- Failure modes observed: none
- Graders run and results (PASS/FAIL): PASS
- Prompt variant (if applicable): none
- Next experiment (smallest change to try): none
"""


PHR_PATH = "history/prompts/general/0001-add-login-endpoint.general.prompt.md"


def phr_with_placeholder_title() -> str:
    return good_phr().replace("title: Add login endpoint", 'title: "{{ TITLE }}"')


def phr_with_unclosed_front_matter() -> str:
    text = good_phr()
    head_end = text.index("\n---\n", 4)
    return text[:head_end] + "\n" + text[head_end + len("\n---\n") :]


def bare_path(tmp_path: Path) -> Path:
    """A PATH folder with git and the few tools a hook script uses, but no sdd and no Python:
    a teammate's machine where sdd is not installed."""
    import shutil

    folder = tmp_path / "bare-bin"
    folder.mkdir(exist_ok=True)
    for tool in ("git", "dirname", "mktemp", "rm", "cat", "sh"):
        found = shutil.which(tool)
        assert found is not None, tool
        target = folder / tool
        if not target.exists():
            target.symlink_to(found)
    return folder
