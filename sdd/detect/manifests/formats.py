"""Every manifest and lock file format in one table, and the entries of a changed file.

A format is data: its ecosystem, how its lines read, and whether it is a lock file (whose
changes count only as a new major version of a library the rule pack names). Adding a
format is a row here and a ``manifests:`` entry in the rule pack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sdd.detect.diff import MAX_LINE_CHARS, FileChange
from sdd.detect.manifests import (
    containers,
    dotnet,
    elixir,
    go,
    jvm,
    node,
    php,
    platforms,
    python,
    ruby,
)
from sdd.detect.manifests.model import DEV_WORDS, Entry, LineReader, State
from sdd.detect.manifests.toml import read_toml, read_toml_lock


@dataclass(frozen=True)
class Format:
    ecosystem: str
    reader: LineReader | None  # None: a block reader (Maven)
    lock: bool = False


FORMATS: dict[str, Format] = {
    "requirements": Format("python", python.read_requirements),
    "pyproject": Format("python", read_toml),
    "pipfile": Format("python", read_toml),
    "setup-py": Format("python", python.read_setup_py),
    "setup-cfg": Format("python", python.read_setup_cfg),
    "toml-lock": Format("python", read_toml_lock, lock=True),
    "package-json": Format("node", node.read_package_json),
    "npm-lock": Format("node", node.read_json_lock, lock=True),
    "yarn-lock": Format("node", node.read_yarn_lock, lock=True),
    "pnpm-lock": Format("node", node.read_pnpm_lock, lock=True),
    "go-mod": Format("go", go.read_go_mod),
    "maven": Format("java", None),
    "gradle": Format("java", jvm.read_gradle),
    "gradle-catalog": Format("java", jvm.read_version_catalog),
    "cargo": Format("rust", read_toml),
    "cargo-lock": Format("rust", read_toml_lock, lock=True),
    "gemfile": Format("ruby", ruby.read_gemfile),
    "gemfile-lock": Format("ruby", ruby.read_gemfile_lock, lock=True),
    "composer": Format("php", php.read_composer_json),
    "composer-lock": Format("php", node.read_json_lock, lock=True),
    "msbuild": Format("dotnet", dotnet.read_msbuild),
    "mix": Format("elixir", elixir.read_mix_exs),
    "mix-lock": Format("elixir", elixir.read_mix_lock, lock=True),
    "compose": Format("container-image", containers.read_compose),
    "dockerfile": Format("container-image", containers.read_dockerfile),
    "platform-spec": Format("platform", platforms.read_platform_spec),
}
ECOSYSTEMS = frozenset(f.ecosystem for f in FORMATS.values())


def read_entries(change: FileChange, fmt: str) -> Iterator[tuple[str, Entry]]:
    """('+' | '-', entry) for each dependency on a changed line of ``change``."""
    dev_file = _dev_manifest(change.path, fmt)
    if fmt == "maven":
        yield from jvm.maven_entries(change, dev_file)
        return
    if fmt == "dockerfile":
        # ``FROM builder`` after ``FROM golang:1.22 AS builder`` names a stage, not an image.
        stages = {
            alias.lower()
            for hunk in change.hunks
            for line in hunk.lines
            for alias in containers.DOCKER_STAGE.findall(line[1:])
        }
        yield from (
            (sign, entry)
            for sign, entry in _line_entries(change, fmt, dev_file)
            if entry.name.lower() not in stages
        )
        return
    yield from _line_entries(change, fmt, dev_file)


def _line_entries(change: FileChange, fmt: str, dev_file: bool) -> Iterator[tuple[str, Entry]]:
    reader = FORMATS[fmt].reader
    assert reader is not None
    for hunk in change.hunks:
        # The old and the new file each have their own sections: context lines feed both.
        old_state, new_state = State(heading=hunk.heading), State(heading=hunk.heading)
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
        return bool(DEV_WORDS.search(name.replace("requirements", ""))) or (
            folder == "requirements" and bool(DEV_WORDS.search(name))
        )
    if fmt == "compose":
        return bool(re.search(r"override|dev|test|local|ci", name))
    if fmt == "msbuild":
        return bool(re.search(r"tests?\b|\.tests?\.|benchmark", name))
    return False
