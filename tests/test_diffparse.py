"""Unified diffs, git show and format-patch output parsed into files and changed lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.detect import diff as diffparse
from sdd.detect.diff import MAX_LINE_CHARS, MalformedDiff, parse, parse_git, unquote_path
from tests.support import git

SIMPLE = (
    b"""diff --git a/app/main.py b/app/main.py
index 1111111..2222222 100644
--- a/app/main.py
+++ b/app/main.py
@@ -1,4 +1,5 @@
 import os
-import sys
+import json
+import jwt
"""
    + b" \n print(os.name)\n"
)


def test_added_and_removed_lines_carry_their_line_numbers() -> None:
    patch = parse(SIMPLE)
    [change] = patch.files
    assert change.path == "app/main.py"
    assert change.status == diffparse.MODIFIED
    assert change.added == ["import json", "import jwt"]
    assert change.added_numbers == [2, 3]
    assert change.removed == ["import sys"]
    assert change.removed_numbers == [2]


def test_context_lines_are_not_changed_lines() -> None:
    [change] = parse(SIMPLE).files
    assert "import os" not in change.added + change.removed
    assert "print(os.name)" not in change.added + change.removed


def test_new_deleted_renamed_binary_and_mode_changes() -> None:
    data = b"""diff --git a/new.py b/new.py
new file mode 100644
index 0000000..1111111
--- /dev/null
+++ b/new.py
@@ -0,0 +1 @@
+x = 1
diff --git a/old.py b/old.py
deleted file mode 100644
index 1111111..0000000
--- a/old.py
+++ /dev/null
@@ -1 +0,0 @@
-y = 2
diff --git a/a/before.py b/b/after.py
similarity index 90%
rename from a/before.py
rename to b/after.py
diff --git a/logo.png b/logo.png
index 1111111..2222222 100644
Binary files a/logo.png and b/logo.png differ
diff --git a/run.sh b/run.sh
old mode 100644
new mode 100755
"""
    files = {f.path: f for f in parse(data).files}
    assert files["new.py"].status == diffparse.ADDED and files["new.py"].added == ["x = 1"]
    assert files["old.py"].status == diffparse.DELETED and files["old.py"].removed == ["y = 2"]
    renamed = files["b/after.py"]
    assert renamed.status == diffparse.RENAMED and renamed.old_path == "a/before.py"
    assert files["logo.png"].binary and not files["logo.png"].added
    assert files["run.sh"].old_mode == "100644" and files["run.sh"].new_mode == "100755"


def test_quoted_paths_with_unusual_characters() -> None:
    data = (
        b'diff --git "a/we ird\\tname.py" "b/we ird\\tname.py"\n'
        b"index 1..2 100644\n"
        b'--- "a/we ird\\tname.py"\t\n'
        b'+++ "b/we ird\\tname.py"\t\n'
        b"@@ -1 +1 @@\n-a\n+b\n"
        b'diff --git "a/\\303\\251t\\303\\251.py" "b/\\303\\251t\\303\\251.py"\n'
        b"new file mode 100644\n--- /dev/null\n"
        b'+++ "b/\\303\\251t\\303\\251.py"\n@@ -0,0 +1 @@\n+c\n'
    )
    paths = [f.path for f in parse(data).files]
    assert paths == ["we ird\tname.py", "été.py"]
    assert unquote_path('"a\\"b\\\\c"') == 'a"b\\c'


def test_crlf_and_non_utf8_lines_are_read() -> None:
    data = (
        b"diff --git a/w.txt b/w.txt\r\n--- a/w.txt\r\n+++ b/w.txt\r\n"
        b"@@ -1 +1,2 @@\r\n-old\r\n+caf\xe9 latin-1\r\n+new\r\n"
    )
    [change] = parse(data).files
    assert change.removed == ["old"]
    assert change.added == ["caf\ufffd latin-1", "new"]


def test_a_byte_order_mark_does_not_hide_the_first_file() -> None:
    rename = (
        b"diff --git a/old.py b/new.py\nsimilarity index 100%\n"
        b"rename from old.py\nrename to new.py\n"
    )
    patch = parse(b"\xef\xbb\xbf" + rename.replace(b"\n", b"\r\n"))
    assert [(f.old_path, f.path, f.status) for f in patch.files] == [
        ("old.py", "new.py", diffparse.RENAMED)
    ]


def test_plain_unified_diff_without_git_header() -> None:
    data = b"--- a/x.py\t2024-01-01\n+++ b/x.py\t2024-01-02\n@@ -1 +1 @@\n-a = 1\n+a = 2\n"
    [change] = parse(data).files
    assert change.path == "x.py"
    assert change.added == ["a = 2"]


def test_format_patch_email_with_signature_and_trailer() -> None:
    data = (
        b"""From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001
From: Dev <dev@example.com>
Date: Thu, 31 Oct 2019 00:08:27 +0100
Subject: [PATCH 1/2] =?UTF-8?q?=F0=9F=94=92=20Use=20JWT?=

Body line.

ADR: 0031
---
 app.py | 1 +

diff --git a/app.py b/app.py
--- a/app.py
+++ b/app.py
@@ -1,2 +1,3 @@
 a
+b
 c
