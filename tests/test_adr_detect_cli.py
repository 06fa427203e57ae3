"""``sdd adr detect`` end to end on real git repositories, in-process and installed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support import build_file_tree, git

SECURITY = """import jwt
from datetime import datetime, timedelta, timezone

ALGORITHM = "HS256"


def create_access_token(subject: str, secret: str) -> str:
    expire = datetime.now(timezone.utc) + timedelta(minutes=30)
    return jwt.encode({"exp": expire, "sub": subject}, secret, algorithm=ALGORITHM)
"""
MIGRATION = '''"""create the user table"""
from alembic import op
import sqlalchemy as sa


def upgrade() -> None:
    op.create_table("user", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("user")
'''


def _jwt_and_migration(root: Path) -> None:
    build_file_tree(
        root,
        {"app/core/security.py": SECURITY, "alembic/versions/0001_create_user.py": MIGRATION},
    )


def _json(result) -> dict:  # type: ignore[no-untyped-def]
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _categories(document: dict) -> dict[str, dict]:
    return {c["name"]: c for c in document["categories"]}


def test_jwt_and_migration_commit_is_reported_with_line_evidence(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _jwt_and_migration(project)
    git(project, "add", "-A")
    staged = _json(sdd("adr", "detect", "--json"))
    git(project, "commit", "-q", "-m", "Add JWT authentication and the user table")
    committed = _json(sdd("adr", "detect", "--commit", "HEAD", "--json"))
    for document in (staged, committed):
        assert document["schema"] == "sdd.adr-detect/1"
        assert document["significant"] is True
        categories = _categories(document)
        assert {"auth", "database"} <= set(categories)
        auth_lines = {(s["path"], s["line"], s["text"]) for s in categories["auth"]["signals"]}
        assert ("app/core/security.py", 1, "import jwt") in auth_lines
        db = {(s["rule"], s["path"], s["line"]) for s in categories["database"]["signals"]}
        assert ("database.schema-ddl", "alembic/versions/0001_create_user.py", 7) in db
        assert document["message"].startswith("📋 Architectural decision detected: ")
        assert "Run `/sp.adr " in document["message"]
        assert document["title"]
        assert document["covered_by"] == []
    assert committed["source"]["kind"] == "commit"
    human = sdd("adr", "detect", "--commit", "HEAD")
    assert human.exit_code == 0
    assert "app/core/security.py:1: auth.library-import" in human.stdout
    assert "📋 Architectural decision detected" in human.stdout


def test_docs_only_commit_is_not_significant(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    build_file_tree(project, {"docs/auth.md": "Use `jwt.encode(...)` and `op.create_table`.\n"})
    (project / "README.md").write_text("# demo\n\nNow with CREATE TABLE users.\n", "utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Document JWT authentication and migrations")
    document = _json(sdd("adr", "detect", "--commit", "HEAD", "--json"))
    assert document["significant"] is False
    assert document["message"] is None
    result = sdd("adr", "detect", "--commit", "HEAD", "--fail-on-significant")
    assert result.exit_code == 0
    assert "no architecturally significant change" in result.stdout


def test_fail_on_significant_and_advisory_default(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _jwt_and_migration(project)
    git(project, "add", "-A")
    assert sdd("adr", "detect").exit_code == 0
    assert sdd("adr", "detect", "--fail-on-significant").exit_code == 1


def test_base_range_and_worktree_modes(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "sdd init")
    git(project, "checkout", "-q", "-b", "feature")
    _jwt_and_migration(project)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "auth")
    (project / "notes.txt").write_text("scratch\n", "utf-8")
    base = _json(sdd("adr", "detect", "--base", "main", "--json"))
    assert {"auth", "database"} <= set(_categories(base))
    ranged = _json(sdd("adr", "detect", "--range", "main..feature", "--json"))
    assert {"auth", "database"} <= set(_categories(ranged))
    symmetric = _json(sdd("adr", "detect", "--range", "main...HEAD", "--json"))
    assert symmetric["significant"]
    # Working tree against HEAD: untracked files count as added.
    build_file_tree(
        project, {"app/main.py": "app.add_middleware(GZipMiddleware, minimum_size=500)\n"}
    )
    worktree = _json(sdd("adr", "detect", "--json"))
    assert worktree["source"]["kind"] == "worktree"
    assert "middleware" in _categories(worktree)


def test_trailer_in_range_covers_the_change(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "sdd init")
    created = sdd("adr", "new", "Use JWT", "--yes", "--json")
    assert created.exit_code == 0, created.output
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "ADR")
    git(project, "checkout", "-q", "-b", "feature")
    _jwt_and_migration(project)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Add JWT auth\n\nADR: 0001")
    document = _json(sdd("adr", "detect", "--base", "main", "--json"))
    assert document["significant"] and not document["suggest"]
    assert document["covered_by"] == [1]
    assert sdd("adr", "detect", "--base", "main", "--fail-on-significant").exit_code == 0
    git(project, "commit", "-q", "--allow-empty", "-m", "Nothing\n\nADR: 0042")
    noted = _json(sdd("adr", "detect", "--commit", "HEAD~1", "--json"))
    assert noted["covered_by"] == [1]


def test_empty_repository_without_head(tmp_path: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "empty"
    root.mkdir()
    git(root, "init", "-q")
    monkeypatch.chdir(root)
    nothing = _json(sdd("adr", "detect", "--json"))
    assert nothing["significant"] is False
    assert any("no commits yet" in note for note in nothing["notes"])
    _jwt_and_migration(root)
    git(root, "add", "-A")
    staged = _json(sdd("adr", "detect", "--json"))
    assert staged["significant"] is True
    result = sdd("adr", "detect", "--base", "main")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_detached_head(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _jwt_and_migration(project)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "auth")
    git(project, "checkout", "-q", "--detach", "HEAD")
    assert _json(sdd("adr", "detect", "--commit", "HEAD", "--json"))["significant"]
    assert _json(sdd("adr", "detect", "--json"))["significant"] is False


def test_shallow_clone_base_fails_with_a_hint(tmp_path: Path, repo: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    git(repo, "commit", "-q", "--allow-empty", "-m", "second")
    git(repo, "checkout", "-q", "-b", "feature")
    _jwt_and_migration(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "auth")
    git(repo, "checkout", "-q", "main")
    git(repo, "commit", "-q", "--allow-empty", "-m", "main moves on")
    shallow = tmp_path / "shallow"
    git(
        tmp_path,
        "clone",
        "-q",
        "--depth",
        "1",
        "--branch",
        "feature",
        f"file://{repo}",
        str(shallow),
    )
    git(shallow, "fetch", "-q", "--depth", "1", "origin", "main:main")
    monkeypatch.chdir(shallow)
    result = sdd("adr", "detect", "--base", "main")
    assert result.exit_code == 2
    assert "no common ancestor" in result.stderr
    assert "shallow" in result.stderr
    assert "Traceback" not in result.output
    assert _json(sdd("adr", "detect", "--commit", "HEAD", "--json"))["significant"]


def test_unusual_paths_binary_files_deletions_and_modes(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    build_file_tree(project, {"old/gone.py": "x = 1\n", "run.sh": "echo hi\n"})
    (project / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    (project / "old/gone.py").unlink()
    (project / "run.sh").chmod(0o755)
    (project / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x01binary")
    build_file_tree(
        project, {"weird dir/ünï\tcode auth.py": "import jwt\ntoken = jwt.encode(p, k)\n"}
    )
    git(project, "add", "-A")
    document = _json(sdd("adr", "detect", "--json", "--explain"))
    paths = {s["path"] for c in document["categories"] for s in c["signals"]}
    assert "weird dir/ünï\tcode auth.py" in paths
    assert document["files"]["changed"] == 4


def test_diff_file_outside_any_repository(tmp_path: Path, sdd, monkeypatch, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    patch = corpus / "diffs" / "hagopj13__node-express-boilerplate__9ba47b33.diff"
    document = _json(sdd("adr", "detect", "--diff-file", str(patch), "--json"))
    assert {"auth", "dependencies"} <= set(_categories(document))
    assert document["source"]["kind"] == "diff-file"
    from_stdin = _json(
        sdd("adr", "detect", "--diff-file", "-", "--json", input=patch.read_text("utf-8"))
    )
    assert from_stdin["significant"]
    no_repo = sdd("adr", "detect")
    assert no_repo.exit_code == 2
    assert "--diff-file" in no_repo.stderr


def test_bad_input_is_one_clear_line(tmp_path: Path, project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.diff"
    junk.write_bytes(b"\x00\xff\xfe not a diff\n")
    result = sdd("adr", "detect", "--diff-file", str(junk))
    assert result.exit_code == 2
    assert "junk.diff" in result.stderr and "not a unified diff" in result.stderr
    missing = sdd("adr", "detect", "--diff-file", str(tmp_path / "missing.diff"))
    assert missing.exit_code == 2
    both = sdd("adr", "detect", "--staged", "--commit", "HEAD")
    assert both.exit_code == 2 and "choose one of" in both.stderr
    unknown = sdd("adr", "detect", "--commit", "no-such-ref")
    assert unknown.exit_code == 2 and "unknown revision" in unknown.stderr
    dash = sdd("adr", "detect", "--commit", "--help")
    assert dash.exit_code == 2 and "is not a revision" in dash.stderr
    empty = tmp_path / "empty.diff"
    empty.write_bytes(b"")
    assert _json(sdd("adr", "detect", "--diff-file", str(empty), "--json"))["significant"] is False
    for outcome in (result, missing, both, unknown):
        assert "Traceback" not in outcome.output


def test_a_ten_megabyte_line(tmp_path: Path, project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.diff"
    line = "app.add_middleware(GZipMiddleware)  # " + "x" * (10 * 1024 * 1024)
    big.write_text(
        f"diff --git a/app/main.py b/app/main.py\n--- a/app/main.py\n+++ b/app/main.py\n"
        f"@@ -0,0 +1,2 @@\n+{line}\n+ok = 1\n",
        encoding="utf-8",
    )
    document = _json(sdd("adr", "detect", "--diff-file", str(big), "--json"))
    signal = _categories(document)["middleware"]["signals"][0]
    assert len(signal["text"]) <= 200


def test_bad_rule_in_sdd_yaml_exits_2_naming_it(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    config = project / "sdd.yaml"
    config.write_text(
        config.read_text("utf-8").replace(
            "  rules: []",
            "  rules:\n    - id: team.payments\n      category: payments\n      match: '(stripe'",
        ),
        encoding="utf-8",
    )
    result = sdd("adr", "detect")
    assert result.exit_code == 2
    assert "team.payments" in result.stderr
    assert "sdd.yaml:" in result.stderr and "detect.rules.0.match" in result.stderr
    assert "Traceback" not in result.output


def test_project_rules_and_ignore_from_sdd_yaml(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    config = project / "sdd.yaml"
    config.write_text(
        config.read_text("utf-8")
        .replace("  ignore: []", '  ignore: ["legacy/**"]')
        .replace(
            "  rules: []",
            "  rules:\n    - id: team.payments\n      category: payments\n"
            "      match: '\\bstripe\\.'\n      weight: 3\n      description: payment provider",
        ),
        encoding="utf-8",
    )
    build_file_tree(project, {"billing/pay.py": "stripe.Charge.create(amount=1)\n"})
    build_file_tree(project, {"legacy/app.py": "app.add_middleware(GZipMiddleware)\n"})
    git(project, "add", "-A")
    document = _json(sdd("adr", "detect", "--json"))
    assert set(_categories(document)) == {"payments"}


def test_closed_stdin_and_the_installed_executable(project: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    _jwt_and_migration(project)
    git(project, "add", "-A")
    result = sdd_exe("adr", "detect", "--json", cwd=project, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["significant"] is True
    closed = subprocess.run(
        ["bash", "-c", '"$@" <&-', "bash", *_exe(), "adr", "detect", "--diff-file", "-"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert closed.returncode == 2, closed.stderr
    assert "Traceback" not in closed.stderr
    piped = sdd_exe("adr", "detect", cwd=project, stdin=subprocess.DEVNULL)
    assert "📋 Architectural decision detected" in piped.stdout
    assert "\x1b[" not in piped.stdout


def test_diff_file_from_a_pipe_a_folder_and_a_windows_editor(tmp_path: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    diff = (
        "diff --git a/app/auth.py b/app/auth.py\nnew file mode 100644\n--- /dev/null\n"
        "+++ b/app/auth.py\n@@ -0,0 +1,2 @@\n+from jose import jwt\n"
        "+token = jwt.encode(payload, SECRET)\n"
    )
    source = tmp_path / "change.diff"
    source.write_text(diff, "utf-8")
    # Process substitution hands over /dev/fd/N, a pipe rather than a regular file.
    piped = subprocess.run(
        ["bash", "-c", f'"$@" --diff-file <(cat {source})', "bash", *_exe(), "adr", "detect"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert piped.returncode == 0, piped.stderr
    assert "app/auth.py:2: auth.credentials (added)" in piped.stdout
    folder = sdd_exe("adr", "detect", "--diff-file", str(tmp_path), cwd=tmp_path)
    assert folder.returncode == 2
    assert folder.stderr.strip() == f"error: {tmp_path}: is a folder, not a diff file"
    # Saved by a Windows editor: a byte order mark and CRLF line ends.
    windows = tmp_path / "windows.diff"
    windows.write_bytes(b"\xef\xbb\xbf" + diff.replace("\n", "\r\n").encode("utf-8"))
    from_windows = sdd_exe("adr", "detect", "--json", "--diff-file", str(windows), cwd=tmp_path)
    from_unix = sdd_exe("adr", "detect", "--json", "--diff-file", str(source), cwd=tmp_path)
    assert from_windows.returncode == 0, from_windows.stderr
    shown = json.loads(from_windows.stdout)
    expected = json.loads(from_unix.stdout)
    shown["source"] = expected["source"]
    assert shown == expected and expected["significant"]


def _exe() -> list[str]:
    from tests.conftest import sdd_executable

    return [sdd_executable()]


@pytest.mark.slow
def test_generated_large_diff_stays_correct(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    from benchmarks.bench_detect import file_contents, unified_diff

    diff = tmp_path / "large.diff"
    diff.write_bytes(unified_diff(file_contents()))
    document = _json(sdd("adr", "detect", "--diff-file", str(diff), "--json"))
    assert document["files"]["changed"] == 2000
    assert {"auth", "database", "middleware"} == {c["name"] for c in document["categories"]}


def test_an_empty_or_cut_diff_file_says_so(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.diff"
    empty.write_text("\n", "utf-8")
    document = _json(sdd("adr", "detect", "--diff-file", str(empty), "--json"))
    assert not document["significant"]
    assert document["notes"] == ["the input held no change: there was nothing to judge"]
    cut = tmp_path / "cut.diff"
    cut.write_text(
        "diff --git a/app/orders.py b/app/orders.py\n--- a/app/orders.py\n+++ b/app/orders.py\n"
        "@@ -3,6 +3,6 @@ def total(order):\n"
        "-    return sum(order.lines)\n+    return order.total\n",
        "utf-8",
    )
    result = sdd("adr", "detect", "--diff-file", str(cut))
    assert result.exit_code == 0
    assert "app/orders.py: the hunk at line 4 of the input" in result.stdout
    assert "(1 of 6 old, 1 of 6 new)" in result.stdout
    whole = tmp_path / "whole.diff"
    whole.write_text(
        "diff --git a/app/orders.py b/app/orders.py\n--- a/app/orders.py\n+++ b/app/orders.py\n"
        "@@ -3 +3 @@ def total(order):\n-    return sum(order.lines)\n+    return order.total\n",
        "utf-8",
    )
    assert _json(sdd("adr", "detect", "--diff-file", str(whole), "--json"))["notes"] == []
