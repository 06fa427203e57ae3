"""sdd init: layout, idempotence, no overwrite, adoption of spec-kit and Spec-Kit Plus, --git."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import git


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def test_init_creates_the_design_layout(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "new"
    result = sdd("init", str(target), ok=True)
    assert "created sdd.yaml" in result.stdout
    for folder in (
        "specs",
        "history/prompts/constitution",
        "history/prompts/general",
        "adr",
        ".sdd/templates",
    ):
        assert (target / folder).is_dir(), folder
    constitution = (target / "specs/constitution.md").read_text("utf-8")
    assert constitution.startswith("# new Constitution")
    assert constitution.endswith("\n")
    assert "{{" not in constitution


def test_second_run_changes_nothing_and_says_so(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("init", str(tmp_path), ok=True)
    before = _tree(tmp_path)
    result = sdd("init", str(tmp_path), "--json", ok=True)
    report = json.loads(result.stdout)
    assert report["schema"] == "sdd.init/1"
    assert report["created"] == [] and report["changed"] is False
    assert "sdd.yaml" in report["skipped"]
    assert _tree(tmp_path) == before
    assert "Nothing to do" in sdd("init", str(tmp_path)).stdout


def test_existing_files_are_never_overwritten_without_force(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("init", str(tmp_path), ok=True)
    mine = tmp_path / "specs/constitution.md"
    mine.write_text("# My own principles\n", encoding="utf-8")
    sdd("init", str(tmp_path), ok=True)
    assert mine.read_text("utf-8") == "# My own principles\n"
    result = sdd("init", str(tmp_path), "--force", "--json", ok=True)
    assert "specs/constitution.md" in json.loads(result.stdout)["overwritten"]
    assert mine.read_text("utf-8") != "# My own principles\n"


def test_broken_config_stops_init_without_writing(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sdd.yaml").write_text("paths: [\n", encoding="utf-8")
    result = sdd("init", str(tmp_path))
    assert result.exit_code == 2
    assert not (tmp_path / "specs").exists()
    assert (tmp_path / "sdd.yaml").read_text("utf-8") == "paths: [\n"


def test_init_adopts_a_spec_kit_layout(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".specify/memory").mkdir(parents=True)
    (tmp_path / ".specify/templates").mkdir()
    constitution = tmp_path / ".specify/memory/constitution.md"
    constitution.write_text("# Theirs\n", encoding="utf-8")
    (tmp_path / "specs/001-login").mkdir(parents=True)
    report = json.loads(sdd("init", str(tmp_path), "--json", ok=True).stdout)
    assert report["layout"] == "spec-kit"
    assert {"path": ".specify/memory/constitution.md", "reason": "spec-kit constitution"} in report[
        "adopted"
    ]
    assert not (tmp_path / "specs/constitution.md").exists()
    assert constitution.read_text("utf-8") == "# Theirs\n"
    config = (tmp_path / "sdd.yaml").read_text("utf-8")
    assert 'constitution: ".specify/memory/constitution.md"' in config
    doctor = json.loads(sdd("--project", str(tmp_path), "doctor", "--json").stdout)
    assert doctor["paths"]["constitution"]["path"].endswith(".specify/memory/constitution.md")


def test_init_adopts_a_spec_kit_plus_layout(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".specify/memory").mkdir(parents=True)
    (tmp_path / ".specify/memory/constitution.md").write_text("# Theirs\n", encoding="utf-8")
    (tmp_path / "history/adr").mkdir(parents=True)
    (tmp_path / "history/prompts/general").mkdir(parents=True)
    report = json.loads(sdd("init", str(tmp_path), "--json", ok=True).stdout)
    assert report["layout"] == "spec-kit-plus"
    assert {a["path"] for a in report["adopted"]} == {
        "history/adr",
        ".specify/memory/constitution.md",
    }
    assert not (tmp_path / "adr").exists(), "no parallel ADR folder"
    assert "history/prompts/general/" in report["skipped"]
    assert "history/prompts/constitution/" in report["created"]
    assert 'adr: "history/adr"' in (tmp_path / "sdd.yaml").read_text("utf-8")


def test_init_adopts_adr_tools_folder(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".adr-dir").write_text("doc/architecture/decisions\n", encoding="utf-8")
    (tmp_path / "doc/architecture/decisions").mkdir(parents=True)
    report = json.loads(sdd("init", str(tmp_path), "--json", ok=True).stdout)
    assert report["layout"] == "adr-tools"
    assert 'adr: "doc/architecture/decisions"' in (tmp_path / "sdd.yaml").read_text("utf-8")


def test_adr_dir_pointing_outside_is_refused(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".adr-dir").write_text("../elsewhere\n", encoding="utf-8")
    result = sdd("init", str(tmp_path))
    assert result.exit_code == 2
    assert ".." in result.stderr


def test_init_git_creates_a_repository_only_when_missing(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    report = json.loads(sdd("init", str(tmp_path / "a"), "--git", "--json", ok=True).stdout)
    assert report["git_initialised"] is True
    assert (tmp_path / "a/.git").is_dir()
    again = json.loads(sdd("init", str(tmp_path / "a"), "--git", "--json", ok=True).stdout)
    assert again["git_initialised"] is False


def test_init_inside_an_existing_repository_does_not_nest_one(repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sub = repo / "service"
    report = json.loads(sdd("init", str(sub), "--git", "--json", ok=True).stdout)
    assert report["git_initialised"] is False
    assert not (sub / ".git").exists()
    assert git(repo, "status", "--porcelain").stdout


def test_init_on_a_file_is_a_usage_error(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = sdd("init", str(target))
    assert result.exit_code == 2
    assert target.read_text("utf-8") == "x"


def test_init_makes_folders_survive_a_clone(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("init", str(tmp_path), "--git", ok=True)
    assert (tmp_path / "adr/.gitkeep").exists()
    assert not (tmp_path / "specs/.gitkeep").exists(), "specs holds the constitution already"
