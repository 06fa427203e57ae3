"""``sdd hooks``: install, uninstall and inspect sdd's git hooks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from sdd.cli.common import JsonOption
from sdd.cli.invocation import project_from

if TYPE_CHECKING:
    from pathlib import Path

app = typer.Typer(
    help="Git hooks that validate staged artifacts and suggest ADRs, without clobbering yours."
)

HookOption = Annotated[
    list[str] | None,
    typer.Option(
        "--hook",
        metavar="HOOK",
        help="pre-commit, post-commit or pre-push; repeat for several (default: all three).",
        show_default=False,
    ),
]

_INSTALL_WORDS = {
    "installed": "installed",
    "chained": "installed; the hook that was there is kept and runs first",
    "updated": "updated",
    "unchanged": "already installed, unchanged",
}
_UNINSTALL_WORDS = {
    "removed": "removed",
    "restored": "removed; the hook it had replaced is back",
    "absent": "not installed",
    "foreign": "not sdd's hook: left alone",
}


def _root_without_config(ctx: typer.Context) -> Path:
    """The project folder, found without loading ``sdd.yaml`` (a broken one must not keep
    anyone from seeing or removing the hooks)."""
    from pathlib import Path

    from sdd.project.project import find_root

    return find_root(Path.cwd(), getattr(ctx.find_root().obj, "project", None))


@app.command("install")
def install_command(
    ctx: typer.Context,
    hook: HookOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="When <hook>.sdd-legacy (a hook sdd kept earlier) is in the way of keeping "
            "the current hook, overwrite it. The current hook is always kept.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Install the hooks into the folder git runs hooks from (core.hooksPath honoured).

    A hook that sdd did not write is kept as <hook>.sdd-legacy and runs first; exit codes
    combine. Installing twice changes nothing.

    \b
    Example: sdd hooks install --hook pre-commit --hook post-commit
    """
    from sdd.base import gitio
    from sdd.cli import render
    from sdd.hooks import install as hooks
    from sdd.validation.staged import is_sdd_project

    project = project_from(ctx)
    names = hooks.choose(hook)
    target = hooks.target_for(project)
    result = hooks.install(gitio.hooks_dir(project.root), names, target, force=force)
    if not is_sdd_project(project):
        render.warn(
            f"{project.root} has no sdd.yaml and no kit layout: the pre-commit hook checks "
            "nothing there until 'sdd init'"
        )
    if as_json:
        render.print_json(result.as_dict())
        return
    for change in result.changes:
        words = _INSTALL_WORDS[change.action]
        if change.kept is not None:
            words += f" (runs {change.kept.name} first)" if change.action != "chained" else ""
        render.success(f"{change.hook}: {words} — {change.path}")
    runs = (
        target.python
        or "the sdd each machine has ($SDD_PYTHON, 'sdd' on PATH, python3): the folder is shared"
    )
    render.note(f"hooks run {runs}; skip sdd's checks once with SDD_SKIP_HOOKS=1")


@app.command("uninstall")
def uninstall_command(
    ctx: typer.Context, hook: HookOption = None, as_json: JsonOption = False
) -> None:
    """Remove sdd's hooks and put back, byte for byte, the hooks they had replaced.

    \b
    Example: sdd hooks uninstall
    """
    from sdd.base import gitio
    from sdd.cli import render
    from sdd.hooks import install as hooks

    root = _root_without_config(ctx)
    names = hooks.choose(hook)
    hooks.require_repository(root)
    result = hooks.uninstall(gitio.hooks_dir(root), names)
    if as_json:
        render.print_json(result.as_dict())
        return
    for change in result.changes:
        words = _UNINSTALL_WORDS[change.action]
        line = f"{change.hook}: {words} — {change.path}"
        if change.action in ("removed", "restored"):
            render.success(line)
        else:
            render.note(line)


@app.command("status")
def status_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Which hooks are installed, current or outdated, and what they chain.

    \b
    Example: sdd hooks status
    """
    from sdd.base import gitio
    from sdd.base.errors import ConfigError
    from sdd.cli import render
    from sdd.hooks import install as hooks
    from sdd.hooks.status import status

    try:
        project = project_from(ctx)
    except ConfigError as error:
        # Still show what is installed; whether it is current depends on the broken config.
        render.warn(f"{error.path}: broken ({error.message}); cannot tell outdated hooks")
        root = _root_without_config(ctx)
        target = None
    else:
        root = project.root
        target = hooks.target_for(project)
    hooks.require_repository(root)
    report = status(gitio.hooks_dir(root), hooks.HOOKS, target)
    if as_json:
        render.print_json(report.as_dict())
        return
    rows = []
    for state in report.hooks:
        notes = []
        if state.kept is not None:
            notes.append(f"runs {state.kept.name} first")
        if state.script is not None and state.script != state.path:
            notes.append(f"chained by another hook manager as {state.script.name}")
        if state.python is not None and not state.python_exists:
            notes.append(f"{state.python} is gone")
        rows.append((state.hook, state.state, "; ".join(notes)))
    render.table(("hook", "state", "notes"), rows, title=f"git hooks in {report.hooks_dir}")
    if any(state.state == "outdated" for state in report.hooks):
        render.note("run 'sdd hooks install' to update the outdated hooks")
