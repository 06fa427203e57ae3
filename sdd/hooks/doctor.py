"""``sdd doctor``: the project's diagnosis (``sdd.project.doctor``) with each git hook's state
as ``sdd hooks status`` sees it. The hooks are checked here, not in ``sdd.project``, because
the project layer sits below the hooks: an outdated script, or one that names a Python that
is gone, is a DOC007/DOC008 warning (both skip sdd's checks)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sdd.project import doctor
from sdd.project.doctor import Diagnosis, Problem


@dataclass(frozen=True)
class Checkup:
    """What ``sdd doctor`` reports: the diagnosis and (hook, state) rows, with the JSON
    document (``sdd.doctor/1``)."""

    diagnosis: Diagnosis
    hooks: tuple[tuple[str, str], ...]

    @property
    def ok(self) -> bool:
        return self.diagnosis.ok

    def as_dict(self) -> dict[str, object]:
        document = self.diagnosis.as_dict()
        document["hooks"] = [{"hook": hook, "state": state} for hook, state in self.hooks]
        return document


def checkup(start: Path, explicit: Path | None = None) -> Checkup:
    """Diagnose the project found from ``start`` (or ``explicit``), hooks included."""
    diagnosis = doctor.diagnose(start, explicit)
    return Checkup(diagnosis, tuple(hook_states(diagnosis)))


def hook_states(diagnosis: Diagnosis) -> list[tuple[str, str]]:
    """Each git hook's state; adds DOC007/DOC008 to ``diagnosis.problems``."""
    from sdd.base import gitio
    from sdd.base.errors import SddError
    from sdd.hooks import install as hooks
    from sdd.hooks.status import status
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
