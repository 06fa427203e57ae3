"""TOML manifests (pyproject.toml, Pipfile, Cargo.toml) and TOML lock files (poetry.lock,
uv.lock, pdm.lock, Cargo.lock): one line reader each, shared by Python and Rust."""

from __future__ import annotations

import re

from sdd.detect.manifests.model import DEV_WORDS as _DEV_WORDS
from sdd.detect.manifests.model import VERSION_START as _VERSION_START
from sdd.detect.manifests.model import Reading
from sdd.detect.manifests.model import State as _State

TOML_SECTION = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY_LIST_OPEN = re.compile(r"^\s*([\w.\-\"']+)\s*=\s*\[\s*(?:#.*)?$")
_TOML_TABLE_ENTRY = re.compile(r"^\s*([A-Za-z0-9_.\-\"']+)\s*=\s*(.+?)\s*,?\s*$")
QUOTED_REQUIREMENT = re.compile(  # "name[extra]>=1.0; marker",
    r"^\s*['\"]([A-Za-z0-9][A-Za-z0-9._\-\[\], ]*?)\s*((?:[<>=!~^]|===?)[^'\";]*)?"
    r"(?:;[^'\"]*)?['\"]\s*,?\s*(?:#.*)?$"
)
REQUIREMENT = re.compile(
    r"^\s*([A-Za-z0-9][A-Za-z0-9._\-]*(?:\[[^\]]*\])?)\s*((?:[<>=!~]=?|===)[^;#]*)?(?:;[^#]*)?(?:#.*)?$"
)
_RESERVED_TOML_KEYS = frozenset(
    {
        "name", "version", "description", "readme", "license", "authors", "maintainers",
        "python", "requires-python", "keywords", "classifiers", "homepage", "repository",
        "documentation", "edition", "rust-version", "publish", "build", "include", "exclude",
        "packages", "requires", "build-backend", "url", "source", "default", "members",
    }
)  # fmt: skip


def _toml_section_kind(section: str | None, list_key: str | None) -> str:
    """'runtime', 'dev' or 'other' for a TOML location (pyproject, Pipfile, Cargo)."""
    sec = (section or "").lower().strip().strip("\"'")
    key = (list_key or "").lower().strip().strip("\"'")
    if sec == "build-system" or key in _NON_DEPENDENCY_LISTS:
        return "other"
    if (
        sec.endswith(("dev-dependencies", "build-dependencies"))
        or sec in ("dev-packages", "dependency-groups")
        or _DEV_WORDS.search(key)
    ):
        return "dev"
    if sec.startswith("tool.poetry.group."):
        return "runtime" if sec.split(".")[3:4] == ["main"] else "dev"
    if key:
        if key in ("dependencies", "install_requires") or sec == "project.optional-dependencies":
            return "runtime"
        return "other" if sec else "runtime"
    if sec in ("tool.poetry.dependencies", "packages", "dependencies", "workspace.dependencies"):
        return "runtime"
    if sec.startswith("target.") and sec.endswith(".dependencies"):
        return "runtime"
    if sec.startswith(("dependencies.", "tool.poetry.dependencies.")):
        return "runtime"
    return "other"


_NON_DEPENDENCY_LISTS = frozenset(
    {"requires", "build-requires", "exclude", "include", "packages", "members", "classifiers",
     "keywords", "authors", "maintainers", "extend-exclude", "select", "ignore", "files"}
)  # fmt: skip


def read_toml(line: str, state: _State) -> Reading | None:
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    section = TOML_SECTION.match(line)
    if section and "=" not in stripped.split("]")[0]:
        state.section = section.group(1)
        state.list_key = None
        return None
    if state.list_key is not None and stripped.startswith("]"):
        state.list_key = None
        return None
    if stripped.startswith(("'", '"')):
        requirement = QUOTED_REQUIREMENT.match(line)
        if requirement is None:
            return None
        if state.list_key is None and state.section is None:
            # A list item with no visible list key: runtime unless the name is a dev tool.
            if not requirement.group(2):
                return None
            return requirement.group(1), requirement.group(2).strip(), None
        where = _toml_section_kind(state.section, state.list_key)
        if where == "other":
            return None
        return requirement.group(1), (requirement.group(2) or "").strip(), where == "dev"
    opened = _TOML_KEY_LIST_OPEN.match(line)
    if opened:
        state.list_key = opened.group(1)
        return None
    entry = _TOML_TABLE_ENTRY.match(line)
    if entry is None:
        return None
    key = entry.group(1).strip("\"'")
    if key.lower() in _RESERVED_TOML_KEYS:
        return None
    kind: str | None = None
    if state.section is not None:
        kind = _toml_section_kind(state.section, None)
    if kind == "other":
        return None
    spec = _toml_value_spec(entry.group(2))
    if spec is None:
        return None
    return key, spec, None if kind is None else kind == "dev"


def _toml_value_spec(value: str) -> str | None:
    value = value.strip().rstrip(",")
    if value.startswith(("'", '"')):
        inner = value.strip("'\"")
        if inner == "*" or _VERSION_START.match(inner) or inner.startswith(("^", "~")):
            return inner
        return None
    if value.startswith("{"):
        found = re.search(r"\bversion\s*=\s*['\"]([^'\"]*)['\"]", value)
        if found:
            return found.group(1)
        if re.search(r"\b(?:git|path|url|workspace)\s*=", value):
            return ""
        return None
    return None


_LOCK_NAME = re.compile(r"""^\s*name\s*=\s*["']([^"']+)["']\s*$""")
_LOCK_VERSION = re.compile(r"""^\s*version\s*=\s*["']([^"']+)["']\s*$""")


def read_toml_lock(line: str, state: _State) -> Reading | None:
    """``[[package]]`` tables: ``name = "x"`` (often context) then ``version = "1.2.3"``."""
    if line.startswith("[["):
        state.section = None
        return None
    name = _LOCK_NAME.match(line)
    if name:
        state.section = name.group(1)
        return None
    version = _LOCK_VERSION.match(line)
    if version and state.section:
        return state.section, version.group(1), None
    return None