"""
        + b"-- \n2.39.5\n\n"
    )
    patch = parse(data)
    [commit] = patch.commits
    assert commit.sha == "0123456789abcdef0123456789abcdef01234567"
    assert commit.subject == "🔒 Use JWT"
    assert "ADR: 0031" in commit.message
    [change] = patch.files
    assert change.added == ["b"]
    assert change.removed == []  # the "-- " signature is not a removed line


def test_git_show_default_format() -> None:
    data = b"""commit 0123456789abcdef0123456789abcdef01234567
Author: Dev <dev@example.com>
Date:   Thu Oct 31 00:08:27 2019 +0100

    Add things

    ADR: 12

diff --git a/a.py b/a.py
--- a/a.py
+++ b/a.py
@@ -1 +1 @@
-x
+y
"""
    patch = parse(data)
    assert patch.commits[0].subject == "Add things"
    assert "ADR: 12" in patch.commits[0].message
    assert patch.files[0].added == ["y"]


def test_truncated_hunk_ends_where_the_input_ends() -> None:
    data = b"diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,10 +1,10 @@\n-x\n+y\n"
    patch = parse(data)
    [change] = patch.files
    assert change.added == ["y"] and change.removed == ["x"]
    assert patch.short_hunks == [diffparse.ShortHunk("a.py", 4, 10, 10, 9, 9)]


def test_malformed_input_raises_a_clear_error() -> None:
    with pytest.raises(MalformedDiff):
        parse(b"this is not a diff\nat all\n")
    with pytest.raises(MalformedDiff):
        parse(b"\x00\x01\x02binary junk")
    assert parse(b"").files == []
    assert parse(b"\n\n").files == []


def test_a_ten_megabyte_line_is_cut_not_choked_on() -> None:
    huge = b"+" + b"x" * (10 * 1024 * 1024) + b"\n"
    data = b"diff --git a/m.js b/m.js\n--- a/m.js\n+++ b/m.js\n@@ -0,0 +1 @@\n" + huge
    [change] = parse(data).files
    assert len(change.added[0]) == MAX_LINE_CHARS


def test_combined_merge_diffs_are_skipped() -> None:
    data = (
        b"diff --cc a.py\nindex 1,2..3\n--- a/a.py\n+++ b/a.py\n@@@ -1,1 -1,1 +1,1 @@@\n- x\n +y\n"
    )
    patch = parse(data)
    assert patch.skipped_combined == 1


def test_raw_records_give_exact_paths(repo: Path) -> None:
    name = "dir with space/ünï\tcode.py"
    target = repo / name
    target.parent.mkdir()
    target.write_bytes(b"a = 1\n")
    git(repo, "add", "-A")
    from sdd.base import gitio

    patch = parse_git(gitio.staged_diff(repo).result())
    assert [f.path for f in patch.files] == [name]
    assert patch.files[0].added == ["a = 1"]


# --- property tests -----------------------------------------------------------------------------

_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=40
)


@st.composite
def _files(draw: st.DrawFn) -> list[tuple[str, list[str], list[str]]]:
    count = draw(st.integers(min_value=1, max_value=4))
    files = []
    for index in range(count):
        removed = draw(st.lists(_line, max_size=5))
        added = draw(st.lists(_line, max_size=5))
        files.append((f"pkg/file_{index}.py", removed, added))
    return files


def _render(files: list[tuple[str, list[str], list[str]]]) -> bytes:
    out = []
    for path, removed, added in files:
        out.append(f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n")
        out.append(f"@@ -1,{len(removed) + 1} +1,{len(added) + 1} @@\n context\n")
        out.extend(f"-{line}\n" for line in removed)
        out.extend(f"+{line}\n" for line in added)
    return "".join(out).encode("utf-8")


@given(_files())
@settings(max_examples=80, deadline=None)
def test_rendered_changes_parse_back_exactly(files: list[tuple[str, list[str], list[str]]]) -> None:
    patch = parse(_render(files))
    assert [(f.path, f.removed, f.added) for f in patch.files] == files
    assert patch.short_hunks == []
    for change, (_path, removed, added) in zip(patch.files, files, strict=True):
        assert change.added_numbers == list(range(2, 2 + len(added)))
        assert change.removed_numbers == list(range(2, 2 + len(removed)))


@given(st.binary(max_size=2000))
@settings(max_examples=150, deadline=None)
def test_arbitrary_bytes_never_crash_the_parser(data: bytes) -> None:
    try:
        patch = parse(b"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n" + data)
    except MalformedDiff:  # pragma: no cover - the header makes it a diff
        return
    assert patch.files


@given(_files(), st.data())
@settings(max_examples=60, deadline=None)
def test_a_hunk_cut_short_is_reported_with_what_is_missing(
    files: list[tuple[str, list[str], list[str]]], data: st.DataObject
) -> None:
    _path, removed, added = files[-1]
    body = [" context", *(f"-{line}" for line in removed), *(f"+{line}" for line in added)]
    cut = data.draw(st.integers(min_value=1, max_value=len(body)))
    rendered = _render(files).decode("utf-8").split("\n")[:-1]
    kept = rendered[: len(rendered) - cut]
    patch = parse("\n".join(kept).encode("utf-8") + b"\n")
    gone = body[len(body) - cut :]
    [short] = patch.short_hunks
    assert short.path == files[-1][0] and kept[short.diff_line - 1].startswith("@@ ")
    assert short.old_missing == sum(1 for line in gone if line[0] in " -")
    assert short.new_missing == sum(1 for line in gone if line[0] in " +")
    assert (short.old_count, short.new_count) == (len(removed) + 1, len(added) + 1)
