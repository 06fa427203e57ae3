"""``sdd init``: lay out a new project, or adopt the layout of an existing kit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sdd.cli.common import ForceOption, JsonOption


def init(
    directory: Annotated[
        Path, typer.Argument(help="Folder to initialise (created if missing).", file_okay=False)
    ] = Path("."),
    force: ForceOption = False,
    git: Annotated[
        bool, typer.Option("--git", help="Run git init when the folder is not in a repository.")
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="In a kit's layout (adr-tools), also create the folders that kit does not use.",
        ),
    ] = False,
    root: Annotated[
        bool,
        typer.Option(
            "--root",
            help="Create a project here even though sub-folders hold sdd projects (monorepos).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Create sdd.yaml and the folders the project's layout uses. Safe to run twice.

    A new project gets specs/, a constitution, history/prompts/ and adr/; a repository that
    already follows a kit keeps its folders (spec-kit, Spec-Kit Plus, adr-tools), and one that
    only keeps ADRs gets only what ADRs need: 'sdd init --full' adds the rest.

    \b
    Example: sdd init --git
    """
    from sdd.cli import render
    from sdd.project.scaffold import init_project

    result = init_project(directory, force=force, git=git, full=full, beside_projects=root)
    if as_json:
        render.print_json(result.as_dict())
        return
    if result.git_initialised:
        render.success(f"git repository initialised in {result.root}")
    for item in result.adopted:
        render.success(f"adopted {item.path} ({item.reason})")
    for path in result.created:
        render.success(f"created {path}")
    for path in result.overwritten:
        render.success(f"overwrote {path} (--force)")
    for path in result.skipped:
        render.note(f"kept {path} (exists)")
    if result.left_out:
        render.note(
            f"left out (this repository keeps only ADRs): {', '.join(result.left_out)}; "
            "'sdd init --full' creates them"
        )
    if not result.changed:
        render.line(f"Nothing to do: {result.root} is already initialised.")
    else:
        render.line(f"Project ready at {result.root} (layout: {result.layout}).")
        render.note("Next: sdd doctor")
