"""``sdd site``: pages built from the core's readers, escaped, deterministic, incremental."""

from __future__ import annotations

import json
import shutil
import threading
import urllib.request
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.project.project import load_project
from sdd.site.build import MANIFEST, build_site
from sdd.site.markdown import render_markdown
from sdd.site.serve import make_server
from tests.site_support import broken_links, seed_project

HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=x></SCRIPT>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![i](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "<a href='javascript:alert(1)'>a</a>",
        "<javascript:alert(1)>",
        "`<script>`",
        "\n```\n<script>\n```\n",
        "| a | <script> |\n|---|---|\n| 1 | 2 |\n",
        "# <script>",
        "[x](vbscript:msgbox)",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(HOSTILE, st.text(max_size=30)), max_size=8))
def test_no_markdown_renders_script_or_a_script_link(pieces: list[str]) -> None:
    html = render_markdown("\n".join(pieces), "spec").lower()
    assert "<script" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html and 'src="javascript:' not in html
    assert 'href="data:' not in html and 'href="vbscript:' not in html


def test_links_to_sibling_artifacts_become_anchors_and_repository_paths_text() -> None:
    html = render_markdown(
        "# Title\n\n[p](plan.md) [s](../src/app.py) [h](#title)", "spec", {"plan.md": "plan"}
    )
    assert '<h1 id="spec-title">' in html
    assert '<a href="#plan">p</a>' in html
    assert '<a class="repo-path" title="../src/app.py">s</a>' in html
    assert '<a href="#spec-title">h</a>' in html


def _build(root: Path, output: Path, **options: str):  # type: ignore[no-untyped-def]
    return build_site(load_project(root), output, **options)


def test_the_feature_page_shows_the_uncovered_requirement_in_the_matrix(tmp_path: Path) -> None:
    root = seed_project(tmp_path / "project")
    _build(root, tmp_path / "site")
    page = (tmp_path / "site" / "features" / "001-order-history.html").read_text("utf-8")
    matrix = page.split('<section id="traceability">')[1].split("</section>")[0]
    rows = {row.split('"')[0]: row for row in matrix.split('<tr id="req-')[1:]}
    assert rows.keys() == {"FR-001", "FR-002", "FR-003", "SC-001"}
    assert 'class="gap"' in rows["FR-003"] and "✗ uncovered" in rows["FR-003"]
    assert 'class="gap"' not in rows["FR-001"]
    assert "T001" in rows["FR-001"] and "Summary" in rows["FR-001"]
    assert "ADR 0002" in rows["FR-001"] and "0001" in rows["FR-001"]  # ADR and PHR columns
    assert "T002" in rows["FR-002"] and "Project Structure" in rows["FR-002"]
    assert "not checked" in rows["SC-001"]
    assert "1 not covered by the plan or any task" in page


def test_script_in_any_artifact_is_text(tmp_path: Path) -> None:
    root = seed_project(tmp_path / "project")
    _build(root, tmp_path / "site")
    for page in (tmp_path / "site").rglob("*.html"):
        html = page.read_text("utf-8")
        assert html.count("<script") == 2, page  # the index and site.js, nothing else
        assert "onerror=" not in html.replace("onerror=&quot;", "")
    feature = (tmp_path / "site" / "features" / "001-order-history.html").read_text("utf-8")
    assert "&lt;script&gt;document.title = &quot;pwned&quot;&lt;/script&gt;" in feature
    assert (
        "Also a bad link and &lt;img src=x onerror=" in feature
    )  # the link refused, its text kept
    index = (tmp_path / "site" / "search-index.js").read_text("utf-8")
    assert "<" not in index and "\\u003cscript\\u003e" in index


def test_every_link_between_pages_resolves(tmp_path: Path) -> None:
    root = seed_project(tmp_path / "project")
    site = tmp_path / "site"
    _build(root, site)
    pages = sorted(site.rglob("*.html"))
    assert {page.relative_to(site).as_posix() for page in pages} == {
        "index.html",
        "adrs.html",
        "adrs/0001-keep-orders-in-postgres.html",
        "adrs/0002-read-model-for-history.html",
        "adrs/0003-csv-export-library.html",
        "prompts.html",
        "prompts/001-order-history.html",
        "features/001-order-history.html",
    }
    for page in pages:
        assert broken_links(site, page, page.read_text("utf-8")) == [], page


