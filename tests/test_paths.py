"""Safe paths: '..', absolute paths and symlinks out of the project are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.base.errors import UnsafePathError
from sdd.base.paths import is_within, safe_join


@pytest.mark.parametrize(
    "relative", ["../x", "a/../../x", "..", "/etc/passwd", "C:\\Windows", "a\\..\\..\\b", "a\x00b"]
)
def test_escapes_are_refused(tmp_path: Path, relative: str) -> None:
    with pytest.raises(UnsafePathError):
        safe_join(tmp_path, relative)


def test_plain_relative_paths_join(tmp_path: Path) -> None:
    assert safe_join(tmp_path, "specs", "001-x/spec.md") == tmp_path / "specs/001-x/spec.md"
    assert safe_join(tmp_path, "./a//b/") == tmp_path / "a/b"


def test_symlink_leading_out_is_refused_inside_is_allowed(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "real").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, root / "escape")
    os.symlink(root / "real", root / "alias")
    with pytest.raises(UnsafePathError):
        safe_join(root, "escape/file.md")
    assert safe_join(root, "alias/file.md") == root / "alias/file.md"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "b", "..", ".", "", "/", "\\", "c d", "é", "x.md"]), max_size=8
    ).map("/".join)
)
def test_joined_paths_never_leave_the_root(
    tmp_path_factory: pytest.TempPathFactory, relative: str
) -> None:
    root = tmp_path_factory.getbasetemp() / "prop-root"
    root.mkdir(exist_ok=True)
    try:
        joined = safe_join(root, relative)
    except UnsafePathError:
        return
    assert is_within(joined.resolve(), root.resolve())
