"""Go manifests: go.mod (go.sum follows go.mod and says nothing more)."""

from __future__ import annotations

import re

from sdd.detect.manifests.model import GO_MAJOR_SUFFIX, Reading, State

_GO_DIRECTIVE = re.compile(r"^(require|replace|exclude|retract)(?=[\s(]|$)")
_GO_REQUIRE = re.compile(
    r"^\s*(?:require\s+)?([A-Za-z0-9][\w.\-]*\.[\w.\-]+(?:/[\w.\-~]+)*)\s+(v\d[^\s]*)\s*(//.*)?$"
)


def read_go_mod(line: str, state: State) -> Reading | None:
    stripped = line.strip()
    found = _GO_DIRECTIVE.match(stripped)
    directive = found.group(1) if found else None
    if directive in ("replace", "exclude", "retract"):
        state.section = "other" if stripped.endswith("(") else state.section
        return None
    if directive == "require" and stripped.endswith("("):
        state.section = "require"
        return None
    if stripped == ")":
        state.section = None
        return None
    if state.section == "other":
        return None
    match = _GO_REQUIRE.match(line)
    if match is None:
        return None
    if match.group(3) and "indirect" in match.group(3):
        return None
    name, version = match.group(1), match.group(2)
    suffix = GO_MAJOR_SUFFIX.search(name)
    if suffix:
        version = (
            f"v{suffix.group(1)}" + version[version.find(".") :] if "." in version else version
        )
    return name, version, False
