"""The pages of ``sdd site``: what each one shows, rendered from the site's templates
(``sdd.site.templates``). Links between pages are relative, so the site works from
``file://`` and under any ``--base-url``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any
from urllib.parse import quote

from sdd import __version__
from sdd.adr.record import Adr
from sdd.phr.listing import Entry
from sdd.site import svg
from sdd.site.markdown import render_markdown
from sdd.site.model import FeaturePage, SiteData
from sdd.site.templates import PAGE_TEMPLATES, Templates

NO_ROUTE = "(directly in the prompts folder)"
ROOT_RECORDS = "_root"
ARTIFACT_ANCHORS = {"spec.md": "spec", "plan.md": "plan", "tasks.md": "tasks"}


def feature_href(name: str) -> str:
    return f"features/{quote(name, safe='')}.html"


def _adr_page_name(adr: Adr) -> str:
    """ADR files share one folder, so their names are unique; ``.md`` is dropped only when
    written so (``0001-x.MD`` may stand beside ``0001-x.md``)."""
    name = adr.path.name
    return name[: -len(".md")] if name.endswith(".md") else name


def adr_file(adr: Adr) -> str:
    """The page of one decision, beside the log."""
    return f"adrs/{_adr_page_name(adr)}.html"


def adr_log_href(adr: Adr) -> str:
    """The row of ``adr`` in the decision log."""
    return f"adrs.html#{anchor(adr.path.name)}"


def adr_page_href(adr: Adr) -> str:
    return f"adrs/{quote(_adr_page_name(adr), safe='')}.html"


def route_file(route: str) -> str:
    return route or ROOT_RECORDS


def route_href(route: str) -> str:
    """The timeline page of one route folder; records directly in the prompts folder have
    a page of their own."""
    return f"prompts/{quote(route_file(route), safe='')}.html"


_UNSAFE_IN_ID = re.compile(r"[^A-Za-z0-9._-]")


def anchor(text: str) -> str:
    """An element id for a path or name: only characters safe in ids and fragments."""
    return _UNSAFE_IN_ID.sub("_", text)


def _adr_label(adr: Adr) -> str:
    return f"ADR {adr.number:04d}"


def _chain(adr: Adr, by_number: dict[int, Adr]) -> list[int]:
    """The decisions ``adr`` was replaced by, in order, following ``superseded_by`` until
    a decision that stands, one not recorded, or a cycle."""
    chain: list[int] = []
    current = adr
    while current.superseded_by:
        following = current.superseded_by[0]
        if following == adr.number or following in chain:
            break
        chain.append(following)
        if following not in by_number:
            break
        current = by_number[following]
    return chain


class Pages:
    """Renders every page of one site; ``root`` is the relative way back to the site root."""

    def __init__(self, data: SiteData, base_url: str | None, templates: Templates) -> None:
        self.data = data
        self.templates = templates
        self.base_url = (base_url or "").rstrip("/")
        self.adr_href = {adr.number: adr_log_href(adr) for adr in reversed(data.adrs)}
        self.by_number = {adr.number: adr for adr in reversed(data.adrs)}
        self.feature_names = {page.name for page in data.features}

    def common(self, root: str, page: str) -> dict[str, Any]:
        canonical = f"{self.base_url}/{page}" if self.base_url else ""
        return {
            "root": root,
            "page": page,
            "canonical": canonical,
            "project": self.data.project_name,
            "version": __version__,
        }

    def prepare(self) -> None:
        """Compile the templates and set up the Markdown parser once, so that forked
        workers share them instead of each building its own."""
        from sdd.site.markdown import prepare_parser

        prepare_parser()
        self.templates.prepare(PAGE_TEMPLATES)

    def phr_href(self, entry: Entry) -> str:
        return f"{route_href(entry.route)}#{anchor(entry.path)}"

    def index(self) -> str:
        from markupsafe import Markup

        statuses = Counter(adr.status or "unknown" for adr in self.data.adrs)
        rows = [
            {
                "name": page.name,
                "title": page.title,
                "href": feature_href(page.name),
                "status": page.detail.status,
                "bar": Markup(
                    svg.progress_bar(page.detail.status.tasks_done, page.detail.status.tasks_total)
                ),
                "gaps": sum(1 for row in page.trace if row.gap),
            }
            for page in self.data.features
        ]
        clarifications = [
            (page, name, marker)
            for page in self.data.features
            for name, marker in page.detail.report.clarifications
        ]
        return self.templates.render(
            "index.html",
            {
                **self.common("", "index.html"),
                "features": rows,
                "clarifications": [
                    {
                        "href": feature_href(page.name),
                        "feature": page.name,
                        "file": name,
                        "line": marker.line,
                        "text": marker.text,
                    }
                    for page, name, marker in clarifications
                ],
                "findings": self.data.findings,
                "statuses": sorted(statuses.items()),
                "phr_total": len(self.data.phrs),
                "adr_total": len(self.data.adrs),
                "chart": Markup(svg.stage_chart(self.data.phrs, prefix="overview")),
            },
        )

    def feature(self, page: FeaturePage) -> str:
        from markupsafe import Markup

        root = "../"
        sections = [
            {
                "anchor": ARTIFACT_ANCHORS[name],
                "name": name,
                "html": Markup(render_markdown(text, ARTIFACT_ANCHORS[name], ARTIFACT_ANCHORS)),
            }
            for name, text in sorted(
                page.texts.items(),
                key=lambda item: ("spec.md", "plan.md", "tasks.md").index(item[0]),
            )
        ]
        trace = [
            {
                "id": row.requirement.id,
                "line": row.requirement.line,
                "text": row.requirement.text,
                "plan": [
                    {"title": title, "href": f"#plan-{_slug(title)}"} for title in row.plan_sections
                ],
                "tasks": list(row.tasks),
                "phrs": [
                    {
                        "label": entry.id or entry.path,
                        "title": entry.title,
                        "href": root + self.phr_href(entry),
                    }
                    for entry in row.phrs
                ],
                "adrs": [
                    {
                        "label": _adr_label(adr),
                        "title": adr.title,
                        "href": root + adr_page_href(adr),
                    }
                    for adr in row.adrs
                ],
                "covered": row.covered,
                "gap": row.gap,
            }
            for row in page.trace
        ]
        status = page.detail.status
        return self.templates.render(
            "feature.html",
            {
                **self.common(root, feature_href(page.name)),
                "name": page.name,
                "title": page.title,
                "status": status,
                "bar": Markup(svg.progress_bar(status.tasks_done, status.tasks_total, width=240)),
                "sections": sections,
                "trace": trace,
                "gaps": sum(1 for row in page.trace if row.gap),
                "findings": page.detail.findings,
                "clarifications": [
                    {"file": name, "line": marker.line, "text": marker.text}
                    for name, marker in page.detail.report.clarifications
                ],
                "phrs": [
                    {"entry": entry, "href": root + self.phr_href(entry)} for entry in page.phrs
                ],
                "adrs": [
                    {"adr": adr, "label": _adr_label(adr), "href": root + adr_page_href(adr)}
                    for adr in page.adrs
                ],
            },
        )

    def adrs(self) -> str:
        from markupsafe import Markup

        rows = []
        for adr in self.data.adrs:
            feature = adr.feature or ""
            rows.append(
                {
                    "adr": adr,
                    "anchor": anchor(adr.path.name),
                    "href": adr_page_href(adr),
                    "label": _adr_label(adr),
                    "status": adr.status or "unknown",
                    "supersedes": [(f"{n:04d}", self.adr_href.get(n)) for n in adr.supersedes],
                    "chain": [
                        (f"{n:04d}", self.adr_href.get(n)) for n in _chain(adr, self.by_number)
                    ],
                    "feature": feature,
                    "feature_href": feature_href(feature)
                    if feature in self.feature_names
                    else None,
                }
            )
        statuses = sorted({adr.status or "unknown" for adr in self.data.adrs})
        return self.templates.render(
            "adrs.html",
            {
                **self.common("", "adrs.html"),
                "rows": rows,
                "statuses": statuses,
                "graph": Markup(svg.supersede_graph(self.data.adrs, self.adr_href)),
            },
        )

    def adr_links(self, adr: Adr) -> dict[str, Any]:
        """What the page of ``adr`` links to: the decisions it replaced, those that replaced
        it, and its feature (each href None when the site has no page for it)."""

        def linked(number: int) -> tuple[str, str | None]:
            other = self.by_number.get(number)
            return f"{number:04d}", "../" + adr_page_href(other) if other is not None else None

        feature = adr.feature or ""
        return {
            "supersedes": [linked(number) for number in adr.supersedes],
            "chain": [linked(number) for number in _chain(adr, self.by_number)],
            "feature": feature,
            "feature_href": "../" + feature_href(feature)
            if feature in self.feature_names
            else None,
        }

    def adr(self, adr: Adr) -> str:
        from markupsafe import Markup

        root = "../"
        return self.templates.render(
            "adr.html",
            {
                **self.common(root, adr_page_href(adr)),
                "adr": adr,
                "label": _adr_label(adr),
                "status": adr.status or "unknown",
                "log_href": root + adr_log_href(adr),
                **self.adr_links(adr),
                "html": Markup(render_markdown(adr.text, "adr")),
            },
        )

    def routes(self) -> dict[str, list[Entry]]:
        """The records by route folder, each in date order."""
        groups: dict[str, list[Entry]] = {}
        for entry in sorted(self.data.phrs, key=lambda e: (e.route, e.date, e.id, e.path)):
            groups.setdefault(entry.route, []).append(entry)
        return dict(sorted(groups.items()))

    def prompts(self, routes: dict[str, list[Entry]]) -> str:
        from markupsafe import Markup

        return self.templates.render(
            "prompts.html",
            {
                **self.common("", "prompts.html"),
                "routes": [
                    {
                        "route": route or NO_ROUTE,
                        "href": route_href(route),
                        "feature_href": feature_href(route)
                        if route in self.feature_names
                        else None,
                        "count": len(entries),
                        "stages": sorted(Counter(svg.stage_of(entry) for entry in entries).items()),
                        "last": max((entry.date for entry in entries), default=""),
                    }
                    for route, entries in routes.items()
                ],
                "chart": Markup(svg.stage_chart(self.data.phrs, prefix="timeline")),
            },
        )

    def route(self, route: str, entries: list[Entry]) -> str:
        from markupsafe import Markup

        root = "../"
        return self.templates.render(
            "route.html",
            {
                **self.common(root, route_href(route)),
                "route": route or NO_ROUTE,
                "feature_href": root + feature_href(route) if route in self.feature_names else None,
                "entries": [
                    {"entry": entry, "anchor": anchor(entry.path), "stage": svg.stage_of(entry)}
                    for entry in entries
                ],
                "stages": sorted({svg.stage_of(entry) for entry in entries}),
                "chart": Markup(svg.stage_chart(entries, prefix="route")),
            },
        )

    def search_index(self) -> str:
        items: list[list[str]] = []
        for page in self.data.features:
            items.append([f"{page.name}: {page.title}", feature_href(page.name), "feature"])
        for adr in self.data.adrs:
            items.append([f"{_adr_label(adr)}: {adr.title}", adr_page_href(adr), "adr"])
        for entry in self.data.phrs:
            items.append(
                [f"PHR {entry.id}: {entry.title}", self.phr_href(entry), entry.stage or "phr"]
            )
        text = json.dumps(items, ensure_ascii=True, separators=(",", ":"))
        # Nothing in the index can close a script element or open markup.
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return f"window.SDD_SEARCH={text};\n"


def _slug(title: str) -> str:
    from sdd.site.markdown import heading_slug

    return heading_slug(title) or "section"
