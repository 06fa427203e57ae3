"""``sdd mcp``: the Model Context Protocol server over stdio, on the official Python SDK.

Every tool returns the document of the matching ``--json`` command as its structured result;
every error becomes a tool error with the CLI's message and exit code, and the server keeps
serving. Tools that write only on consent (``adr_new``, ``force``) ask the human through the
client (elicitation); see :mod:`sdd.mcp.consent`.
"""

# No "from __future__ import annotations": the SDK reads the tools' annotations at runtime.
import functools
import inspect
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from sdd import __version__
from sdd.base.errors import UsageError
from sdd.base.failure import failure_for
from sdd.mcp import documents
from sdd.mcp.consent import ask_consent
from sdd.mcp.prompts import add_prompts
from sdd.mcp.resources import SddServer
from sdd.project.project import Project, open_project

INSTRUCTIONS = (
    "sdd keeps this project's specs, Prompt History Records and ADRs. Call its tools instead "
    "of the sdd command line; each returns the command's --json document. Creating an ADR or "
    "overwriting a file asks the user through the client, never the model."
)

Feature = Annotated[
    str | None,
    Field(description="Feature folder name or number (default: the current branch's feature)."),
]
Force = Annotated[
    bool,
    Field(description="Overwrite an existing file (the user is asked to confirm)."),
]
Confirm = Annotated[
    bool,
    Field(
        description="Only for clients without elicitation, and only when sdd.yaml sets "
        "mcp.consent: argument: the user's confirmation."
    ),
]
TaskIds = Annotated[list[str], Field(description="Task IDs, e.g. ['T001', 'T002'].")]
Document = dict[str, Any]


def tool_error(error: Exception) -> CallToolResult:
    """The CLI's message and exit code for ``error``, as an MCP tool error."""
    failure = failure_for(error)
    message = failure.message or "\n".join(failure.findings) or "check failed"
    structured: Document = {"error": message, "exit_code": failure.exit_code}
    if failure.hint:
        structured["hint"] = failure.hint
    if failure.findings:
        structured["findings"] = list(failure.findings)
    return CallToolResult(
        content=[TextContent(type="text", text=f"{message} (exit {failure.exit_code})")],
        structured_content=structured,
        is_error=True,
    )


def tool_result(document: Document) -> CallToolResult:
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content=document
    )


def _guarded(
    work: Callable[..., Awaitable[Document]],
) -> Callable[..., Awaitable[CallToolResult]]:
    """Run a tool; whatever it raises becomes a tool error, so the server keeps serving."""

    @functools.wraps(work)
    async def tool(*args: Any, **kwargs: Any) -> CallToolResult:
        try:
            return tool_result(await work(*args, **kwargs))
        except Exception as error:
            return tool_error(error)

    # The SDK reads the parameters' schema from the signature; the result is built here.
    del tool.__wrapped__
    tool.__signature__ = inspect.signature(work).replace(  # type: ignore[attr-defined]
        return_annotation=CallToolResult
    )
    tool.__annotations__ = {**work.__annotations__, "return": CallToolResult}
    return tool


