"""Where an unexpected error's traceback is kept (``sdd.base.failure.write_crash_log``): sdd's
folder of the user's cache, found as every other cache of sdd finds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdd.base.failure import write_crash_log


def _logged(message: str) -> Path:
    try:
        raise RuntimeError(message)
    except RuntimeError as error:
        return write_crash_log(error)


def test_the_log_goes_to_sdds_folder_of_the_cache_named_by_xdg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = _logged("boom")
    assert path == tmp_path / "cache" / "sdd" / "sdd-crash.log"
    assert "RuntimeError: boom" in path.read_text("utf-8")


def test_a_relative_xdg_cache_home_is_ignored_for_the_home_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative-cache")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    path = _logged("boom")
    assert path == home / ".cache" / "sdd" / "sdd-crash.log"
    assert list(work.iterdir()) == []  # nothing landed where sdd happened to run


def test_without_an_absolute_cache_or_home_the_log_goes_to_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", "relative-home")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative-cache")
    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(shared))
    monkeypatch.chdir(tmp_path)
    assert _logged("boom") == shared / "sdd-crash.log"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tmp"]
