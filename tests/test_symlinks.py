"""Every path sdd reads or writes is proven inside the project: symlinks out are refused.

A repository can carry symlinks (git records them), so a cloned repository may point
``specs/002-x``, ``adr/README.md`` or an ADR file anywhere on the reader's machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SECRET = "TOP SECRET outside the project\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(SECRET, encoding="utf-8")
    return folder


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("command", [("plan", "002-x"), ("tasks", "--force", "002-x")])
def test_a_feature_folder_linked_outside_is_never_written(
    project: Path, sdd, outside: Path, command: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    (outside / "spec.md").write_text("# Feature: elsewhere\n", encoding="utf-8")
    (project / "specs").mkdir(exist_ok=True)
    (project / "specs/002-x").symlink_to(outside, target_is_directory=True)
    before = _listing(outside)
    result = sdd(*command)
    assert result.exit_code == 2, result.output
    assert "002-x" in result.stderr and "outside the project" in result.stderr
    assert _listing(outside) == before


def test_a_specs_folder_linked_outside_gets_no_new_feature(
    project: Path, sdd, outside: Path
) -> None:  # type: ignore[no-untyped-def]
    import shutil

    specs = project / "specs"
    shutil.rmtree(specs, ignore_errors=True)
    specs.symlink_to(outside, target_is_directory=True)
    result = sdd("feature", "new", "Linked away")
    assert result.exit_code == 2, result.output
    assert "specs" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["secret.md"]


def test_an_adr_index_linked_outside_is_neither_read_nor_written(
    project: Path, sdd, outside: Path
) -> None:  # type: ignore[no-untyped-def]
    sdd("adr", "new", "Use Postgres", "--yes", ok=True)
    adr = project / "adr"
    (adr / "README.md").symlink_to(outside / "secret.md")
    result = sdd("adr", "index")
    assert result.exit_code == 2, result.output
    assert "README.md" in result.stderr
    assert (outside / "secret.md").read_text("utf-8") == SECRET


def test_an_adr_file_linked_outside_is_not_copied_into_the_project(
    project: Path, sdd, outside: Path
) -> None:  # type: ignore[no-untyped-def]
    sdd("adr", "new", "Use Postgres", "--yes", ok=True)
    adr = project / "adr"
    link = next(adr.glob("0001-*.md"))
    (adr / "0001-other.md").symlink_to(outside / "secret.md")
    sdd("adr", "index")
    sdd("adr", "renumber")
    for path in project.rglob("*.md"):
        if not path.is_symlink():
            assert "TOP SECRET" not in path.read_text("utf-8"), path
    assert (outside / "secret.md").read_text("utf-8") == SECRET
    assert link.exists()


def test_validate_does_not_read_an_adr_linked_outside(project: Path, sdd, outside: Path) -> None:  # type: ignore[no-untyped-def]
    adr = project / "adr"
    adr.mkdir(exist_ok=True)
    (adr / "0007-linked.md").symlink_to(outside / "secret.md")
    result = sdd("validate")
    assert "TOP SECRET" not in result.output
    assert result.exit_code in (0, 1, 2)


def test_agents_are_not_installed_through_a_link_out(project: Path, sdd, outside: Path) -> None:  # type: ignore[no-untyped-def]
    (project / ".claude").symlink_to(outside, target_is_directory=True)
    result = sdd("agents", "install", "claude")
    assert result.exit_code == 2, result.output
    assert ".claude" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["secret.md"]


def test_a_prompt_route_linked_outside_gets_no_record(project: Path, sdd, outside: Path) -> None:  # type: ignore[no-untyped-def]
    prompts = project / "history/prompts"
    prompts.mkdir(parents=True, exist_ok=True)
    import shutil

    shutil.rmtree(prompts / "general", ignore_errors=True)
    (prompts / "general").symlink_to(outside, target_is_directory=True)
    result = sdd("phr", "new", "--stage", "general", "--title", "Linked", "--prompt", "hi")
    assert result.exit_code == 2, result.output
    assert "general" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["secret.md"]
