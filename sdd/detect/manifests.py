"""Dependency changes read from the changed lines of manifests (pyproject, package.json, …).

Each manifest format has a line reader that knows which section a line sits in (runtime or
development dependencies), told by the section headers and list keys seen in the hunk, its
context lines included: context says nothing about the change, but it does say whether a
changed line is in ``devDependencies``. Entries removed and added are then compared per
ecosystem across all manifests of the diff, so moving a dependency from requirements.txt to
pyproject.toml, reformatting it, or rewriting Poetry tables as PEP 621 lists is no change.

A change is ``added``, ``removed``, ``major`` (the major version of the lowest allowed version
differs), or ``swapped`` (one manifest change both adds and removes runtime dependencies).
Development dependencies (dev sections, dev-named requirement files, the rule pack's dev
tools) and minor or patch bumps yield nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sdd.detect.diff import MAX_LINE_CHARS, FileChange

ADDED = "added"
REMOVED = "removed"
MAJOR = "major"
SWAPPED = "swapped"

ECOSYSTEMS = {
    "requirements": "python",
    "pyproject": "python",
    "pipfile": "python",
    "setup-py": "python",
    "setup-cfg": "python",
    "package-json": "node",
    "go-mod": "go",
    "maven": "java",
    "gradle": "java",
    "cargo": "rust",
    "gemfile": "ruby",
    "compose": "container-image",
    "dockerfile": "container-image",
}
FORMATS = frozenset(ECOSYSTEMS)


@dataclass(frozen=True)
class Entry:
    """One dependency as a changed line states it."""

    name: str
    spec: str
    line: int
    text: str
    path: str
    dev: bool


@dataclass(frozen=True)
class DependencyChange:
    kind: str  # added | removed | major | swapped
    name: str
    ecosystem: str
    path: str
    line: int
    text: str
    old: str | None = None
    new: str | None = None

    def describe(self) -> str:
        if self.kind == MAJOR:
            return f"{self.name} {self.old} → {self.new}"
        if self.kind == SWAPPED:
            return f"{self.old} → {self.new}"
        return f"{self.name} {self.kind}"


# --- names and versions ---------------------------------------------------------------------

_PY_NAME = re.compile(r"[-_.]+")
_GO_MAJOR_SUFFIX = re.compile(r"/v(\d+)$")
_NUMBER = re.compile(r"\d+")
_VERSION_START = re.compile(r"^\s*(?:[\^~<>=!]=?|~=|===)?\s*v?\d")


def normalize(name: str, ecosystem: str) -> str:
    name = name.strip().strip("'\"")
    if ecosystem == "python":
        return _PY_NAME.sub("-", name.split("[", 1)[0].strip()).lower()
    if ecosystem == "go":
        return _GO_MAJOR_SUFFIX.sub("", name)
    return name.lower()


def major_of(spec: str) -> int | None:
    """The major version of the lowest version ``spec`` allows, when it can be told."""
    spec = spec.strip().strip("'\"")
    if not spec:
        return None
    lower: int | None = None
    upper: int | None = None
    for clause in re.split(r"[,|\s]+", spec.replace("||", " ")):
        clause = clause.strip()
        if not clause or clause.startswith("!="):
            continue
        match = re.match(r"^(===|==|>=|<=|~=|\^|~|>|<|=)?\s*v?(\d+)((?:\.\d+)*)", clause)
        if match is None:
            continue
        operator, number, rest = match.group(1) or "", int(match.group(2)), match.group(3)
        if operator == "<":
            zeros = all(part in ("", "0") for part in rest.split("."))
            upper = number - 1 if zeros and number > 0 else number
        elif operator == "<=":
            upper = number
        elif lower is None:
            lower = number
    return lower if lower is not None else upper


def image_parts(reference: str) -> tuple[str, str] | None:
    """``registry/library/postgres:17-alpine@sha…`` → (``postgres``, ``17-alpine``)."""
    reference = reference.strip().strip("'\"")
    if not reference or "$" in reference or reference.startswith("--"):
        return None
    reference = reference.split("@", 1)[0]
    name, tag = reference, ""
    slash = reference.rfind("/")
    colon = reference.rfind(":")
    if colon > slash:
        name, tag = reference[:colon], reference[colon + 1 :]
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    if parts and parts[0] == "library":
        parts = parts[1:]
    if not parts or not parts[-1]:
        return None
    return "/".join(parts).lower(), tag


# --- line readers -----------------------------------------------------------------------------


@dataclass
class _State:
    section: str | None = None  # current table/block name, lower-case
    list_key: str | None = None  # key of an open multi-line list (``dependencies = [``)


LineReader = Callable[[str, _State], "tuple[str, str, bool | None] | None"]
# (line text, state) → (name, spec, dev?) for a dependency line, None otherwise;
# dev None means "not known from the section".

_DEV_WORDS = re.compile(
    r"(?:^|[^a-z])(?:dev|develop|development|test|tests|testing|lint|docs?|typing|ci|check|qa|bench)(?:[^a-z]|$)"
)
_TOML_SECTION = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY_LIST_OPEN = re.compile(r"^\s*([\w.\-\"']+)\s*=\s*\[\s*(?:#.*)?$")
_TOML_TABLE_ENTRY = re.compile(r"^\s*([A-Za-z0-9_.\-\"']+)\s*=\s*(.+?)\s*,?\s*$")
_QUOTED_REQUIREMENT = re.compile(  # "name[extra]>=1.0; marker",
    r"^\s*['\"]([A-Za-z0-9][A-Za-z0-9._\-\[\], ]*?)\s*((?:[<>=!~^]|===?)[^'\";]*)?"
    r"(?:;[^'\"]*)?['\"]\s*,?\s*(?:#.*)?$"
)
_REQUIREMENT = re.compile(
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


def _read_toml(line: str, state: _State) -> tuple[str, str, bool | None] | None:
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    section = _TOML_SECTION.match(line)
    if section and "=" not in stripped.split("]")[0]:
        state.section = section.group(1)
        state.list_key = None
        return None
    if state.list_key is not None and stripped.startswith("]"):
        state.list_key = None
        return None
    if stripped.startswith(("'", '"')):
        requirement = _QUOTED_REQUIREMENT.match(line)
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


def _read_requirements(line: str, state: _State) -> tuple[str, str, bool | None] | None:
    stripped = line.strip()
    if not stripped or stripped.startswith(("#", "-", "git+", "http:", "https:", "file:", ".")):
        return None
    match = _REQUIREMENT.match(line)
    if match is None:
        return None
    return match.group(1), (match.group(2) or "").strip(), None


def _read_setup_py(line: str, state: _State) -> tuple[str, str, bool | None] | None:
    lowered = line.lower()
    for key, dev in (
        ("install_requires", False),
        ("tests_require", True),
        ("setup_requires", True),
        ("extras_require", True),
    ):
        if key in lowered:
            state.section = "dev" if dev else "runtime"
    requirement = _QUOTED_REQUIREMENT.match(line)
    if requirement is None:
        return None
    if state.section is None and not requirement.group(2):
        return None
    return (
        requirement.group(1),
        (requirement.group(2) or "").strip(),
        None if state.section is None else state.section == "dev",
    )


def _read_setup_cfg(line: str, state: _State) -> tuple[str, str, bool | None] | None:
    stripped = line.strip()
    section = _TOML_SECTION.match(line)
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
    match = _REQUIREMENT.match(stripped)
    if match is None:
        return None
    dev = state.section == "options.extras_require" and bool(
        _DEV_WORDS.search(state.list_key or "")
    )
    return match.group(1), (match.group(2) or "").strip(), dev


_JSON_SECTION = re.compile(r'^\s*"([^"]+)"\s*:\s*\{\s*\}?\s*,?\s*$')
_JSON_ENTRY = re.compile(r'^\s*"([^"]+)"\s*:\s*"([^"]*)"\s*,?\s*$')
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


def _read_package_json(line: str, state: _State) -> tuple[str, str, bool | None] | None:
    section = _JSON_SECTION.match(line)
    if section:
        state.section = section.group(1).lower()
        return None
    stripped = line.strip()
    if stripped.startswith("}"):
        state.section = "closed"
        return None
    entry = _JSON_ENTRY.match(line)
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


_GO_DIRECTIVE = re.compile(r"^(require|replace|exclude|retract)(?=[\s(]|$)")
_GO_REQUIRE = re.compile(
    r"^\s*(?:require\s+)?([A-Za-z0-9][\w.\-]*\.[\w.\-]+(?:/[\w.\-~]+)*)\s+(v\d[^\s]*)\s*(//.*)?$"
)


def _read_go_mod(line: str, state: _State) -> tuple[str, str, bool | None] | None:
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
    suffix = _GO_MAJOR_SUFFIX.search(name)
    if suffix:
        version = (
            f"v{suffix.group(1)}" + version[version.find(".") :] if "." in version else version
        )
    return name, version, False


_GRADLE = re.compile(
    r"""^\s*(\w+)\s*\(?\s*(?:platform\(\s*)?['"]([^:'"\s]+):([^:'"\s]+)(?::([^'"@\s]+))?[^'"]*['"]"""
)
_GRADLE_PLUGIN = re.compile(
    r"""^\s*id\s*\(?\s*['"]([\w.\-]+)['"]\s*\)?\s+version\s+['"]([^'"]+)['"]"""
)
_GRADLE_DEV_CONFIGS = re.compile(
    r"^(?:test\w*|androidTest\w*|debug\w*|lint\w*|detekt\w*|ktlint\w*|kapt\w*|annotationProcessor|testFixtures\w*)$"
)
_GRADLE_CONFIGS = re.compile(
    r"^(?:implementation|api|compile|runtime|runtimeOnly|compileOnly|classpath|developmentOnly|\w+Implementation|\w+Api|\w+RuntimeOnly|\w+CompileOnly|testImplementation|testRuntimeOnly|testCompileOnly|androidTestImplementation|kapt|annotationProcessor|ksp)$"
)


def _read_gradle(line: str, state: _State) -> tuple[str, str, bool | None] | None:
    plugin = _GRADLE_PLUGIN.match(line)
    if plugin:
        return plugin.group(1), plugin.group(2), False
    match = _GRADLE.match(line)
    if match is None or not _GRADLE_CONFIGS.match(match.group(1)):
        return None
    dev = bool(_GRADLE_DEV_CONFIGS.match(match.group(1)))
    return match.group(3), match.group(4) or "", dev


_GEM = re.compile(r"""^\s*gem\s+['"]([^'"]+)['"](?:\s*,\s*['"]([^'"]+)['"])?""")
_GEM_GROUP = re.compile(r"^\s*group\s+(.+?)\s+do\b")


def _read_gemfile(line: str, state: _State) -> tuple[str, str, bool | None] | None:
    group = _GEM_GROUP.match(line)
    if group:
        state.section = "dev" if _DEV_WORDS.search(group.group(1).lower()) else "runtime"
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


_COMPOSE_IMAGE = re.compile(r"""^\s*-?\s*image\s*:\s*['"]?([^'"\s#]+)""")
_DOCKER_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)", re.IGNORECASE)
_DOCKER_STAGE = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*\S+\s+AS\s+(\S+)", re.IGNORECASE)


def _read_compose(line: str, state: _State) -> tuple[str, str, bool | None] | None:
    match = _COMPOSE_IMAGE.match(line)
    if match is None:
        return None
    parts = image_parts(match.group(1))
    return (parts[0], parts[1], False) if parts else None


def _read_dockerfile(line: str, state: _State) -> tuple[str, str, bool | None] | None:
    match = _DOCKER_FROM.match(line)
    if match is None:
        return None
    parts = image_parts(match.group(1))
    if parts is None or parts[0] == "scratch":
        return None
    return parts[0], parts[1], False


_READERS: dict[str, LineReader] = {
    "requirements": _read_requirements,
    "pyproject": _read_toml,
    "pipfile": _read_toml,
    "cargo": _read_toml,
    "setup-py": _read_setup_py,
    "setup-cfg": _read_setup_cfg,
    "package-json": _read_package_json,
    "go-mod": _read_go_mod,
    "gradle": _read_gradle,
    "gemfile": _read_gemfile,
    "compose": _read_compose,
    "dockerfile": _read_dockerfile,
}


_MAVEN_TAG = re.compile(r"<(artifactId|version|scope)>\s*([^<]*?)\s*</\1>")
_MAVEN_OPEN = ("<dependency>", "<parent>", "<plugin>")
_MAVEN_CLOSE = ("</dependency>", "</parent>", "</plugin>")


@dataclass
class _MavenBlock:
    tags: dict[str, str]
    changed: tuple[int, str] | None = None  # first changed line of this side in the block


def _maven_entries(change: FileChange, dev_file: bool) -> Iterator[tuple[str, Entry]]:
    """Dependencies of pom.xml hunks, rebuilt per side from ``<dependency>``/``<parent>`` blocks."""
    for hunk in change.hunks:
        blocks: dict[str, _MavenBlock | None] = {"-": None, "+": None}
        numbers = {"-": hunk.old_start, "+": hunk.new_start}
        for raw in hunk.lines:
            sign, body = raw[:1], raw[1 : MAX_LINE_CHARS + 1]
            if sign == "\\":
                continue
            sides = ("-", "+") if sign not in ("-", "+") else (sign,)
            stripped = body.strip()
            for side in sides:
                number = numbers[side]
                numbers[side] += 1
                if stripped.startswith(_MAVEN_OPEN):
                    blocks[side] = _MavenBlock({})
                block = blocks[side]
                if block is None:
                    continue
                found = _MAVEN_TAG.search(body)
                if found:
                    block.tags[found.group(1)] = found.group(2)
                if sign == side and block.changed is None:
                    block.changed = (number, stripped)
                if stripped.startswith(_MAVEN_CLOSE) or stripped.endswith(_MAVEN_CLOSE):
                    if "artifactId" in block.tags and block.changed is not None:
                        dev = dev_file or block.tags.get("scope", "") in ("test", "provided")
                        line, text = block.changed
                        yield side, Entry(
                            block.tags["artifactId"], block.tags.get("version", ""), line, text,
                            change.path, dev,
                        )  # fmt: skip
                    blocks[side] = None


def read_entries(change: FileChange, fmt: str) -> Iterator[tuple[str, Entry]]:
    """('+' | '-', entry) for each dependency on a changed line of ``change``."""
    dev_file = _dev_manifest(change.path, fmt)
    if fmt == "maven":
        yield from _maven_entries(change, dev_file)
        return
    if fmt == "dockerfile":
        # ``FROM builder`` after ``FROM golang:1.22 AS builder`` names a stage, not an image.
        stages = {
            alias.lower()
            for hunk in change.hunks
            for line in hunk.lines
            for alias in _DOCKER_STAGE.findall(line[1:])
        }
        yield from (
            (sign, entry)
            for sign, entry in _line_entries(change, fmt, dev_file)
            if entry.name.lower() not in stages
        )
        return
    yield from _line_entries(change, fmt, dev_file)


def _line_entries(change: FileChange, fmt: str, dev_file: bool) -> Iterator[tuple[str, Entry]]:
    reader = _READERS[fmt]
    for hunk in change.hunks:
        # The old and the new file each have their own sections: context lines feed both.
        old_state, new_state = _State(), _State()
        old_number, new_number = hunk.old_start, hunk.new_start
        for raw in hunk.lines:
            sign, body = raw[:1], raw[1 : MAX_LINE_CHARS + 1]
            if sign == "\\":
                continue
            if sign == "-":
                found = reader(body, old_state)
                number = old_number
                old_number += 1
            elif sign == "+":
                found = reader(body, new_state)
                number = new_number
                new_number += 1
            else:
                reader(body, old_state)
                reader(body, new_state)
                old_number += 1
                new_number += 1
                continue
            if found is None:
                continue
            name, spec, dev = found
            yield sign, Entry(name, spec, number, body.strip(), change.path, bool(dev) or dev_file)


def _dev_manifest(path: str, fmt: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    if fmt == "requirements":
        folder = path.rsplit("/", 2)[-2].lower() if "/" in path else ""
        return bool(_DEV_WORDS.search(name.replace("requirements", ""))) or (
            folder == "requirements" and bool(_DEV_WORDS.search(name))
        )
    if fmt == "compose":
        return bool(re.search(r"override|dev|test|local|ci", name))
    return False


def dependency_changes(
    manifests: list[tuple[FileChange, str]], is_dev_tool: Callable[[str], bool]
) -> list[DependencyChange]:
    """Compare the dependencies removed and added across ``manifests`` (file, format) pairs."""
    removed: dict[tuple[str, str], Entry] = {}
    added: dict[tuple[str, str], Entry] = {}
    for manifest, fmt in manifests:
        ecosystem = ECOSYSTEMS[fmt]
        for sign, entry in read_entries(manifest, fmt):
            name = normalize(entry.name, ecosystem)
            if not name or entry.dev or is_dev_tool(name):
                continue
            if name in ("python", "node") and ecosystem != "container-image":
                continue
            key = (ecosystem, name)
            target = added if sign == "+" else removed
            target.setdefault(key, entry)
    changes: list[DependencyChange] = []
    gained: dict[str, list[DependencyChange]] = {}
    lost: dict[str, list[DependencyChange]] = {}
    for key, entry in added.items():
        ecosystem, name = key
        before = removed.get(key)
        if before is None:
            change = DependencyChange(
                ADDED, name, ecosystem, entry.path, entry.line, entry.text, None, entry.spec
            )
            changes.append(change)
            gained.setdefault(entry.path, []).append(change)
            continue
        old_major, new_major = major_of(before.spec), major_of(entry.spec)
        if old_major is not None and new_major is not None and old_major != new_major:
            changes.append(
                DependencyChange(
                    MAJOR,
                    name,
                    ecosystem,
                    entry.path,
                    entry.line,
                    entry.text,
                    before.spec,
                    entry.spec,
                )
            )
    for key, entry in removed.items():
        if key in added:
            continue
        ecosystem, name = key
        change = DependencyChange(
            REMOVED, name, ecosystem, entry.path, entry.line, entry.text, entry.spec, None
        )
        changes.append(change)
        lost.setdefault(entry.path, []).append(change)
    for path, gains in gained.items():
        losses = lost.get(path)
        if not losses:
            continue
        old_names = ", ".join(c.name for c in losses)
        new_names = ", ".join(c.name for c in gains)
        first = gains[0]
        changes.append(
            DependencyChange(
                SWAPPED,
                new_names,
                first.ecosystem,
                path,
                first.line,
                first.text,
                old_names,
                new_names,
            )
        )
    return changes
