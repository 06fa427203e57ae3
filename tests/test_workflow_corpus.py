"""clarify, analyze and tasks next on every feature folder of the real-world corpus.

Read-only checks that hold for any input (valid JSON, findings inside the files, nothing
written, clarify agreeing with validate, a task walk that ends), and a few findings worked out
by reading the files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sdd.features.task_order import build_graph, cycles, next_tasks
from tests.support import git

pytestmark = pytest.mark.slow


def _project(corpus: Path, tmp_path: Path) -> Path:
    root = tmp_path / "corpus-project"
    specs = root / "specs"
    specs.mkdir(parents=True)
    for repository in sorted((corpus / "specs").iterdir()):
        for folder in sorted(repository.iterdir()):
            if folder.is_dir() and folder.name[:3].isdigit() and not (specs / folder.name).exists():
                shutil.copytree(folder, specs / folder.name)
    for path in root.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    git(root, "init", "-q")
    return root


def _walk(text: str) -> int:
    """Tick the ready tasks until none is left; the number of steps taken."""
    steps = 0
    while (found := next_tasks(text)).ready:
        steps += 1
        for task in found.ready:
            text = text.replace(f"[ ] {task.id} ", f"[x] {task.id} ", 1)
            text = text.replace(f"[ ] **{task.id}** ", f"[x] **{task.id}** ", 1)
        assert steps < 5000
    return steps


def test_every_corpus_feature(corpus: Path, tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    root = _project(corpus, tmp_path)
    before = {path: path.read_bytes() for path in root.rglob("*.md")}
    features = sorted(path.name for path in (root / "specs").iterdir())
    assert len(features) >= 10
    for feature in features:
        analysed = sdd("--project", str(root), "analyze", feature, "--json")
        assert analysed.exit_code in (0, 1), (feature, analysed.output)
        document = json.loads(analysed.stdout)
        assert (analysed.exit_code == 1) == (document["counts"]["critical"] > 0)
        for finding in document["findings"]:
            lines = (root / finding["path"]).read_text(encoding="utf-8").count("\n") + 1
            assert 1 <= finding["line"] <= lines, (feature, finding)
        listed = json.loads(sdd("--project", str(root), "clarify", feature, "--json").stdout)
        validated = json.loads(
            sdd("--project", str(root), "validate", str(root / "specs" / feature), "--json").stdout
        )
        markers = {
            (item["path"], item["line"]) for item in listed["open"] if item["kind"] == "marker"
        }
        flagged = {
            (finding["path"], finding["line"])
            for finding in validated["findings"]
            if finding["code"] == "FEAT014"
        }
        assert markers == flagged, feature
        tasks = root / "specs" / feature / "tasks.md"
        if tasks.is_file():
            text = tasks.read_text(encoding="utf-8")
            if not cycles(build_graph(text)):
                _walk(text)
                remaining = next_tasks(text)
                assert remaining.blocked_by_cycle == ()
    assert {path: path.read_bytes() for path in root.rglob("*.md")} == before


def test_parallel_tasks_sharing_a_test_file_are_found(corpus: Path, tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    # 001-todo-core: T014 to T018 are [P] and each adds tests to tests/test_cli.py.
    root = _project(corpus, tmp_path)
    document = json.loads(sdd("--project", str(root), "analyze", "001-todo-core", "--json").stdout)
    shared = [f["message"] for f in document["findings"] if f["code"] == "ANL012"]
    assert any(
        "T014, T015, T016, T017 and T018 all change tests/test_cli.py" in message
        for message in shared
    ), shared
