"""``sdd site``: the project as static HTML pages (ADR 0140, 0143).

Pages come from the templates in ``templates/site/`` (Jinja2's sandbox, autoescaped,
``StrictUndefined``), the stylesheet and the search script are copied beside them, and the
search index is a script file, so the site works from ``file://`` and needs no network.

Output is deterministic: nothing depends on the clock, the machine or the order of a
folder listing. A manifest (``.sdd-site.json``) keeps, per page, a digest of what it was
made from; a page whose inputs are unchanged and whose file is intact is neither rendered
nor written again. A folder holding other files and no manifest is refused, so a wrong
``--output`` cannot overwrite someone's work; pages the project no longer has are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sdd import __version__
from sdd.adr.record import Adr
from sdd.base.errors import RefusedError, TemplateError
from sdd.phr.listing import Entry
from sdd.project.project import Project
from sdd.site import svg
from sdd.site.markdown import render_markdown
from sdd.site.model import FeaturePage, SiteData, gather

MANIFEST = ".sdd-site.json"
MANIFEST_SCHEMA = "sdd.site-manifest/1"
# The stamp of the input files depends on this machine (paths, modification times), so it
# is kept apart from the manifest, and the site's own .gitignore leaves it out of commits.
INPUT_STAMP = ".sdd-site-inputs"
STATIC_FILES = ("site.css", "site.js")
NO_ROUTE = "(directly in the prompts folder)"
ROOT_RECORDS = "_root"
ARTIFACT_ANCHORS = {"spec.md": "spec", "plan.md": "plan", "tasks.md": "tasks"}


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    rendered: int  # pages whose inputs changed (or whose file did not match)
    written: int  # of those, pages whose bytes changed
    skipped: int  # pages left as they were
    removed: int

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": "sdd.site/1",
            "output": str(self.output),
            "pages": self.pages,
            "rendered": self.rendered,
            "written": self.written,
            "skipped": self.skipped,
            "removed": self.removed,
        }


def template_folders(project: Project) -> tuple[str, ...]:
    """Where the site's templates are looked up: the project's ``site/`` template folder
    (``sdd templates eject site/site.css``) first, then the packaged defaults."""
    from sdd.base.paths import ensure_inside
    from sdd.base.templates import packaged_dir

    folders = []
    override = project.paths.templates / "site"
    if override.is_dir():
        ensure_inside(override, project.root)
        folders.append(str(override))
    folders.append(str(packaged_dir() / "site"))
    return tuple(folders)


def _environment(folders: tuple[str, ...]) -> Any:
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(
        loader=FileSystemLoader(list(folders), followlinks=False),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["url"] = lambda value: quote(str(value), safe="/#")
    return environment


class _Templates:
    """The site's templates and static files, and one digest of all of them."""

    def __init__(self, folders: tuple[str, ...]) -> None:
        self.folders = folders
        digest = hashlib.sha256(__version__.encode())
        for folder in folders:
            for path in sorted(Path(folder).iterdir()):
                if path.is_file():
                    digest.update(path.name.encode() + b"\0" + path.read_bytes())
            digest.update(b"\1")
        self.digest = digest.hexdigest()
        # One environment per build: a cached one would keep serving a default template
        # after the project ejected an override of the same name.
        self.environment = _environment(folders)

    def static(self, name: str) -> str:
        from sdd.base.fileio import read_text

        for folder in self.folders:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                return read_text(path)
        raise TemplateError(f"site file {name!r} not found")

    def render(self, name: str, context: dict[str, Any]) -> str:
        import jinja2

        try:
            return str(self.environment.get_template(name).render(**context))
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"site template syntax error: {exc.message}",
                path=exc.filename or name,
                line=exc.lineno,
            ) from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"site template failed: {exc}", path=name) from None


def feature_href(name: str) -> str:
    return f"features/{quote(name, safe='')}.html"


def _route_file(route: str) -> str:
    return route or ROOT_RECORDS


def route_href(route: str) -> str:
    """The timeline page of one route folder; records directly in the prompts folder have
    a page of their own."""
    return f"prompts/{quote(_route_file(route), safe='')}.html"


