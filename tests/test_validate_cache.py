"""The per-file result cache of ``sdd validate``: a warm run gives exactly what a cold run
gives, whatever changed in between (content, names, feature folders, configuration)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sdd.base import filecache
from sdd.project.project import load_project
from sdd.project.selection import Selection
from sdd.validation.cache import CACHE_FOLDER
from sdd.validation.validate import all_findings
from tests.hooks_support import good_phr
from tests.support import git

ROUTE = "history/prompts/001-login"
RECORD = f"{ROUTE}/0001-add-login-endpoint.spec.prompt.md"


@pytest.fixture
def records(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two records of feature 001-login, and a cache that trusts files written just now
    (in real runs files written within the last seconds are never cached: racy)."""
    monkeypatch.setattr(filecache, "RACY_SECONDS", 0.0)
    (project / "specs/001-login").mkdir(parents=True)
    (project / ROUTE).mkdir(parents=True)
    (project / RECORD).write_text(good_phr(), "utf-8")
    second = good_phr("Add logout endpoint", phr_id="0002")
    (project / ROUTE / "0002-add-logout-endpoint.spec.prompt.md").write_text(second, "utf-8")
    return project


def _findings(root: Path, *, use_cache: bool) -> list[str]:
    found = all_findings(load_project(root), Selection.everything(), use_cache=use_cache)
    return sorted(f.format() for f in found)


def _same_edit(root: Path) -> None:
    """Same size, mtime put back: only the content (and ctime) tell."""
    path = root / RECORD
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("Add login", "Add [TBD]"), "utf-8")
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _rename(root: Path) -> None:
    (root / RECORD).rename(root / "history/prompts/001-login/0001-other-name.spec.prompt.md")


def _feature_disappears(root: Path) -> None:
    (root / "specs/001-login").rename(root / "specs/002-login")


def _feature_appears(root: Path) -> None:
    _feature_disappears(root)
    _findings(root, use_cache=True)  # cache the findings with the folder missing
    (root / "specs/001-login").mkdir()


def _config(root: Path) -> None:
    (root / "sdd.yaml").write_text(
        (root / "sdd.yaml").read_text("utf-8") + "paths:\n  specs: features\n", "utf-8"
    )


def _moved_in(root: Path) -> None:
    (root / ROUTE / "0003-copy.spec.prompt.md").write_text(good_phr(phr_id="0001"), "utf-8")


SPEC = "specs/001-login/spec.md"


def _spec_added(root: Path) -> None:
    (root / SPEC).write_text("# Feature Specification: Login\n\n## User Scenarios\n", "utf-8")


def _spec_edited(root: Path) -> None:
    _spec_added(root)
    _findings(root, use_cache=True)
    path = root / SPEC
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("Login", "[X] x"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _template_override(root: Path) -> None:
    _spec_added(root)
    _findings(root, use_cache=True)
    (root / ".sdd/templates").mkdir(parents=True, exist_ok=True)
    (root / ".sdd/templates/spec.md").write_text("# Spec\n\n## Something Else\n", "utf-8")


@pytest.mark.parametrize(
    "change",
    [
        _same_edit,
        _rename,
        _feature_disappears,
        _feature_appears,
        _config,
        _moved_in,
        _spec_added,
        _spec_edited,
        _template_override,
    ],
)
def test_a_warm_run_sees_every_change(records: Path, change: Callable[[Path], None]) -> None:
    cold = _findings(records, use_cache=False)
    assert _findings(records, use_cache=True) == cold  # fills the cache
    assert list((records / CACHE_FOLDER).glob("*.json")), "the cache was not written"
    assert _findings(records, use_cache=True) == cold  # served from it
    change(records)
    expected = _findings(records, use_cache=False)
    assert expected != cold, "the change must change a finding"
    assert _findings(records, use_cache=True) == expected


def test_a_warm_run_reads_no_record(records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = _findings(records, use_cache=True)
    from sdd.phr import record

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a record was read")

    monkeypatch.setattr(record, "read_record", refuse)
    assert _findings(records, use_cache=True) == cold
    # One changed record is read again, the other comes from the per-file entries.
    monkeypatch.undo()
    monkeypatch.setattr(filecache, "RACY_SECONDS", 0.0)
    (records / RECORD).write_text(good_phr() + "\nmore\n", "utf-8")
    assert _findings(records, use_cache=True) == _findings(records, use_cache=False)


def test_racy_files_are_not_cached(project: Path) -> None:
    (project / ROUTE).mkdir(parents=True)
    (project / RECORD).write_text(good_phr(), "utf-8")
    _findings(project, use_cache=True)
    assert not list((project / CACHE_FOLDER).glob("*.tree.json"))


def test_a_damaged_cache_counts_as_empty(records: Path) -> None:
    cold = _findings(records, use_cache=True)
    for path in (records / CACHE_FOLDER).glob("*.json"):
        path.write_text("{broken", "utf-8")
    assert _findings(records, use_cache=True) == cold


def test_the_cache_is_git_ignored_and_concurrent_runs_agree(records: Path) -> None:
    script = (
        "from sdd.base import filecache; filecache.RACY_SECONDS = 0.0\n"
        "from sdd.cli.main import app; app(['validate'])"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", script], cwd=records, stdout=subprocess.PIPE)
        for _ in range(6)
    ]
    outputs = {run.communicate()[0] for run in runs}
    assert len(outputs) == 1
    status = git(records, "status", "--porcelain", "--", CACHE_FOLDER)
    assert status.stdout == ""
    assert _findings(records, use_cache=True) == _findings(records, use_cache=False)


def test_a_run_on_some_paths_keeps_the_other_entries(records: Path) -> None:
    _findings(records, use_cache=True)
    cache_file = next((records / CACHE_FOLDER).glob("validate-sdd.phr.checks.check.json"))
    before = cache_file.read_text("utf-8")
    selection = Selection.of([records / RECORD])
    all_findings(load_project(records), selection, use_cache=True)
    assert cache_file.read_text("utf-8") == before


def test_a_record_written_after_the_run_scanned_the_folders_is_checked_again(
    records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run's one scan of each folder (fingerprints, per-record identities) is taken
    before any record is read; a record written after that scan is stored under the identity
    it had when scanned, so the next run sees it changed and checks it again."""
    from sdd.validation import cache

    before = _findings(records, use_cache=True)  # fills the cache
    scan_tree = cache.scan_tree

    def scan_then_write(folder: Path) -> filecache.TreeScan:
        scanned = scan_tree(folder)
        if folder.name == "prompts":
            path = records / RECORD
            path.write_text(path.read_text("utf-8").replace("Add login", "Add [TBD]"), "utf-8")
        return scanned

    monkeypatch.setattr(cache, "scan_tree", scan_then_write)
    during = _findings(records, use_cache=True)
    monkeypatch.undo()
    monkeypatch.setattr(filecache, "RACY_SECONDS", 0.0)
    expected = _findings(records, use_cache=False)
    assert expected != before, "the edit must change a finding"
    assert during in (before, expected)  # the folder as scanned, or as read
    assert _findings(records, use_cache=True) == expected  # and nothing stale was kept
