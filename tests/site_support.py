"""Helpers of the site tests: a seeded project, a link checker, headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.support import build_file_tree

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

SEEDED_SPEC = """# Feature Specification: Order history

**Feature Branch**: `001-order-history`
**Status**: Draft

## User Scenarios & Testing *(mandatory)*

A customer opens their order history. <script>document.title = "pwned"</script>
Also [a bad link](javascript:alert(1)) and <img src=x onerror="document.title='img'">.

## Requirements *(mandatory)*

### Functional Requirements

- **FR-001**: System MUST list a customer's orders, newest first.
- **FR-002**: System MUST show the total of each order.
- **FR-003**: System MUST export the history as CSV.

## Success Criteria *(mandatory)*

- **SC-001**: The history opens in under a second.
"""
SEEDED_PLAN = """# Implementation Plan: Order history

## Summary

A read model serves FR-001; see [the spec](spec.md).

## Project Structure

The totals of FR-002 come from the order service.
"""
SEEDED_TASKS = """# Tasks: Order history

## Phase 1: Setup

- [x] T001 Create the read model for FR-001 in src/orders/history.py
- [ ] T002 [P] Compute totals (FR-002) in src/orders/totals.py
"""
SEEDED_PHR = """---
id: "0001"
title: "Plan <script>alert(1)</script> order history"
stage: plan
date: "2026-11-02"
surface: agent
model: test
feature: 001-order-history
branch: 001-order-history
user: tester
command: /sp.plan
labels: []
links: {spec: null, ticket: null, adr: null, pr: null}
files: []
tests: []
---

## Prompt

Plan FR-001 and FR-002.

## Response snapshot

Planned.

## Outcome

- Impact: plan written.

## Evaluation notes (flywheel)

- None.
"""


def adr_text(number: int, title: str, status: str, **keys: str) -> str:
    extra = "".join(f"{key}: {value}\n" for key, value in keys.items())
    return (
        f'---\nid: {number}\ntitle: "{title}"\nstatus: {status}\ndate: 2026-10-0{number}\n'
        f"{extra}---\n\n# ADR-{number:04d}: {title}\n\n## Context\n\nOrders FR-001.\n\n"
        "## Decision\n\nDecided.\n\n## Consequences\n\n### Positive\n\n- Good.\n\n"
        "### Negative\n\n- Cost.\n\n## Alternatives Considered\n\n- None.\n\n"
        "## References\n\n- None.\n"
    )


def seed_project(root: Path) -> Path:
    """A project with one feature whose FR-003 no plan section or task mentions, a PHR and
    a supersede chain of ADRs, some of it holding script."""
    feature = "specs/001-order-history"
    build_file_tree(
        root,
        {
            f"{feature}/spec.md": SEEDED_SPEC,
            f"{feature}/plan.md": SEEDED_PLAN,
            f"{feature}/tasks.md": SEEDED_TASKS,
            "history/prompts/001-order-history/0001-plan-order-history.plan.prompt.md": SEEDED_PHR,
            "adr/0001-keep-orders-in-postgres.md": adr_text(
                1, "Keep orders in Postgres", "superseded", superseded_by="[2]"
            ),
            "adr/0002-read-model-for-history.md": adr_text(
                2,
                "Read model <script>x()</script> for history",
                "accepted",
                supersedes="[1]",
                feature="001-order-history",
            ),
            "adr/0003-csv-export-library.md": adr_text(3, "CSV export library", "proposed"),
        },
    )
    return root


def arrange_corpus(corpus: Path, destination: Path) -> list[Path]:
    """One temporary project per repository of the corpus, each file at its original path
    (from SOURCES.tsv)."""
    projects: dict[str, Path] = {}
    for line in (corpus / "SOURCES.tsv").read_text("utf-8").splitlines()[1:]:
        fields = line.split("\t")
        if len(fields) < 4 or not fields[0].startswith(("specs/", "phr/", "adr/")):
            continue
        original = fields[3].split(" (", 1)[0]
        root = projects.setdefault(fields[1], destination / fields[1].replace("/", "__"))
        target = root / original
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / fields[0], target)
    for root in projects.values():
        (root / "history" / "prompts").mkdir(parents=True, exist_ok=True)
        (root / "specs").mkdir(exist_ok=True)
    return sorted(projects.values())


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name in ("href", "src"):
            if values.get(name) and tag in ("a", "link", "script", "img"):
                self.links.append(str(values[name]))


_ARTIFACT = re.compile(r'<section id="\w+" class="artifact">.*?</section>', re.DOTALL)


def parse_links(html: str) -> tuple[list[str], set[str]]:
    """The links of a page outside rendered artifacts, and every id of the page."""
    everything = _Links()
    everything.feed(html)
    chrome = _Links()
    chrome.feed(_ARTIFACT.sub("", html))
    return chrome.links, everything.ids


def broken_links(site: Path, page: Path, html: str) -> list[str]:
    """Relative links of ``page`` whose file is missing or whose fragment names no id."""
    broken = []
    links, ids = parse_links(html)
    for link in links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            continue
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not target.is_file() or site.resolve() not in target.parents:
            broken.append(link)
            continue
        if parts.fragment:
            target_ids = ids if target == page else parse_links(target.read_text("utf-8"))[1]
            if parts.fragment not in target_ids:
                broken.append(link)
    return broken


def chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium on this machine (.ci/run installs the Debian package 'chromium')")


def _browser_command(profile: Path) -> list[str]:
    command = [chromium(), "--headless", "--disable-gpu", f"--user-data-dir={profile}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return command


def dump_dom(page: Path, profile: Path) -> str:
    """The DOM of ``page`` after its scripts ran, as headless Chromium serialises it."""
    done = subprocess.run(
        [*_browser_command(profile), "--virtual-time-budget=2000", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def screenshot(page: Path, profile: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            *_browser_command(profile),
            "--hide-scrollbars",
            "--window-size=1280,900",
            f"--screenshot={target}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and target.is_file(), done.stderr[-2000:]
