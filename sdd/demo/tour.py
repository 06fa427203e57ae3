"""``sdd demo``: build a sample service repository and walk through sdd on it, step by step.

Every step runs the real ``sdd`` (``python -m sdd`` with this interpreter) or ``git`` in the
demo folder and checks its result against what the step is meant to show; ``run_demo`` hands
each finished step to the caller to render. Steps marked as the agent's stand for what an AI
coding agent would do in the same place (write the spec, change the code). The git commands
are the user's own, run as typed and shown verbatim, which is why they do not go through
``sdd.base.gitio`` (sdd's own git access). The folder is left for the newcomer to explore.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sdd.base import templates
from sdd.base.errors import ChecksFailed, RefusedError, UsageError

DATA = Path(__file__).resolve().parent
FEATURE = "001-user-authentication"
FEATURE_TITLE = "User authentication"
TOKEN_LIFETIME = "60 minutes"
ADR_TITLE = "Use JWT bearer tokens and a user table for staff authentication"
BROKEN_PHR = f"history/prompts/{FEATURE}/0002-add-login-tests.red.prompt.md"
SPEC_PROMPT = (
    "Only signed-in staff may change the inventory. Add sign-in with email and password that\n"
    "returns a bearer token, require it for creating items, keep users in the database, and\n"
    "let the web client at http://localhost:5173 call the API."
)
# Variables that would point the demo's commands at another project or skip its hooks.
_INHERITED_SETTINGS = (
    "SDD_PROJECT",
    "SDD_FEATURE",
    "SDD_SKIP_HOOKS",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
)


@dataclass(frozen=True)
class StepResult:
    """One finished step: what it shows, the command as the user would type it, its output."""

    number: int
    title: str
    command: str
    output: str
    exit_code: int
    by_agent: bool = False


StepCallback = Callable[[StepResult], None]


@dataclass(frozen=True)
class DemoResult:
    directory: Path
    steps: int


class _Demo:
    def __init__(self, directory: Path, on_step: StepCallback) -> None:
        self.root = directory
        self.on_step = on_step
        self.count = 0
        self.env = {k: v for k, v in os.environ.items() if k not in _INHERITED_SETTINGS}
        self.env["NO_COLOR"] = "1"
        self.env["GIT_TERMINAL_PROMPT"] = "0"
        self.context = {"feature": FEATURE, "date": datetime.date.today().isoformat()}

    def _run(self, argv: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv,
            cwd=self.root,
            env=self.env,
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            check=False,
        )

    def _report(
        self, title: str, shown: str, completed: subprocess.CompletedProcess[str], agent: bool
    ) -> None:
        self.count += 1
        output = (completed.stdout + completed.stderr).rstrip("\n")
        self.on_step(
            StepResult(self.count, title, shown, output, completed.returncode, by_agent=agent)
        )

    def _fail(self, shown: str, why: str, completed: subprocess.CompletedProcess[str]) -> None:
        tail = (completed.stdout + completed.stderr).strip().splitlines()[-3:]
        detail = f": {' / '.join(tail)}" if tail else ""
        raise ChecksFailed(f"demo step '{shown}' {why} (exit {completed.returncode}){detail}")

    def sdd(
        self,
        title: str,
        *args: str,
        expect: int = 0,
        shows: tuple[str, ...] = (),
        stdin: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        shown = "sdd " + " ".join(_quote(arg) for arg in args)
        completed = self._run([sys.executable, "-m", "sdd", *args], stdin)
        self._report(title, shown, completed, agent=False)
        self._expect(shown, completed, expect, shows)
        return completed

    def git(
        self,
        title: str,
        *args: str,
        expect: int = 0,
        shows: tuple[str, ...] = (),
        quiet: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        shown = "git " + " ".join(_quote(arg) for arg in args)
        completed = self._run(["git", *args])
        if not quiet:
            self._report(title, shown, completed, agent=False)
        self._expect(shown, completed, expect, shows)
        return completed

    def _expect(
        self,
        shown: str,
        completed: subprocess.CompletedProcess[str],
        expect: int,
        shows: tuple[str, ...],
    ) -> None:
        if (expect == 0) != (completed.returncode == 0):
            wanted = "to succeed" if expect == 0 else "to be refused"
            self._fail(shown, f"was expected {wanted}", completed)
        output = completed.stdout + completed.stderr
        for text in shows:
            if text not in output:
                self._fail(shown, f"did not show {text!r}", completed)

    def commit(self, title: str, message: str) -> None:
        """Stage everything and commit it, showing the commit."""
        self.git("", "add", "-A", quiet=True)
        self.git(title, "commit", "-m", message)

    def agent_writes(self, title: str, relative: str, source: str) -> None:
        """The agent's part: write a file of the demo's data into the repository."""
        text = templates.render_file(DATA / source, self.context)
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.count += 1
        lines = text.count("\n")
        self.on_step(
            StepResult(self.count, title, f"(agent) write {relative}", f"{lines} lines", 0, True)
        )

    def agent_applies(self, title: str, patch: str) -> None:
        completed = self._run(["git", "apply", "--whitespace=nowarn", str(DATA / patch)])
        changed = self._run(["git", "status", "--short"]).stdout.rstrip("\n")
        self.count += 1
        self.on_step(
            StepResult(self.count, title, f"(agent) edit the code: {patch}", changed, 0, True)
        )
        if completed.returncode != 0:
            self._fail(f"git apply {patch}", "failed", completed)


def _quote(argument: str) -> str:
    import shlex

    return shlex.quote(argument)


def _prepare(directory: Path) -> Path:
    root = directory.expanduser()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise RefusedError(
            f"{directory} already exists and is not empty; choose another folder: sdd demo DIR"
        )
    if shutil.which("git") is None:
        raise UsageError("the demo needs git; install git first")
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(DATA / "service" / "base", root, dirs_exist_ok=True)
    return root.resolve()


def run_demo(directory: Path, on_step: StepCallback) -> DemoResult:
    """Build the sample repository in ``directory`` (new or empty) and run the walkthrough."""
    demo = _Demo(_prepare(directory), on_step)
    for setting in (
        ["init", "-q"],
        ["symbolic-ref", "HEAD", "refs/heads/main"],
        ["config", "user.name", "sdd demo"],
        ["config", "user.email", "demo@example.invalid"],
        ["config", "commit.gpgsign", "false"],
        # Keep the demo's hooks in its own repository, whatever the user's global hooksPath.
        ["config", "core.hooksPath", ".git/hooks"],
        ["add", "-A"],
        ["commit", "-q", "-m", "Inventory service: list and create items"],
    ):
        demo.git("set up the sample repository", *setting, quiet=True)

    demo.sdd(
        "Lay out the project: config, constitution, history and ADR folders",
        "init",
        shows=("created sdd.yaml",),
    )
    demo.commit("Commit the layout", "Adopt sdd")

    demo.sdd(
        "Start a numbered feature on its own branch",
        "feature",
        "new",
        FEATURE_TITLE,
        "--branch",
        shows=(f"specs/{FEATURE}/spec.md",),
    )
    demo.agent_writes(
        "The agent fills in the specification", f"specs/{FEATURE}/spec.md", "feature/spec.md"
    )
    listed = demo.sdd(
        "List the spec's open questions: markers the agent left for the user",
        "clarify",
        shows=("how long is a token valid?",),
    )
    question_id = listed.stdout.split(maxsplit=1)[0]
    demo.sdd(
        "The user answers; sdd replaces the marker and records it under ## Clarifications",
        "clarify",
        "answer",
        question_id,
        TOKEN_LIFETIME,
        shows=("answered", "## Clarifications"),
    )
    demo.sdd("Create the plan from its template", "plan", shows=("plan.md",))
    demo.agent_writes("The agent fills in the plan", f"specs/{FEATURE}/plan.md", "feature/plan.md")
    demo.sdd("Create the task list from its template", "tasks", shows=("tasks.md",))
    demo.agent_writes(
        "The agent fills in the tasks", f"specs/{FEATURE}/tasks.md", "feature/tasks.md"
    )
    demo.sdd("Check the artifacts: no placeholders left, every requirement covered", "validate")
    demo.sdd(
        "Review spec, plan, tasks and constitution together (read-only)",
        "analyze",
        shows=("no findings",),
    )
    demo.sdd(
        "The tasks that can start now, dependencies and phases respected",
        "tasks",
        "next",
        shows=("T001",),
    )
    demo.sdd(
        "Record the prompt that produced the spec (a Prompt History Record)",
        "phr",
        "new",
        "--stage",
        "spec",
        "--title",
        "Specify user authentication",
        "--prompt-file",
        "-",
        "--response",
        "Wrote spec.md: 3 user stories, FR-001 to FR-004.",
        "--model",
        "demo-model",
        "--command",
        "/sp.specify",
        "--file",
        f"specs/{FEATURE}/spec.md",
        stdin=SPEC_PROMPT,
        shows=(f"history/prompts/{FEATURE}/0001-",),
    )
    demo.commit("Commit the specification work", "Specify user authentication")

    demo.agent_applies(
        "The agent implements it: JWT sign-in, a user table migration, CORS middleware",
        "service/add-authentication.patch",
    )
    demo.sdd(
        "Tick the tasks that are done",
        "tasks",
        "done",
        "T001",
        "T002",
        "T003",
        "T005",
        "T006",
        "T008",
        "T010",
    )
    demo.commit(
        "Commit the implementation", "Add JWT authentication, user table migration and CORS"
    )

    demo.sdd(
        "Detect architecturally significant changes on the branch",
        "adr",
        "detect",
        "--base",
        "main",
        shows=("📋 Architectural decision detected", "auth", "database", "middleware"),
    )
    demo.sdd(
        "Record the decision: the user confirms, so the ADR is created (--yes stands for that)",
        "adr",
        "new",
        ADR_TITLE,
        "--from-detect",
        "--base",
        "main",
        "--yes",
        shows=("0001-",),
    )
    demo.commit("Commit the ADR", "Record ADR 0001: JWT authentication")
    demo.sdd(
        "Detect again: the ADR now covers the change",
        "adr",
        "detect",
        "--base",
        "main",
        shows=("covered",),
    )

    demo.sdd(
        "Install the git hooks (existing hooks would be kept and chained)",
        "hooks",
        "install",
        shows=("pre-commit",),
    )
    demo.agent_writes(
        "The agent records a prompt from the raw template, leaving a placeholder",
        BROKEN_PHR,
        "feature/broken.prompt.md",
    )
    demo.git("", "add", BROKEN_PHR, quiet=True)
    demo.git(
        "The pre-commit hook blocks the commit and says why",
        "commit",
        "-m",
        "Record the prompt for the login tests",
        expect=1,
        shows=("placeholder", BROKEN_PHR),
    )
    demo.git("", "rm", "-q", "--cached", BROKEN_PHR, quiet=True)
    (demo.root / BROKEN_PHR).unlink()

    demo.sdd(
        "Write the pull-request checklist for the branch",
        "pr",
        "checklist",
        "--base",
        "main",
        shows=(FEATURE,),
    )
    demo.sdd("Where every feature stands", "status", shows=(FEATURE,))
    return DemoResult(demo.root, demo.count)
