"""``sdd phr``: creation by route and stage, verbatim round trips, IDs under concurrency,
validation rules on written records, secrets, list and show, and bad input."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sdd.base import yamlio
from sdd.base.yamlsubset import load_flat
from sdd.phr import record as phr
from sdd.phr.create import NewRecord, create
from sdd.phr.schema import KEYS
from sdd.project.project import load_project
from sdd.project.selection import Selection
from sdd.text import secrets
from sdd.text.placeholders import is_placeholder_value
from sdd.validation.validate import validate
from tests.conftest import sdd_executable
from tests.support import git


@pytest.fixture
def feature_project(project: Path) -> Path:
    (project / "specs/001-user-auth").mkdir(parents=True)
    return project


def new(sdd, *args: str):  # type: ignore[no-untyped-def]
    return sdd("phr", "new", *args, "--json")


# -- creation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "route"),
    [("constitution", "constitution"), ("general", "general"), ("spec", "001-user-auth")],
)
def test_records_are_routed_by_stage(feature_project: Path, sdd, stage: str, route: str) -> None:  # type: ignore[no-untyped-def]
    result = new(
        sdd, "--stage", stage, "--title", "Add login", "--prompt", "hi", "--feature", "001"
    )
    assert result.exit_code == 0, result.output
    created = json.loads(result.stdout)
    assert created["schema"] == "sdd.phr-new/1"
    assert created["route"] == route and created["stage"] == stage and created["id"] == "0001"
    assert created["path"] == f"history/prompts/{route}/0001-add-login.{stage}.prompt.md"
    assert (feature_project / created["path"]).is_file()


def test_ids_continue_from_the_largest_anywhere(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    old = feature_project / "history/prompts/general/0041-older-kit.general.prompt.md"
    old.write_text("legacy\n", encoding="utf-8")
    result = new(
        sdd, "--stage", "spec", "--feature", "001-user-auth", "--title", "t", "--prompt", "p"
    )
    assert json.loads(result.stdout)["id"] == "0042"


def test_feature_from_branch_and_environment(feature_project: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    git(feature_project, "checkout", "-q", "-b", "001-user-auth")
    assert (
        json.loads(new(sdd, "--stage", "plan", "--title", "a", "--prompt", "p").stdout)["route"]
        == "001-user-auth"
    )
    git(feature_project, "checkout", "-q", "main")
    monkeypatch.setenv("SDD_FEATURE", "001-user-auth")
    assert (
        json.loads(new(sdd, "--stage", "red", "--title", "b", "--prompt", "p").stdout)["route"]
        == "001-user-auth"
    )


def test_no_feature_and_unknown_stage_exit_2_listing_choices(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    missing = sdd("phr", "new", "--stage", "tasks", "--title", "t", "--prompt", "p")
    assert missing.exit_code == 2 and "001-user-auth" in missing.stderr
    stage = sdd("phr", "new", "--stage", "analyze", "--title", "t", "--prompt", "p")
    assert stage.exit_code == 2 and "explainer" in stage.stderr
    assert not list((feature_project / "history/prompts").rglob("*.prompt.md"))


def test_front_matter_is_filled_from_clock_git_and_flags(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    path = json.loads(
        new(
            sdd,
            *("--stage", "green", "--feature", "001-user-auth", "--title", "Make it pass"),
            *("--prompt", "go", "--model", "m-1", "--command", "/sp.implement"),
            *("--label", "auth", "--label", "api", "--file", "src/a.py", "--test", "t1"),
            *("--link", "spec=specs/001-user-auth/spec.md", "--link", "pr=https://x/1"),
        ).stdout
    )["path"]
    record = phr.read_record(feature_project / path)
    front = record.data
    assert front["id"] == "0001" and front["stage"] == "green" and front["model"] == "m-1"
    assert front["user"] == "Test User" and front["branch"] == "main"
    assert phr.iso_date(front["date"]) is not None
    assert front["labels"] == ["auth", "api"] and front["files"] == ["src/a.py"]
    assert front["links"] == {
        "spec": "specs/001-user-auth/spec.md",
        "ticket": None,
        "adr": None,
        "pr": "https://x/1",
    }
    assert tuple(front) == KEYS


TRICKY_PROMPT = (
    "---\nid: 99\n---\n## Response snapshot\n```python\nprint('x')\n```\n"
    "````\nfour\n````\n$ARGUMENTS and [DATE]\n  trailing spaces  \n\n"
)


def test_prompt_is_stored_verbatim_and_the_record_validates(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    prompt_file = feature_project / "prompt.txt"
    prompt_file.write_text(TRICKY_PROMPT, encoding="utf-8")
    result = new(
        sdd,
        *("--stage", "general", "--title", 'He said: "yes" # no: [A]'),
        *("--prompt-file", str(prompt_file), "--response", "## Outcome\nfine"),
    )
    path = feature_project / json.loads(result.stdout)["path"]
    record = phr.read_record(path)
    assert record.prompt == TRICKY_PROMPT
    assert record.response == "## Outcome\nfine"
    assert record.data["title"] == 'He said: "yes" # no: [A]'
    checked = sdd("phr", "validate", str(path), "--json")
    assert checked.exit_code == 0, checked.stdout
    assert json.loads(checked.stdout)["findings"] == []


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.text(min_size=1).filter(
        lambda t: t.strip() and "\x00" not in t and any(c.isalnum() for c in t)
    ),
    prompt=st.text(min_size=1).filter(lambda t: t.strip() and "\x00" not in t),
    response=st.one_of(st.none(), st.text().filter(lambda t: "\x00" not in t)),
)
def test_any_title_prompt_and_response_round_trip(
    tmp_path_factory: pytest.TempPathFactory, title: str, prompt: str, response: str | None
) -> None:
    # A section that is one bracketed word is a template's leftover: refused, by design.
    assume(not is_placeholder_value(prompt))
    assume(response is None or not is_placeholder_value(response))
    root = tmp_path_factory.mktemp("rt")
    (root / "sdd.yaml").write_text("version: 1\n", encoding="utf-8")
    project = load_project(root)
    request = NewRecord(
        stage="general", title=title, prompt=prompt, response=response, branch="b", user="u"
    )
    created = create(project, request)
    record = phr.read_record(created.path)
    expected_prompt, _ = secrets.redact(prompt)
    assert record.prompt == expected_prompt
    assert record.response == (secrets.redact(response)[0] if response is not None else "")
    assert record.data["title"] == title
    assert not [
        f for f in validate(project, Selection.everything()).findings if f.severity == "error"
    ]


@pytest.mark.slow
def test_fifty_concurrent_creators_get_fifty_distinct_ids(feature_project: Path) -> None:
    command = [sdd_executable(), "phr", "new", "--stage", "general", "--prompt", "p", "--json"]
    processes = [
        subprocess.Popen(
            [*command, "--title", f"parallel {index}"],
            cwd=feature_project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index in range(50)
    ]
    outputs = [process.communicate() for process in processes]
    assert all(process.returncode == 0 for process in processes), outputs
    ids = {json.loads(out)["id"] for out, _ in outputs}
    files = list((feature_project / "history/prompts/general").glob("*.prompt.md"))
    assert len(ids) == 50 and len(files) == 50
    assert {f.name.split("-")[0] for f in files} == {f"{n:04d}" for n in range(1, 51)}


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--title", "../..", "--prompt", "p"), "no letters"),
        (("--title", "t", "--prompt", "   \n"), "prompt is empty"),
        (("--title", "t"), "no prompt given"),
        (("--title", "t", "--prompt", "p", "--prompt-file", "x"), "not both"),
        (("--title", "t", "--prompt", "p", "--link", "jira=1"), "unknown link"),
        (("--title", "t", "--prompt", "p", "--date", "yesterday"), "ISO date"),
        (("--title", "t", "--prompt", "p", "--label", "a\nb"), "single line"),
        (("--title", "t", "--prompt-file", "missing.txt"), "no such prompt file"),
        (("--title", "t", "--prompt", "{{ PROMPT_TEXT }}"), "would not pass validation"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    feature_project: Path,
    sdd,
    args: tuple[str, ...],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    result = sdd("phr", "new", "--stage", "general", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list((feature_project / "history/prompts").rglob("*.prompt.md"))


def test_huge_and_binary_prompt_files_are_refused(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    huge = feature_project / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = sdd("phr", "new", "--stage", "general", "--title", "t", "--prompt-file", str(huge))
    assert result.exit_code == 2 and "larger than 10 MB" in result.stderr
    binary = feature_project / "bin.dat"
    binary.write_bytes(b"abc\x00def")
    result = sdd("phr", "new", "--stage", "general", "--title", "t", "--prompt-file", str(binary))
    assert result.exit_code == 2 and "binary" in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_prompt_file_is_read_only_up_to_the_limit(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    # A device reports size 0, so the size check passed and the read never ended.
    result = sdd("phr", "new", "--stage", "general", "--title", "t", "--prompt-file", "/dev/zero")
    assert result.exit_code == 2
    assert "/dev/zero: prompt is larger than 10 MB" in result.stderr


def test_prompt_from_stdin_and_closed_stdin(feature_project: Path) -> None:
    command = [sdd_executable(), "phr", "new", "--stage", "general", "--title", "t"]
    piped = subprocess.run(
        [*command, "--prompt-file", "-", "--json"],
        input="from stdin\n---\n",
        cwd=feature_project,
        capture_output=True,
        text=True,
    )
    assert piped.returncode == 0, piped.stderr
    record = phr.read_record(feature_project / json.loads(piped.stdout)["path"])
    assert record.prompt == "from stdin\n---\n"
    closed = subprocess.run(
        ["bash", "-c", '"$@" <&-', "bash", *command, "--prompt-file", "-"],
        cwd=feature_project,
        capture_output=True,
        text=True,
    )
    assert closed.returncode == 2
    assert "stdin is closed" in closed.stderr and "Traceback" not in closed.stderr
    assert len(list((feature_project / "history/prompts/general").glob("*.md"))) == 1


# -- secrets -----------------------------------------------------------------------------------

AWS = "AKIA" + "IOSFODNN7ABCDEFG"
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlF"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"key {AWS} here", "aws-access-key"),
        (f"token {GITHUB}", "github-token"),
        (f"Authorization: Bearer {JWT}", "jwt"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "private-key"),
        ("export DB_PASSWORD=Tr0ub4dor&3x", "credential"),
        ('{"api_key": "q8Zk2LmN0pR7"}', "credential"),
        ("postgres://app:S3cr3tPw9@db:5432/x", "url-password"),
    ],
)
def test_secrets_are_found_and_redacted_with_a_visible_marker(text: str, kind: str) -> None:
    from sdd.text.placeholders import find_placeholders

    redacted, found = secrets.redact(text)
    assert [s.kind for s in found] == [kind]
    assert f"[REDACTED:{kind}]" in redacted
    assert secrets.find_secrets(redacted) == []
    assert find_placeholders(redacted) == []


@pytest.mark.parametrize(
    "text",
    [
        "Password: Required, min 8 characters",
        "BETTER_AUTH_SECRET=your-secret-key",
        "DATABASE_URL=postgresql://user:password@host/dbname",
        'BETTER_AUTH_SECRET="same-32-char-secret-as-frontend"',
        "password = os.environ['DB_PASSWORD']",
        "token=${GITHUB_TOKEN}",
    ],
)
def test_placeholder_values_are_not_secrets(text: str) -> None:
    assert secrets.find_secrets(text) == []


def test_new_redacts_by_default_and_reports(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = new(sdd, "--stage", "general", "--title", "t", "--prompt", f"use {AWS}")
    created = json.loads(result.stdout)
    assert created["redacted"] == [{"section": "Prompt", "kind": "aws-access-key", "line": 1}]
    text = (feature_project / created["path"]).read_text("utf-8")
    assert AWS not in text and "[REDACTED:aws-access-key]" in text
    kept = new(sdd, "--stage", "general", "--title", "u", "--prompt", f"use {AWS}", "--no-redact")
    created = json.loads(kept.stdout)
    assert AWS in (feature_project / created["path"]).read_text("utf-8")
    assert [f["code"] for f in created["findings"]] == ["PHR022"]
    lenient = sdd("phr", "validate", "--json")
    assert lenient.exit_code == 0
    strict = sdd("phr", "validate", "--strict", "--json")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout)["findings"][0]["severity"] == "error"


# -- validation ------------------------------------------------------------------------------

RAW_TEMPLATE = """---
id: {{ID}}
title: {{TITLE}}
stage: {{STAGE}}
date: {{DATE_ISO}}
surface: {{SURFACE}}
model: "{{MODEL}}"
feature: {{FEATURE}}
branch: {{BRANCH}}
user: {{USER}}
command: {{COMMAND}}
labels: [{{LABELS}}]
links:
  spec: {{LINKS_SPEC}}
