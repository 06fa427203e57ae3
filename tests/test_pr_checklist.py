"""``sdd pr checklist``: golden Markdown on scripted repositories, JSON, output, feature and base
choice, errors, and the facts each category section states.

Golden files live in tests/golden/. To regenerate them after an intended change of the output,
run ``SDD_UPDATE_GOLDEN=1 pytest tests/test_pr_checklist.py`` and review the diff line by line
before committing it: the golden files are the specification of the output, not a snapshot.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdd.pr.items import code
from sdd.pr.sections.migrations import reversibility
from tests.pr_repos import api_change, commit_all, docs_only, init_sdd, shop
from tests.support import build_file_tree, git

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SDD_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"output differs from {path} (SDD_UPDATE_GOLDEN=1 rewrites it)"


def checklist_json(sdd, *args: str) -> dict:  # type: ignore[no-untyped-def]
    result = sdd("pr", "checklist", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def items_by_id(document: dict) -> dict[str, list[dict]]:  # type: ignore[type-arg]
    found: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for section in document["sections"]:
        for item in section["items"]:
            found.setdefault(item["id"], []).append(item)
    return found


def states(document: dict) -> dict[str, list[str]]:  # type: ignore[type-arg]
    return {key: [item["state"] for item in items] for key, items in items_by_id(document).items()}


@pytest.fixture
def api_repo(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(repo)
    return api_change(repo)


@pytest.fixture
def docs_repo(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(repo)
    return docs_only(repo)


@pytest.fixture
def branch_project(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An sdd project with the shop skeleton on main, checked out on branch ``topic``."""
    monkeypatch.chdir(repo)
    shop(repo)
    git(repo, "checkout", "-q", "-b", "topic")
    return repo


# --- golden Markdown ---------------------------------------------------------------------------


