"""The changes a pull request holds, and the facts the checklist's checks read from them.

The base is ``--base`` when given; otherwise the first that exists of:

1. the branch's upstream, when it is another branch than the branch itself (a branch made with
   ``git checkout -b topic --track origin/develop`` goes back into ``develop``; the upstream
   ``origin/topic`` of a pushed branch says nothing about where it goes);
2. the remote's default branch (``origin/HEAD``, what ``gh pr create`` proposes);
3. ``main``, ``master``, ``origin/main``, ``origin/master`` (on ``main`` itself, ``main``: the
   checklist then says the branch adds nothing).

The remote's default branch is skipped when it is the current branch's copy on the remote.

The range is ``merge-base(base, HEAD)..HEAD``: what the pull request would show. The diff is
read once, through ``sdd.detect.runner.run`` (which also judges it against the rule pack).

``Facts`` is what the checks read: the changed files and lines, the tree at HEAD, and the texts
(the feature's artifacts, the ADRs) where a decision may already be written down. Paths are
relative to the repository's top level, as in the pull request's diff.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from sdd.base import gitio
from sdd.base.errors import GitError, UsageError
from sdd.base.globs import GlobSet
from sdd.base.paths import relative_posix
from sdd.detect.diff import DELETED, FileChange
from sdd.detect.lines import code_of
from sdd.detect.verdict import Signal
from sdd.pr.items import Evidence, printable

if TYPE_CHECKING:
    from pathlib import Path

    from sdd.detect.diff import Patch
    from sdd.detect.rulepack import RulePack
    from sdd.detect.verdict import Verdict
    from sdd.project.project import Project

DEFAULT_BRANCHES = ("main", "master")
_EMPTY = GlobSet(())


@dataclass(frozen=True)
class Base:
    ref: str
    chosen_by: str  # option | upstream | remote-default | default


@dataclass(frozen=True)
class ChangeRange:
    top: Path
    base: Base
    merge_base: str
    head: str
    branch: str | None
    commits: tuple[gitio.CommitPaths, ...]
    patch: Patch
    verdict: Verdict
    pack: RulePack
    dirty: bool

    @property
    def empty(self) -> bool:
        return self.merge_base == self.head or not self.patch.files


def _names_branch(candidate: str, branch: str | None) -> bool:
    """Whether ``candidate`` (``main``, ``origin/main``) is the branch or its remote copy."""
    return branch is not None and (candidate == branch or candidate.endswith(f"/{branch}"))


def choose_base(top: Path, explicit: str | None, branch: str | None) -> Base:
    """The base of the pull request (see the module docstring); ``UsageError`` when none."""
    if explicit is not None:
        if not explicit.strip() or explicit.startswith("-"):
            raise UsageError(f"--base {explicit!r} is not a branch, tag or commit")
        gitio.resolve_commit(top, explicit)
        return Base(explicit, "option")
    if branch is not None:
        upstream = gitio.upstream_of(top, branch)
        if upstream is not None and upstream[1] != f"refs/heads/{branch}":
            return Base(upstream[0], "upstream")
    remote_default = gitio.remote_default_branch(top)
    if (
        remote_default is not None
        and not _names_branch(remote_default, branch)
        and gitio.commit_exists(top, remote_default)
    ):
        return Base(remote_default, "remote-default")
    for name in DEFAULT_BRANCHES:
        if gitio.commit_exists(top, f"refs/heads/{name}"):
            return Base(name, "default")
    for name in DEFAULT_BRANCHES:
        if gitio.commit_exists(top, f"refs/remotes/origin/{name}"):
            return Base(f"origin/{name}", "default")
    raise UsageError(
        "no base branch to compare with (tried: the upstream when it is another branch, "
        "origin/HEAD, main, master, origin/main, origin/master)",
        hint="pass --base REF (the branch the pull request goes into)",
    )


def _merge_base(top: Path, base: Base) -> str:
    try:
        return gitio.merge_base(top, base.ref)
    except GitError as error:
        if gitio.is_shallow(top):
            hint = (
                "this is a shallow clone: fetch the history first "
                "(git fetch --unshallow, or fetch-depth: 0 in CI)"
            )
        else:
            hint = "pass a --base that shares history with HEAD"
        raise GitError(error.message, hint=hint) from None


def read_range(
    project: Project, base: str | None = None, *, only_project: bool = False
) -> ChangeRange:
    """The pull request's changes: base, merge base, commits and the judged diff.
    ``only_project``: the changes inside the project's folder only (one project of a
    monorepo), judged with its rules and ADRs."""
    from sdd.detect import runner as detect
    from sdd.detect.source import DiffRequest

    top = gitio.toplevel(project.root)
    if top is None:
        raise GitError(f"{project.root} is not inside a git repository")
    top = top.resolve()
    if not gitio.has_head(top):
        raise GitError(
            "the repository has no commits yet: there is nothing for a pull request",
            hint="commit your work first",
        )
    branch = gitio.current_branch(top)
    chosen = choose_base(top, base, branch)
    merge_base = _merge_base(top, chosen)
    head = gitio.resolve_commit(top, "HEAD")
    revision_range = f"{merge_base}..{head}"
    inside = ""
    if only_project and project.root.resolve() != top:
        inside = relative_posix(project.root.resolve(), top) + "/"
    verdict, pack, source = detect.run(
        project, DiffRequest(revision_range=revision_range), start=top, inside=inside
    )
    commits = gitio.commits_with_paths(top, revision_range) if merge_base != head else []
    if inside:
        commits = [c for c in commits if any(path.startswith(inside) for path in c.paths)]
    return ChangeRange(
        top=top,
        base=chosen,
        merge_base=merge_base,
        head=head,
        branch=branch,
        commits=tuple(
            gitio.CommitPaths(c.sha, c.subject, tuple(map(printable, c.paths))) for c in commits
        ),
        patch=source.patch,
        verdict=verdict,
        pack=pack,
        dirty=gitio.is_dirty(top, untracked=False),
    )


# --- what the checks read ---------------------------------------------------------------------


@dataclass
class Facts:
    change: ChangeRange
    # Texts to search for a justification, by path: the feature's artifacts, then the ADRs.
    texts: dict[str, str] = field(default_factory=dict)
    feature_plan: str | None = None  # path of the feature's plan.md, when it exists

    @property
    def files(self) -> list[FileChange]:
        return self.change.patch.files

    @cached_property
    def considered(self) -> list[FileChange]:
        """Changed files that detection reads (not tests, docs, CI, generated, ignored)."""
        exclude = self.change.pack.exclude
        return [change for change in self.files if not exclude.matches(change.path)]

    @cached_property
    def changed_paths(self) -> frozenset[str]:
        return frozenset(change.path for change in self.files)

    @cached_property
    def tree(self) -> frozenset[str]:
        """Every file at HEAD."""
        return frozenset(map(printable, gitio.tree_paths(self.change.top, self.change.head)))

    def path_set(self, name: str) -> GlobSet:
        return self.change.pack.path_sets.get(name, _EMPTY)

    def signals(self, category: str, rules: Iterable[str] | None = None) -> list[Signal]:
        wanted = set(rules) if rules is not None else None
        for result in self.change.verdict.categories:
            if result.name == category:
                return [s for s in result.signals if wanted is None or s.rule in wanted]
        return []

    def read_at_head(self, paths: list[str]) -> dict[str, str]:
        blobs = gitio.read_blobs(self.change.top, self.change.head, paths)
        return {path: data.decode("utf-8", "replace") for path, data in blobs.items()}

    def mention(self, name: str) -> Evidence | None:
        """The first line of the searched texts that names ``name`` (a word, any case)."""
        pattern = re.compile(rf"(?<![\w@/.-]){re.escape(name)}(?![\w-])", re.IGNORECASE)
        for path, text in self.texts.items():
            found = pattern.search(text)
            if found is not None:
                return Evidence(path, text.count("\n", 0, found.start()) + 1)
        return None


def added_code(change: FileChange) -> list[tuple[int, str]]:
    """(line number, code) of the added lines that hold code once comments are cut."""
    return [
        (number, text)
        for number, text in zip(change.added_numbers, change.added, strict=False)
        if code_of(text).strip()
    ]


def has_effective_change(change: FileChange) -> bool:
    """A file added or deleted, or with a changed line that is neither blank nor a comment."""
    if change.status in ("added", DELETED):
        return True
    return any(code_of(text).strip() for text in (*change.added, *change.removed))