def anchor(text: str) -> str:
    """An element id for a path or name: only characters safe in ids and fragments."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in text)


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


class _Pages:
    """Renders every page of one site; ``root`` is the relative way back to the site root."""

    def __init__(self, data: SiteData, base_url: str | None, templates: _Templates) -> None:
        self.data = data
        self.templates = templates
        self.base_url = (base_url or "").rstrip("/")
        self.adr_href = {
            adr.number: f"adrs.html#{anchor(adr.path.name)}" for adr in reversed(data.adrs)
        }
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
                        "href": root + self.adr_href[adr.number],
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
                    {"adr": adr, "label": _adr_label(adr), "href": root + self.adr_href[adr.number]}
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
            items.append([f"{_adr_label(adr)}: {adr.title}", self.adr_href[adr.number], "adr"])
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


def _digest(templates: _Templates, *parts: object) -> str:
    digest = hashlib.sha256(templates.digest.encode())
    for part in parts:
        digest.update(b"\0" + repr(part).encode("utf-8", "backslashreplace"))
    return digest.hexdigest()


def _feature_inputs(page: FeaturePage, pages: _Pages) -> tuple[object, ...]:
    """Everything a feature page shows, as plain values, for its digest."""
    return (
        page.name,
        page.texts,
        page.detail.status.as_dict(),
        [finding.as_dict() for finding in page.detail.findings],
        [entry.as_dict() for entry in page.phrs],
        [(adr.number, adr.title, adr.path.name, adr.text) for adr in page.adrs],
        [pages.adr_href.get(adr.number) for adr in page.adrs],
        [
            (
                row.requirement,
                row.plan_sections,
                row.tasks,
                [entry.path for entry in row.phrs],
                [adr.path.name for adr in row.adrs],
                row.covered,
            )
            for row in page.trace
        ],
        pages.base_url,
    )


@dataclass(frozen=True)
class _Manifest:
    pages: dict[str, str]  # page -> "<digest of its inputs>:<digest of its file>"
    inputs: str = ""  # the stamp of every input file at the last build


def _load_manifest(output: Path) -> _Manifest | None:
    """What the previous build recorded; None when ``output`` is no sdd site."""
    try:
        data = json.loads((output / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") != MANIFEST_SCHEMA:
        return None
    pages = data.get("pages")
    found = {str(k): str(v) for k, v in pages.items()} if isinstance(pages, dict) else {}
    try:
        stamp = (output / INPUT_STAMP).read_text("ascii").strip()
    except (OSError, ValueError):
        stamp = ""
    return _Manifest(found, stamp)


def _input_stamp(project: Project, templates: _Templates, base_url: str | None) -> str:
    """Name, size and modification time of every file the site is made from: when none
    changed since the last build, nothing needs reading (the "nothing changed" rebuild)."""
    digest = hashlib.sha256(f"{templates.digest}\0{base_url or ''}\0{project.root}".encode())
    paths = project.paths
    single = [project.config_path, paths.constitution]
    for path in single:
        try:
            stat = os.stat(path) if path is not None else None
        except OSError:
            stat = None
        if stat is not None:
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    for folder in (paths.specs, paths.prompts, paths.adr, paths.templates):
        for directory, subfolders, names in os.walk(folder):
            subfolders.sort()
            digest.update(f"{directory}\0{len(names)}\n".encode())
            for name in sorted(names):
                try:
                    stat = os.stat(os.path.join(directory, name))
                except OSError:
                    continue
                digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _intact(output: Path, manifest: _Manifest) -> bool:
    """Whether every page the manifest lists is on disk as it was written."""
    return all(
        _digest_file(output / page) == stamp.partition(":")[2]
        for page, stamp in manifest.pages.items()
    )


def _check_output(output: Path, project: Project) -> _Manifest:
    from sdd.base.paths import is_within

    root = project.root.resolve()
    resolved = output.resolve()
    if resolved == root or is_within(root, resolved):
        raise RefusedError(f"{output} holds the project; give a folder of its own to --output")
    for folder in (project.paths.specs, project.paths.prompts, project.paths.adr):
        if is_within(resolved, folder.resolve()) or resolved == folder.resolve():
            raise RefusedError(f"{output} is inside {project.rel(folder)}; choose another folder")
    return previous_manifest(output)


def previous_manifest(output: Path) -> _Manifest:
    """What the last build into ``output`` recorded; ``RefusedError`` when ``output`` holds
    files and no manifest (it is not a site sdd wrote)."""
    if output.exists() and not output.is_dir():
        raise RefusedError(f"{output} exists and is not a folder")
    manifest = _load_manifest(output)
    if manifest is None:
        if output.is_dir() and any(output.iterdir()):
            raise RefusedError(
                f"{output} is not empty and holds no sdd site; give an empty or new folder"
            )
        return _Manifest({})
    return manifest


def _write(target: Path, content: bytes) -> None:
    """Replace ``target`` atomically, without fsync: a generated page is rebuilt from the
    project at will, and syncing each of thousands of pages to disk tripled the build time
    (ADR 0143). A reader never sees half a page."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


def _digest_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


PARALLEL_THRESHOLD = 64  # pages to render before forking workers pays off
_renders: list[Any] | None = None  # the render functions, shared with forked workers


def _render_slice(bounds: tuple[int, int]) -> list[str]:
    assert _renders is not None
    return [render() for render in _renders[bounds[0] : bounds[1]]]


