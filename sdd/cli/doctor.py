"""``sdd doctor``: report the project root, layout, paths, config, git and template overrides."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from sdd.cli.common import JsonOption

if TYPE_CHECKING:
    pass


def doctor(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Check the project and the environment; exit 1 when something is wrong.

    \b
    Example: sdd doctor --json
    """
    import sys
    from pathlib import Path

    from sdd.base.errors import ChecksFailed
    from sdd.cli import render
    from sdd.hooks.doctor import checkup

    explicit = getattr(ctx.find_root().obj, "project", None)
    report = checkup(Path.cwd(), explicit)
    diagnosis, hook_rows = report.diagnosis, report.hooks
    if as_json:
        render.print_json(report.as_dict())
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
        if not diagnosis.problems:
            render.success("no problems found")
        else:
            # The problems go to stderr: the table is flushed first and the count follows
            # them on the same stream, so merged or not, the order reads right.
            sys.stdout.flush()
            for problem in diagnosis.problems:
                text = f"{problem.code} {problem.message}"
                (render.error if problem.severity == "error" else render.warn)(text)
            if diagnosis.ok:
                count = len(diagnosis.problems)
                render.plain(f"no errors, {count} warning{'s' if count != 1 else ''}", err=True)
    if not diagnosis.ok:
        raise ChecksFailed("")
