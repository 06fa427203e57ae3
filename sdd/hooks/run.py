"""The entry sdd's git hook scripts call: ``<hook> --project=REL --folders=DIGEST -- ARGS``.

Lean by design (DESIGN §6): importing this module costs nothing beyond the interpreter; git is
run through ``sdd.base.gitio`` only once there is work, pydantic and the checkers are imported only
when an artifact is staged, and typer and rich never. The script's own shell
prefilter (``git diff --cached --quiet -- <artifact pathspecs>``) means that most commits
never start Python at all.

Modes:

* ``pre-commit``: validate the staged artifacts (``sdd.validation.staged``); exit 1 on errors.
* ``post-commit``: ADR detection on the new commit; prints the suggestion; exit 0.
* ``pre-push``: ADR detection on the pushed commits (refs on stdin); exit 0.
* ``validate FILE...`` and ``detect``: the entries of ``.pre-commit-hooks.yaml`` (pre-commit,
  the framework, passes file names and ``PRE_COMMIT_FROM_REF``/``PRE_COMMIT_TO_REF``).

Exit codes: 0 pass; 1 the staged artifacts have errors; 2 a usage or configuration problem
(``SddError``); 3 an unexpected error (one line, details in the crash log). Only pre-commit's
status blocks anything; detection is advisory and never fails.
"""

from __future__ import annotations

import atexit
import gc
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from sdd.base.diagnostics import Finding
    from sdd.validation.staged import StagedValidation

SKIP_HINT = (
    "fix the files and stage them again (git add), or skip sdd's check for this commit "
    "with SDD_SKIP_HOOKS=1 git commit ... (git commit --no-verify skips every hook)"
)
FRAMEWORK_SKIP_HINT = (
    "fix the files and stage them again (git add), or skip this check for one commit with "
    "SKIP=sdd-validate git commit ..."
)
# A commit of thousands of broken files prints a readable summary, not thousands of lines.
FINDINGS_PER_FILE = 5
FINDINGS_SHOWN = 200
MODES = ("pre-commit", "post-commit", "pre-push", "validate", "detect")
ZERO_SHA = "0" * 40
# Pathspec settings of the user's environment would change what the hook's git calls match.
_PATHSPEC_VARIABLES = (
    "GIT_LITERAL_PATHSPECS",
    "GIT_GLOB_PATHSPECS",
    "GIT_NOGLOB_PATHSPECS",
    "GIT_ICASE_PATHSPECS",
)


def _write(text: str, stream: TextIO) -> None:
    # Plain lines, no rich: importing it alone would take much of the hook's time budget.
    stream.write(text + "\n")
    stream.flush()


def _say(text: str) -> None:
    _write(text, sys.stderr)


