"""``sdd site`` in a real headless browser (Chromium): the demo project, the corpus of other
teams' files, and a seeded project with an uncovered requirement and script in artifacts.

Set ``SDD_SITE_SCREENSHOT=docs/site.png`` to save the README's screenshot.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from sdd.project.project import load_project
from sdd.site.build import build_site
from tests.conftest import sdd_executable
from tests.site_support import (
    arrange_corpus,
    broken_links,
    chromium,
    dump_dom,
    screenshot,
    seed_project,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def browser() -> str:
    return chromium()


def _every_link_resolves(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        assert broken_links(site, page, page.read_text("utf-8")) == [], page


def test_the_demo_site_loads_with_working_links_search_and_filters(
    tmp_path: Path, browser: str
) -> None:
    demo = tmp_path / "demo"
    done = subprocess.run(
        [sdd_executable(), "demo", str(demo)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    built = subprocess.run(
        [sdd_executable(), "site"], cwd=demo, capture_output=True, text=True, timeout=120
    )
    assert built.returncode == 0, built.stderr
    site = demo / "site"
    _every_link_resolves(site)
    profile = tmp_path / "profile"
    index = dump_dom(site / "index.html", profile)
    assert "001-user-authentication" in index and 'class="bar"' in index
    adrs = dump_dom(site / "adrs.html", profile)
    assert "1 of 1 shown" in adrs  # site.js ran and filtered the log
    feature = dump_dom(site / "features" / "001-user-authentication.html", profile)
    assert 'id="traceability"' in feature and "FR-001" in feature
    target = os.environ.get("SDD_SITE_SCREENSHOT")
    shot = Path(target) if target else tmp_path / "site.png"
    screenshot(site / "features" / "001-user-authentication.html", profile, shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_seeded_gap_and_the_script_show_as_text_in_the_browser(
    tmp_path: Path, browser: str
) -> None:
    root = seed_project(tmp_path / "project")
    site = tmp_path / "site"
    build_site(load_project(root), site)
    profile = tmp_path / "profile"
    dom = dump_dom(site / "features" / "001-order-history.html", profile)
    assert "<title>001-order-history · project</title>" in dom  # no script renamed it
    assert '&lt;script&gt;document.title = "pwned"&lt;/script&gt;' in dom
    assert dom.count("<script") == 2
    row = dom.split('<tr id="req-FR-003" class="gap">')[1].split("</tr>")[0]
    assert "✗ uncovered" in row
    prompts = dump_dom(site / "prompts" / "001-order-history.html", profile)
    assert "Plan &lt;script&gt;alert(1)&lt;/script&gt; order history" in prompts
    assert "1 of 1 shown" in prompts


def test_the_corpus_projects_build_and_load(tmp_path: Path, corpus: Path, browser: str) -> None:
    projects = arrange_corpus(corpus, tmp_path / "corpus")
    assert len(projects) >= 4
    profile = tmp_path / "profile"
    features = 0
    for root in projects:
        site = tmp_path / "sites" / root.name
        result = build_site(load_project(root), site)
        assert result.written == result.pages
        _every_link_resolves(site)
        pages = sorted((site / "features").glob("*.html")) if (site / "features").is_dir() else []
        features += len(pages)
        dom = dump_dom(site / "index.html", profile)
        assert "Findings of" in dom
        if pages:
            dom = dump_dom(pages[0], profile)
            assert 'id="traceability"' in dom
    assert features >= 10
