"""Elixir manifests: mix.exs ``deps`` and mix.lock."""

from __future__ import annotations

import re

from sdd.detect.manifests.model import Reading, State

_DEP = re.compile(r"""^\s*\{\s*:(\w+)\s*,\s*(?:"([^"]*)")?(.*)$""")
_DEV_ONLY = re.compile(
    r"\bonly:\s*(?::(?:dev|test)\b|\[\s*:(?:dev|test)(?:\s*,\s*:(?:dev|test))*\s*\])"
)


def read_mix_exs(line: str, state: State) -> Reading | None:
    """``{:phoenix, "~> 1.7"}``; ``only: :test`` or ``only: [:dev, :test]`` marks a dev tool."""
    found = _DEP.match(line)
    if found is None:
        return None
    rest = found.group(3) or ""
    spec = found.group(2) or ""
    if not spec and not re.search(r"\b(?:git|github|path|hex):", rest):
        return None
    return found.group(1), spec, bool(_DEV_ONLY.search(rest))


_LOCK = re.compile(r"""^\s*"([\w-]+)"\s*:\s*\{\s*:hex\s*,\s*:[\w-]+\s*,\s*"([^"]+)\"""")


def read_mix_lock(line: str, state: State) -> Reading | None:
    found = _LOCK.match(line)
    return (found.group(1), found.group(2), None) if found else None
