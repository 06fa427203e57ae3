"""``sdd doctor``: report the project root, layout, paths, config, git and template overrides."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from sdd.cli.common import JsonOption

if TYPE_CHECKING:
    from sdd.project.doctor import Diagnosis


def doctor(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Check the project and the environment; exit 1 when something is wrong.

    \b
    Example: sdd doctor --json
    """
    from pathlib import Path

    from sdd.base.errors import ChecksFailed
    from sdd.cli import render
    from sdd.project.doctor import diagnose

    explicit = getattr(ctx.find_root().obj, "project", None)
    diagnosis = diagnose(Path.cwd(), explicit)
    hook_rows = _hook_state(diagnosis)
    if as_json:
        document = diagnosis.as_dict()
        document["hooks"] = [{"hook": hook, "state": state} for hook, state in hook_rows]
        document["problems"] = [p.as_dict() for p in diagnosis.problems]
        document["ok"] = diagnosis.ok
        render.print_json(document)
    else:
        document = diagnosis.as_dict()
        rows: list[tuple[str, str]] = [
            ("sdd", str(document["sdd_version"])),
            ("python", str(document["python"])),
            ("project root", str(diagnosis.root)),
            (
                "layout",
                f"{diagnosis.layout.kind} ({', '.join(diagnosis.layout.markers) or 'no markers'})",
            ),
            ("config", str(diagnosis.config_path or "none (defaults)")),
            ("git", diagnosis.git_version or "missing"),
            ("repository", str(diagnosis.git_toplevel or "none")),
            ("branch", diagnosis.git_branch or "-"),
        ]
        if diagnosis.paths is not None:
            for name, path in diagnosis.paths.as_dict().items():
                state = "" if path.exists() else "  (missing)"
                rows.append((f"paths.{name}", f"{path}{state}"))
        for hook, state in hook_rows:
            rows.append((f"hook {hook}", state))
        if diagnosis.baselined is not None:
            rows.append(("baseline", f"{diagnosis.baselined} finding(s) in .sdd/baseline.json"))
        for template in diagnosis.overrides:
            rows.append(("template override", f"{template.name} → {template.path}"))
        render.table(("check", "value"), rows, title="sdd doctor")
        for problem in diagnosis.problems:
            text = f"{problem.code} {problem.message}"
            (render.error if problem.severity == "error" else render.warn)(text)
        if not diagnosis.problems:
            render.success("no problems found")
        elif diagnosis.ok:
            count = len(diagnosis.problems)
            render.note(f"no errors; {count} warning{'s' if count != 1 else ''} above")
    if not diagnosis.ok:
        raise ChecksFailed("")


def _hook_state(diagnosis: Diagnosis) -> list[tuple[str, str]]:
    """Each git hook's state as ``sdd hooks status`` sees it; an outdated script, or one that
    finds no sdd on this machine, is a DOC007/DOC008 warning (both skip sdd's checks)."""
    from sdd.base import gitio
    from sdd.base.errors import SddError
    from sdd.hooks import install as hooks
    from sdd.hooks.status import status
    from sdd.project.doctor import Problem
    from sdd.project.project import load_project

    if diagnosis.git_toplevel is None or diagnosis.paths is None:
        return []
    try:
        project = load_project(diagnosis.root)
        target = hooks.target_for(project)
        states = status(gitio.hooks_dir(diagnosis.root), hooks.HOOKS, target).hooks
    except (SddError, OSError):
        return []
    rows = []
    for state in states:
        words = state.state
        if state.state == "outdated":
            diagnosis.problems.append(
                Problem(
                    "warning",
                    "DOC007",
                    f"the {state.hook} hook was written by another sdd version, interpreter "
                    f"or folder layout; run 'sdd hooks install' to update it",
                )
            )
        if state.python is not None and not state.python_exists:
            words += f" (its Python {state.python} is gone)"
            diagnosis.problems.append(
                Problem(
                    "warning",
                    "DOC008",
                    f"the {state.hook} hook names {state.python}, which does not exist here; "
                    "it falls back to the sdd on PATH or python3",
                )
            )
        rows.append((state.hook, words))
    return rows
