"""What an artifact is: the one definition the hooks, the framework manifest and the PR
checklist share.

An artifact is a Markdown file under one of the project's artifact folders (specs, prompts,
ADRs) or its constitution, plus ``sdd.yaml``. Three views of the same rule, from cheapest to
exact:

* ``may_be_artifact`` (in ``sdd.project.filenames``): a name test without the project (the
  hook's first filter; the ``files:`` pattern of ``.pre-commit-hooks.yaml``,
  ``FRAMEWORK_FILES_PATTERN``, passes the same names);
* ``artifact_pathspecs``: git pathspecs the installed hook script uses as its shell prefilter;
* ``is_artifact`` with ``artifact_scope``: the exact test, on project-relative paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sdd.project.adr_folders import KNOWN_ADR_FOLDERS, SPEC_KIT_PLUS_ADR
from sdd.project.filenames import (
    ARTIFACT_SUFFIX,
    CONFIG_FILE,
    FRAMEWORK_FILES_PATTERN,
    may_be_artifact,
)
from sdd.project.project import (
    ADR_TOOLS_FILE,
    SPEC_KIT_CONSTITUTION,
    SPEC_KIT_TEMPLATES,
    Project,
)

__all__ = [
    "ARTIFACT_SUFFIX",
    "CONFIG_FILE",
    "FRAMEWORK_FILES_PATTERN",
    "artifact_pathspecs",
    "artifact_scope",
    "is_artifact",
    "layout_files",
    "may_be_artifact",
    "under",
]


def layout_files() -> tuple[str, ...]:
    """Besides the artifact folders, the project-relative files that decide where they are
    (the ADR folder is the first candidate holding records)."""
    return (
        CONFIG_FILE,
        ADR_TOOLS_FILE,
        SPEC_KIT_CONSTITUTION,
        SPEC_KIT_TEMPLATES,
        SPEC_KIT_PLUS_ADR,
        *KNOWN_ADR_FOLDERS,
    )


def artifact_scope(project: Project) -> tuple[str, ...]:
    """Project-relative folders (and the constitution) whose Markdown files are artifacts."""
    paths = project.paths
    return tuple(
        project.rel(path) for path in (paths.specs, paths.prompts, paths.adr, paths.constitution)
    )


def under(path: str, item: str) -> bool:
    """Whether the project-relative ``path`` is ``item`` or inside it (``""``/``.``: the root)."""
    return item in ("", ".") or path == item or path.startswith(item.rstrip("/") + "/")


def is_artifact(relative: str, scope: Sequence[str]) -> bool:
    """Whether the project-relative ``relative`` is a Markdown artifact of ``scope`` (callers
    treat ``sdd.yaml`` on its own: it is validated by loading it, not by the checkers)."""
    return relative.endswith(ARTIFACT_SUFFIX) and any(under(relative, item) for item in scope)


_GLOB_SPECIALS = str.maketrans({special: "\\" + special for special in "*?[]\\"})


def glob_escape(text: str) -> str:
    """``text`` matched literally by a ``:(glob)`` pathspec: its wildcards backslash-escaped."""
    return text.translate(_GLOB_SPECIALS)


def artifact_pathspecs(project: Project, top: Path) -> tuple[str, ...]:
    """Git pathspecs (relative to ``top``) of everything the pre-commit hook must look at:
    Markdown under the artifact folders, the constitution, ``sdd.yaml`` and the files that
    decide the layout. A prefilter only; ``is_artifact`` decides precisely."""
    root = project.root
    # Paths as git names them: symlinks are not followed (git records a link, not its target).
    root_in_top = root.resolve().relative_to(top.resolve())

    def relative(path: Path) -> str:
        return (root_in_top / path.relative_to(root)).as_posix()

    files = {root / CONFIG_FILE, root / ADR_TOOLS_FILE, root / SPEC_KIT_CONSTITUTION}
    files.add(project.paths.constitution)
    folders = {project.paths.specs, project.paths.prompts, project.paths.adr}
    folders.add(root / SPEC_KIT_PLUS_ADR)
    specs = {f":(top,literal){relative(path)}" for path in files}
    for folder in folders:
        inside = relative(folder)
        prefix = "" if inside == "." else glob_escape(inside) + "/"
        specs.add(f":(top,glob){prefix}**/*.md")
    return tuple(sorted(specs))
