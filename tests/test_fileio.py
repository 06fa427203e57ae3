"""Writes: atomic replace keeps permissions; exclusive create lets exactly one creator win."""

from __future__ import annotations

import os
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from sdd.base.errors import ParseError
from sdd.base.fileio import create_exclusive, read_text, write_atomic


def test_write_atomic_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "hook"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o755)
    write_atomic(target, "new")
    assert target.read_text("utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert [p.name for p in tmp_path.iterdir()] == ["hook"], "no temporary file left behind"


def test_write_atomic_creates_parents(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a/b/c.md", "x")
    assert (tmp_path / "a/b/c.md").read_text("utf-8") == "x"


def test_create_exclusive_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "0001.md"
    assert create_exclusive(target, "first")
    assert not create_exclusive(target, "second")
    assert target.read_text("utf-8") == "first"


def _race(path: str) -> bool:
    return create_exclusive(Path(path), f"by {os.getpid()}")


def test_concurrent_creators_exactly_one_wins(tmp_path: Path) -> None:
    target = tmp_path / "claimed.md"
    with ProcessPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(_race, [str(target)] * 32))
    assert results.count(True) == 1
    assert target.read_text("utf-8").startswith("by ")


def test_read_text_refuses_binary_large_and_invalid_utf8(tmp_path: Path) -> None:
    binary = tmp_path / "b"
    binary.write_bytes(b"abc\x00def")
    with pytest.raises(ParseError, match="binary"):
        read_text(binary)
    bad = tmp_path / "u"
    bad.write_bytes(b"line\nsecond \xff\n")
    with pytest.raises(ParseError) as caught:
        read_text(bad)
    assert caught.value.line == 2
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(ParseError, match="larger"):
        read_text(big, limit=1024)
