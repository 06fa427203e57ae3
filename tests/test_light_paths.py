"""Stand-ins that keep light paths from importing a module agree with what they replace."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdd.base import gitio


@pytest.mark.skipif(os.name == "nt", reason="the search is shutil.which's own on Windows")
def test_git_is_found_where_shutil_which_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_executable = tmp_path / "plain"
    not_executable.mkdir()
    (not_executable / "git").write_text("#!/bin/sh\n", encoding="utf-8")
    a_folder = tmp_path / "folder"
    (a_folder / "git").mkdir(parents=True)
    executable = tmp_path / "bin"
    executable.mkdir()
    (executable / "git").write_text("#!/bin/sh\n", encoding="utf-8")
    (executable / "git").chmod(0o755)
    real = os.environ.get("PATH", "")
    for path in (
        real,
        f"{not_executable}{os.pathsep}{a_folder}{os.pathsep}{executable}{os.pathsep}{real}",
        f"{not_executable}{os.pathsep}{a_folder}",
        f"{os.pathsep}{executable}",
        "",
        None,
    ):
        if path is None:
            monkeypatch.delenv("PATH", raising=False)
        else:
            monkeypatch.setenv("PATH", path)
        gitio.git_executable.cache_clear()
        assert gitio.git_executable() == shutil.which("git"), path
    gitio.git_executable.cache_clear()


def test_the_package_walk_of_validates_cache_sees_what_pathlib_sees() -> None:
    from sdd.base.filecache import identity
    from sdd.validation.cache import _PACKAGE, _package_identities

    expected = sorted(
        (source.relative_to(_PACKAGE).as_posix(), identity(source))
        for source in _PACKAGE.rglob("*")
        if "__pycache__" not in source.relative_to(_PACKAGE).parts
    )
    assert _package_identities() == expected
    assert any(name.endswith("/default.yaml") for name, _ in expected)  # data, not only code


def test_the_drift_check_fingerprint_is_hashlib_s_sha256() -> None:
    import hashlib

    from sdd.hooks.folders import _sha256_hex, folders_digest

    for data in (b"", b"abc", bytes(range(256)) * 40):
        assert _sha256_hex(data) == hashlib.sha256(data).hexdigest()
    specs = (":(top,glob)specs/**/*.md", ":(top,literal)sdd.yaml")
    expected = hashlib.sha256("\0".join(sorted(specs)).encode()).hexdigest()[:12]
    assert folders_digest(reversed(specs)) == expected


@given(st.text(alphabet="ab/*?[]\\{}.-_ ", max_size=20))
def test_a_folder_name_is_escaped_for_a_glob_pathspec_as_re_escapes_it(text: str) -> None:
    import re

    from sdd.project.artifacts import glob_escape

    assert glob_escape(text) == re.sub(r"([*?\[\]\\])", r"\\\1", text)
