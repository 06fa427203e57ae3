"""JVM manifests: Maven pom.xml, Gradle build scripts and Gradle version catalogs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sdd.detect.diff import MAX_LINE_CHARS, FileChange
from sdd.detect.manifests.model import Entry, Reading, State

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


def read_gradle(line: str, state: State) -> Reading | None:
    plugin = _GRADLE_PLUGIN.match(line)
    if plugin:
        return plugin.group(1), plugin.group(2), False
    match = _GRADLE.match(line)
    if match is None or not _GRADLE_CONFIGS.match(match.group(1)):
        return None
    dev = bool(_GRADLE_DEV_CONFIGS.match(match.group(1)))
    return match.group(3), match.group(4) or "", dev


_MAVEN_TAG = re.compile(r"<(artifactId|version|scope)>\s*([^<]*?)\s*</\1>")
_MAVEN_OPEN = ("<dependency>", "<parent>", "<plugin>")
_MAVEN_CLOSE = ("</dependency>", "</parent>", "</plugin>")
# A managed version in <properties> (``<spring-boot.version>3.2.5</spring-boot.version>``) names
# the artifact it pins, as a version catalog's [versions] alias does.
_MAVEN_PROPERTY = re.compile(r"^<([\w.-]+)\.version>\s*([^<]*?)\s*</\1\.version>")


@dataclass
class _MavenBlock:
    tags: dict[str, str]
    changed: tuple[int, str] | None = None  # first changed line of this side in the block


def maven_entries(change: FileChange, dev_file: bool) -> Iterator[tuple[str, Entry]]:
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
                    managed = _MAVEN_PROPERTY.match(stripped) if sign == side else None
                    if managed:
                        yield side, Entry(
                            managed.group(1).replace(".", "-"), managed.group(2), number, stripped,
                            change.path, dev_file,
                        )  # fmt: skip
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


_CATALOG_SECTION = re.compile(r"^\s*\[([\w.-]+)\]\s*(?:#.*)?$")
_CATALOG_VERSION = re.compile(r"""^\s*([\w.-]+)\s*=\s*["']([^"']+)["']\s*(?:#.*)?$""")
_CATALOG_MODULE = re.compile(
    r"""\bmodule\s*=\s*["'][^:"']+:([^:"']+)["']|\bname\s*=\s*["']([^"']+)["']"""
)
_CATALOG_PLUGIN = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
_CATALOG_INLINE_VERSION = re.compile(
    r"""\bversion\s*=\s*["']([^"']+)["']|\bversion\.ref\s*=\s*["']([^"']+)["']"""
)


_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _catalog_alias(name: str) -> str:
    """A version alias as the artifact it usually names: ``springBoot``/``spring_boot`` →
    ``spring-boot`` (Gradle accepts camel case, ``-``, ``_`` and ``.`` in aliases)."""
    return _CAMEL_HUMP.sub("-", name).replace("_", "-").replace(".", "-").lower()


def read_version_catalog(line: str, state: State) -> Reading | None:
    """gradle/libs.versions.toml: ``[versions]`` names (``ktor = "3.0.0"``) and
    ``[libraries]``/``[plugins]`` entries (``{ module = "io.ktor:ktor-server-core", … }``)."""
    section = _CATALOG_SECTION.match(line)
    if section:
        state.section = section.group(1).lower()
        return None
    if state.section == "versions":
        found = _CATALOG_VERSION.match(line)
        return (_catalog_alias(found.group(1)), found.group(2), False) if found else None
    if state.section in ("libraries", "plugins"):
        module = _CATALOG_MODULE.search(line) or _CATALOG_PLUGIN.search(line)
        if module is None:
            return None
        name = next(group for group in module.groups() if group)
        version = _CATALOG_INLINE_VERSION.search(line)
        spec = (version.group(1) or "") if version else ""
        return name, spec, False
    return None
