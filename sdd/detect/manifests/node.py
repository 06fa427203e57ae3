"""Node manifests: package.json, and the lock files npm, Yarn and pnpm keep beside it."""

from __future__ import annotations

import re

from sdd.detect.manifests.model import Reading, State

JSON_SECTION = re.compile(r'^\s*"([^"]+)"\s*:\s*\{\s*\}?\s*,?\s*$')
JSON_ENTRY = re.compile(r'^\s*"([^"]+)"\s*:\s*"([^"]*)"\s*,?\s*$')
_NPM_DEP_SECTIONS = {
    "dependencies": False,
    "peerdependencies": False,
    "optionaldependencies": False,
    "bundleddependencies": False,
    "devdependencies": True,
}
_NPM_SPEC = re.compile(
    r"^(?:[\^~<>=]*\s*v?\d|\*|latest|next|x$|npm:|git\+|github:|file:|link:|workspace:|https?://)"
)


def read_package_json(line: str, state: State) -> Reading | None:
    section = JSON_SECTION.match(line)
    if section:
        state.section = section.group(1).lower()
        return None
    stripped = line.strip()
    if stripped.startswith("}"):
        state.section = "closed"
        return None
    entry = JSON_ENTRY.match(line)
    if entry is None:
        return None
    name, spec = entry.group(1), entry.group(2)
    if state.section in _NPM_DEP_SECTIONS:
        return name, spec, _NPM_DEP_SECTIONS[state.section]
    if (
        state.section is None
        and _NPM_SPEC.match(spec)
        and name not in ("version", "node", "npm", "yarn", "pnpm")
    ):
        return name, spec, None
    return None


_NOT_PACKAGES = frozenset(
    {"dependencies", "devdependencies", "peerdependencies", "optionaldependencies", "requires",
     "packages", "engines", "bin", "funding", "source", "dist", "autoload", "autoload-dev",
     "require", "require-dev", "suggest", "extra", "support", "scripts", "conflict", "provide",
     "replace", "notification-url", "authors", "keywords", "license", "plugin-api-version"}
)  # fmt: skip
_JSON_NAME = re.compile(r'^\s*"name"\s*:\s*"([^"]+)"\s*,?\s*$')
_JSON_VERSION = re.compile(r'^\s*"version"\s*:\s*"([^"]+)"\s*,?\s*$')


def read_json_lock(line: str, state: State) -> Reading | None:
    """package-lock.json (``"node_modules/x": {`` then ``"version"``) and composer.lock
    (``"name": "vendor/x"`` then ``"version"``)."""
    opened = JSON_SECTION.match(line)
    if opened:
        key = opened.group(1)
        if key.lower() not in _NOT_PACKAGES:
            state.section = key.rpartition("node_modules/")[2] or None
        return None
    named = _JSON_NAME.match(line)
    if named:
        state.section = named.group(1)
        return None
    version = _JSON_VERSION.match(line)
    if version and state.section:
        return state.section, version.group(1).lstrip("v"), None
    return None


_YARN_HEADER = re.compile(r'^"?(@?[^@\s"]+)@.*:\s*$')
_YARN_VERSION = re.compile(r'^\s+version:?\s+"?([^"\s]+)"?\s*$')


def read_yarn_lock(line: str, state: State) -> Reading | None:
    """yarn.lock: ``express@^4.17.1:`` (or Berry's ``"express@npm:^4":``), then ``version``."""
    header = _YARN_HEADER.match(line)
    if header:
        state.section = header.group(1)
        return None
    version = _YARN_VERSION.match(line)
    if version and state.section:
        return state.section, version.group(1), None
    return None


_PNPM_KEY = re.compile(r"^\s{2,4}'?/?(@?[^@\s/'][^@\s']*)@(\d[^:(\s']*)")
# The importers of pnpm v6+ name a package on a line of its own, then give its resolved version:
# ``      next:`` / ``        specifier: ^14.2.3`` / ``        version: 14.2.3(react@18.2.0)``.
_PNPM_IMPORTED_NAME = re.compile(r"^\s+'?(@?[^\s:'@][^\s:']*)'?:\s*$")
_PNPM_IMPORTED_VERSION = re.compile(r"^\s+version:\s*'?(\d[^(\s']*)")
_PNPM_DEPENDENCY_BLOCK = re.compile(
    r"^\s+(dependencies|devDependencies|optionalDependencies):\s*$", re.IGNORECASE
)


def read_pnpm_lock(line: str, state: State) -> Reading | None:
    """pnpm-lock.yaml: package keys ``/express@4.18.2:`` (v6) or ``express@4.18.2:`` (v9), and
    an importer's ``express:`` then its ``version: 4.18.2`` (under ``devDependencies:``: dev)."""
    found = _PNPM_KEY.match(line)
    if found:
        state.section = None
        return found.group(1), found.group(2), None
    block = _PNPM_DEPENDENCY_BLOCK.match(line)
    if block:
        state.list_key = block.group(1).lower()
        state.section = None
        return None
    named = _PNPM_IMPORTED_NAME.match(line)
    if named:
        state.section = named.group(1)
        return None
    version = _PNPM_IMPORTED_VERSION.match(line)
    if version and state.section:
        dev = None if state.list_key is None else state.list_key == "devdependencies"
        return state.section, version.group(1), dev
    return None