def test_the_adr_log_shows_status_chain_and_the_supersede_graph(tmp_path: Path) -> None:
    root = seed_project(tmp_path / "project")
    _build(root, tmp_path / "site")
    html = (tmp_path / "site" / "adrs.html").read_text("utf-8")
    first = html.split('<tr id="0001-keep-orders-in-postgres.md"')[1].split("</tr>")[0]
    assert 'data-status="superseded"' in first
    assert '<a href="adrs.html#0002-read-model-for-history.md">0002</a>' in first
    graph = html.split('<svg class="graph"')[1].split("</svg>")[0]
    assert "0001 · superseded" in graph and "0002 · accepted" in graph
    assert "marker-end" in graph and "0003" not in graph  # unlinked ADRs stay out
    assert "Read model &lt;script&gt;" in graph


def test_each_decision_has_a_page_with_its_text_linked_from_the_log_and_features(
    tmp_path: Path,
) -> None:
    root = seed_project(tmp_path / "project")
    site = tmp_path / "site"
    _build(root, site)
    page = (site / "adrs" / "0002-read-model-for-history.html").read_text("utf-8")
    body = page.split('<section class="artifact adr-text">')[1]
    assert body.startswith('\n<details class="front-matter">')  # not a heading
    assert '<h2 id="adr-decision">Decision</h2>\n<p>Decided.</p>' in body
    assert '<h1 id="adr-adr-0002-read-model-scriptxscript-for-history">' in body
    assert (
        '<dt>Supersedes</dt><dd><a href="../adrs/0001-keep-orders-in-postgres.html">0001</a>'
        in page
    )
    assert '<a href="../features/001-order-history.html">001-order-history</a>' in page
    assert '<a href="../adrs.html#0002-read-model-for-history.md">ADR 0002 in the log</a>' in page
    first = (site / "adrs" / "0001-keep-orders-in-postgres.html").read_text("utf-8")
    assert 'chain)</dt><dd><a href="../adrs/0002-read-model-for-history.html">0002</a>' in first
    log = (site / "adrs.html").read_text("utf-8")
    assert '<td><a href="adrs/0003-csv-export-library.html">CSV export library</a></td>' in log
    feature = (site / "features" / "001-order-history.html").read_text("utf-8")
    assert feature.count('href="../adrs/0002-read-model-for-history.html"') == 2  # matrix, list
    assert '"adrs/0003-csv-export-library.html","adr"' in (site / "search-index.js").read_text()


def test_a_changed_decision_renders_its_own_page_again_and_not_the_others(
    tmp_path: Path,
) -> None:
    root = seed_project(tmp_path / "project")
    site = tmp_path / "site"
    _build(root, site)
    adr = root / "adr" / "0003-csv-export-library.md"
    adr.write_text(adr.read_text("utf-8").replace("Decided.", "Decided again."), "utf-8")
    before = {path: path.read_bytes() for path in site.rglob("*.html")}
    result = _build(root, site)
    changed = {
        path.relative_to(site).as_posix() for path in before if path.read_bytes() != before[path]
    }
    assert changed == {"adrs/0003-csv-export-library.html"}
    assert result.rendered == 3  # the page, the log and the overview, whose inputs hold it
    assert "Decided again." in (site / "adrs" / "0003-csv-export-library.html").read_text()
    adr.unlink()
    assert _build(root, site).removed == 1
    assert not (site / "adrs" / "0003-csv-export-library.html").exists()


def test_the_build_is_deterministic_and_incremental(tmp_path: Path) -> None:
    root = seed_project(tmp_path / "project")
    first = _build(root, tmp_path / "one")
    elsewhere = tmp_path / "elsewhere" / root.name  # other paths, other modification times
    shutil.copytree(root, elsewhere, copy_function=shutil.copy)
    _build(elsewhere, tmp_path / "two")
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*"))
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*"))
    for relative in files:
        one, two = tmp_path / "one" / relative, tmp_path / "two" / relative
        if relative.name != ".sdd-site-inputs":  # this machine's stamp, ignored by git
            assert one.is_dir() or one.read_bytes() == two.read_bytes(), relative
    assert (tmp_path / "one" / ".gitignore").read_text("utf-8") == "/.sdd-site-inputs\n"
    assert first.written == first.pages

    again = _build(root, tmp_path / "one")
    assert (again.rendered, again.written, again.skipped) == (0, 0, again.pages)

    tasks = root / "specs" / "001-order-history" / "tasks.md"
    tasks.write_text(tasks.read_text("utf-8") + "- [ ] T003 Export CSV for FR-003\n", "utf-8")
    changed = _build(root, tmp_path / "one")
    # the feature's page and the overview with its progress bar; the ADR log, the prompt
    # pages and the search index are neither rendered again nor rewritten
    assert (changed.rendered, changed.written) == (2, 2)
    page = (tmp_path / "one" / "features" / "001-order-history.html").read_text("utf-8")
    assert "✗ uncovered" not in page


