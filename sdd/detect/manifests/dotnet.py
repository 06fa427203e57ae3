""".NET manifests: ``*.csproj``/``*.fsproj`` and central package management
(``Directory.Packages.props``)."""

from __future__ import annotations

import re

from sdd.detect.manifests.model import Reading, State

_PACKAGE = re.compile(
    r"""<Package(?:Reference|Version)\s[^>]*?\bInclude\s*=\s*["']([^"']+)["'](?:[^>]*?\bVersion\s*=\s*["']([^"']*)["'])?"""
)
_CHILD_VERSION = re.compile(r"^\s*<Version>\s*([^<\s]+)\s*</Version>")
_TARGET = re.compile(r"<TargetFrameworks?>\s*([^<]+?)\s*</TargetFrameworks?>")
_FRAMEWORK_VERSION = re.compile(r"^net(?:coreapp)?(\d+(?:\.\d+)*)")


def read_msbuild(line: str, state: State) -> Reading | None:
    """``<PackageReference Include="X" Version="1.2" />`` (or its ``<Version>`` child) and the
    target framework (``net8.0`` → ``dotnet 8.0``)."""
    found = _PACKAGE.search(line)
    if found:
        state.section = None if line.rstrip().endswith("/>") else found.group(1)
        return found.group(1), found.group(2) or "", None
    if "</PackageReference>" in line or "</PackageVersion>" in line:
        state.section = None
        return None
    child = _CHILD_VERSION.match(line)
    if child and state.section:
        return state.section, child.group(1), None
    target = _TARGET.search(line)
    if target:
        first = target.group(1).split(";")[0].strip()
        version = _FRAMEWORK_VERSION.match(first)
        if version:
            return "dotnet", version.group(1), False
    return None