def build_server(explicit: Path | None = None) -> MCPServer[Any]:
    """The server with sdd's tools, resources and prompts, for the project at ``explicit``
    (default: discovered from the working directory, as the CLI does)."""

    def project() -> Project:
        return open_project(explicit=explicit)

    server = SddServer(
        project,
        name="sdd",
        version=__version__,
        instructions=INSTRUCTIONS,
        log_level="WARNING",
    )

    def tool(
        name: str, description: str, *, writes: bool = False
    ) -> Callable[[Callable[..., Any]], Any]:
        hints = ToolAnnotations(read_only_hint=not writes, destructive_hint=False)

        def register(work: Callable[..., Awaitable[Document]]) -> Any:
            server.add_tool(_guarded(work), name=name, description=description, annotations=hints)
            return work

        return register

    @tool("status", "Every feature: artifacts, tasks done, clarifications, errors (sdd status).")
    async def status() -> Document:
        return documents.status(project())

    @tool("show", "One feature in depth: open tasks, requirements, findings (sdd show).")
    async def show(feature: Feature = None) -> Document:
        return documents.show(project(), feature)

    @tool("validate", "Check artifacts, PHRs and ADRs (sdd validate); ok is false on errors.")
    async def validate(
        paths: Annotated[
            list[str] | None, Field(description="Files or folders, relative to the project.")
        ] = None,
        staged: Annotated[bool, Field(description="Only the files staged in git.")] = False,
        strict: Annotated[bool, Field(description="Treat warnings as errors.")] = False,
    ) -> Document:
        return documents.validate(project(), paths or [], staged=staged, strict=strict)

    @tool("feature_new", "Create specs/NNN-slug/spec.md with the next free number.", writes=True)
    async def feature_new(
        title: Annotated[str, Field(description="What the feature is, e.g. 'User login'.")],
        number: int | None = None,
        short_name: str | None = None,
        branch: Annotated[bool, Field(description="Also create and check out its branch.")] = False,
    ) -> Document:
        return documents.feature_new(
            project(), title, number=number, short_name=short_name, branch=branch
        )

    async def create_artifact(
        ctx: Context, feature: str | None, artifact: str, force: bool, confirm: bool
    ) -> Document:
        current = project()
        name, path = documents.artifact_path(current, feature, artifact)
        if force:
            await ask_consent(
                ctx,
                current,
                f"Overwrite {current.rel(path)} (or create it without its prerequisite)?",
                confirm=confirm,
            )
        return documents.create_artifact(current, name, artifact, force=force)

    @tool(
        "plan", "Create the feature's plan.md from the plan template (needs spec.md).", writes=True
    )
    async def plan(
        ctx: Context, feature: Feature = None, force: Force = False, confirm: Confirm = False
    ) -> Document:
        return await create_artifact(ctx, feature, "plan.md", force, confirm)

    @tool(
        "tasks",
        "Create the feature's tasks.md from the tasks template (needs plan.md).",
        writes=True,
    )
    async def tasks(
        ctx: Context, feature: Feature = None, force: Force = False, confirm: Confirm = False
    ) -> Document:
        return await create_artifact(ctx, feature, "tasks.md", force, confirm)

    @tool("tasks_done", "Tick tasks off in tasks.md (every other byte unchanged).", writes=True)
    async def tasks_done(ids: TaskIds, feature: Feature = None) -> Document:
        return documents.tasks_flip(project(), feature, ids, done=True)

    @tool("tasks_undone", "Clear tasks' checkboxes in tasks.md again.", writes=True)
    async def tasks_undone(ids: TaskIds, feature: Feature = None) -> Document:
        return documents.tasks_flip(project(), feature, ids, done=False)

    @tool("tasks_next", "The feature's tasks that can start now (dependencies respected).")
    async def tasks_next(feature: Feature = None) -> Document:
        return documents.tasks_next(project(), feature)

    @tool("clarify", "The feature's open clarifications, with file, line and ID (sdd clarify).")
    async def clarify(feature: Feature = None) -> Document:
        return documents.clarifications(project(), feature)

    @tool(
        "clarify_answer",
        "Answer one open clarification in place and record it under ## Clarifications.",
        writes=True,
    )
    async def clarify_answer(
        id: Annotated[str, Field(description="The clarification's ID, as clarify lists it.")],
        answer: str,
        feature: Feature = None,
    ) -> Document:
        return documents.clarify_answer(project(), feature, id, answer)

    @tool("analyze", "Cross-artifact review of spec, plan, tasks and constitution (sdd analyze).")
    async def analyze(feature: Feature = None) -> Document:
        return documents.analyze(project(), feature)

    @tool(
        "phr_new",
        "Record a Prompt History Record with the next free ID; the prompt is kept verbatim.",
        writes=True,
    )
    async def phr_new(
        stage: Annotated[
            str,
            Field(
                description="constitution, spec, plan, tasks, red, green, refactor, explainer, "
                "misc or general."
            ),
        ],
        title: str,
        prompt: Annotated[str, Field(description="The user's prompt, verbatim.")],
        response: str | None = None,
        feature: Feature = None,
        model: str | None = None,
        surface: str = "agent",
        command: str | None = None,
        labels: list[str] | None = None,
        files: list[str] | None = None,
        tests: list[str] | None = None,
        links: Annotated[
            dict[str, str] | None, Field(description="spec, ticket, adr or pr → target.")
        ] = None,
        date: str | None = None,
        branch: str | None = None,
        user: str | None = None,
        redact: Annotated[bool, Field(description="Redact secrets found in the text.")] = True,
    ) -> Document:
        return documents.phr_new(project(), dict(locals()))

    @tool("phr_list", "Prompt History Records, oldest ID first (sdd phr list).")
    async def phr_list(
        stage: str | None = None,
        feature: str | None = None,
        label: str | None = None,
        since: str | None = None,
    ) -> Document:
        return documents.phr_list(project(), stage=stage, feature=feature, label=label, since=since)

    @tool("phr_show", "One record's front matter and sections (sdd phr show).")
    async def phr_show(
        record: Annotated[str, Field(description="ID (7, 0007) or path.")],
    ) -> Document:
        return documents.phr_show(project(), record)

    @tool(
        "adr_detect",
        "Detect architecturally significant changes (staged by default, or base/range/commit).",
    )
    async def adr_detect(
        staged: bool = False,
        base: Annotated[str | None, Field(description="merge-base(REF, HEAD)..HEAD.")] = None,
        range: Annotated[str | None, Field(description="A..B.")] = None,
        commit: str | None = None,
        explain: bool = False,
    ) -> Document:
        return documents.adr_detect(
            project(),
            staged=staged,
            base=base,
            revision_range=range,
            commit=commit,
            explain=explain,
        )

    @tool("adr_list", "The ADRs with number, title, status and date.")
    async def adr_list(status: str | None = None) -> Document:
        return documents.adr_list(project(), status)

    @tool("adr_show", "One ADR with its text.")
    async def adr_show(number: int) -> Document:
        return documents.adr_show(project(), number)

    @tool(
        "adr_new",
        "Create an ADR: the user is shown the record and asked through the client; "
        "nothing is written unless they accept.",
        writes=True,
    )
    async def adr_new(
        ctx: Context,
        title: Annotated[
            str | None, Field(description="Decision title (from_detect: the proposed one).")
        ] = None,
        feature: Feature = None,
        supersedes: list[int] | None = None,
        from_detect: Annotated[
            bool,
            Field(
                description="Fill Context with the evidence of adr_detect and covers with the "
                "paths it touched (as adr_detect reads them)."
            ),
        ] = False,
        staged: bool = False,
        base: str | None = None,
        range: str | None = None,
        commit: str | None = None,
        confirm: Confirm = False,
    ) -> Document:
        from sdd.detect.source import DiffRequest

        current = project()
        if not from_detect and (staged or base or range or commit):
            raise UsageError("staged, base, range and commit need from_detect")
        detection = DiffRequest(staged, base, range, commit, None) if from_detect else None
        draft = documents.adr_draft(current, title, feature, supersedes or [], detection)
        number = f"{draft.number:0{draft.width}d}"
        question = (
            f"Create ADR {number} '{draft.title}' at {current.rel(draft.path)}?\n\n"
            + documents.adr_preview(current, draft)
        )
        await ask_consent(ctx, current, question, confirm=confirm)
        return documents.adr_write(current, draft)

    @tool(
        "adr_status",
        "Change an ADR's status; superseded with 'by' links both records.",
        writes=True,
    )
    async def adr_status(
        number: int,
        status: Literal["proposed", "accepted", "rejected", "deprecated", "superseded"],
        by: int | None = None,
    ) -> Document:
        return documents.adr_status(project(), number, status, by)

    @tool("pr_checklist", "Review checklist of the branch's changes (sdd pr checklist --json).")
    async def pr_checklist(base: str | None = None, feature: Feature = None) -> Document:
        return documents.pr_checklist(project(), base=base, feature=feature)

    add_prompts(server, project)
    return server


def serve(explicit: Path | None = None) -> None:
    """Serve on standard input and output until the client closes them."""
    build_server(explicit).run("stdio")
