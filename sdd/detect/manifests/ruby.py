"""Ruby manifests: Gemfile and Gemfile.lock."""

from __future__ import annotations

import re

from sdd.detect.manifests.model import DEV_WORDS, Reading, State

_GEM = re.compile(r"""^\s*gem\s+['"]([^'"]+)['"](?:\s*,\s*['"]([^'"]+)['"])?""")
_GEM_GROUP = re.compile(r"^\s*group\s+(.+?)\s+do\b")


def read_gemfile(line: str, state: State) -> Reading | None:
    group = _GEM_GROUP.match(line)
    if group:
        state.section = "dev" if DEV_WORDS.search(group.group(1).lower()) else "runtime"
        return None
    if line.strip() == "end":
        state.section = None
        return None
    gem = _GEM.match(line)
    if gem is None:
        return None
    return (
        gem.group(1),
        gem.group(2) or "",
        None if state.section is None else state.section == "dev",
    )


_LOCK_SPEC = re.compile(r"^    ([A-Za-z0-9_.\-]+) \(([^)\s]+)\)\s*$")


def read_gemfile_lock(line: str, state: State) -> Reading | None:
    """Gemfile.lock ``specs:``: a resolved gem at four spaces, ``    rails (8.0.1)``."""
    found = _LOCK_SPEC.match(line)
    return (found.group(1), found.group(2), None) if found else None
