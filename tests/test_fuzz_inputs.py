"""Fuzzing every parser through the CLI: whatever the input, sdd ends with exit 0, 1 or 2 (never
3, never a traceback) and writes nothing outside the project.

Parsers: front matter (PHR and ADR), unified diffs, task lists, ``sdd.yaml``, rule packs (the
``detect.rules`` of ``sdd.yaml``) and the titles the CLI takes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sdd.cli.main import app

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text with everything that breaks naive parsers: control characters, lone surrogates, huge
# numbers, YAML and Markdown syntax, very long lines.
NASTY = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(blacklist_categories=())),
    st.sampled_from(
        [
            "9" * 5000,
            "\ud800",
            "-x",
            "--",
            "&a [*a, *a]",
            "!!python/object:os.system ls",
            "{{ 7 * 7 }}",
            "../../etc/passwd",
            "a" * 100_000,
            "\x00\x01",
            "---",
            "- [ ] T001 \u2028 x",
        ]
    ),
    st.builds(lambda a, b: a + b, st.text(max_size=30), st.sampled_from([":", ": [", "- ", "#"])),
)


def _invoke(root: Path, *args: str) -> int:
    result = CliRunner().invoke(app, ["--project", str(root), *args])
    exception = result.exception
    if exception is not None and not isinstance(exception, SystemExit):
        raise AssertionError(f"{args!r} raised {exception!r}") from exception
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output[-500:])
    return result.exit_code


def _outside(root: Path) -> set[Path]:
    return {p for p in root.parent.rglob("*") if root not in p.parents and p != root}


@pytest.fixture
def fuzz_project(project: Path) -> Path:
    (project / "specs/001-x").mkdir(parents=True, exist_ok=True)
    return project


def _check(root: Path, before: set[Path], *args: str) -> None:
    _invoke(root, *args)
    assert _outside(root) == before, "a file appeared outside the project"


@FUZZ
@given(header=NASTY)
def test_front_matter(fuzz_project: Path, header: str) -> None:
    before = _outside(fuzz_project)
    record = fuzz_project / "history/prompts/general/0001-fuzz.general.prompt.md"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(
        f"---\n{header}\n---\n\n## Prompt\n\nhi\n", encoding="utf-8", errors="surrogatepass"
    )
    adr = fuzz_project / "adr/0001-fuzz.md"
    adr.parent.mkdir(parents=True, exist_ok=True)
    adr.write_text(f"---\nid: {header}\n---\n# x\n", encoding="utf-8", errors="surrogatepass")
    _check(fuzz_project, before, "validate")
    _check(fuzz_project, before, "phr", "list")
    _check(fuzz_project, before, "adr", "list")


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=2000), NASTY.map(lambda t: t.encode("utf-8", "surrogatepass"))
    )
)
def test_diff(fuzz_project: Path, data: bytes) -> None:
    before = _outside(fuzz_project)
    diff = fuzz_project / "fuzz.diff"
    diff.write_bytes(b"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n" + data)
    _check(fuzz_project, before, "adr", "detect", "--diff-file", str(diff))
    diff.write_bytes(data)
    _check(fuzz_project, before, "adr", "detect", "--diff-file", str(diff), "--json")


@FUZZ
@given(lines=st.lists(NASTY, max_size=6), task=NASTY)
def test_tasks(fuzz_project: Path, lines: list[str], task: str) -> None:
    before = _outside(fuzz_project)
    tasks = fuzz_project / "specs/001-x/tasks.md"
    body = "".join(f"- [ ] T{n:03d} {line}\n" for n, line in enumerate(lines, 1))
    tasks.write_text("# Tasks\n\n" + body, encoding="utf-8", errors="surrogatepass")
    _check(fuzz_project, before, "tasks", "done", "T001", "--feature", "001-x")
    _check(fuzz_project, before, "tasks", "done", task or "T9", "--feature", "001-x")
    _check(fuzz_project, before, "validate")


@FUZZ
@given(config=NASTY)
def test_sdd_yaml(fuzz_project: Path, config: str) -> None:
    before = _outside(fuzz_project)
    saved = (fuzz_project / "sdd.yaml").read_bytes()
    try:
        (fuzz_project / "sdd.yaml").write_text(config, encoding="utf-8", errors="surrogatepass")
        _check(fuzz_project, before, "validate")
        _check(fuzz_project, before, "status")
    finally:
        (fuzz_project / "sdd.yaml").write_bytes(saved)


RULE = st.fixed_dictionaries(
    {"id": NASTY, "title": NASTY},
    optional={
        "weight": st.one_of(st.integers(), st.floats(allow_nan=True), NASTY),
        "patterns": st.lists(NASTY, max_size=3),
        "paths": st.lists(NASTY, max_size=3),
        "signal": NASTY,
    },
)


@FUZZ
@given(rules=st.lists(RULE, max_size=3))
def test_rule_pack(fuzz_project: Path, rules: list[dict[str, object]]) -> None:
    before = _outside(fuzz_project)
    saved = (fuzz_project / "sdd.yaml").read_bytes()
    try:
        config = yaml.safe_load(saved) or {}
        config["detect"] = {"rules": rules}
        text = json.dumps(config, ensure_ascii=True)  # JSON is YAML
        (fuzz_project / "sdd.yaml").write_text(text, encoding="utf-8")
        diff = fuzz_project / "fuzz.diff"
        diff.write_text(
            "diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -1 +1 @@\n-a\n+"
            + "a" * 40
            + "b\n",
            encoding="utf-8",
        )
        _check(fuzz_project, before, "adr", "detect", "--diff-file", str(diff))
    finally:
        (fuzz_project / "sdd.yaml").write_bytes(saved)


@FUZZ
@given(title=NASTY)
def test_cli_titles(fuzz_project: Path, title: str) -> None:
    before = _outside(fuzz_project)
    _check(fuzz_project, before, "feature", "new", "--", title)
    _check(fuzz_project, before, "adr", "new", "--yes", "--", title)
    _check(
        fuzz_project,
        before,
        "phr",
        "new",
        "--stage",
        "general",
        "--prompt",
        "fuzz",
        "--title",
        title,
    )
