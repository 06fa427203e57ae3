"""ADR records: every format read, creation only on consent, and the whole lifecycle."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdd.adr import create as adrcreate
from sdd.adr import index as adrindex
from sdd.adr import record as adr
from sdd.adr import renumber as adrrenumber
from sdd.base.errors import RefusedError
from sdd.project.project import load_project
from sdd.project.selection import Selection
from sdd.validation.validate import validate
from tests.conftest import sdd_executable
from tests.support import git

ADR_TOOLS = """# 2. Use PostgreSQL

Date: 2020-01-05

## Status

Accepted

## Context

We need a relational database.

## Decision

PostgreSQL.

## Consequences

Operations must run it.
"""

MADR_3 = """---
status: accepted
date: 2023-04-01
deciders: team
---
# Use Markdown Architectural Decision Records

## Context and Problem Statement

We want to record decisions.

## Decision Outcome

Chosen option: MADR.

### Consequences

* Good, because it is lean.
"""

MADR_2 = """# Use React

* Status: proposed
* Date: 2019-03-02

## Context and Problem Statement

Which UI library?

## Decision Outcome

React.
"""


def _findings(project: Path) -> list[str]:
    """What ``sdd validate`` reports about ADRs (other checkers judge the other artifacts)."""
    report = validate(load_project(project), Selection.everything())
    return [f.format() for f in report.findings if f.code.startswith("ADR")]


def _errors(project: Path) -> list[str]:
    return [line for line in _findings(project) if ": error ADR" in line]


def test_every_format_is_read(tmp_path: Path, corpus: Path) -> None:
    folder = tmp_path / "adr"
    folder.mkdir()
    (folder / "0002-use-postgresql.md").write_text(ADR_TOOLS, "utf-8")
    (folder / "0003-use-madr.md").write_text(MADR_3, "utf-8")
    (folder / "0004-use-react.md").write_text(MADR_2, "utf-8")
    shutil.copy(
        corpus / "adr/bilalinit__evolution-of-todo/0001-phase-i-storage-strategy.md", folder
    )
    (folder / "README.md").write_text("# index\n", "utf-8")
    (folder / "template.md").write_text("# template\n", "utf-8")
    records = {r.number: r for r in adr.load_adrs(folder)}
    assert set(records) == {1, 2, 3, 4}
    assert (records[1].format, records[1].status, records[1].title) == (
        "spec-kit-plus",
        "accepted",
        "Phase I Storage Strategy",
    )
    assert records[1].feature == "001-cli-todo" and records[1].date == "2025-12-28"
    assert (records[2].format, records[2].status, records[2].date) == (
        "adr-tools",
        "accepted",
        "2020-01-05",
    )
    assert (records[3].format, records[3].status) == ("madr", "accepted")
    assert (records[4].format, records[4].status) == ("madr", "proposed")


def test_the_real_corpus_adrs_validate_without_a_traceback(tmp_path: Path, corpus: Path) -> None:
    for source in sorted((corpus / "adr").iterdir()):
        root = tmp_path / source.name
        shutil.copytree(source, root / "history" / "adr")
        project = load_project(root)
        assert project.paths.adr == root / "history" / "adr"
        records = adr.load_adrs(project.paths.adr)
        assert records and all(r.status == "accepted" for r in records)
        # Read by a reviewer: complete, accepted, no placeholders; nothing to report.
        assert _findings(root) == []


def test_this_repository_adrs_pass_the_checker() -> None:
    from tests.conftest import REPO_ROOT

    assert _findings(REPO_ROOT) == []


def test_new_refuses_without_terminal_and_yes(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("adr", "new", "Use PostgreSQL")
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert "Will write adr/0001-use-postgresql.md" in result.stdout
    assert not list((project / "adr").glob("0*.md"))


def test_new_with_yes_writes_a_record_that_validates(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("adr", "new", "Use PostgreSQL — für Ünïcödé", "--yes", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["path"] == "adr/0001-use-postgresql-fur-unicode.md"
    assert document["id"] == 1
    record = adr.read_adr(project / document["path"], 1)
    assert record.title == "Use PostgreSQL — für Ünïcödé"
    assert record.status == "proposed" and record.format == "sdd"
    assert _errors(project) == []
    warnings = _findings(project)
    assert warnings and all("ADR012" in w and "to be completed" in w for w in warnings)


def test_new_titles_cannot_escape_the_folder(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("adr", "new", "../../etc/passwd", "--yes", "--json")
    assert result.exit_code == 0
    path = json.loads(result.stdout)["path"]
    assert path == "adr/0001-etc-passwd.md"
    assert sdd("adr", "new", "   ", "--yes").exit_code == 2
    assert sdd("adr", "new", "two\nlines", "--yes").exit_code == 2
    # Separators that end a line for Python and YAML, and other control characters.
    for title in ("a\u2028b", "a\u2029b", "a\x85b", "a\x7fb"):
        result = sdd("adr", "new", title, "--yes")
        assert result.exit_code == 2, repr(title)
        assert "one line without control characters" in result.stderr
    assert sorted(p.name for p in (project / "adr").glob("0*.md")) == ["0001-etc-passwd.md"]


def test_new_from_detect_fills_context_covers_and_feature_links(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (project / "specs/001-auth").mkdir(parents=True)
    (project / "specs/001-auth/spec.md").write_text("# Spec\n", "utf-8")
    (project / "specs/001-auth/plan.md").write_text("# Plan\n", "utf-8")
    (project / "app").mkdir()
    (project / "app/main.py").write_text("app.add_middleware(GZipMiddleware)\n", "utf-8")
    git(project, "add", "-A")
    result = sdd("adr", "new", "--from-detect", "--feature", "001", "--yes", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["covers"] == ["app/main.py"]
    assert document["feature"] == "001-auth"
    text = (project / document["path"]).read_text("utf-8")
    assert "`app/main.py:1` middleware.registration" in text
    assert "[001-auth/spec.md](../specs/001-auth/spec.md)" in text
    assert "[001-auth/plan.md](../specs/001-auth/plan.md)" in text
    assert _errors(project) == []
    again = json.loads(sdd("adr", "detect", "--json").stdout)
    assert again["significant"] and not again["suggest"] and again["covered_by"] == [1]


def test_new_from_detect_keeps_odd_paths_inside_their_code_spans(
    project: Path, sdd, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    diff = tmp_path / "odd.diff"
    diff.write_text(
        'diff --git "a/app/x\\n## Decision\\nb`c.py" "b/app/x\\n## Decision\\nb`c.py"\n'
        'new file mode 100644\n--- /dev/null\n+++ "b/app/x\\n## Decision\\nb`c.py"\n'
        "@@ -0,0 +1 @@\n+app.add_middleware(GZipMiddleware)  # `quoted`\n",
        "utf-8",
    )
    result = sdd("adr", "new", "--from-detect", "--diff-file", str(diff), "--yes", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    record = adr.read_adr(project / document["path"], document["id"])
    assert record.text.count("\n## Decision\n") == 1  # the path added no heading
    assert "  - `app/x?## Decision?b'c.py:1` middleware.registration: `" in record.text
    assert adr.read_adr(project / document["path"], 1).covers == ("app/x\n## Decision\nb`c.py",)
    assert _errors(project) == []


def test_numbers_are_claimed_exclusively_by_concurrent_creators(project: Path) -> None:
    command = [sdd_executable(), "adr", "new", "--yes", "--json"]
    processes = [
        subprocess.Popen(
            [*command, f"Decision {index}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        for index in range(6)
    ]
    ids = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        ids.append(json.loads(out)["id"])
    assert sorted(ids) == [1, 2, 3, 4, 5, 6]
    assert len(list((project / "adr").glob("0*.md"))) == 6
    assert not list((project / "adr").glob(".*.claim"))
    assert _errors(project) == []


def test_claims_are_exclusive_within_one_process(tmp_path: Path) -> None:
    folder = tmp_path / "adr"
    draft = adrcreate.plan_new(folder, "First")
    (folder / ".0001.claim").parent.mkdir(parents=True, exist_ok=True)
    (folder / ".0001.claim").write_text("other process\n", "utf-8")
    number, path = adrcreate.create(draft, lambda n: f"---\nid: {n}\n---\n")
    assert number == 2 and path.name == "0002-first.md"


def _fill(path: Path) -> None:
    """Write the sections a person would write before accepting a decision."""
    text = path.read_text("utf-8")
    lines = [
        "Written." if line.startswith(f"*{adr.TO_BE_COMPLETED}") else line
        for line in text.splitlines()
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")


def test_status_supersede_index_and_validate_after_each(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    first = json.loads(sdd("adr", "new", "Use MySQL", "--yes", "--json").stdout)
    second = json.loads(sdd("adr", "new", "Use PostgreSQL", "--yes", "--json").stdout)
    _fill(project / first["path"])
    _fill(project / second["path"])
    assert sdd("adr", "status", "1", "accepted").exit_code == 0
    assert _findings(project) == []
    assert sdd("adr", "status", "2", "accepted").exit_code == 0
    result = sdd("adr", "status", "1", "superseded", "--by", "2", "--json")
    assert result.exit_code == 0, result.output
    one = adr.read_adr(project / first["path"], 1)
    two = adr.read_adr(project / second["path"], 2)
    assert (one.status, one.superseded_by) == ("superseded", (2,))
    assert two.supersedes == (1,)
    assert _findings(project) == []
    index = sdd("adr", "index")
    assert index.exit_code == 0 and "wrote adr/README.md" in index.stdout
    table = (project / "adr/README.md").read_text("utf-8")
    assert "| 0001 | [Use MySQL](0001-use-mysql.md) | superseded | " in table
    assert "| ADR-0002 |" in table
    assert "up to date" in sdd("adr", "index").stdout
    assert _findings(project) == []
    # Leaving 'superseded' removes the links from both records, and the index follows.
    assert sdd("adr", "status", "1", "deprecated").exit_code == 0
    one = adr.read_adr(project / first["path"], 1)
    two = adr.read_adr(project / second["path"], 2)
    assert one.superseded_by == () and two.supersedes == ()
    assert "| deprecated |" in (project / "adr/README.md").read_text("utf-8")
    assert _findings(project) == []
    listed = json.loads(sdd("adr", "list", "--status", "deprecated", "--json").stdout)
    assert [a["id"] for a in listed["adrs"]] == [1]
    shown = json.loads(sdd("adr", "show", "2", "--json").stdout)
    assert shown["title"] == "Use PostgreSQL" and "## Decision" in shown["text"]


def test_new_with_supersedes_links_both_records(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("adr", "new", "Use MySQL", "--yes")
    result = sdd("adr", "new", "Use PostgreSQL", "--supersedes", "1", "--yes", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["updated"] == ["adr/0001-use-mysql.md"]
    one = adr.load_adrs(project / "adr")[0]
    assert one.status == "superseded" and one.superseded_by == (2,)
    assert _errors(project) == []
    again = sdd("adr", "new", "Use SQLite", "--supersedes", "2", "--supersedes", "2", "--yes")
    assert again.exit_code == 0, again.output
    three = adr.read_adr(project / "adr/0003-use-sqlite.md", 3)
    assert three.front_matter is not None and three.front_matter["supersedes"] == 2
    assert _errors(project) == []


def test_renumber_three_records_of_one_number_and_a_line_naming_two(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    for title in ("Use Postgres", "Use Redis", "Use Kafka"):
        sdd("adr", "new", title, "--yes", ok=True)
    _commit(project, "three records")
    folder = project / "adr"
    for name in ("0002-use-redis.md", "0003-use-kafka.md"):
        text = (folder / name).read_text("utf-8")
        # Neither is in git under its new name and both bear one date: the names decide.
        text = re.sub(
            r"(?m)^id: \d+$", "id: 1", re.sub(r"(?m)^date: .*$", "date: 2026-01-01", text)
        )
        (folder / name.replace(name[:4], "0001")).write_text(text, "utf-8")
        (folder / name).unlink()
    notes = project / "history/prompts/general/notes.md"
    notes.parent.mkdir(parents=True, exist_ok=True)
    notes.write_bytes(  # written on Windows: CRLF
        b"# Notes\r\n\r\n"
        b"See [k](../../../adr/0001-use-kafka.md) and [r](../../../adr/0001-use-redis.md).\r\n"
    )
    done = sdd("adr", "renumber", "--json")
    assert done.exit_code == 0, done.output
    moved = {r["old_path"]: r["new_path"] for r in json.loads(done.stdout)["renumbered"]}
    assert moved == {
        "adr/0001-use-kafka.md": "adr/0002-use-kafka.md",
        "adr/0001-use-redis.md": "adr/0003-use-redis.md",
    }
    # Both links on the one line follow their records.
    assert notes.read_bytes() == (
        b"# Notes\r\n\r\n"
        b"See [k](../../../adr/0002-use-kafka.md) and [r](../../../adr/0003-use-redis.md).\r\n"
    )
    assert sorted(p.name for p in folder.glob("0*.md")) == [
        "0001-use-postgres.md",
        "0002-use-kafka.md",
        "0003-use-redis.md",
    ]
    # Only the new records' sections still to be completed remain.
    assert [f for f in _findings(project) if "ADR012" not in f] == []


def test_renumber_refuses_before_writing_when_a_new_name_is_taken(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    for title in ("Use Postgres", "Use Redis", "Use Kafka"):
        sdd("adr", "new", title, "--yes", ok=True)
    folder = project / "adr"
    for name in ("0002-use-redis.md", "0003-use-kafka.md"):
        (folder / name).rename(folder / name.replace(name[:4], "0001"))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    plan = adrrenumber.plan_renumber(project, folder, [])
    (folder / "0003-use-redis.md").write_text("someone else's record\n", "utf-8")
    with pytest.raises(RefusedError, match="nothing was renamed"):
        adrrenumber.apply_renumber(plan)
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "0003-use-redis.md"}
    assert after == before


def test_status_errors_are_usage_errors(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("adr", "new", "One", "--yes")
    for args in (
        ("adr", "status", "1", "superseded"),
        ("adr", "status", "1", "accepted", "--by", "1"),
        ("adr", "status", "1", "finished"),
        ("adr", "status", "9", "accepted"),
        ("adr", "status", "1", "superseded", "--by", "1"),
        ("adr", "show", "9"),
        ("adr", "list", "--status", "nope"),
    ):
        result = sdd(*args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output


def test_status_keeps_adr_tools_and_spec_kit_plus_formats(
    tmp_path: Path, corpus: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "kit"
    shutil.copytree(corpus / "adr/bilalinit__evolution-of-todo", root / "history/adr")
    (root / "history/adr/0004-use-postgresql.md").write_text(
        ADR_TOOLS.replace("# 2. Use", "# 4. Use"), "utf-8"
    )
    monkeypatch.chdir(root)
    result = sdd("adr", "status", "1", "superseded", "--by", "4")
    assert result.exit_code == 0, result.output
    first = (root / "history/adr/0001-phase-i-storage-strategy.md").read_text("utf-8")
    assert "- **Status:** Superseded by ADR-0004" in first
    fourth = (root / "history/adr/0004-use-postgresql.md").read_text("utf-8")
    assert "Supersedes [1. Phase I Storage Strategy](0001-phase-i-storage-strategy.md)" in fourth
    assert _findings(root) == []


def _commit(root: Path, message: str, date: str | None = None) -> None:
    git(root, "add", "-A")
    dated = ["commit", f"--date={date}"] if date else ["commit"]
    git(root, *dated, "-q", "-m", message, env={"GIT_COMMITTER_DATE": date} if date else None)


def test_renumber_after_a_merge_fixes_references(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (project / "specs/001-x").mkdir(parents=True)
    (project / "specs/001-x/spec.md").write_text("# Spec\n\nSee ADR-0001.\n", "utf-8")
    (project / "history/prompts/general").mkdir(parents=True, exist_ok=True)
    _commit(project, "base")
    git(project, "checkout", "-q", "-b", "redis")
    sdd("adr", "new", "Use Redis", "--yes")
    (project / "history/prompts/general/0001-cache.general.prompt.md").write_text(
        "---\nid: 1\ntitle: cache\nlinks:\n  adr: adr/0001-use-redis.md\n---\n\n"
        "ADR-0001 decided.\n",
        "utf-8",
    )
    # Redis is the later record (whatever second the test runs in): it gets the new number.
    _commit(project, "redis", date="2026-01-02T12:00:00Z")
    git(project, "checkout", "-q", "main")
    sdd("adr", "new", "Use Kafka", "--yes")
    _commit(project, "kafka", date="2026-01-01T12:00:00Z")
    git(project, "merge", "-q", "--no-edit", "redis")
    assert any("ADR008" in f and "sdd adr renumber" in f for f in _errors(project))
    dry = sdd("adr", "renumber", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would rename adr/0001-use-redis.md → adr/0002-use-redis.md" in dry.stdout
    assert "dry run: nothing was written" in dry.stdout
    assert (project / "adr/0001-use-redis.md").exists()
    done = json.loads(sdd("adr", "renumber", "--json").stdout)
    assert done["renumbered"][0]["to"] == 2
    assert not (project / "adr/0001-use-redis.md").exists()
    redis = adr.read_adr(project / "adr/0002-use-redis.md", 2)
    assert redis.front_matter is not None and redis.front_matter["id"] == 2
    assert "# ADR-0002: Use Redis" in redis.text
    phr = (project / "history/prompts/general/0001-cache.general.prompt.md").read_text("utf-8")
    assert "adr: adr/0002-use-redis.md" in phr and "ADR-0002 decided." in phr
    assert "id: 1\n" in phr  # the PHR's own id is not an ADR reference
    # The spec was not changed alongside either record: its bare reference is ambiguous.
    assert "See ADR-0001." in (project / "specs/001-x/spec.md").read_text("utf-8")
    assert done["ambiguous"] and done["ambiguous"][0]["path"] == "specs/001-x/spec.md"
    assert _errors(project) == []
    assert "no two ADRs share a number" in sdd("adr", "renumber").stdout


def test_list_and_show_on_an_empty_project(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    assert json.loads(sdd("adr", "list", "--json").stdout)["adrs"] == []
    assert "No ADRs yet" in sdd("adr", "list").stdout


def test_index_keeps_text_written_around_the_table(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("adr", "new", "One", "--yes")
    readme = project / "adr/README.md"
    readme.write_text("# Our decisions\n\nHand-written intro.\n", "utf-8")
    assert sdd("adr", "index").exit_code == 0
    text = readme.read_text("utf-8")
    assert text.startswith("# Our decisions\n\nHand-written intro.\n")
    assert adrindex.INDEX_START in text and "| 0001 | [One]" in text
    assert _errors(project) == []


def test_index_never_overwrites_a_readme_it_cannot_read_and_keeps_crlf(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("adr", "new", "One", "--yes", ok=True)
    readme = project / "adr/README.md"
    readme.write_bytes(b"# D\xe9cisions\n")  # Latin-1, not UTF-8
    result = sdd("adr", "index")
    assert result.exit_code == 2
    assert "README.md:1: file is not valid UTF-8" in result.stderr
    assert readme.read_bytes() == b"# D\xe9cisions\n"
    assert sdd("adr", "status", "1", "accepted").exit_code == 0  # the index is left alone
    readme.write_bytes(b"# Decisions\r\n\r\nIntro.\r\n")
    assert sdd("adr", "index").exit_code == 0
    written = readme.read_bytes()
    assert written.startswith(b"# Decisions\r\n\r\nIntro.\r\n")
    assert b"| 0001 | [One]" in written and b"\n" not in written.replace(b"\r\n", b"")
    assert "is up to date" in sdd("adr", "index").stdout


def test_values_python_cannot_hold_are_a_finding_not_a_crash(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    digits = "1" * 5000  # longer than Python converts to int by default
    for number, value in ((1, "date: 2026-02-30"), (2, "date: 2026-13-01"), (3, f"id: {digits}")):
        (project / f"adr/000{number}-odd.md").write_text(
            f"---\nid: {number}\ntitle: Odd\nstatus: accepted\n{value}\n---\n# Odd\n", "utf-8"
        )
    listed = sdd("adr", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert [r["id"] for r in json.loads(listed.stdout)["adrs"]] == [1, 2, 3]
    errors = [e for e in _errors(project) if "ADR001" in e]
    assert len(errors) == 3 and all("invalid YAML value" in e for e in errors)
    assert sdd("adr", "detect", "--json").exit_code == 0


def test_a_heading_keeps_a_hash_that_ends_a_word(tmp_path: Path) -> None:
    path = tmp_path / "0003-c-sharp.md"
    path.write_text(ADR_TOOLS.replace("# 2. Use PostgreSQL", "# 3. Support C#"), "utf-8")
    assert adr.read_adr(path, 3).title == "Support C#"
    path.write_text(ADR_TOOLS.replace("# 2. Use PostgreSQL", "# 3. Support C# ##"), "utf-8")
    assert adr.read_adr(path, 3).title == "Support C#"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_and_binary_records_are_reported(project: Path) -> None:
    (project / "adr/0001-bad.md").write_bytes(b"\x00\x01binary")
    (project / "adr/0002-empty.md").write_text("", "utf-8")
    errors = _errors(project)
    assert any("0001-bad.md:1: error ADR001" in e for e in errors)
    assert any("0002-empty.md:1: error ADR001" in e for e in errors)


def test_show_of_malformed_records(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (project / "adr/0001-binary.md").write_bytes(b"\x00\x01binary")
    broken = "---\nid: 2\ntitle: [oops\n---\n# Two\n\nUse :rocket: and [bold]x[/bold].\n"
    (project / "adr/0002-broken.md").write_text(broken, "utf-8")
    unreadable = sdd("adr", "show", "1")
    assert unreadable.exit_code == 2
    assert unreadable.stderr.strip().splitlines() == [
        "error: adr/0001-binary.md: cannot read the record: file is binary, not text"
    ]
    shown = sdd("adr", "show", "2")
    assert shown.exit_code == 0, shown.output
    assert "warning: adr/0002-broken.md:4: invalid YAML" in shown.stderr
    assert shown.stdout.endswith(broken)  # verbatim: no emoji codes or markup interpreted
    document = json.loads(sdd("adr", "show", "2", "--json").stdout)
    assert document["problems"][0]["kind"] == "front-matter"
    assert document["text"] == broken


def test_malformed_records_are_not_edited(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    broken = "---\nid: 1\ntitle: [oops\nstatus: proposed\n---\n# One\n"
    (project / "adr/0001-broken.md").write_text(broken, "utf-8")
    sdd("adr", "new", "Two", "--yes", ok=True)
    for args in (
        ("adr", "status", "1", "accepted"),
        ("adr", "status", "1", "superseded", "--by", "2"),
        ("adr", "status", "2", "superseded", "--by", "1"),
        ("adr", "new", "Three", "--supersedes", "1", "--yes"),
    ):
        result = sdd(*args)
        assert result.exit_code == 2, args
        assert "cannot edit the record: invalid YAML" in result.stderr, args
        assert "0001-broken.md:4:" in result.stderr, args
    assert (project / "adr/0001-broken.md").read_text("utf-8") == broken
    assert sorted(p.name for p in (project / "adr").glob("0*.md")) == [
        "0001-broken.md",
        "0002-two.md",
    ]
    assert adr.read_adr(project / "adr/0002-two.md", 2).status == "proposed"


_title = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=80
).filter(lambda t: t.strip())


@given(title=_title)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_title_round_trips_through_the_template(tmp_path: Path, title: str) -> None:
    folder = tmp_path / "adr"
    draft = adrcreate.plan_new(folder, title)
    text = adrcreate.render_draft(draft, 7, None)
    path = folder / "0007-x.md"
    folder.mkdir(exist_ok=True)
    path.write_text(text, "utf-8")
    record = adr.read_adr(path, 7)
    assert record.problems == ()
    assert record.title == title.strip()
    assert record.status == "proposed"


@given(text=st.text(max_size=400))
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_reading_never_raises(tmp_path: Path, text: str) -> None:
    path = tmp_path / "0001-any.md"
    path.write_text(text, "utf-8", errors="surrogatepass")
    record = adr.read_adr(path, 1)
    assert record.number == 1