files:
{{FILES_YAML}}
tests:
{{TESTS_YAML}}
---

## Prompt

{{PROMPT_TEXT}}

## Response snapshot

{{RESPONSE_TEXT}}

## Outcome

- ✅ Impact: {{OUTCOME_IMPACT}}
- 🧪 Tests: {{TESTS_SUMMARY}}

## Evaluation notes (flywheel)

- Failure modes observed: {{FAILURE_MODES}}
"""


def write(project: Path, relative: str, text: str) -> Path:
    path = project / "history/prompts" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def findings(sdd, *paths: Path) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    result = sdd("phr", "validate", *map(str, paths), "--json")
    document = json.loads(result.stdout)
    assert document["schema"] == "sdd.validate/1"
    assert result.exit_code == (0 if document["ok"] else 1)
    return [(f["code"], f["line"], f["severity"]) for f in document["findings"]]


def test_a_record_written_from_the_raw_template(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    path = write(feature_project, "general/0001-raw.general.prompt.md", RAW_TEMPLATE)
    found = findings(sdd, path)
    placeholder_lines = {line for code, line, _ in found if code == "PHR021"}
    assert {2, 3, 4, 5, 14, 16, 18} <= placeholder_lines  # front matter values and lines
    assert {21, 25, 31, 32, 36} <= placeholder_lines  # whole sections (at their heading), fields
    assert ("PHR004", 17, "error") in found  # libyaml stops at "tests:" after {{FILES_YAML}}


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("no front matter\n\n## Prompt\n\nhi\n", "PHR002", 1),
        ("---\nid: 1\ntitle: [broken\n---\n## Prompt\nhi\n", "PHR004", 4),
        ("---\n- a\n- b\n---\n## Prompt\nhi\n", "PHR005", 2),
        ("---\nid: '0001'\ntitle: t\n\n## Prompt\n\nhi\n", "PHR003", 1),
        (
            "---\nid: '1'\ntitle: t\nstage: general\ndate: 2026-13-40\n---\n## Prompt\nhi\n",
            "PHR010",
            5,
        ),
        ("\x00\x01binary", "PHR001", 1),
        ("", "PHR002", 1),
        ("---\nid: '1'\n---\n## Prompt\nhi\n## Evaluation notes(flywheel)\n", "PHR007", 2),
    ],
)
def test_broken_records_get_one_finding_each_without_traceback(
    feature_project: Path,
    sdd,
    text: str,
    code: str,
    line: int,  # type: ignore[no-untyped-def]
) -> None:
    path = write(feature_project, "general/0001-t.general.prompt.md", text)
    assert (code, line, "error") in findings(sdd, path)


def test_a_null_key_is_an_unknown_key(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    text = "---\nid: '1'\ntitle: t\nnull: x\n---\n## Prompt\nhi\n"
    path = write(feature_project, "general/0001-t.general.prompt.md", text)
    assert ("PHR008", 4, "warning") in findings(sdd, path)


def test_file_name_and_front_matter_must_agree(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    body = (
        "---\nid: '0007'\ntitle: Something else entirely\nstage: general\n"
        "date: 2026-01-01\n---\n\n## Prompt\n\nhi\n"
    )
    path = write(feature_project, "general/0008-add-login.misc.prompt.md", body)
    found = findings(sdd, path)
    assert ("PHR012", 2, "error") in found  # ID
    assert ("PHR012", 4, "error") in found  # stage
    assert ("PHR013", 3, "warning") in found  # slug


def test_sdd_validate_runs_the_phr_checker(feature_project: Path) -> None:
    write(feature_project, "general/0001-x.general.prompt.md", "no front matter\n")
    report = validate(load_project(feature_project), Selection.everything())
    assert "PHR002" in {f.code for f in report.findings}


def test_validate_human_output_and_missing_path(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    write(feature_project, "general/0001-x.general.prompt.md", "no front matter\n")
    result = sdd("phr", "validate")
    assert result.exit_code == 1
    assert "history/prompts/general/0001-x.general.prompt.md:1: error PHR002" in result.stdout
    assert sdd("phr", "validate", "nope.md").exit_code == 2


def test_validate_refuses_a_path_outside_the_project(
    feature_project: Path, sdd, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "0001-x.general.prompt.md"
    outside.write_text("no front matter\n", encoding="utf-8")
    result = sdd("phr", "validate", str(outside))
    assert result.exit_code == 2  # it used to say "no problems" without checking it
    assert f"{outside} is outside the project" in result.stderr


# -- list and show ---------------------------------------------------------------------------


def test_list_and_show(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    new(
        sdd,
        "--stage",
        "spec",
        "--feature",
        "001",
        "--title",
        "First",
        "--prompt",
        "a",
        "--label",
        "x",
    )
    new(sdd, "--stage", "general", "--title", "Second", "--prompt", "b", "--date", "2020-01-01")
    listed = json.loads(sdd("phr", "list", "--json", ok=True).stdout)
    assert listed["schema"] == "sdd.phr-list/1"
    assert [(r["id"], r["stage"], r["route"], r["title"]) for r in listed["records"]] == [
        ("0001", "spec", "001-user-auth", "First"),
        ("0002", "general", "general", "Second"),
    ]
    only = json.loads(sdd("phr", "list", "--label", "x", "--json").stdout)["records"]
    assert [r["id"] for r in only] == ["0001"]
    since = json.loads(sdd("phr", "list", "--since", "2021-01-01", "--json").stdout)["records"]
    assert [r["id"] for r in since] == ["0001"]
    assert [
        r["id"]
        for r in json.loads(sdd("phr", "list", "--feature", "001", "--json").stdout)["records"]
    ] == ["0001"]
    shown = json.loads(sdd("phr", "show", "2", "--json", ok=True).stdout)
    assert shown["front_matter"]["title"] == "Second" and shown["sections"]["Prompt"] == "b"
    assert sdd("phr", "show", "9").exit_code == 2
    assert "First" in sdd("phr", "list").stdout


# -- the fast front matter reader --------------------------------------------------------------

_scalar_text = st.one_of(
    st.text(
        alphabet=st.sampled_from(list("aZ09 -_:#'\"[]{},.!&*|>%@`~?/\\\té\u2028")), max_size=12
    ),
    st.sampled_from(["null", "~", "Null", "", "'a''b'", '"q"']),
)
_line = st.one_of(
    st.builds(
        lambda k, v: f"{k}: {v}", st.sampled_from(["id", "title", "ID", "links"]), _scalar_text
    ),
    st.builds(lambda k: f"{k}:", st.sampled_from(["files", "links", "tests"])),
    st.builds(lambda i, v: f"{i}- {v}", st.sampled_from(["", "  ", " "]), _scalar_text),
    st.builds(
        lambda i, k, v: f"{i}{k}: {v}",
        st.sampled_from(["  ", "    "]),
        st.sampled_from(["spec", "pr"]),
        _scalar_text,
    ),
    st.builds(lambda v: f"labels: [{v}]", _scalar_text),
    _scalar_text,
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_line, max_size=8))
def test_fast_reader_agrees_with_libyaml_whenever_it_answers(lines: list[str]) -> None:
    text = "\n".join(lines)
    fast = load_flat(text)
    if fast is None:
        return
    try:
        slow = yamlio.load_untyped(text, "x")
    except Exception as exc:
        pytest.fail(f"fast reader accepted YAML that libyaml rejects ({exc}): {text!r}")
    assert fast == slow, text


def test_fast_schema_check_never_accepts_what_pydantic_rejects() -> None:
    from sdd.phr.schema import fits, model

    front_matter = model()
    samples = [
        {"id": "1", "title": "t", "stage": "s", "date": "d"},
        {"id": "1", "title": "t", "stage": "s", "date": "d", "links": {"spec": None, "x": 1}},
        {"id": "1", "title": "t", "stage": "s", "date": "d", "files": [None, "a"]},
        {"id": "x", "title": "t", "stage": "s", "date": "d"},
        {"id": "1", "title": " ", "stage": "s", "date": "d"},
        {"id": "1", "title": "t", "stage": "s", "date": "d", "labels": "a"},
        {"id": "1", "title": "t", "stage": "s", "date": "d", "links": {"spec": ["a"]}},
        {"id": "²", "title": "t", "stage": "s", "date": "d"},
    ]
    for sample in samples:
        if fits(sample):
            front_matter.model_validate(sample)


def test_written_front_matter_is_plain_yaml() -> None:
    text = phr.fence("a ``` b")
    assert text.startswith("````text\n") and text.endswith("\n````")
    assert yaml.safe_load("id: '0001'") == {"id": "0001"}


# --- review fixes: input that used to crash, hang or reach outside the project -------------

GOOD_RECORD = (
    "---\nid: '{id}'\ntitle: t\nstage: general\ndate: 2026-01-01\n---\n\n## Prompt\n\nhi\n"
)


def test_an_id_of_other_digits_is_reported_not_crashed_on(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    path = write(feature_project, "general/0001-t.general.prompt.md", GOOD_RECORD.format(id="²"))
    found = findings(sdd, path)
    assert ("PHR007", 2, "error") in found
    result = sdd("validate", "--json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    listed = json.loads(sdd("phr", "list", "--json", ok=True).stdout)["records"]
    assert [entry["id"] for entry in listed] == ["²"]
    shown = sdd("phr", "show", "²")
    assert shown.exit_code == 2 and "no record '²'" in shown.stderr


def test_a_record_linked_out_of_the_project_is_named_and_never_read(
    feature_project: Path,
    sdd,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text(GOOD_RECORD.format(id="0009"), encoding="utf-8")
    link = feature_project / "history/prompts/general/0009-t.general.prompt.md"
    link.symlink_to(outside)
    message = f"it links outside the project (to {outside.resolve()}); refusing to read it"
    for selection in ((), ("history/prompts/general",)):
        result = sdd("phr", "validate", *selection, "--json")
        document = json.loads(result.stdout)
        assert result.exit_code == 1
        assert {
            "path": "history/prompts/general/0009-t.general.prompt.md",
            "line": 1,
            "severity": "error",
            "code": "PHR001",
            "message": message,
        } in document["findings"]
    assert json.loads(sdd("phr", "list", "--json", ok=True).stdout)["records"] == []
    shown = sdd("phr", "show", "9")
    assert shown.exit_code == 2 and "leads outside the project" in shown.stderr


def test_show_names_an_unreadable_record_as_the_project_shows_it(
    feature_project: Path, sdd
) -> None:  # type: ignore[no-untyped-def]
    path = feature_project / "history/prompts/general/0003-bin.general.prompt.md"
    path.write_bytes(b"---\x00\x01")
    result = sdd("phr", "show", "3")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: history/prompts/general/0003-bin.general.prompt.md: file is binary"
    )


@pytest.mark.parametrize("blocker", ["history/prompts/general", "history/prompts"])
def test_new_refuses_a_route_folder_that_is_a_file(
    feature_project: Path, sdd, blocker: str
) -> None:  # type: ignore[no-untyped-def]
    target = feature_project / blocker
    if target.is_dir():
        for child in target.rglob("*"):
            if child.is_file():
                child.unlink()
        for folder in sorted(target.rglob("*"), reverse=True):
            folder.rmdir()
        target.rmdir()
    target.write_text("a file\n", encoding="utf-8")
    result = sdd("phr", "new", "--stage", "general", "--title", "t", "--prompt", "p")
    assert result.exit_code == 2, result.output
    assert f"{blocker} is a file where sdd needs a folder" in result.stderr
    assert target.read_text("utf-8") == "a file\n"


def test_a_header_over_the_yaml_limit_is_refused_by_both_readers(
    feature_project: Path, sdd
) -> None:  # type: ignore[no-untyped-def]
    keys = "".join(f"k{index}: {'v' * 100}\n" for index in range(10_500))  # flat, over 1 MB
    text = "---\nid: '1'\ntitle: t\nstage: general\ndate: 2026-01-01\n" + keys + "---\n"
    path = write(feature_project, "general/0001-t.general.prompt.md", text)
    record = phr.read_record(path)
    assert record.data is None and record.yaml_error is not None
    assert record.yaml_error.message == "YAML larger than 1024 KB"
    assert ("PHR004", 2, "error") in findings(sdd, path)


def test_key_lines_follow_the_keys_as_written() -> None:
    header = "id: 1\nTitle : x\n'a:b': y\na:b: z\nspaced \t: w\n- item\ntitle: again\n"
    record = phr.parse_record(f"---\n{header}---\n", "x")
    assert record.key_line("id") == 2
    assert record.key_line("Title") == 3
    assert record.key_line("title") == 8
    assert record.key_line("a:b") == 5
    assert record.key_line("spaced") == 6
    assert record.key_line("spaced \t") == 6
    assert record.key_line("missing") == 2


def test_many_keys_are_located_in_one_pass(feature_project: Path) -> None:
    # Each key's line used to be searched for in the whole header: minutes at this size.
    keys = "".join(f"K{index}: '[FILL ME]'\n" for index in range(20_000))
    text = "---\nid: '1'\ntitle: t\nstage: general\ndate: 2026-01-01\n" + keys + "---\n"
    path = write(feature_project, "general/0001-t.general.prompt.md", text)
    report = validate(load_project(feature_project), Selection.of([path]))
    placeholders = [f.line for f in report.findings if f.code == "PHR021"]
    assert placeholders == list(range(6, 20_006))


@pytest.mark.parametrize("text", ["eyJ" * 500_000, "-eyJ" * 500_000])
def test_a_long_run_that_starts_like_a_jwt_is_scanned_once(text: str) -> None:
    # Every "eyJ" in the run used to be tried to the run's end: hours at this size.
    assert secrets.find_secrets(text) == []
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9P"
    assert [s.kind for s in secrets.find_secrets(text + " " + token)] == ["jwt"]


def test_long_blank_runs_in_fields_are_read_in_one_pass(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    # The value of a field line was cut by a lazy regular expression: quadratic in blanks.
    blanks = " " * 200_000
    text = (
        "---\nid: '1'\ntitle: [broken\nmodel: {{MODEL}}" + blanks + "\n---\n\n## Prompt\n\nhi\n\n"
        "## Outcome\n\n- 🧪 Tests: [FILL ME]" + blanks + "\n- Files: [a] x" + blanks + "y [b]\n"
    )
    path = write(feature_project, "general/0001-t.general.prompt.md", text)
    found = findings(sdd, path)
    assert ("PHR021", 4, "error") in found  # the template value, blanks after it
    assert ("PHR021", 13, "error") in found  # a field that is only a placeholder
    assert not [f for f in found if f[1] == 14]  # placeholders inside longer text


def test_a_section_heading_with_a_long_blank_run_is_read_in_one_pass() -> None:
    blanks = " " * 200_000  # "[ \t]*:?[ \t]*" backtracked over the run quadratically
    record = phr.parse_record(
        f"---\nid: 1\n---\n## Prompt{blanks}x\n## Prompt :{blanks}\nhi\n", "x"
    )
    assert record.sections["Prompt"].line == 5 and record.prompt == "hi"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_named_like_a_record_is_never_read(feature_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    pipe = feature_project / "history/prompts/general/0004-pipe.general.prompt.md"
    os.mkfifo(pipe)  # opening it to read would wait for a writer for ever
    assert ("PHR001", 1, "error") in findings(sdd)
    assert json.loads(sdd("phr", "list", "--json", ok=True).stdout)["records"] == []
    shown = sdd("phr", "show", "4")
    assert shown.exit_code == 2 and "is not a regular file" in shown.stderr


def test_many_secrets_are_located_in_one_pass() -> None:
    # Each secret's line used to be counted from the start of the text: minutes at this size.
    lines = "".join(f"password=hunter{index:06d}\n" for index in range(100_000))
    found = secrets.find_secrets(lines)
    assert len(found) == 100_000 and found[-1].line == 100_000 and found[1234].line == 1235


def test_list_reads_front_matter_only_and_keeps_broken_records(  # type: ignore[no-untyped-def]
    feature_project: Path, sdd, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = feature_project / "history/prompts/general"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "0007-broken.general.prompt.md").write_text(
        "---\nid: [unclosed\n---\n\n## Prompt\n\nx\n", "utf-8"
    )
    (folder / "0008-fine.general.prompt.md").write_text(
        "---\nid: '0008'\ntitle: Fine\nstage: general\ndate: 2026-01-02\n---\n\n## Prompt\n",
        "utf-8",
    )
    from sdd.phr import record

    def no_sections(*args: object, **kwargs: object) -> None:
        raise AssertionError("sections were parsed")

    monkeypatch.setattr(record, "find_sections", no_sections)
    listed = json.loads(sdd("phr", "list", "--json", ok=True).stdout)["records"]
    by_id = {entry["id"]: entry for entry in listed}
    assert by_id["0008"]["title"] == "Fine"
    assert by_id["0007"]["stage"] == "general" and by_id["0007"]["title"] == ""
    piped = sdd("phr", "list", ok=True).stdout.splitlines()
    assert piped[0].split() == ["id", "date", "stage", "route", "title"]
