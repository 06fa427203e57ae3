"""``sdd site``: the project's specs, decisions and prompt history as a static site."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sdd.cli.common import JsonOption
from sdd.cli.invocation import project_from

if TYPE_CHECKING:
    from sdd.site.build import BuildResult


def site(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            file_okay=False,
            help="Folder for the site (default: site/ in the project). Unchanged pages are kept.",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Address the site will be published at (for canonical links), e.g. "
            "https://example.org/docs/.",
        ),
    ] = None,
    serve: Annotated[
        bool,
        typer.Option("--serve", help="After building, preview the site on 127.0.0.1 until Ctrl-C."),
    ] = False,
    every_project: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Every sdd project of the repository (monorepos): a site per project under "
            "DIR (default: site/ at the repository's top) and an index of the projects.",
        ),
    ] = False,
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port of --serve (0: any free port).")
    ] = 8000,
    as_json: JsonOption = False,
) -> None:
    """Write the project as a static site: overview, a page per feature with its traceability
    matrix, the ADR log and the prompt history; no network needed to view it.

    \b
    Example: sdd site --output public --serve
    """
    from sdd.base.errors import UsageError
    from sdd.cli import render
    from sdd.site.build import build_site

    if base_url is not None and not base_url.startswith(("https://", "http://", "/")):
        raise UsageError(f"--base-url {base_url!r} must start with https://, http:// or /")
    if every_project:
        from sdd.overview.repository import load_projects, repository_top
        from sdd.site.repository import build_all

        top = repository_top(Path.cwd())
        folder = output if output is not None else top / "site"
        built = build_all(load_projects(top), folder, base_url=base_url)
        if as_json:
            render.print_json(built.as_dict())
        else:
            for site in built.sites:
                if site.result is None:
                    render.warn(f"{site.state.name}: not built, its configuration is broken")
                else:
                    _report(render, site.result, f"{site.state.name}: ")
            render.success(f"Index of {len(built.sites)} projects: {folder / 'index.html'}")
    else:
        project = project_from(ctx)
        folder = output if output is not None else project.root / "site"
        result = build_site(project, folder, base_url=base_url)
        if as_json:
            render.print_json(result.as_dict())
        else:
            _report(render, result, "")
    if serve:
        import sys

        from sdd.site.serve import serve as run_server

        def ready(address: str) -> None:
            render.line(f"Serving {address} (Ctrl-C stops)")
            sys.stdout.flush()  # a script waiting for the address reads it now

        try:
            run_server(folder, port, ready)
        except OSError as error:
            raise UsageError(f"cannot serve on 127.0.0.1:{port}: {error.strerror}") from None
        except KeyboardInterrupt:
            render.line("Stopped.")


def _report(render: Any, result: BuildResult, prefix: str) -> None:
    render.success(
        f"{prefix}site written to {result.output}: {result.pages} files, {result.written} "
        f"written, {result.pages - result.written} unchanged, {result.removed} removed."
    )
