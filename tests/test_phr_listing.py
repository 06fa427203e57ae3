"""``sdd phr list`` reads records back in bounded memory (ADR 0174): when the records spill to
a temporary file and merge in several rounds, every output mode prints the same bytes, in
the same order, as when they fit in memory."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sdd.phr import record as phr
from sdd.phr.listing import list_records, open_listing, order_key, read_entry
from sdd.project.project import load_project
from tests.conftest import sdd_executable
from tests.support import build_file_tree
from tests.test_spillsort import tiny_runs


def _record(record_id: str | None, stage: str, title: str, labels: str = "[]") -> str:
    header = f"id: '{record_id}'\n" if record_id is not None else ""
    return (
        f"---\n{header}title: {title}\nstage: {stage}\ndate: 2026-01-0{len(title) % 9 + 1}\n"
        f"labels: {labels}\n---\n\n## Prompt\n\nx\n"
    )


@pytest.fixture
def records(project: Path) -> Path:
    build_file_tree(
        project,
        {
            "history/prompts/general/0003-third.general.prompt.md": _record(
                "0003", "general", "Third", "[x]"
            ),
            "history/prompts/general/0001-first.general.prompt.md": _record(
                "0001", "general", "First"
            ),
            # The header's ID, not the name's, places a record.
            "history/prompts/general/0002-moved.general.prompt.md": _record(
                "0010", "general", "Header says ten", "[x]"
            ),
            "history/prompts/001-auth/0002-spec.spec.prompt.md": _record(None, "spec", "Spec"),
            "history/prompts/001-auth/0009-red.red.prompt.md": _record("9", "red", "Red"),
            "history/prompts/001-auth/0004-green.green.prompt.md": _record(
                "0004", "green", "Green with a much longer title"
            ),
            "history/prompts/001-auth/nested/0005-deep.misc.prompt.md": _record(
                "0005", "misc", "Deep"
            ),
            "history/prompts/constitution/0002-same-id.constitution.prompt.md": _record(
                "0002", "constitution", "Same ID, another route"
            ),
            "history/prompts/constitution/0006-word.constitution.prompt.md": _record(
                "draft", "constitution", "Not a number"
            ),
            f"history/prompts/general/{'0' * 40}99-big.general.prompt.md": _record(
                None, "general", "Many zeros"
            ),
            "history/prompts/general/0008-broken.general.prompt.md": "---\nid: [unclosed\n---\n",
        },
    )
    return project


MODES = (
    (),
    ("--json",),
    ("--stage", "general"),
    ("--label", "x", "--json"),
    ("--feature", "001"),
    ("--since", "2026-01-05", "--json"),
)


@pytest.mark.parametrize("arguments", MODES)
def test_spilled_and_merged_runs_print_what_one_run_prints(
    records: Path, sdd: Any, arguments: tuple[str, ...]
) -> None:
    whole = sdd("phr", "list", *arguments, ok=True).stdout
    with tiny_runs(run_size=2, batch_size=1, fan_in=2):
        spilled = sdd("phr", "list", *arguments, ok=True).stdout
    assert spilled == whole
    assert whole.strip()


def test_records_come_in_id_order_whatever_folder_or_run_holds_them(records: Path) -> None:
    project = load_project(records)
    with tiny_runs(run_size=2, batch_size=1, fan_in=2):
        listed = list_records(project)
    found = (read_entry(project, file) for file in phr.iter_record_files(project.paths.prompts))
    assert listed == sorted((entry for entry in found if entry is not None), key=order_key)
    assert [(entry.id, entry.route) for entry in listed] == [
        ("draft", "constitution"),
        ("0001", "general"),
        ("0002", "001-auth"),
        ("0002", "constitution"),
        ("0003", "general"),
        ("0004", "001-auth"),
        ("0005", "001-auth"),
        ("0008", "general"),
        ("9", "001-auth"),
        ("0010", "general"),
        ("0" * 40 + "99", "general"),
    ]


def test_a_listings_fields_are_table_rows_read_as_often_as_asked(records: Path) -> None:
    with (
        tiny_runs(run_size=2, batch_size=1, fan_in=2),
        open_listing(load_project(records)) as found,
    ):
        ids = found.fields("id")
        assert len(ids) == len(found) == 11
        assert list(ids) == [(entry.id,) for entry in found] == list(ids)
        pairs = list(found.fields("stage", "title"))
        assert pairs[0] == ("constitution", "Not a number")


def test_the_json_document_is_one_document_with_every_record(records: Path, sdd: Any) -> None:
    with tiny_runs(run_size=2, batch_size=1, fan_in=2):
        printed = sdd("phr", "list", "--json", ok=True).stdout
    document = json.loads(printed)
    assert document["schema"] == "sdd.phr-list/1"
    assert len(document["records"]) == 11
    empty = sdd("phr", "list", "--stage", "tasks", "--json", ok=True).stdout
    assert empty == '{\n  "schema": "sdd.phr-list/1",\n  "records": []\n}\n'


@pytest.mark.parametrize("arguments", [(), ("--json",)])
def test_a_reader_that_stops_early_ends_the_listing_quietly(
    project: Path, arguments: tuple[str, ...]
) -> None:
    """More than a pipe holds (64 KB), read a line of: exit 0, nothing on stderr, as for any
    reader that went away."""
    folder = project / "history/prompts/general"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, 601):
        (folder / f"{number:04d}-record-{number}.general.prompt.md").write_text(
            _record(f"{number:04d}", "general", f"Record {number} " + "x" * 100), "utf-8"
        )
    listing = subprocess.Popen(
        [sdd_executable(), "phr", "list", *arguments],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert listing.stdout is not None and listing.stderr is not None
    assert listing.stdout.readline()
    listing.stdout.close()
    errors = listing.stderr.read()
    assert listing.wait(timeout=120) == 0, errors
    assert errors == b""