def test_api_change_with_a_migration_matches_the_golden_file(api_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("pr", "checklist")
    assert result.exit_code == 0, result.output
    assert_golden("pr-checklist-api-change.md", result.stdout)


def test_docs_only_change_matches_the_golden_file(docs_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("pr", "checklist")
    assert result.exit_code == 0, result.output
    assert_golden("pr-checklist-docs-only.md", result.stdout)


def test_the_installed_executable_prints_the_same_markdown(api_repo: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    result = sdd_exe("pr", "checklist", cwd=api_repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (GOLDEN / "pr-checklist-api-change.md").read_text("utf-8")
    assert result.stderr == ""


def test_the_markdown_is_the_same_from_a_sub_folder_and_with_closed_stdin(
    api_repo: Path,
    sdd_exe,  # type: ignore[no-untyped-def]
) -> None:
    result = sdd_exe("pr", "checklist", cwd=api_repo / "app" / "api")
    assert result.stdout == (GOLDEN / "pr-checklist-api-change.md").read_text("utf-8")
    closed = subprocess.run(
        ["bash", "-c", '"$@" <&-', "bash", sdd_exe_path(), "pr", "checklist"],
        cwd=api_repo,
        capture_output=True,
        text=True,
    )
    assert closed.returncode == 0, closed.stderr
    assert closed.stdout == result.stdout


def sdd_exe_path() -> str:
    from tests.conftest import sdd_executable

    return sdd_executable()


# --- JSON --------------------------------------------------------------------------------------


def test_json_holds_the_same_content_as_data(api_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    document = checklist_json(sdd)
    assert document["schema"] == "sdd.pr-checklist/1"
    assert document["ok"] is False
    merge_base = git(api_repo, "merge-base", "main", "HEAD").stdout.strip()
    assert document["base"] == {"ref": "main", "chosen_by": "default", "merge_base": merge_base}
    head = git(api_repo, "rev-parse", "HEAD").stdout.strip()
    assert document["head"] == {"sha": head, "branch": "001-items"}
    assert [c["subject"] for c in document["commits"]] == [
        "Specify the items API",
        "Items table, API and tests",
    ]
    statuses = {f["path"]: f["status"] for f in document["files"]}
    assert statuses["alembic/versions/0001_create_items.py"] == "added"
    assert statuses["pyproject.toml"] == "modified"
    assert len(statuses) == 12
    assert document["feature"] == {
        "name": "001-items",
        "title": "Items API",
        "chosen_by": "branch",
        "artifacts": {
            "spec.md": "specs/001-items/spec.md",
            "plan.md": "specs/001-items/plan.md",
            "tasks.md": "specs/001-items/tasks.md",
        },
    }
    assert [s["id"] for s in document["sections"]] == [
        "feature", "phr", "adr", "api", "migrations", "dependencies", "auth", "validate",
    ]  # fmt: skip
    found = states(document)
    assert found["feature.tasks"] == ["fail"]
    assert found["feature.coverage"] == ["fail"]
    assert found["adr.database"] == ["fail"] and found["adr.dependencies"] == ["pass"]
    assert found["api.contract"] == ["review"]
    assert found["api.errors"] == ["fail"]
    assert found["api.tests.auth"] == ["fail"] and found["api.tests.success"] == ["pass"]
    assert found["migrations.reversible"] == ["pass"]
    assert found["dependencies.lockfile"] == ["fail"]
    assert found["dependencies.justified"] == ["pass"]
    assert found["secrets"] == ["pass"]
    assert found["validate"] == ["pass"]
    every = [item for section in document["sections"] for item in section["items"]]
    assert document["counts"] == {
        state: sum(1 for item in every if item["state"] == state)
        for state in ("pass", "fail", "review", "info")
    }
    assert document["validation"]["ok"] is True and document["validation"]["findings"] == []
    markdown = sdd("pr", "checklist").stdout
    for item in every:
        assert item["text"] in markdown
        for detail in item["details"]:
            assert f"  - {detail}\n" in markdown


def test_the_suggestion_of_an_uncovered_category_names_sp_adr(api_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (item,) = items_by_id(checklist_json(sdd))["adr.database"]
    assert item["text"].startswith("Database schema and data access: needs an ADR. 📋")
    assert "Run `/sp.adr " in item["text"]
    assert not (api_repo / "adr" / "0002-adopt-alembic.md").exists()


# --- --output ----------------------------------------------------------------------------------


@pytest.mark.parametrize("through_a_link", [False, True])
def test_output_writes_the_markdown_atomically_and_replaces_a_previous_one(
    api_repo: Path,
    sdd,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    through_a_link: bool,
) -> None:
    """Through a symlink, the file it points to is replaced and the link stays."""
    target = tmp_path / "bodies" / "pr.md"
    target.parent.mkdir()
    target.write_text("an older checklist, longer than nothing at all\n" * 200, encoding="utf-8")
    named = tmp_path / "link.md" if through_a_link else target
    if through_a_link:
        named.symlink_to(target)
    result = sdd("pr", "checklist", "--output", str(named))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "wrote the checklist to" in result.stderr
    assert target.read_text("utf-8") == (GOLDEN / "pr-checklist-api-change.md").read_text("utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["pr.md"], "no temporary file left"
    assert named.is_symlink() is through_a_link


def test_output_is_relative_to_the_working_directory_and_takes_json(
    api_repo: Path,
    sdd,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(api_repo / "app")
    result = sdd("pr", "checklist", "--json", "--output", "body.json")
    assert result.exit_code == 0, result.output
    document = json.loads((api_repo / "app" / "body.json").read_text("utf-8"))
    assert document["schema"] == "sdd.pr-checklist/1"


@pytest.mark.parametrize("where", ["a-folder", "missing/pr.md"])
def test_output_to_a_folder_or_into_a_missing_folder_is_refused(
    api_repo: Path,
    sdd,  # type: ignore[no-untyped-def]
    where: str,
) -> None:
    (api_repo / "a-folder").mkdir()
    result = sdd("pr", "checklist", "--output", where)
    assert result.exit_code == 2
    assert "--output" in result.stderr and "Traceback" not in result.output
    assert not (api_repo / "missing").exists()


def test_output_onto_a_pipe_is_refused_and_left_as_it_is(
    api_repo: Path,
    sdd,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """A rename would replace a device or a pipe (``--output /dev/null`` run as root replaced
    /dev/null with a regular file)."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = sdd("pr", "checklist", "--output", str(pipe))
    assert result.exit_code == 2, result.output
    assert "is not a regular file" in result.stderr
    assert pipe.is_fifo()


def test_output_that_cannot_be_written_exits_2_in_one_line(
    api_repo: Path,
    sdd,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def read_only(path: Path, content: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("sdd.base.fileio.write_atomic", read_only)
    result = sdd("pr", "checklist", "--output", str(tmp_path / "pr.md"))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[0].endswith("cannot write it (Permission denied)")


# --- the feature -------------------------------------------------------------------------------


def test_feature_by_option_number_and_environment(api_repo: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    git(api_repo, "checkout", "-q", "-b", "review-items")
    assert checklist_json(sdd, "--feature", "1")["feature"]["chosen_by"] == "option"
    monkeypatch.setenv("SDD_FEATURE", "001-items")
    assert checklist_json(sdd)["feature"]["name"] == "001-items"


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_explicit_feature_that_does_not_exist_exits_2_listing_features(
    api_repo: Path,
    sdd,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    if how == "option":
        result = sdd("pr", "checklist", "--feature", "042-nope")
    else:
        monkeypatch.setenv("SDD_FEATURE", "042-nope")
        result = sdd("pr", "checklist")
    assert result.exit_code == 2
    assert "042-nope" in result.stderr and "001-items" in result.stderr


def test_without_a_feature_branch_the_one_touched_feature_is_chosen(api_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    git(api_repo, "checkout", "-q", "-b", "items-work")
    document = checklist_json(sdd)
    assert document["feature"]["chosen_by"] == "changes"
    assert document["sections"][0]["note"] == (
        "Chosen because the changes touch only this feature's folder."
    )


def test_detached_head_works_and_says_so(api_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    git(api_repo, "checkout", "-q", "--detach", "HEAD")
    document = checklist_json(sdd)
    assert document["head"]["branch"] is None
    assert document["summary"].startswith("Changes of detached HEAD against `main`")
    assert document["feature"]["name"] == "001-items"


def test_no_feature_leaves_the_section_out_with_one_line(docs_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    document = checklist_json(sdd)
    assert document["feature"] is None
    assert "feature" not in [s["id"] for s in document["sections"]]
    assert document["notes"] == [
        "No feature section: no `--feature` was given, the branch `docs-install` names no "
        "folder in `specs/`, and the changes touch no feature folder."
    ]


# --- the base ----------------------------------------------------------------------------------


def test_master_is_the_base_when_there_is_no_main(docs_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    git(docs_repo, "branch", "-m", "main", "master")
    assert checklist_json(sdd)["base"]["ref"] == "master"


def test_an_upstream_that_is_another_branch_is_the_base(branch_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    git(branch_project, "checkout", "-q", "-b", "develop")
    build_file_tree(branch_project, {"docs/develop.md": "# develop\n"})
    commit_all(branch_project, "Develop notes")
    git(branch_project, "checkout", "-q", "-b", "feature-x", "--track", "develop")
    build_file_tree(branch_project, {"docs/x.md": "# x\n"})
    commit_all(branch_project, "X notes")
    document = checklist_json(sdd)
    assert document["base"]["ref"] == "develop" and document["base"]["chosen_by"] == "upstream"
    assert [f["path"] for f in document["files"]] == ["docs/x.md"]


def test_the_remote_default_is_the_base_and_a_pushed_branch_is_not_its_own_base(
    docs_repo: Path,
    sdd,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(docs_repo), str(remote))
    git(docs_repo, "remote", "add", "origin", str(remote))
    git(docs_repo, "fetch", "-q", "origin")
    git(docs_repo, "remote", "set-head", "origin", "main")
    git(docs_repo, "branch", "-q", "--set-upstream-to", "origin/docs-install")
    git(docs_repo, "branch", "-q", "-D", "main")
    document = checklist_json(sdd)
    assert document["base"] == {
        "ref": "origin/main",
        "chosen_by": "remote-default",
        "merge_base": git(docs_repo, "rev-parse", "origin/main").stdout.strip(),
    }


def test_no_base_at_all_exits_2_naming_base(docs_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    git(docs_repo, "branch", "-q", "-m", "main", "trunk")
    result = sdd("pr", "checklist")
    assert result.exit_code == 2
    assert "no base branch" in result.stderr and "--base REF" in result.stderr


def test_an_unknown_base_exits_2(docs_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    for base in ("no-such-branch", "--oops"):
        result = sdd("pr", "checklist", "--base", base)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output


def test_base_equal_to_head_says_there_are_no_changes(api_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("pr", "checklist", "--base", "HEAD")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == (
        "No changes: branch `001-items` adds nothing to `HEAD`; nothing to check."
    )
    document = checklist_json(sdd, "--base", "001-items")
    assert document["files"] == [] and document["sections"] == [] and document["ok"] is True


def test_a_repository_without_commits_exits_2(tmp_path: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "empty"
    root.mkdir()
    git(root, "init", "-q")
    monkeypatch.chdir(root)
    result = sdd("pr", "checklist")
    assert result.exit_code == 2
    assert "no commits yet" in result.stderr


def test_outside_git_exits_2(tmp_path: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = sdd("pr", "checklist")
    assert result.exit_code == 2
    assert "not inside a git repository" in result.stderr


def test_a_shallow_clone_without_the_merge_base_says_how_to_fetch_it(
    api_repo: Path,
    sdd_exe,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    clone = tmp_path / "shallow"
    git(
        tmp_path,
        "clone", "-q", "--depth", "1", "--no-single-branch", "--branch", "001-items",
        f"file://{api_repo}", str(clone),
    )  # fmt: skip
    result = sdd_exe("pr", "checklist", cwd=clone)
    assert result.returncode == 2
    assert "no common ancestor" in result.stderr and "shallow clone" in result.stderr
    assert "Traceback" not in result.stderr


# --- category facts ----------------------------------------------------------------------------


def test_a_removed_route_and_a_stale_contract(branch_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    git(branch_project, "checkout", "-q", "main")
    build_file_tree(
        branch_project,
        {
            "openapi.yaml": "openapi: 3.1.0\npaths:\n  /health:\n    get: {}\n",
            "app/routes.py": '@app.get("/legacy")\ndef legacy():\n    return {}\n',
        },
    )
    commit_all(branch_project, "Legacy route")
    git(branch_project, "checkout", "-q", "-B", "topic")
    build_file_tree(
        branch_project,
        {"app/routes.py": '@app.get("/modern")\ndef modern():\n    return {}\n'},
    )
    commit_all(branch_project, "Replace the legacy route")
    document = checklist_json(sdd)
    found = items_by_id(document)
    assert found["api.routes"][0]["text"] == "routes: 1 added, 1 removed"
    assert found["api.breaking"][0]["state"] == "review"
    assert found["api.breaking"][0]["details"] == [
        'removed `app/routes.py:1` `@app.get("/legacy")`'
    ]
    assert found["api.contract"][0]["state"] == "fail"
    assert "`openapi.yaml`" in found["api.contract"][0]["text"]
    assert found["api.tests"][0]["state"] == "fail"
    assert found["phr.recorded"][0]["state"] == "fail"


def test_a_changed_contract_passes_and_no_api_change_means_no_api_section(
    branch_project: Path,
    sdd,  # type: ignore[no-untyped-def]
) -> None:
    build_file_tree(branch_project, {"app/util.py": "def double(x):\n    return 2 * x\n"})
    commit_all(branch_project, "A helper")
    assert "api" not in [s["id"] for s in checklist_json(sdd)["sections"]]
    build_file_tree(
        branch_project,
        {
            "app/api/orders.py": '@router.delete("/orders/{id}")\ndef delete(id): ...\n',
            "openapi.yaml": "paths: {}\n",
        },
    )
    commit_all(branch_project, "Orders")
    found = items_by_id(checklist_json(sdd))
    assert found["api.contract"][0]["state"] == "pass"


def test_a_model_change_without_a_migration_fails(branch_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    build_file_tree(
        branch_project,
        {
            "app/models.py": (
                "from sqlalchemy import Column, Integer\n\nfrom app.db import Base\n\n\n"
                'class Order(Base):\n    __tablename__ = "orders"\n'
                "    id = Column(Integer, primary_key=True)\n"
            )
        },
    )
    commit_all(branch_project, "Orders model")
    (item,) = items_by_id(checklist_json(sdd))["migrations.missing"]
    assert item["state"] == "fail"
    assert item["details"][0].startswith("`app/models.py:")


def test_an_irreversible_migration_and_a_mixed_commit(branch_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    build_file_tree(
        branch_project,
        {
            "migrations/versions/0002_drop.py": (
                "from alembic import op\n\n\ndef upgrade():\n    op.drop_table('old')\n\n\n"
                "def downgrade():\n    pass\n"
            ),
            "app/billing.py": "def bill():\n    return 1\n",
        },
    )
    commit_all(branch_project, "Drop the old table and bill")
    found = items_by_id(checklist_json(sdd))
    assert found["migrations.reversible"][0] == {
        "id": "migrations.reversible",
        "state": "fail",
        "text": "`migrations/versions/0002_drop.py`: not reversible, `downgrade()` does nothing "
        "(line 8)",
        "details": [],
    }
    assert found["migrations.rollback"][0]["state"] == "review"
    assert found["migrations.separate"][0]["details"] == [
        "commit “Drop the old table and bill” also changes `app/billing.py`"
    ]


def test_lock_files_and_unexplained_dependencies(branch_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    build_file_tree(
        branch_project,
        {
            "pyproject.toml": (
                '[project]\nname = "shop"\nversion = "0.1.0"\ndependencies = [\n'
                '    "fastapi>=0.110",\n    "sqlalchemy>=2.0",\n    "httpx>=0.27",\n]\n'
            ),
            "uv.lock": 'version = 1\n\n[[package]]\nname = "httpx"\nversion = "0.27.0"\n',
            "web/package.json": '{\n  "dependencies": {\n    "express": "^4.19.0"\n  }\n}\n',
        },
    )
    commit_all(branch_project, "HTTP clients")
    found = items_by_id(checklist_json(sdd))
    locks = {item["text"]: item["state"] for item in found["dependencies.lockfile"]}
    assert locks == {
        "`pyproject.toml` changes dependencies and `uv.lock` was updated with it": "pass",
        "`web/package.json`: no lock file is tracked beside it": "info",
    }
    justified = {item["text"]: item["state"] for item in found["dependencies.justified"]}
    assert justified == {
        "`httpx` added (`pyproject.toml:7`): say why; neither the feature's artifacts nor an "
        "ADR names it": "review",
        "`express` added (`web/package.json:3`): say why; neither the feature's artifacts nor "
        "an ADR names it": "review",
    }


def test_a_secret_outside_auth_gets_its_own_section_without_the_value(
    branch_project: Path,
    sdd,  # type: ignore[no-untyped-def]
) -> None:
    key = "AKIA" + "ABCDEFGHIJKLMNOP"
    build_file_tree(branch_project, {"deploy/settings.ini": f"[aws]\naccess_key_id = {key}\n"})
    commit_all(branch_project, "Deploy settings")
    result = sdd("pr", "checklist")
    assert "## Secrets\n\n- ✘ 1 possible secret in the added lines\n" in result.stdout
    assert "  - `deploy/settings.ini:2` aws-access-key\n" in result.stdout
    assert key not in result.stdout


def test_validation_reports_only_the_changed_artifacts(api_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    git(api_repo, "checkout", "-q", "main")
    build_file_tree(
        api_repo, {"specs/002-old/spec.md": "# Feature Specification: [FEATURE NAME]\n"}
    )
    commit_all(api_repo, "A broken old spec")
    git(api_repo, "checkout", "-q", "-b", "fix-plan")
    build_file_tree(
        api_repo,
        {"specs/003-new/spec.md": "# Feature Specification: New\n\n[NEEDS CLARIFICATION: who?]\n"},
    )
    commit_all(api_repo, "A new spec")
    document = checklist_json(sdd)
    (item,) = items_by_id(document)["validate"]
    assert item["state"] == "fail"
    paths = {finding["path"] for finding in document["validation"]["findings"]}
    assert paths == {"specs/003-new/spec.md"}
    assert all(detail.startswith("`specs/003-new/spec.md:") for detail in item["details"])


def test_a_project_template_changes_the_markdown(api_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    build_file_tree(
        api_repo,
        {
            ".sdd/templates/pr-checklist.md": (
                "{{ summary }}\n{% for section in sections %}{{ section.title }}: "
                "{{ section['items'] | length }}\n{% endfor %}"
            )
        },
    )
    result = sdd("pr", "checklist")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "Changes of branch `001-items` against `main`: 12 files in 2 commits.",
        "Feature `001-items`: Items API: 3",
    ]


def test_links_point_to_github_when_origin_is_there(api_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    git(api_repo, "remote", "add", "origin", "git@github.com:acme/shop.git")
    (item,) = items_by_id(checklist_json(sdd))["feature.artifacts"]
    assert item["text"].startswith(
        "[spec.md](https://github.com/acme/shop/blob/001-items/specs/001-items/spec.md) · "
    )


def test_a_project_in_a_sub_folder_shows_paths_from_the_repository_top(
    repo: Path,
    sdd,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = repo / "services" / "shop"
    service.mkdir(parents=True)
    monkeypatch.chdir(service)
    init_sdd(service)
    commit_all(repo, "The shop service")
    git(repo, "checkout", "-q", "-b", "001-x")
    build_file_tree(
        service,
        {"specs/001-x/spec.md": "# Feature Specification: X\n\n[NEEDS CLARIFICATION: what?]\n"},
    )
    commit_all(repo, "Specify X")
    document = checklist_json(sdd)
    assert document["feature"]["artifacts"]["spec.md"] == "services/shop/specs/001-x/spec.md"
    (item,) = items_by_id(document)["validate"]
    assert item["details"] and all(
        d.startswith("`services/shop/specs/001-x/spec.md:") for d in item["details"]
    )


# --- migration reversibility and code spans ----------------------------------------------------


_ALEMBIC = "def upgrade():\n    op.x()\n\n\ndef downgrade():\n{}\n"
_DJANGO = "class Migration(migrations.Migration):\n    operations = [migrations.{}]\n"
_SURE = "Django operations Django can reverse"


@pytest.mark.parametrize(
    ("path", "text", "tree", "state", "reason"),
    [
        ("a/versions/1.py", _ALEMBIC.format("    op.y()"), (), "pass", "`downgrade()` defined"),
        ("a/versions/1.py", _ALEMBIC.format('    """No."""\n    pass'), (), "fail",
         "`downgrade()` does nothing"),
        ("a/versions/1.py", "def upgrade():\n    op.x()\n", (), "fail", "no `downgrade()`"),
        ("m/0002.py", _DJANGO.format("RunPython(forwards)"), (), "fail",
         "`RunPython` without `reverse_code`"),
        ("m/0002.py", _DJANGO.format("RunPython(forwards, RunPython.noop)"), (), "pass", _SURE),
        ("m/0003.py", _DJANGO.format("RunSQL('x', reverse_sql='y')"), (), "pass", _SURE),
        ("m/1_x.js", "exports.up = (k) => {};\nexports.down = (k) => {};\n", (), "pass",
         "`down` defined"),
        ("m/1-x.ts", "export class X {\n  public async up(q) {}\n}\n", (), "fail",
         "no `down` migration"),
        ("db/migrate/1_x.rb", "class X < M\n  def change\n  end\nend\n", (), "pass",
         "`def change`"),
        ("m/1_x.up.sql", "CREATE TABLE x();", ("m/1_x.down.sql",), "pass",
         "`m/1_x.down.sql` is beside it"),
        ("m/1_x.up.sql", "CREATE TABLE x();", (), "fail", "no `m/1_x.down.sql` beside it"),
        ("m/1_x.sql", "-- +goose Up\nCREATE TABLE x();\n-- +goose Down\nDROP TABLE x;\n", (),
         "pass", "a down section"),
        ("db/migration/V2__x.sql", "CREATE TABLE x();", (), "fail",
         "no Flyway undo script `U2__x.sql`"),
        ("prisma/migrations/1_x/migration.sql", "CREATE TABLE x();", (), "review",
         "Prisma Migrate writes no down migration"),
        ("migrations/x.txt", "anything", (), "review",
         "the migration format is not one sdd recognises"),
    ],
)  # fmt: skip
def test_reversibility(
    path: str, text: str, tree: tuple[str, ...], state: str, reason: str
) -> None:
    found = reversibility(path, text, set(tree))
    assert (found.state, found.reason) == (state, reason)


@given(st.text(max_size=200))
def test_a_code_span_shows_its_text_on_one_line(text: str) -> None:
    """Read back as CommonMark reads a code span, the span gives the text (flattened, cut)."""
    import re

    span = code(text)
    flat = " ".join(text.split())
    if not flat:
        assert span == ""
        return
    assert "\n" not in span
    fence = len(span) - len(span.lstrip("`"))
    assert span.endswith("`" * fence) and len(span) > 2 * fence
    inner = span[fence:-fence]
    assert all(len(run) != fence for run in re.findall(r"`+", inner)), "the span ends early"
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip(" "):
        inner = inner[1:-1]
    assert inner == flat if len(flat) <= 100 else inner == flat[:99] + "…"


# --- bad input ---------------------------------------------------------------------------------


def test_binary_files_a_broken_record_and_unicode_titles_are_reported_not_raised(
    branch_project: Path,
    sdd,  # type: ignore[no-untyped-def]
) -> None:
    (branch_project / "assets").mkdir()
    (branch_project / "assets" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    build_file_tree(
        branch_project,
        {
            "history/prompts/general/0001-café.general.prompt.md": "---\nid: [unclosed\n",
            "app/ünïcode.py": "NAME = 'Grüße'\n",
        },
    )
    commit_all(branch_project, "Café crème — ünïcode")
    result = sdd("pr", "checklist")
    assert result.exit_code == 0, result.output
    assert (
        "## Validation\n\n- ✘ `sdd validate`: 2 errors, 1 warning in the 1 changed artifact\n"
        "  - `history/prompts/general/0001-café.general.prompt.md:1` error PHR003 front matter "
        "never closes"
    ) in result.stdout
    document = checklist_json(sdd)
    assert document["commits"][0]["subject"] == "Café crème — ünïcode"
    assert {f["path"] for f in document["files"]} == {
        "assets/logo.png",
        "app/ünïcode.py",
        "history/prompts/general/0001-café.general.prompt.md",
    }
    (recorded,) = items_by_id(document)["phr.recorded"]
    assert recorded["details"] == [
        "`0001` general — (no title) (`history/prompts/general/0001-café.general.prompt.md`)"
    ]


def test_names_that_are_not_utf_8_give_valid_utf_8_everywhere(
    branch_project: Path,
    sdd_exe,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """A file and a branch whose names are not UTF-8: shown with U+FFFD, as the diff shows
    them, in the Markdown, the JSON (also with a strict UTF-8 standard output) and the file."""
    root = branch_project
    (root / os.fsdecode(b"app/bad\xffname.py")).write_text("print(1)\n", encoding="utf-8")
    build_file_tree(root, {"docs/notes.md": "# Notes\n"})
    commit_all(root, "A badly named module")
    git(root, "checkout", "-q", "-b", os.fsdecode(b"caf\xe9"))
    strict = {"PYTHONIOENCODING": "utf-8:strict"}
    result = sdd_exe("pr", "checklist", "--json", cwd=root, env=strict)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["head"]["branch"] == "caf\ufffd"
    assert [f["path"] for f in document["files"]] == ["app/bad\ufffdname.py", "docs/notes.md"]
    assert document["commits"][0]["files"] == ["app/bad\ufffdname.py", "docs/notes.md"]
    markdown = sdd_exe("pr", "checklist", cwd=root, env=strict)
    assert markdown.returncode == 0, markdown.stderr
    assert "branch `caf\ufffd`" in markdown.stdout
    body = tmp_path / "body.md"
    written = sdd_exe("pr", "checklist", "--output", str(body), cwd=root, env=strict)
    assert written.returncode == 0, written.stderr
    assert body.read_bytes().decode("utf-8") == markdown.stdout


def test_files_beside_the_artifacts_are_not_counted_as_artifacts(
    docs_repo: Path,
    sdd,  # type: ignore[no-untyped-def]
) -> None:
    build_file_tree(docs_repo, {"adr/notes.txt": "drafts\n", "specs/diagram.svg": "<svg/>\n"})
    commit_all(docs_repo, "Notes beside the artifacts")
    (item,) = items_by_id(checklist_json(sdd))["validate"]
    assert item["state"] == "info" and item["text"].startswith("no sdd artifact")


def test_a_broken_configuration_exits_2_naming_file_and_line(branch_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (branch_project / "sdd.yaml").write_text("version: 1\npaths: [oops\n", encoding="utf-8")
    result = sdd("pr", "checklist")
    assert result.exit_code == 2
    assert "sdd.yaml:" in result.stderr and "CFG001" in result.stderr


def test_a_feature_name_with_dot_dot_is_only_a_name(api_repo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("pr", "checklist", "--feature", "../../etc")
    assert result.exit_code == 2
    assert "no feature" in result.stderr


@pytest.mark.slow
def test_two_processes_writing_the_same_output_leave_one_whole_checklist(
    api_repo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "body.md"
    target.parent.mkdir()
    command = [sdd_exe_path(), "pr", "checklist", "--output", str(target)]
    processes = [
        subprocess.Popen(command, cwd=api_repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    assert [process.wait(timeout=60) for process in processes] == [0, 0]
    for process in processes:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        process.stderr.close()
    assert target.read_text("utf-8") == (GOLDEN / "pr-checklist-api-change.md").read_text("utf-8")
    assert [p.name for p in target.parent.iterdir()] == ["body.md"]


def test_sections_read_rules_by_checklist_role_and_every_role_has_a_rule() -> None:
    from sdd.detect.rulepack import CHECKLIST_ROLES, load_rule_pack
    from sdd.pr.sections import api, migrations

    pack = load_rule_pack()
    used = {api.ROUTE_ROLE, api.CONTRACT_ROLE, api.GUARD_ROLE}
    used |= {migrations.MIGRATION_ROLE, migrations.MODEL_ROLE}
    assert used == CHECKLIST_ROLES
    for role in CHECKLIST_ROLES:
        assert pack.checklist(role), role


def test_a_rule_disabled_in_sdd_yaml_is_named_instead_of_failing(branch_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    config = branch_project / "sdd.yaml"
    text = config.read_text(encoding="utf-8") if config.exists() else "version: 1\n"
    config.write_text(
        text + "detect:\n  rules:\n    - id: database.migration-file\n      enabled: false\n",
        encoding="utf-8",
    )
    build_file_tree(
        branch_project,
        {
            "app/models.py": (
                "from sqlalchemy import Column, Integer\n\nfrom app.db import Base\n\n\n"
                'class Order(Base):\n    __tablename__ = "orders"\n'
                "    id = Column(Integer, primary_key=True)\n"
            )
        },
    )
    commit_all(branch_project, "Orders model, migrations checked elsewhere")
    found = items_by_id(checklist_json(sdd))
    assert "migrations.missing" not in found
    (item,) = found["migrations.disabled-rules"]
    assert item["state"] == "info" and "database.migration-file" in item["text"]
