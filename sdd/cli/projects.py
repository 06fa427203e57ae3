"""``sdd projects``: the sdd projects of this repository (a monorepo may hold several)."""

from __future__ import annotations

from pathlib import Path

from sdd.cli.common import JsonOption


def projects(as_json: JsonOption = False) -> None:
    """List every folder of the repository holding sdd.yaml or a kit's layout, with its layout.

    \b
    Example: sdd projects --json
    """
    from sdd.cli import render
    from sdd.overview.repository import load_projects, projects_document, repository_top

    top = repository_top(Path.cwd())
    states = load_projects(top)
    if as_json:
        render.print_json(projects_document(states, top))
        return
    if not states:
        render.line("No sdd project in this repository: create one with sdd init.")
        return
    render.table(
        ("project", "layout", "markers", "config"),
        [
            (
                state.name,
                state.entry.layout.kind,
                " ".join(state.entry.layout.markers) or "-",
                "ok" if state.project is not None else "broken (sdd validate --all)",
            )
            for state in states
        ],
        no_wrap=("project",),
    )
