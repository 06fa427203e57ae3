"""Python manifests beside the TOML ones: requirements files, setup.py, setup.cfg."""

from __future__ import annotations

from sdd.detect.manifests.model import DEV_WORDS, Reading, State
from sdd.detect.manifests.toml import QUOTED_REQUIREMENT, REQUIREMENT, TOML_SECTION


def read_requirements(line: str, state: State) -> Reading | None:
    stripped = line.strip()
    if not stripped or stripped.startswith(("#", "-", "git+", "http:", "https:", "file:", ".")):
        return None
    match = REQUIREMENT.match(line)
    if match is None:
        return None
    return match.group(1), (match.group(2) or "").strip(), None


def read_setup_py(line: str, state: State) -> Reading | None:
    lowered = line.lower()
    for key, dev in (
        ("install_requires", False),
        ("tests_require", True),
        ("setup_requires", True),
        ("extras_require", True),
    ):
        if key in lowered:
            state.section = "dev" if dev else "runtime"
    requirement = QUOTED_REQUIREMENT.match(line)
    if requirement is None:
        return None
    if state.section is None and not requirement.group(2):
        return None
    return (
        requirement.group(1),
        (requirement.group(2) or "").strip(),
        None if state.section is None else state.section == "dev",
    )


def read_setup_cfg(line: str, state: State) -> Reading | None:
    stripped = line.strip()
    section = TOML_SECTION.match(line)
    if section:
        state.section = section.group(1).lower()
        state.list_key = None
        return None
    if "=" in stripped and not stripped.startswith(("#", ";")):
        key, _, value = stripped.partition("=")
        state.list_key = key.strip().lower()
        stripped = value.strip()
        if not stripped:
            return None
    if state.list_key not in ("install_requires",) and state.section != "options.extras_require":
        return None
    match = REQUIREMENT.match(stripped)
    if match is None:
        return None
    dev = state.section == "options.extras_require" and bool(DEV_WORDS.search(state.list_key or ""))
    return match.group(1), (match.group(2) or "").strip(), dev
