"""``sdd site``: the project as static HTML pages (ADR 0140, 0143).

What each page shows is ``sdd.site.pages``; this module decides which pages to render and
writes them. The stylesheet and the search script are copied beside the pages, and the
search index is a script file, so the site works from ``file://`` and needs no network.

Output is deterministic: nothing depends on the clock, the machine or the order of a
folder listing. A manifest (``.sdd-site.json``) keeps, per page, a digest of what it was
made from; a page whose inputs are unchanged and whose file is intact is neither rendered
nor written again. A folder holding other files and no manifest is refused, so a wrong
``--output`` cannot overwrite someone's work; pages the project no longer has are removed.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdd.base.errors import RefusedError
from sdd.project.project import Project
from sdd.site.model import FeaturePage, SiteData, collect, project_findings
from sdd.site.pages import Pages, adr_file, route_file
from sdd.site.templates import STATIC_FILES, Templates, template_folders

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

MANIFEST = ".sdd-site.json"
MANIFEST_SCHEMA = "sdd.site-manifest/1"
# The stamp of the input files depends on this machine (paths, modification times), so it
# is kept apart from the manifest, and the site's own .gitignore leaves it out of commits.
INPUT_STAMP = ".sdd-site-inputs"


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


def _digest(templates: Templates, *parts: object) -> str:
    digest = hashlib.sha256(templates.digest.encode())
    for part in parts:
        digest.update(b"\0" + repr(part).encode("utf-8", "backslashreplace"))
    return digest.hexdigest()


def _feature_inputs(page: FeaturePage, pages: Pages) -> tuple[object, ...]:
    """Everything a feature page shows, as plain values, for its digest."""
    return (
        page.name,
        page.texts,
        page.detail.status.as_dict(),
        [finding.as_dict() for finding in page.detail.findings],
        [entry.as_dict() for entry in page.phrs],
        [(adr.number, adr.title, adr.path.name, adr.text) for adr in page.adrs],
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


def _input_stamp(project: Project, templates: Templates, base_url: str | None) -> str:
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
MAX_WORKERS = 4

Render = Callable[..., str]
Job = tuple[str, str, Render]  # page path, digest of its inputs, render function


def _emit(output: Path, relative: str, render: Render) -> tuple[str, bool]:
    """Render one page and write it unless the file already holds those bytes: the digest
    of the page and whether it was written."""
    encoded = render().encode("utf-8")
    file_digest = hashlib.sha256(encoded).hexdigest()
    target = output / relative
    if _digest_file(target) == file_digest:
        return file_digest, False
    _write(target, encoded)
    return file_digest, True


def _work(output: Path, jobs: list[Job], indices: range, results: Connection) -> None:
    done: list[tuple[int, str, bool]] = []
    for index in indices:
        try:
            done.append((index, *_emit(output, jobs[index][0], jobs[index][2])))
        except Exception:  # the parent renders what is left, and reports the error itself
            break
    results.send(done)
    results.close()


class _Renderer:
    """Renders and writes pages, by forked workers (as the PHR checks of ``sdd validate``
    are) when there are many, while the parent goes on: Markdown dominates a cold build,
    and the validation the overview needs runs meanwhile. A page's bytes do not depend on
    who renders it. Without ``fork``, with one processor or few pages, and for any page a
    worker did not report (it failed or died), the parent renders it: the same bytes, and
    the genuine error if there is one."""

    def __init__(self, output: Path, jobs: list[Job], prepare: Callable[[], None]) -> None:
        """``prepare``: what workers should share rather than each do again (compiling
        templates), run once before they are forked."""
        import multiprocessing

        self.output = output
        self.jobs = jobs
        self.results: list[tuple[str, bool] | None] = [None] * len(jobs)
        self.workers: list[tuple[Any, Connection]] = []
        self.frozen = False
        count = min(os.cpu_count() or 1, MAX_WORKERS)
        if (
            len(jobs) < PARALLEL_THRESHOLD
            or count < 2
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            return
        prepare()
        # Objects the collector moves or marks in a worker are copied from the parent's
        # memory page by page; frozen, the collector leaves what existed at the fork alone.
        gc.freeze()
        self.frozen = True
        context = multiprocessing.get_context("fork")
        for first in range(count):
            reader, writer = context.Pipe(duplex=False)
            indices = range(first, len(jobs), count)  # interleaved: similar pages per worker
            worker = context.Process(
                target=_work, args=(output, jobs, indices, writer), daemon=True
            )
            worker.start()
            writer.close()
            self.workers.append((worker, reader))

    def finish(self) -> list[tuple[str, bool]]:
        try:
            for worker, reader in self.workers:
                try:
                    done = reader.recv()
                except (EOFError, OSError):
                    done = []
                for index, file_digest, wrote in done:
                    self.results[index] = (file_digest, wrote)
                reader.close()
                worker.join()
        finally:
            self.stop()
        return [
            result if result is not None else _emit(self.output, job[0], job[2])
            for job, result in zip(self.jobs, self.results, strict=True)
        ]

    def stop(self) -> None:
        for worker, reader in self.workers:
            if worker.is_alive():
                worker.terminate()
                worker.join()
            reader.close()
        self.workers = []
        if self.frozen:
            gc.unfreeze()
            self.frozen = False


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


def build_site(
    project: Project, output: Path, *, base_url: str | None = None, data: SiteData | None = None
) -> BuildResult:
    """Write the site of ``project`` into ``output``; unchanged pages are left alone."""
    manifest_before = _check_output(output, project)
    previous = manifest_before.pages
    templates = Templates(template_folders(project))
    stamp = _input_stamp(project, templates, base_url)
    if data is None and manifest_before.inputs == stamp and _intact(output, manifest_before):
        count = len(previous)
        return BuildResult(output, count, 0, 0, count, 0)
    read_findings = data is None
    data = data if data is not None else collect(project)
    pages = Pages(data, base_url, templates)
    jobs: list[Job] = []
    ignore = f"/{INPUT_STAMP}\n"
    jobs.append((".gitignore", _digest(templates, ignore), lambda: ignore))
    for name in STATIC_FILES:
        content = templates.static(name)
        jobs.append((name, _digest(templates, name, content), lambda content=content: content))
    feature_digests = {
        page.name: _digest(templates, _feature_inputs(page, pages)) for page in data.features
    }
    common = (data.project_name, pages.base_url, sorted(pages.feature_names))
    adr_values = [(adr.path.name, adr.text) for adr in data.adrs]
    jobs.append(("adrs.html", _digest(templates, common, adr_values), pages.adrs))
    for adr in data.adrs:
        inputs = (common, adr.path.name, adr.text, pages.adr_links(adr))
        jobs.append((adr_file(adr), _digest(templates, inputs), lambda adr=adr: pages.adr(adr)))
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
                f"prompts/{route_file(route)}.html",
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
    pending: list[Job] = []

    def sort(job: Job) -> None:
        nonlocal skipped
        relative, digest, _ = job
        recorded = previous.get(relative, "")
        known_digest, _, known_file = recorded.partition(":")
        if known_digest == digest and known_file and _digest_file(output / relative) == known_file:
            manifest[relative] = recorded
            skipped += 1
        else:
            pending.append(job)

    for job in jobs:
        sort(job)
    for folder in sorted({(output / job[0]).parent for job in pending}):
        folder.mkdir(parents=True, exist_ok=True)
    renderer = _Renderer(output, list(pending), pages.prepare)
    try:
        # Only the overview shows the findings: the other pages are rendered meanwhile.
        if read_findings:
            data.findings = project_findings(project)
        findings = [finding.as_dict() for finding in data.findings]
        dated_stages = [(entry.date, entry.stage) for entry in data.phrs]
        index_inputs = (common, feature_digests, findings, dated_stages, adr_values)
        index_job: Job = ("index.html", _digest(templates, *index_inputs), pages.index)
        jobs.append(index_job)
        before = len(pending)
        sort(index_job)
        outcomes = renderer.finish()
    finally:
        renderer.stop()
    if len(pending) > before:
        outcomes.append(_emit(output, index_job[0], index_job[2]))
    for (relative, digest, _), (file_digest, wrote) in zip(pending, outcomes, strict=True):
        if wrote:
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
