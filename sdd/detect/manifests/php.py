"""PHP manifests: composer.json (composer.lock is read like package-lock.json)."""

from __future__ import annotations

from sdd.detect.manifests.model import Reading, State
from sdd.detect.manifests.node import JSON_ENTRY, JSON_SECTION

_COMPOSER_SECTIONS = {"require": False, "require-dev": True}


def read_composer_json(line: str, state: State) -> Reading | None:
    section = JSON_SECTION.match(line)
    if section:
        state.section = section.group(1).lower()
        return None
    if line.strip().startswith("}"):
        state.section = None
        return None
    entry = JSON_ENTRY.match(line)
    if entry is None or state.section not in _COMPOSER_SECTIONS:
        return None
    name = entry.group(1)
    if name == "php" or name.startswith(("ext-", "lib-")):
        return None
    return name, entry.group(2), _COMPOSER_SECTIONS[state.section]
