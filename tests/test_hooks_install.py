"""``sdd hooks install/uninstall/status``: never clobber, restore byte for byte, idempotent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sdd.hooks import install as hooks
from sdd.hooks import scripts
from sdd.project.artifacts import artifact_pathspecs
from sdd.project.project import load_project
from tests.hooks_support import FOREIGN_HOOK, mode_of, write_foreign_hook
from tests.support import commit, git


def hooks_folder(repo: Path) -> Path:
    return repo / ".git" / "hooks"


def snapshot(folder: Path) -> dict[str, tuple[bytes | str, int, int]]:
    """Every file in ``folder``: content (or link target), mode and modification time."""
    found: dict[str, tuple[bytes | str, int, int]] = {}
    for path in sorted(folder.iterdir()):
        info = path.lstat()
        content: bytes | str = os.readlink(path) if path.is_symlink() else path.read_bytes()
        found[path.name] = (content, mode_of(path), info.st_mtime_ns)
    return found


def test_install_writes_three_marked_executable_scripts_naming_this_python(
    project: Path, sdd
) -> None:  # type: ignore[no-untyped-def]
    report = json.loads(sdd("hooks", "install", "--json", ok=True).stdout)
    assert report["schema"] == "sdd.hooks-install/1"
    assert report["hooks_dir"] == str(hooks_folder(project))
    assert [h["hook"] for h in report["hooks"]] == ["pre-commit", "post-commit", "pre-push"]
    assert {h["action"] for h in report["hooks"]} == {"installed"}
    for name in hooks.HOOKS:
        script = hooks_folder(project) / name
        text = script.read_text("utf-8")
        assert text.startswith("#!/bin/sh\n")
        assert text.splitlines()[1].startswith(scripts.MARKER)
        assert mode_of(script) == 0o755
        assert f"python={os.path.abspath(sys.executable)}\n" in text
        assert subprocess.run(["sh", "-n", str(script)]).returncode == 0


def test_installing_twice_changes_nothing(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("hooks", "install", ok=True)
    before = snapshot(hooks_folder(project))
    report = json.loads(sdd("hooks", "install", "--json", ok=True).stdout)
    assert {h["action"] for h in report["hooks"]} == {"unchanged"}
    assert snapshot(hooks_folder(project)) == before


def test_a_foreign_hook_is_kept_run_first_and_restored_byte_for_byte(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    original = write_foreign_hook(hooks_folder(project), "pre-commit", mode=0o750)
    before = snapshot(hooks_folder(project))["pre-commit"]
    report = json.loads(sdd("hooks", "install", "--hook", "pre-commit", "--json", ok=True).stdout)
    assert report["hooks"] == [
        {
            "hook": "pre-commit",
            "action": "chained",
            "path": str(original),
            "kept": str(hooks_folder(project) / "pre-commit.sdd-legacy"),
        }
    ]
    kept = hooks_folder(project) / "pre-commit.sdd-legacy"
    assert kept.read_bytes() == FOREIGN_HOOK and mode_of(kept) == 0o750
    assert scripts.is_sdd_script(original)

    (project / "a.txt").write_text("a\n", encoding="utf-8")
    git(project, "add", "a.txt", check=False)
    assert commit(project).returncode == 0
    assert "foreign hook ran" in (project / ".foreign-log").read_text("utf-8")

    removed = json.loads(sdd("hooks", "uninstall", "--json", ok=True).stdout)
    assert removed["schema"] == "sdd.hooks-uninstall/1"
    actions = {h["hook"]: h["action"] for h in removed["hooks"]}
    assert actions == {"pre-commit": "restored", "post-commit": "absent", "pre-push": "absent"}
    after = snapshot(hooks_folder(project))
    assert after["pre-commit"] == before, "content, mode and mtime are the original's"
    assert "pre-commit.sdd-legacy" not in after


def test_a_symlinked_hook_is_kept_as_a_symlink(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    scripts = project / "scripts"
    scripts.mkdir()
    target = scripts / "check.sh"
    target.write_bytes(FOREIGN_HOOK)
    target.chmod(0o755)
    link = hooks_folder(project) / "pre-commit"
    link.symlink_to("../../scripts/check.sh")
    sdd("hooks", "install", "--hook", "pre-commit", ok=True)
    kept = hooks_folder(project) / "pre-commit.sdd-legacy"
    assert kept.is_symlink() and os.readlink(kept) == "../../scripts/check.sh"
    git(project, "add", "scripts", check=False)
    assert commit(project).returncode == 0
    assert (project / ".foreign-log").exists()
    sdd("hooks", "uninstall", ok=True)
    assert link.is_symlink() and os.readlink(link) == "../../scripts/check.sh"
    assert target.read_bytes() == FOREIGN_HOOK


def test_a_non_executable_hook_is_kept_and_stays_ignored_like_git_does(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    write_foreign_hook(hooks_folder(project), "pre-commit", mode=0o644)
    sdd("hooks", "install", ok=True)
    (project / "a.txt").write_text("a\n", encoding="utf-8")
    git(project, "add", "a.txt", check=False)
    assert commit(project).returncode == 0
    assert not (project / ".foreign-log").exists()
    sdd("hooks", "uninstall", ok=True)
    assert mode_of(hooks_folder(project) / "pre-commit") == 0o644


def test_a_kept_hook_in_the_way_is_refused_and_force_replaces_only_it(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    folder = hooks_folder(project)
    write_foreign_hook(folder, "pre-commit", b"#!/bin/sh\necho current\n")
    write_foreign_hook(folder, "pre-commit.sdd-legacy", b"#!/bin/sh\necho stale\n")
    before = snapshot(folder)
    refused = sdd("hooks", "install")
    assert refused.exit_code == 2
    assert "pre-commit.sdd-legacy" in refused.stderr and "--force" in refused.stderr
    assert snapshot(folder) == before, "nothing was changed"

    sdd("hooks", "install", "--force", ok=True)
    assert (folder / "pre-commit.sdd-legacy").read_bytes() == b"#!/bin/sh\necho current\n"
    assert scripts.is_sdd_script(folder / "pre-commit")


@pytest.mark.parametrize("in_the_way", ["kept hook", "folder"])
def test_a_refusal_of_one_hook_changes_no_hook(project: Path, sdd, in_the_way: str) -> None:  # type: ignore[no-untyped-def]
    folder = hooks_folder(project)
    if in_the_way == "folder":
        (folder / "pre-push").mkdir()
    else:
        write_foreign_hook(folder, "pre-push", b"#!/bin/sh\necho current\n")
        write_foreign_hook(folder, "pre-push.sdd-legacy", b"#!/bin/sh\necho stale\n")
    write_foreign_hook(folder, "pre-commit")

    def files() -> dict[str, bytes | None]:
        return {p.name: p.read_bytes() if p.is_file() else None for p in folder.iterdir()}

    before = files()
    refused = sdd("hooks", "install")
    assert refused.exit_code == 2
    assert "nothing was changed" in refused.stderr
    assert files() == before


def test_an_older_sdd_script_is_updated_in_place(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("hooks", "install", "--hook", "pre-commit", ok=True)
    script = hooks_folder(project) / "pre-commit"
    old = script.read_text("utf-8").replace("(sdd ", "(sdd 0.0.0-old ")
    script.write_text(old, encoding="utf-8")
    status = json.loads(sdd("hooks", "status", "--json", ok=True).stdout)
    assert status["hooks"][0]["state"] == "outdated"
    report = json.loads(sdd("hooks", "install", "--hook", "pre-commit", "--json", ok=True).stdout)
    assert report["hooks"][0]["action"] == "updated"
    assert "0.0.0-old" not in script.read_text("utf-8")
    assert not (hooks_folder(project) / "pre-commit.sdd-legacy").exists(), "not chained to itself"


def test_status_reports_every_state(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    write_foreign_hook(hooks_folder(project), "pre-push")
    sdd("hooks", "install", "--hook", "pre-commit", ok=True)
    status = json.loads(sdd("hooks", "status", "--json", ok=True).stdout)
    assert status["schema"] == "sdd.hooks-status/1"
    assert status["python"] == os.path.abspath(sys.executable)
    states = {h["hook"]: h for h in status["hooks"]}
    assert states["pre-commit"]["state"] == "installed"
    assert states["pre-commit"]["python_exists"] is True
    assert states["post-commit"]["state"] == "absent"
    assert states["pre-push"]["state"] == "foreign"
    human = sdd("hooks", "status", ok=True).stdout
    assert "pre-push" in human and "foreign" in human


def test_uninstall_leaves_foreign_hooks_and_an_empty_folder_alone(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    write_foreign_hook(hooks_folder(project), "post-commit")
    before = snapshot(hooks_folder(project))
    report = json.loads(sdd("hooks", "uninstall", "--json", ok=True).stdout)
    assert {h["hook"]: h["action"] for h in report["hooks"]}["post-commit"] == "foreign"
    assert snapshot(hooks_folder(project)) == before


def test_unknown_hook_names_are_usage_errors(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("hooks", "install", "--hook", "commit-msg")
    assert result.exit_code == 2
    assert "pre-commit, post-commit, pre-push" in result.stderr
    assert not (hooks_folder(project) / "commit-msg").exists()


def test_outside_a_git_repository_install_is_refused_clearly(
    tmp_path: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    sdd("init", str(tmp_path), ok=True)
    result = sdd("hooks", "install")
    assert result.exit_code == 2
    assert "not inside a git repository" in result.stderr
    assert "Traceback" not in result.output


def test_a_folder_where_the_hook_should_be_is_refused(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (hooks_folder(project) / "pre-commit").mkdir()
    result = sdd("hooks", "install", "--hook", "pre-commit")
    assert result.exit_code == 2 and "is a folder" in result.stderr


def test_the_pathspecs_follow_the_configured_folders(project: Path) -> None:
    config = project / "sdd.yaml"
    text = config.read_text("utf-8").replace('adr: "adr"', 'adr: "docs/decisions [draft]"')
    config.write_text(text, encoding="utf-8")
    specs = artifact_pathspecs(load_project(project), project)
    assert ":(top,glob)docs/decisions \\[draft\\]/**/*.md" in specs
    assert ":(top,literal)sdd.yaml" in specs
    assert ":(top,glob)specs/**/*.md" in specs and ":(top,glob)history/prompts/**/*.md" in specs


def test_two_installs_at_once_keep_the_foreign_hook_exactly_once(project: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    write_foreign_hook(hooks_folder(project), "pre-commit")
    from tests.conftest import sdd_executable

    processes = [
        subprocess.Popen(
            [sdd_executable(), "hooks", "install", "--json"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    results = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], results
    actions = sorted(json.loads(out)["hooks"][0]["action"] for out, _ in results)
    assert actions == ["chained", "unchanged"]
    assert (hooks_folder(project) / "pre-commit.sdd-legacy").read_bytes() == FOREIGN_HOOK
    assert scripts.is_sdd_script(hooks_folder(project) / "pre-commit")


def test_the_installed_executable_installs_and_reports(project: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    installed = sdd_exe("hooks", "install", cwd=project)
    assert installed.returncode == 0, installed.stderr
    assert "pre-commit" in installed.stdout
    status = json.loads(sdd_exe("hooks", "status", "--json", cwd=project).stdout)
    assert {h["state"] for h in status["hooks"]} == {"installed"}
    script = (hooks_folder(project) / "pre-commit").read_text("utf-8")
    assert f"python={Path(sdd_exe_python()).as_posix()}\n" in script
    removed = sdd_exe("hooks", "uninstall", cwd=project)
    assert removed.returncode == 0
    assert not (hooks_folder(project) / "pre-commit").exists()


def sdd_exe_python() -> str:
    """The interpreter the installed ``sdd`` script runs (its shebang)."""
    from tests.conftest import sdd_executable

    first = Path(sdd_executable()).read_text("utf-8").splitlines()[0]
    return first.removeprefix("#!").strip()


@pytest.mark.parametrize("hook", hooks.HOOKS)
def test_every_script_is_valid_posix_sh(project: Path, hook: str) -> None:
    target = hooks.target_for(load_project(project), python="/opt/it's here/bin/python 3")
    script = hooks.render_script(hook, target)
    path = project / f"{hook}.sh"
    path.write_text(script, encoding="utf-8")
    assert subprocess.run(["sh", "-n", str(path)]).returncode == 0
    printed = subprocess.run(
        ["sh", "-c", f'eval "$(grep "^python=" {path})"; printf %s "$python"'],
        capture_output=True,
        text=True,
    )
    assert printed.stdout == "/opt/it's here/bin/python 3"


def test_installing_where_there_is_no_sdd_project_warns(repo: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    result = sdd("hooks", "install", ok=True)
    assert "checks nothing there until 'sdd init'" in result.stderr
    assert scripts.is_sdd_script(hooks_folder(repo) / "pre-commit")


def test_status_and_uninstall_work_with_a_broken_config(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("hooks", "install", ok=True)
    (project / "sdd.yaml").write_text("version: [\n", encoding="utf-8")
    assert sdd("hooks", "install").exit_code == 2
    status = sdd("hooks", "status", "--json")
    assert status.exit_code == 0, status.output
    document = json.loads(status.stdout)
    assert document["python"] is None
    assert {h["state"] for h in document["hooks"]} == {"installed"}
    assert "cannot tell outdated hooks" in status.stderr
    removed = json.loads(sdd("hooks", "uninstall", "--json", ok=True).stdout)
    assert {h["action"] for h in removed["hooks"]} == {"removed"}


def test_a_hooks_folder_that_cannot_be_written_is_one_line_and_changes_nothing(
    project: Path,
    sdd,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    """A read-only hooks folder (or a full disk) fails on the first write: exit 2, the hook
    that was there is back in place, and nothing of sdd's is left."""
    original = write_foreign_hook(hooks_folder(project), "pre-commit")
    before = snapshot(hooks_folder(project))

    def read_only(path: Path, content: object, **kwargs: object) -> None:
        raise OSError(30, "Read-only file system", str(path))

    monkeypatch.setattr("sdd.base.fileio.write_atomic", read_only)
    result = sdd("hooks", "install")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[0] == (
        f"error: cannot install the hooks in {hooks_folder(project)}: Read-only file system; "
        "nothing was changed"
    )
    assert snapshot(hooks_folder(project)) == before
    assert original.read_bytes() == FOREIGN_HOOK