def test_a_page_whose_file_was_edited_is_written_again(tmp_path: Path) -> None:
    root = seed_project(tmp_path / "project")
    _build(root, tmp_path / "site")
    (tmp_path / "site" / "adrs.html").write_text("tampered", "utf-8")
    again = _build(root, tmp_path / "site")
    assert again.written == 1
    assert "tampered" not in (tmp_path / "site" / "adrs.html").read_text("utf-8")


def test_pages_of_removed_features_are_removed(tmp_path: Path) -> None:
    root = seed_project(tmp_path / "project")
    second = root / "specs" / "002-returns"
    second.mkdir()
    (second / "spec.md").write_text("# Feature Specification: Returns\n", "utf-8")
    _build(root, tmp_path / "site")
    assert (tmp_path / "site" / "features" / "002-returns.html").is_file()
    (second / "spec.md").unlink()
    second.rmdir()
    result = _build(root, tmp_path / "site")
    assert result.removed == 1
    assert not (tmp_path / "site" / "features" / "002-returns.html").exists()


def test_the_cli_builds_refuses_a_foreign_folder_and_prints_json(
    tmp_path: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    root = seed_project(tmp_path / "project")
    monkeypatch.chdir(root)
    result = sdd("site", "--json", "--base-url", "https://example.org/docs/")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["schema"] == "sdd.site/1" and report["written"] == report["pages"]
    assert (root / "site" / MANIFEST).is_file()
    assert '<link rel="canonical" href="https://example.org/docs/adrs.html">' in (
        root / "site" / "adrs.html"
    ).read_text("utf-8")

    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("keep me", "utf-8")
    refused = sdd("site", "--output", str(foreign))
    assert refused.exit_code == 2
    assert "not empty" in refused.output
    assert sorted(p.name for p in foreign.iterdir()) == ["mine.txt"]

    assert sdd("site", "--output", str(root)).exit_code == 2
    assert sdd("site", "--output", str(root / "specs" / "x")).exit_code == 2
    assert sdd("site", "--base-url", "javascript:alert(1)").exit_code == 2


def test_an_empty_project_builds_a_site_that_says_so(tmp_path: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "empty"
    root.mkdir()
    (root / "sdd.yaml").write_text("version: 1\n", "utf-8")
    done = sdd_exe("site", "--output", str(tmp_path / "out"), cwd=root)
    assert done.returncode == 0, done.stderr
    index = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "No features yet." in index and "No prompt history records." in index


def test_serve_answers_on_the_loopback_address_only(tmp_path: Path) -> None:
    root = seed_project(tmp_path / "project")
    _build(root, tmp_path / "site")
    server = make_server(tmp_path / "site", 0)
    host, port = server.server_address[:2]
    assert host == "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/adrs.html", timeout=10) as answer:
            assert b"Architecture decisions" in answer.read()
    finally:
        server.shutdown()
        server.server_close()


def test_an_ejected_site_template_is_used_and_a_broken_one_is_one_line(
    tmp_path: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    root = seed_project(tmp_path / "project")
    monkeypatch.chdir(root)
    assert sdd("templates", "eject", "site/site.css").exit_code == 0
    css = root / ".sdd" / "templates" / "site" / "site.css"
    css.write_text(css.read_text("utf-8") + "body { background: #ffe; }\n", "utf-8")
    built = sdd("site", "--output", str(tmp_path / "out"))
    assert built.exit_code == 0, built.output
    assert "background: #ffe" in (tmp_path / "out" / "site.css").read_text("utf-8")

    assert sdd("templates", "eject", "site/adrs.html").exit_code == 0
    (root / ".sdd" / "templates" / "site" / "adrs.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ nothing_here }}{% endblock %}', "utf-8"
    )
    broken = sdd("site", "--output", str(tmp_path / "out"))
    assert broken.exit_code == 2
    assert "nothing_here" in broken.output and "Traceback" not in broken.output


ADR_TOOLS_OLD = """# 1. Record architecture decisions

Date: 2019-02-01

## Status

Accepted

Superseded by [3. Use Markdown decision records](0003-use-markdown-decision-records.md)

## Context

We need to record decisions.

## Decision

Plain text files.

## Consequences

Everyone can read them.
"""
ADR_TOOLS_NEW = """# 3. Use Markdown decision records

Date: 2019-05-11

## Status

Accepted

Supersedes [1. Record architecture decisions](0001-record-architecture-decisions.md)

## Context

Plain text lost its structure.

## Decision

Markdown.

## Consequences

Rendered on the forge.
"""
MADR = """---
status: proposed
date: 2023-04-01
---
# Cache sessions in Redis

## Context and Problem Statement

Sessions are slow.

## Decision Outcome

Chosen option: Redis.
"""
SPEC_KIT_SPEC = """# Feature Specification: Photo albums

## Requirements *(mandatory)*

- **FR-001**: Users MUST be able to create albums.
- **FR-002**: Users MUST be able to share an album.
"""


def test_spec_kit_features_and_adr_tools_and_madr_decisions(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / ".specify" / "memory").mkdir(parents=True)
    (root / ".specify" / "memory" / "constitution.md").write_text("# Constitution\n", "utf-8")
    feature = root / "specs" / "001-photo-albums"
    feature.mkdir(parents=True)
    (feature / "spec.md").write_text(SPEC_KIT_SPEC, "utf-8")
    (feature / "plan.md").write_text("# Plan\n\n## Summary\n\nAlbums (FR-001).\n", "utf-8")
    (root / ".adr-dir").write_text("doc/architecture/decisions\n", "utf-8")
    decisions = root / "doc" / "architecture" / "decisions"
    decisions.mkdir(parents=True)
    (decisions / "0001-record-architecture-decisions.md").write_text(ADR_TOOLS_OLD, "utf-8")
    (decisions / "0003-use-markdown-decision-records.md").write_text(ADR_TOOLS_NEW, "utf-8")
    (decisions / "0004-cache-sessions-in-redis.md").write_text(MADR, "utf-8")
    site = tmp_path / "site"
    _build(root, site)

    adrs = (site / "adrs.html").read_text("utf-8")
    first = adrs.split('<tr id="0001-record-architecture-decisions.md"')[1].split("</tr>")[0]
    assert "2019-02-01" in first
    assert '<a href="adrs.html#0003-use-markdown-decision-records.md">0003</a>' in first
    madr = adrs.split('<tr id="0004-cache-sessions-in-redis.md"')[1].split("</tr>")[0]
    assert 'data-status="proposed"' in madr and "madr" in madr
    assert "0001 · " in adrs and "0003 · accepted" in adrs  # the supersede graph
    page = (site / "features" / "001-photo-albums.html").read_text("utf-8")
    assert '<tr id="req-FR-002" class="gap">' in page
    for html in site.rglob("*.html"):
        assert broken_links(site, html, html.read_text("utf-8")) == [], html


def test_many_pages_rendered_by_workers_are_the_pages_rendered_alone(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from sdd.site import build

    root = seed_project(tmp_path / "project")
    _many_features(root, 70)
    result = _build(root, tmp_path / "parallel")
    assert result.rendered >= build.PARALLEL_THRESHOLD
    monkeypatch.setattr(build, "PARALLEL_THRESHOLD", 10**9)
    _build(root, tmp_path / "serial")
    for page in sorted((tmp_path / "serial").rglob("*.html")):
        twin = tmp_path / "parallel" / page.relative_to(tmp_path / "serial")
        assert twin.read_bytes() == page.read_bytes(), page


def _many_features(root: Path, count: int) -> None:
    for number in range(2, count + 2):
        folder = root / "specs" / f"{number:03d}-feature-{number}"
        folder.mkdir()
        (folder / "spec.md").write_text(
            f"# Feature Specification: Feature {number}\n\n- **FR-001**: Case {number}.\n", "utf-8"
        )


def test_pages_a_worker_did_not_report_are_rendered_by_the_build_itself(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import os

    from sdd.site import build

    root = seed_project(tmp_path / "project")
    _many_features(root, 8)
    monkeypatch.setattr(build, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    expected = _build(root, tmp_path / "expected")

    def dies(*arguments: object) -> None:
        os._exit(3)

    monkeypatch.setattr(build, "_work", dies)
    result = _build(root, tmp_path / "site")
    assert (result.pages, result.written) == (expected.pages, expected.pages)
    for page in sorted((tmp_path / "expected").rglob("*.html")):
        twin = tmp_path / "site" / page.relative_to(tmp_path / "expected")
        assert twin.read_bytes() == page.read_bytes(), page


def test_a_template_failing_in_the_workers_fails_the_build_with_its_own_error(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import os

    from sdd.base.errors import TemplateError
    from sdd.site import build

    root = seed_project(tmp_path / "project")
    _many_features(root, 8)
    override = root / ".sdd" / "templates" / "site"
    override.mkdir(parents=True)
    (override / "feature.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ no_such_value }}{% endblock %}', "utf-8"
    )
    monkeypatch.setattr(build, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with pytest.raises(TemplateError, match="no_such_value"):
        _build(root, tmp_path / "site")


def test_a_rebuild_with_no_input_changed_reads_no_artifact(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sdd.site import build

    root = seed_project(tmp_path / "project")
    _build(root, tmp_path / "site")

    def unexpected(project: object) -> None:
        raise AssertionError("the project was read again")

    monkeypatch.setattr(build, "collect", unexpected)
    again = _build(root, tmp_path / "site")
    assert (again.rendered, again.written, again.skipped) == (0, 0, again.pages)
    spec = root / "specs" / "001-order-history" / "spec.md"
    spec.write_text(spec.read_text("utf-8") + "\n", "utf-8")
    with pytest.raises(AssertionError, match="read again"):
        _build(root, tmp_path / "site")


def test_every_project_of_a_monorepo_gets_a_site_and_the_index_lists_them(
    repo: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    seed_project(repo / "services" / "orders")
    (repo / "services" / "orders" / "sdd.yaml").write_text("version: 1\n", "utf-8")
    (repo / "infra" / "doc" / "adr").mkdir(parents=True)
    (repo / "infra" / ".adr-dir").write_text("doc/adr\n", "utf-8")
    (repo / "infra" / "doc" / "adr" / "0001-record-architecture-decisions.md").write_text(
        ADR_TOOLS_OLD.replace("Superseded by", "Amended by"), "utf-8"
    )
    (repo / "broken").mkdir()
    (repo / "broken" / "sdd.yaml").write_text("version: [\n", "utf-8")

    result = sdd("site", "--all", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    built = {item["project"]: item["site"] for item in report["projects"]}
    assert built["broken"] is None
    assert built["services/orders"]["pages"] > 0 and built["infra"]["pages"] > 0
    site = repo / "site"
    index = (site / "index.html").read_text("utf-8")
    assert '<a href="services/orders/index.html">open</a>' in index
    assert "broken/sdd.yaml" in index and "CFG001" in index
    assert (site / "services" / "orders" / "features" / "001-order-history.html").is_file()
    assert "Record architecture decisions" in (site / "infra" / "adrs.html").read_text("utf-8")
    for page in site.rglob("*.html"):
        assert broken_links(site, page, page.read_text("utf-8")) == [], page
    again = json.loads(sdd("site", "--all", "--json").output)
    assert again["written"] == 0
    assert all(item["site"] is None or item["site"]["written"] == 0 for item in again["projects"])


def test_a_site_template_linking_out_of_the_project_is_refused(
    tmp_path: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    root = seed_project(tmp_path / "project")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the site", "utf-8")
    override = root / ".sdd" / "templates" / "site"
    override.mkdir(parents=True)
    (override / "site.css").symlink_to(secret)
    monkeypatch.chdir(root)
    refused = sdd("site", "--output", str(tmp_path / "out"))
    assert refused.exit_code == 2
    assert "outside the project" in refused.output
    assert not (tmp_path / "out" / "site.css").exists()


def test_the_installed_command_serves_the_site_it_built(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import sdd_executable

    root = seed_project(tmp_path / "project")
    server = subprocess.Popen(
        [sdd_executable(), "site", "--serve", "--port", "0"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline(), server.stdout.readline()]
        address = lines[-1].split()[1]
        assert address.startswith("http://127.0.0.1:"), lines
        with urllib.request.urlopen(
            f"{address}features/001-order-history.html", timeout=30
        ) as page:
            assert b"Order history" in page.read()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_decisions_whose_names_differ_in_the_suffix_case_get_pages_of_their_own(
    tmp_path: Path,
) -> None:
    root = seed_project(tmp_path / "project")
    (root / "adr" / "0004-csv-export-library.MD").write_text(
        (root / "adr" / "0003-csv-export-library.md").read_text("utf-8"), "utf-8"
    )
    site = tmp_path / "site"
    _build(root, site)
    assert (site / "adrs" / "0003-csv-export-library.html").is_file()
    assert (site / "adrs" / "0004-csv-export-library.MD.html").is_file()
    log = (site / "adrs.html").read_text("utf-8")
    assert '<a href="adrs/0004-csv-export-library.MD.html">' in log