def _options(argv: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """``--name=value`` options up to ``--``; the rest are git's arguments, untouched."""
    options: dict[str, str] = {}
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word == "--":
            break
        name, _, value = word.partition("=")
        if not name.startswith("--"):
            rest.insert(0, word)
            break
        options[name[2:]] = value
    return options, rest


def _top() -> Path:
    """The work tree the hook runs in (git starts hooks at its top level)."""
    from sdd.base import gitio

    cwd = Path.cwd()
    return (gitio.toplevel(cwd) or cwd).resolve()


# --- pre-commit ------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _print_capped(findings: Sequence[Finding]) -> int:
    """Print the first ``FINDINGS_PER_FILE`` findings of each file, at most ``FINDINGS_SHOWN``
    in all (errors first); return how many were left out."""
    shown_per_file: dict[str, int] = {}
    shown = 0
    for finding in sorted(findings, key=lambda f: (f.severity != "error", f.path, f.line)):
        count = shown_per_file.get(finding.path, 0)
        if count >= FINDINGS_PER_FILE or shown >= FINDINGS_SHOWN:
            continue
        shown_per_file[finding.path] = count + 1
        shown += 1
        _write(finding.format(), sys.stdout)
    return len(findings) - shown


def _print_validation(result: StagedValidation, hook: str, hint: str = SKIP_HINT) -> int:
    report = result.report
    hidden = _print_capped(report.findings)
    if hidden:
        files = len({finding.path for finding in report.findings})
        _say(
            f"sdd: {hook}: {_plural(hidden, 'more finding')} not shown "
            f"({_plural(report.errors, 'error')}, {_plural(report.warnings, 'warning')} "
            f"in {_plural(files, 'file')}); run 'sdd validate' for all of them"
        )
    if report.ok:
        return 0
    errors = _plural(report.errors, "error")
    _say(f"sdd: {hook}: commit blocked: {errors} in the staged artifacts")
    _say(f"sdd: {hint}")
    return 1


def _warn_if_folders_moved(result: StagedValidation, baked: str | None) -> None:
    """HOOK001: the script's prefilter was written for other artifact folders."""
    if not baked or result.project is None or result.work_tree is None:
        return
    from sdd.hooks.folders import folders_digest, repository_pathspecs
    from sdd.project.artifacts import artifact_pathspecs

    current = folders_digest(artifact_pathspecs(result.project, result.work_tree))
    if current != baked:
        # Installed in a monorepo: the prefilter watches every project's folders.
        current = folders_digest(repository_pathspecs(result.project, result.work_tree))
    if current != baked:
        _say(
            "sdd: warning HOOK001 the pre-commit hook watches other artifact folders than "
            "sdd.yaml names now; run 'sdd hooks install' to update it"
        )


def pre_commit(project_rel: str, baked_folders: str | None = None) -> int:
    from sdd.base import gitio

    top = _top()
    staged = gitio.staged_paths(top)
    from sdd.project.filenames import may_be_artifact

    # Without a file that may be an artifact, pydantic and the checkers are never imported.
    if not any(map(may_be_artifact, staged)):
        return 0
    from sdd.base.diagnostics import Report
    from sdd.project.discovery import projects_holding
    from sdd.validation.staged import validate_staged

    installed = "" if project_rel in ("", ".") else project_rel.strip("/")
    groups = projects_holding(top, filter(may_be_artifact, staged), installed)
    if set(groups) <= {installed}:
        # One project (every single-project repository): as it always was.
        result = validate_staged(top, project_rel, staged=staged)
        _warn_if_folders_moved(result, baked_folders)
        return _print_validation(result, "pre-commit")
    # A monorepo: each project's staged artifacts, validated with its own configuration.
    blocked = 0
    for folder in sorted(groups):
        result = validate_staged(top, folder, staged=groups[folder])
        shown = folder or "."
        result = result._replace(
            report=Report(tuple(f.in_project(shown) for f in result.report.findings))
        )
        blocked |= _print_validation(result, f"pre-commit ({shown})")
    return blocked


def validate_paths(files: Sequence[str]) -> int:
    """pre-commit (the framework): validate the named files, as they are in the work tree."""
    from sdd.base.paths import is_within
    from sdd.project.project import find_root
    from sdd.validation.staged import validate_files

    cwd = Path.cwd().resolve()
    root = find_root(
        cwd, Path(os.environ["SDD_PROJECT"]) if os.environ.get("SDD_PROJECT") else None
    )
    relatives = []
    for name in files:
        path = (cwd / name).resolve()
        if is_within(path, root):
            relatives.append(path.relative_to(root).as_posix())
    result = validate_files(root, relatives)
    return _print_validation(result, "sdd-validate", FRAMEWORK_SKIP_HINT)


# --- ADR detection (post-commit, pre-push) ---------------------------------------------------

# ``python -m sdd`` without the working directory (the repository) on sys.path.
_RUN_SDD = "import runpy, sys; del sys.path[0]; runpy.run_module('sdd', run_name='__main__')"


def suggestion(root: Path, selector: Sequence[str]) -> str | None:
    """Run ``sdd adr detect SELECTOR --json`` with this interpreter; the message to print when
    the change is significant and no ADR covers it, else None. Never raises: detection is
    advisory, and an sdd without ``adr detect`` simply has nothing to say."""
    import json
    import subprocess

    command = [sys.executable, "-c", _RUN_SDD, "--project", str(root), "adr", "detect"]
    try:
        completed = subprocess.run(
            [*command, *selector, "--json"],
            cwd=root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except OSError as error:
        return f"sdd: ADR detection could not run: {error}"
    if completed.returncode != 0:
        if b"No such command" in completed.stderr:
            return None
        last = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"sdd: ADR detection failed: {last[-1] if last else completed.returncode}"
    try:
        document = json.loads(completed.stdout)
    except ValueError:
        return "sdd: ADR detection printed something other than JSON; skipped"
    if not isinstance(document, dict) or not document.get("significant"):
        return None
    # ``message`` is set only when a significant category is left uncovered: a change
    # whose auth part an ADR covers may still need one for its migration.
    message = document.get("message")
    return str(message) if message else None


def _announce(root: Path, selector: Sequence[str]) -> None:
    message = suggestion(root, selector)
    if message:
        _write(message, sys.stdout)


def _rebasing(top: Path) -> bool:
    from sdd.base import gitio

    return any(gitio.git_path_exists(top, name) for name in ("rebase-merge", "rebase-apply"))


def post_commit(project_rel: str) -> int:
    top = _top()
    if _rebasing(top):  # every replayed commit would repeat its old suggestion
        return 0
    _announce(top / project_rel, ["--commit", "HEAD"])
    return 0


def pushed_ranges(top: Path, remote: str, refs_text: str) -> list[str]:
    """``A..B`` ranges of the commits a push sends, from git's pre-push input
    (``<local ref> <local sha> <remote ref> <remote sha>`` per line). Deletions are skipped; a
    new branch starts after the last commit the remote already has. A push of a whole history
    from its root commit has no base to diff from and is skipped too."""
    from sdd.base import gitio

    ranges: list[str] = []
    for line in refs_text.splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        _local_ref, local_sha, _remote_ref, remote_sha = parts
        if local_sha == ZERO_SHA:
            continue
        if remote_sha != ZERO_SHA and gitio.commit_exists(top, remote_sha):
            if remote_sha != local_sha:
                ranges.append(f"{remote_sha}..{local_sha}")
            continue
        new = gitio.commits_not_on_remote(top, local_sha, remote)
        base = gitio.first_parent(top, new[0]) if new else None
        if base is not None:
            ranges.append(f"{base}..{local_sha}")
    return list(dict.fromkeys(ranges))


def pre_push(project_rel: str, git_args: Sequence[str]) -> int:
    top = _top()
    remote = git_args[0] if git_args else "origin"
    refs_text = sys.stdin.read() if sys.stdin is not None else ""
    for revision_range in pushed_ranges(top, remote, refs_text):
        _announce(top / project_rel, ["--range", revision_range])
    return 0


def detect_for_framework() -> int:
    """pre-commit (the framework): the pushed range in pre-push, else the new HEAD."""
    root = _top()
    start, end = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    if start and end:
        _announce(root, ["--range", f"{start}..{end}"])
    elif not os.environ.get("PRE_COMMIT_REMOTE_NAME") and not _rebasing(root):
        _announce(root, ["--commit", "HEAD"])  # (a push of a whole history has no base)
    return 0


# --- entry -----------------------------------------------------------------------------------


def _dispatch(mode: str, options: dict[str, str], rest: list[str]) -> int:
    project_rel = options.get("project", "")
    if mode == "pre-commit":
        return pre_commit(project_rel, options.get("folders"))
    if mode == "post-commit":
        return post_commit(project_rel)
    if mode == "pre-push":
        return pre_push(project_rel, rest)
    if mode == "validate":
        return validate_paths(rest)
    if mode == "detect":
        return detect_for_framework()
    _say(f"sdd: unknown hook mode {mode!r}; expected one of {', '.join(MODES)}")
    return 2


def _pass_undecodable_names_through() -> None:
    """File and ref names that are not UTF-8 are read and printed as their bytes (kept as
    surrogates in between), never a ``UnicodeError`` under a strict UTF-8 locale."""
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="surrogateescape")


def main(argv: Sequence[str] | None = None) -> int:
    # A hook is a short process whose cyclic garbage does not grow with what it checks (the same
    # few hundred objects, all from imports, with 3 or 2,000 staged specs): the collector would
    # only walk the imported modules' objects again and again, about 3 % of a run, and as much
    # again at the interpreter's exit, which frozen objects are spared.
    collecting = gc.isenabled()
    gc.disable()
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    try:
        return _main(argv)
    finally:
        if collecting:
            gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    _pass_undecodable_names_through()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:
        _say(f"usage: python -m sdd.hooks.run {'|'.join(MODES)} [--project=DIR] [-- ARGS]")
        return 2
    mode = arguments[0]
    advisory = mode in ("post-commit", "pre-push", "detect")
    for name in _PATHSPEC_VARIABLES:
        os.environ.pop(name, None)
    options, rest = _options(arguments[1:])
    if mode in ("validate", "detect") and os.environ.get("SDD_SKIP_HOOKS", "") not in ("", "0"):
        _say(f"sdd: {mode} skipped (SDD_SKIP_HOOKS is set)")
        return 0
    try:
        return _dispatch(mode, options, rest)
    except (Exception, KeyboardInterrupt) as error:
        from sdd.base.failure import EXIT_INTERRUPTED, EXIT_OK, failure_for

        failure = failure_for(error)
        for line in failure.findings:
            _say(line)
        if failure.message:
            _say(f"sdd: {mode}: {failure.message}")
        if failure.hint:
            _say(f"  hint: {failure.hint}")
        if failure.exit_code in (EXIT_OK, EXIT_INTERRUPTED):
            return failure.exit_code
        if advisory:
            return EXIT_OK
        _say(f"sdd: {FRAMEWORK_SKIP_HINT if mode == 'validate' else SKIP_HINT}")
        return failure.exit_code


if __name__ == "__main__":
    sys.exit(main())
