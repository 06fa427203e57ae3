"""The project an invocation works on, for commands and completers alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sdd.project.project import Project


def project_from(ctx: typer.Context) -> Project:
    """The project this invocation works on (``--project``/``SDD_PROJECT`` or discovered)."""
    from sdd.project.project import open_project

    state = ctx.find_root().obj
    explicit = getattr(state, "project", None)
    return open_project(explicit=explicit)