def test_a_failure_half_way_says_which_hooks_were_done(
    project: Path,
    sdd,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    from sdd.base import fileio

    real = fileio.write_atomic

    def full_after_one(path: Path, content: str | bytes, **kwargs: int | None) -> None:
        if path.name != "pre-commit":
            raise OSError(28, "No space left on device", str(path))
        real(path, content, **kwargs)

    monkeypatch.setattr("sdd.base.fileio.write_atomic", full_after_one)
    result = sdd("hooks", "install")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        .splitlines()[0]
        .endswith("No space left on device; done before that: pre-commit (installed)")
    )
    assert scripts.is_sdd_script(hooks_folder(project) / "pre-commit")
    assert not (hooks_folder(project) / "post-commit").exists()


def test_a_hooks_folder_that_is_a_dangling_symlink_is_named(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    folder = hooks_folder(project)
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.symlink_to("../../shared-hooks")
    for command in ("install", "uninstall"):
        result = sdd("hooks", command)
        assert result.exit_code == (2 if command == "install" else 0), result.output
    assert "is a symlink to the missing ../../shared-hooks" in sdd("hooks", "install").stderr
    assert folder.is_symlink() and not (project.parent / "shared-hooks").exists()


def test_a_hooks_folder_that_is_a_symlink_is_used(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    folder = hooks_folder(project)
    shared = project.parent / "shared-hooks"
    folder.rename(shared)
    folder.symlink_to(shared)
    sdd("hooks", "install", ok=True)
    assert scripts.is_sdd_script(shared / "pre-commit") and folder.is_symlink()
    sdd("hooks", "uninstall", ok=True)
    assert not (shared / "pre-commit").exists()


def test_a_layout_file_linked_out_of_the_repository_does_not_break_the_hooks(
    project: Path,
    sdd,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    """Pathspecs name paths as git does (a symlink is a file to git, never followed)."""
    outside = tmp_path / "elsewhere" / "constitution.md"
    outside.parent.mkdir()
    outside.write_text("# Constitution\n", encoding="utf-8")
    link = project / ".specify/memory/constitution.md"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    specs = artifact_pathspecs(load_project(project), project)
    assert ":(top,literal).specify/memory/constitution.md" in specs
    sdd("hooks", "install", ok=True)
    assert sdd("hooks", "status").exit_code == 0
    git(project, "add", "-A", check=False)
    result = commit(project)
    assert result.returncode == 0, result.stderr


def test_the_json_documents_keep_their_exact_text(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    """The documents are built in the core (``sdd.hooks``): key order and values, byte for byte."""
    folder = hooks_folder(project)
    write_foreign_hook(folder, "pre-commit")
    python = os.path.abspath(sys.executable)

    def change(hook: str, action: str, kept: bool = False) -> dict[str, object]:
        return {
            "hook": hook,
            "action": action,
            "path": str(folder / hook),
            "kept": str(folder / f"{hook}.sdd-legacy") if kept else None,
        }

    installed = sdd("hooks", "install", "--hook", "pre-commit", "--hook", "pre-push", "--json")
    assert (
        installed.stdout
        == json.dumps(
            {
                "schema": "sdd.hooks-install/1",
                "hooks_dir": str(folder),
                "hooks": [change("pre-commit", "chained", True), change("pre-push", "installed")],
                "python": python,
            },
            indent=2,
        )
        + "\n"
    )
    status = sdd("hooks", "status", "--json")
    assert (
        status.stdout
        == json.dumps(
            {
                "schema": "sdd.hooks-status/1",
                "hooks_dir": str(folder),
                "python": python,
                "hooks": [
                    {
                        "hook": hook,
                        "state": "absent" if hook == "post-commit" else "installed",
                        "path": str(folder / hook),
                        "script": None if hook == "post-commit" else str(folder / hook),
                        "kept": str(folder / f"{hook}.sdd-legacy")
                        if hook == "pre-commit"
                        else None,
                        "python": None if hook == "post-commit" else python,
                        "python_exists": None if hook == "post-commit" else True,
                    }
                    for hook in hooks.HOOKS
                ],
            },
            indent=2,
        )
        + "\n"
    )
    removed = sdd("hooks", "uninstall", "--json")
    assert (
        removed.stdout
        == json.dumps(
            {
                "schema": "sdd.hooks-uninstall/1",
                "hooks_dir": str(folder),
                "hooks": [
                    change("pre-commit", "restored"),
                    change("post-commit", "absent"),
                    change("pre-push", "removed"),
                ],
            },
            indent=2,
        )
        + "\n"
    )