def _render_all(renders: list[Any]) -> list[str]:
    """Every page's text, in order; many pages are rendered by forked workers (as the PHR
    checks of ``sdd validate`` are), since Markdown rendering dominates a cold build."""
    global _renders
    import multiprocessing

    workers = min(os.cpu_count() or 1, 4)
    if (
        len(renders) < PARALLEL_THRESHOLD
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [render() for render in renders]
    step = -(-len(renders) // workers)
    bounds = [(start, start + step) for start in range(0, len(renders), step)]
    _renders = renders
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [text for part in pool.map(_render_slice, bounds) for text in part]
    finally:
        _renders = None


def write_pages(output: Path, pages: dict[str, str], previous: dict[str, str]) -> BuildResult:
    """Write ``pages`` (path → text) into ``output`` as the only pages of its manifest
    (``previous``: the pages of the last one), leaving identical files alone (the index of
    ``sdd site --all``)."""
    output.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, str] = {}
    written = 0
    for relative, text in sorted(pages.items()):
        encoded = text.encode("utf-8")
        file_digest = hashlib.sha256(encoded).hexdigest()
        if _digest_file(output / relative) != file_digest:
            _write(output / relative, encoded)
            written += 1
        manifest[relative] = f"{file_digest}:{file_digest}"
    removed = 0
    for relative in sorted(set(previous) - set(manifest)):
        if (output / relative).is_file():
            os.unlink(output / relative)
            removed += 1
    body = json.dumps({"schema": MANIFEST_SCHEMA, "pages": manifest}, indent=1, sort_keys=True)
    _write(output / MANIFEST, (body + "\n").encode("utf-8"))
    count = len(pages)
    return BuildResult(output, count, count, written, count - written, removed)


def packaged_templates() -> _Templates:
    from sdd.base.templates import packaged_dir

    return _Templates((str(packaged_dir() / "site"),))


def build_site(
    project: Project, output: Path, *, base_url: str | None = None, data: SiteData | None = None
) -> BuildResult:
    """Write the site of ``project`` into ``output``; unchanged pages are left alone."""
    manifest_before = _check_output(output, project)
    previous = manifest_before.pages
    templates = _Templates(template_folders(project))
    stamp = _input_stamp(project, templates, base_url)
    if data is None and manifest_before.inputs == stamp and _intact(output, manifest_before):
        count = len(previous)
        return BuildResult(output, count, 0, 0, count, 0)
    data = data if data is not None else gather(project)
    pages = _Pages(data, base_url, templates)
    jobs: list[tuple[str, str, Any]] = []  # (path, digest of inputs, render function)
    ignore = f"/{INPUT_STAMP}\n"
    jobs.append((".gitignore", _digest(templates, ignore), lambda: ignore))
    for name in STATIC_FILES:
        content = templates.static(name)
        jobs.append((name, _digest(templates, name, content), lambda content=content: content))
    feature_digests = {
        page.name: _digest(templates, _feature_inputs(page, pages)) for page in data.features
    }
    common = (data.project_name, pages.base_url, sorted(pages.feature_names))
    findings = [finding.as_dict() for finding in data.findings]
    dated_stages = [(entry.date, entry.stage) for entry in data.phrs]
    adr_values = [(adr.path.name, adr.text) for adr in data.adrs]
    jobs.append(
        (
            "index.html",
            _digest(templates, common, feature_digests, findings, dated_stages, adr_values),
            pages.index,
        )
    )
    jobs.append(("adrs.html", _digest(templates, common, adr_values), pages.adrs))
    routes = pages.routes()
    route_values = {
        route: [entry.as_dict() for entry in entries] for route, entries in routes.items()
    }
    jobs.append(
        (
            "prompts.html",
            _digest(templates, common, route_values),
            lambda: pages.prompts(routes),
        )
    )
    for route, entries in routes.items():
        jobs.append(
            (
                f"prompts/{_route_file(route)}.html",
                _digest(templates, common, route, route_values[route]),
                lambda route=route, entries=entries: pages.route(route, entries),
            )
        )
    search = pages.search_index()
    jobs.append(("search-index.js", _digest(templates, search), lambda: search))
    for page in data.features:
        jobs.append(
            (
                f"features/{page.name}.html",
                feature_digests[page.name],
                lambda page=page: pages.feature(page),
            )
        )
    output.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, str] = {}
    skipped = written = 0
    pending: list[tuple[str, str, Any]] = []
    for relative, digest, render in jobs:
        recorded = previous.get(relative, "")
        known_digest, _, known_file = recorded.partition(":")
        if known_digest == digest and known_file and _digest_file(output / relative) == known_file:
            manifest[relative] = recorded
            skipped += 1
        else:
            pending.append((relative, digest, render))
    texts = _render_all([job[2] for job in pending])
    for (relative, digest, _), text in zip(pending, texts, strict=True):
        target = output / relative
        encoded = text.encode("utf-8")
        file_digest = hashlib.sha256(encoded).hexdigest()
        if _digest_file(target) != file_digest:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write(target, encoded)
            written += 1
        else:
            skipped += 1
        manifest[relative] = f"{digest}:{file_digest}"
    rendered = len(pending)
    removed = 0
    for relative in sorted(set(previous) - set(manifest)):
        stale = output / relative
        if stale.is_file():
            os.unlink(stale)
            removed += 1
    body = json.dumps({"schema": MANIFEST_SCHEMA, "pages": manifest}, indent=1, sort_keys=True)
    _write(output / MANIFEST, (body + "\n").encode("utf-8"))
    _write(output / INPUT_STAMP, (stamp + "\n").encode("ascii"))
    return BuildResult(output, len(jobs), rendered, written, skipped, removed)
