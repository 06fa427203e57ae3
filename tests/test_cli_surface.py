"""What a user meets first: the command table, help, completion, and what start-up loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sdd.cli.main import COMMANDS, SECTIONS
from tests.conftest import REPO_ROOT, Invoke, sdd_executable
from tests.support import git, offline_venv


def _imported_after(*argv: str, cwd: Path | None = None) -> set[str]:
    code = (
        "import sys\n"
        f"sys.argv = ['sdd', *{list(argv)!r}]\n"
        "from sdd.cli.main import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "print('MODULES=' + ','.join(sorted(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.strip().splitlines()[-1].removeprefix("MODULES=").split(","))


def test_version_imports_no_cli_framework() -> None:
    loaded = _imported_after("--version")
    assert "typer" not in loaded and "sdd.cli.app" not in loaded


def test_a_command_builds_only_itself_and_skips_pydantic(repo: Path) -> None:
    loaded = _imported_after("status", cwd=repo)
    assert "sdd.cli.status" in loaded
    assert not {"sdd.cli.adr", "sdd.cli.phr", "sdd.cli.hooks"} & loaded
    assert "pydantic" not in loaded and "typer._adapters" not in loaded


def test_every_table_entry_resolves_and_sections_are_known(sdd: Invoke) -> None:
    names = [entry.name for entry in COMMANDS]
    assert len(names) == len(set(names))
    for entry in COMMANDS:
        assert entry.section in SECTIONS
        result = sdd(entry.name, "--help")
        assert result.exit_code == 0, (entry.name, result.output)


def test_help_groups_commands_by_workflow_with_whole_summaries(sdd: Invoke) -> None:
    text = sdd("--help", ok=True).output
    positions = [text.index(f"\n{section}:\n") for section in SECTIONS]
    assert positions == sorted(positions)
    assert text.index("  init ") < text.index("  feature ") < text.index("  plan ")
    for entry in COMMANDS:
        assert entry.summary in text
    assert "..." not in text.split("\n", 1)[1]


@pytest.mark.parametrize(
    "args", [("phr", "new"), ("phr", "list"), ("adr", "new"), ("validate",), ("tasks",)]
)
def test_help_shows_no_python_types(sdd: Invoke, args: tuple[str, ...]) -> None:
    text = sdd(*args, "--help", ok=True).output
    for python_type in ("<str>", "<int>", "<path>", "list[", "<bool>"):
        assert python_type not in text, text


def test_plain_parameters_still_convert_and_reject(sdd: Invoke, project: Path) -> None:
    bad = sdd("adr", "show", "seven")
    assert bad.exit_code == 2
    assert "'seven' is not a valid integer" in bad.output
    listed = sdd(
        "phr",
        "new",
        "--stage",
        "general",
        "--title",
        "T",
        "--prompt",
        "p",
        "--label",
        "a",
        "--label",
        "b",
    )
    assert listed.exit_code == 0, listed.output
    record = next((project / "history/prompts/general").glob("*.md")).read_text(encoding="utf-8")
    assert "- a" in record and "- b" in record


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_script_for_each_shell(sdd: Invoke, shell: str) -> None:
    script = sdd("completion", shell, ok=True).output
    assert "_SDD_COMPLETE" in script


def test_completion_of_an_unknown_shell_is_a_usage_error(sdd: Invoke) -> None:
    result = sdd("completion", "tcsh")
    assert result.exit_code == 2
    assert "bash, zsh or fish" in result.output


def _complete(cwd: Path, words: str) -> list[str]:
    env = dict(os.environ, _SDD_COMPLETE="complete_bash", COMP_WORDS=words)
    env["COMP_CWORD"] = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    result = subprocess.run(
        [sdd_executable()], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_the_shell_completes_commands_and_project_values(sdd: Invoke, project: Path) -> None:
    sdd("feature", "new", "User login", ok=True)
    sdd("adr", "new", "Use PostgreSQL", "--yes", ok=True)
    assert "adr" in _complete(project, "sdd ad")
    assert _complete(project, "sdd show 0") == ["001-user-login"]
    assert _complete(project, "sdd adr show ") == ["1"]
    assert _complete(project, "sdd phr new --stage re") == ["red", "refactor"]
    assert "claude" in _complete(project, "sdd agents install c")


@pytest.mark.slow
def test_installed_wheel_offers_completion(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(wheels),
            str(REPO_ROOT),
        ],
        check=True,
        capture_output=True,
    )
    venv = offline_venv(tmp_path / "venv")
    python = venv / "bin/python"
    wheel = next(wheels.glob("sdd_cli-*.whl"))
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    script = subprocess.run(
        [str(venv / "bin/sdd"), "completion", "bash"], capture_output=True, text=True, check=True
    ).stdout
    completed = subprocess.run(
        [
            "bash",
            "-c",
            script + "\nCOMP_WORDS=(sdd ad); COMP_CWORD=1; _sdd_completion sdd ad sdd\n"
            'echo "${COMPREPLY[@]}"',
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, PATH=f"{venv / 'bin'}:{os.environ['PATH']}"),
        cwd=tmp_path,
    )
    assert completed.stdout.split() == ["adr"], completed.stderr


# -- output and errors a new user meets ------------------------------------------------------


def test_tasks_done_accepts_the_feature_first(sdd: Invoke, project: Path) -> None:
    sdd("feature", "new", "User auth", ok=True)
    folder = project / "specs/001-user-auth"
    (folder / "tasks.md").write_text("# Tasks\n\n- [ ] T001 Write the login form\n", "utf-8")
    result = sdd("tasks", "done", "001-user-auth", "T001", "--json", ok=True)
    assert json.loads(result.stdout)["changed"] == ["T001"]
    assert "- [x] T001" in (folder / "tasks.md").read_text("utf-8")
    twice = sdd("tasks", "undone", "001-user-auth", "T001", "--feature", "001")
    assert twice.exit_code == 2 and "--feature already names" in twice.output


def test_a_missing_feature_names_the_option(sdd: Invoke, project: Path) -> None:
    result = sdd("tasks", "done", "T001")
    assert result.exit_code == 2
    assert "--feature NAME" in result.output


@pytest.mark.parametrize("command", ["analyze", "show", "plan"])
def test_a_missing_feature_names_the_argument_where_there_is_no_option(
    sdd: Invoke, project: Path, command: str
) -> None:
    sdd("feature", "new", "User auth", ok=True)
    git(project, "checkout", "-q", "-b", "elsewhere")
    result = sdd(command)
    assert result.exit_code == 2
    assert f"name it with 'sdd {command} 001-user-auth'" in result.output
    assert "--feature" not in result.output


def test_templates_eject_without_the_extension(sdd: Invoke, project: Path) -> None:
    result = sdd("templates", "eject", "spec", ok=True)
    assert "ejected spec.md" in result.output
    assert (project / ".sdd/templates/spec.md").is_file()


def test_json_on_a_refused_action_prints_an_error_document(sdd: Invoke, project: Path) -> None:
    result = sdd("adr", "show", "42", "--json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["schema"] == "sdd.error/1" and document["exit_code"] == 2
    assert "42" in document["error"]


def test_phr_show_prints_no_python_reprs(sdd: Invoke, project: Path) -> None:
    sdd("phr", "new", "--stage", "general", "--title", "Hello", "--prompt", "hi", ok=True)
    text = sdd("phr", "show", "1", ok=True).output
    assert "None" not in text and "{'" not in text and "['" not in text


def test_empty_listings_say_so_in_a_sentence(sdd: Invoke, project: Path) -> None:
    assert sdd("phr", "list", ok=True).output.startswith("No PHRs")
    assert sdd("adr", "list", ok=True).output.startswith("No ADRs")


def test_status_lists_features_in_natural_order(sdd: Invoke, project: Path) -> None:
    for name in ("10-tenth", "2-second", "1-first"):
        (project / "specs" / name).mkdir(parents=True)
        (project / "specs" / name / "spec.md").write_text(f"# {name}\n", "utf-8")
    rows = json.loads(sdd("status", "--json").stdout)["features"]
    assert [row["feature"] for row in rows] == ["1-first", "2-second", "10-tenth"]


def test_piped_tables_never_break_a_word(sdd: Invoke, project: Path) -> None:
    sdd("agents", "install", "claude", ok=True)
    text = sdd("agents", "list", ok=True).output
    assert ".claude/commands/" in text


def test_redaction_notice_reads_as_english(sdd: Invoke, project: Path) -> None:
    result = sdd(
        "phr", "new", "--stage", "general", "--title", "Key", "--prompt", "AKIAABCDEFGHIJKLMNOP"
    )
    assert result.exit_code == 0, result.output
    assert "redacted a secret (aws-access-key)" in result.output
    assert "a aws" not in result.output


def test_generated_config_carries_the_threshold_with_aligned_comments(
    sdd: Invoke, repo: Path
) -> None:
    sdd("init", str(repo), ok=True)
    lines = (repo / "sdd.yaml").read_text("utf-8").splitlines()
    assert "  threshold: 3" in [line.split("#")[0].rstrip() for line in lines]
    columns = {line.index(" # ") for line in lines if line.startswith("  ") and " # " in line}
    assert len(columns) == 1, lines


def test_init_in_an_adr_only_repository_creates_only_what_it_uses(sdd: Invoke, repo: Path) -> None:
    (repo / "doc/adr").mkdir(parents=True)
    (repo / ".adr-dir").write_text("doc/adr\n", "utf-8")
    first = sdd("init", str(repo), ok=True)
    assert "sdd init --full" in first.output
    assert not (repo / "specs").exists() and not (repo / "history").exists()
    again = sdd("init", str(repo), "--json", ok=True)
    assert "specs/constitution.md" in json.loads(again.stdout)["left_out"]
    assert not (repo / "specs").exists()
    sdd("init", str(repo), "--full", ok=True)
    assert (repo / "specs/constitution.md").is_file()
    assert sdd("--project", str(repo), "validate").exit_code == 0


def test_every_command_shows_an_example_that_exists() -> None:
    from tests.cli_invocations import check_invocation, real_cli

    root = real_cli()
    leaves: list[Any] = []
    pending = [root.commands[name] for name in root.commands]
    while pending:
        command = pending.pop()
        subcommands = getattr(command, "commands", None)
        if subcommands is None:
            leaves.append(command)
        else:
            pending.extend(subcommands.values())
    assert len(leaves) > 20
    for command in leaves:
        examples = [
            line.strip().removeprefix("Example:").strip()
            for line in (command.help or "").splitlines()
            if line.strip().startswith("Example:")
        ]
        assert examples, f"{command.name} has no example"
        for example in examples:
            assert check_invocation(example, root) == [], example


def _stderr_of(project: Path, *args: str, terminal: bool) -> str:
    import pty

    if not terminal:
        return subprocess.run(
            [sdd_executable(), *args], cwd=project, capture_output=True, text=True
        ).stderr
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sdd_executable(), *args],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ, TERM="xterm"),
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_shows_on_a_terminal_only(project: Path) -> None:
    assert "Validating" in _stderr_of(project, "validate", terminal=True)
    assert "Validating" not in _stderr_of(project, "validate", "--json", terminal=True)
    assert "Validating" not in _stderr_of(project, "validate", terminal=False)


def test_a_proposed_title_keeps_an_acronym_capitalised(
    sdd: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    diff = tmp_path / "change.diff"
    diff.write_text(
        "diff --git a/app/main.py b/app/main.py\n--- a/app/main.py\n+++ b/app/main.py\n"
        "@@ -10,1 +10,4 @@\n unchanged context\n"
        "+app.add_middleware(GZipMiddleware)\n"
        '+app.add_middleware(CORSMiddleware, allow_origins=["*"])\n'
        '+app.include_router(router, prefix="/api/v2")\n',
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    title = json.loads(sdd("adr", "detect", "--diff-file", str(diff), "--json").stdout)["title"]
    assert "API versioning" in title and "aPI" not in title


def test_project_option_naming_a_file_is_a_usage_error(sdd: Invoke, tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("x", "utf-8")
    result = sdd("--project", str(afile), "status")
    assert result.exit_code == 2
    assert "is a file" in result.output


def test_every_command_the_readme_shows_exists() -> None:
    from tests.cli_invocations import check_invocation, real_cli, sdd_invocations

    root = real_cli()
    text = (REPO_ROOT / "README.md").read_text("utf-8")
    # "sdd COMMAND --help" names a placeholder, not a command.
    invocations = [i for i in sdd_invocations(text) if not i.split()[1].isupper()]
    assert "sdd completion bash" in " | ".join(invocations)
    problems = [
        str(problem) for invocation in invocations for problem in check_invocation(invocation, root)
    ]
    assert problems == []
