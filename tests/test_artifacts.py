"""One definition of "artifact": the hook's filter, the framework manifest, the pathspecs."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from sdd.project.artifacts import (
    FRAMEWORK_FILES_PATTERN,
    artifact_scope,
    is_artifact,
    may_be_artifact,
)
from sdd.project.config import CONFIG_FILE
from sdd.project.project import load_project
from sdd.project.selection import Selection

REPO = Path(__file__).resolve().parent.parent

segment = st.sampled_from(["specs", "history", "adr", "docs", "sdd.yaml", "a.md", "x", ".md", "md"])
paths = st.lists(segment, min_size=1, max_size=4).map("/".join)


def test_the_framework_manifest_uses_the_definition() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    validate_hook = next(hook for hook in hooks if hook["id"] == "sdd-validate")
    assert validate_hook["files"] == FRAMEWORK_FILES_PATTERN
    assert CONFIG_FILE == "sdd.yaml"


@given(paths)
def test_the_manifest_regex_and_the_hook_filter_agree(path: str) -> None:
    assert bool(re.search(FRAMEWORK_FILES_PATTERN, path)) == may_be_artifact(path)


def test_every_artifact_passes_the_cheap_filter(project: Path) -> None:
    scope = artifact_scope(load_project(project))
    for relative in ("specs/001-x/spec.md", "history/prompts/general/1-x.general.prompt.md"):
        assert is_artifact(relative, scope) and may_be_artifact(relative)
    assert not is_artifact("docs/guide.md", scope) and may_be_artifact("docs/guide.md")
    assert not may_be_artifact("src/app.py") and not may_be_artifact("config.yaml")


folder = st.lists(st.sampled_from(["a", "b", "c"]), max_size=3).map(
    lambda parts: Path("/r", *parts)
)


@given(st.lists(folder, max_size=5), folder)
def test_selection_matches_its_definition(selected: list[Path], probe: Path) -> None:
    selection = Selection(frozenset(selected))
    inside = any(probe == p or p in probe.parents for p in selected)
    touching = any(p == probe or probe in p.parents or p in probe.parents for p in selected)
    assert selection.includes(probe) == inside
    assert selection.touches(probe) == touching
