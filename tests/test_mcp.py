"""``sdd mcp``: the server started as a real subprocess, driven by the SDK's stdio client."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.session import ClientRequestContext
from mcp.client.stdio import stdio_client
from mcp.types import CallToolResult, ElicitRequestParams, ElicitResult

from tests.support import git

pytestmark = pytest.mark.slow  # each test starts a server process

Elicit = Callable[[ClientRequestContext, ElicitRequestParams], Awaitable[ElicitResult]]


@asynccontextmanager
async def connected(root: Path, elicit: Elicit | None = None) -> AsyncIterator[ClientSession]:
    server = StdioServerParameters(
        command=sys.executable,
        args=["-m", "sdd", "mcp"],
        cwd=root,
        env=dict(os.environ),
    )
    with open(os.devnull, "w") as quiet:
        async with (
            stdio_client(server, errlog=quiet) as (read, write),
            ClientSession(read, write, elicitation_callback=elicit) as session,
        ):
            await session.initialize()
            yield session


def run(
    root: Path, scenario: Callable[[ClientSession], Awaitable[Any]], elicit: Elicit | None = None
) -> Any:
    async def main() -> Any:
        async with connected(root, elicit) as session:
            return await scenario(session)

    return anyio.run(main)


def answering(action: str, asked: list[str]) -> Elicit:
    async def elicit(context: ClientRequestContext, params: ElicitRequestParams) -> ElicitResult:
        asked.append(params.message)
        if action == "fail":
            raise RuntimeError("the dialog could not be shown")
        return ElicitResult(action=action, content={} if action == "accept" else None)  # type: ignore[arg-type]

    return elicit


def document(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert result.structured_content is not None
    assert json.loads(result.content[0].text) == result.structured_content  # type: ignore[union-attr]
    return result.structured_content


def error(result: CallToolResult) -> dict[str, Any]:
    assert result.is_error, result.structured_content
    return result.structured_content or {"error": result.content[0].text}  # type: ignore[union-attr]


def cli_json(sdd: Any, *args: str) -> Any:
    result = sdd(*args, "--json")
    return json.loads(result.stdout)


def test_lists_tools_resources_and_prompts(project: Path) -> None:
    async def scenario(session: ClientSession) -> tuple[set[str], set[str], set[str]]:
        tools = {tool.name for tool in (await session.list_tools()).tools}
        resources = {str(r.uri) for r in (await session.list_resources()).resources}
        prompts = {p.name for p in (await session.list_prompts()).prompts}
        adr = await session.get_prompt("sp.adr", {"arguments": "Use PostgreSQL"})
        texts.append(adr.messages[0].content.text)  # type: ignore[union-attr]
        constitution = await session.read_resource("sdd://project/specs/constitution.md")
        texts.append(constitution.contents[0].text)  # type: ignore[union-attr]
        return tools, resources, prompts

    texts: list[str] = []
    tools, resources, prompts = run(project, scenario)
    assert "sdd adr" in texts[0] and texts[0].rstrip().endswith("Use PostgreSQL")
    assert texts[1] == (project / "specs/constitution.md").read_text(encoding="utf-8")
    assert {
        "status",
        "show",
        "validate",
        "feature_new",
        "plan",
        "tasks",
        "tasks_done",
        "tasks_undone",
        "phr_new",
        "phr_list",
        "phr_show",
        "adr_detect",
        "adr_list",
        "adr_show",
        "adr_new",
        "adr_status",
        "pr_checklist",
    } <= tools
    assert "sdd://project/specs/constitution.md" in resources
    assert {"sp.specify", "sp.plan", "sp.adr", "sp.phr"} <= prompts


def test_a_feature_from_new_to_tasks_done_matches_the_cli(project: Path, sdd: Any) -> None:
    async def scenario(session: ClientSession) -> dict[str, Any]:
        results = {
            # git runs with its output captured: nothing reaches the protocol stream.
            "new": document(
                await session.call_tool("feature_new", {"title": "User login", "branch": True})
            ),
            "plan": document(await session.call_tool("plan", {"feature": "001"})),
            "tasks": document(await session.call_tool("tasks", {"feature": "001"})),
        }
        results["done"] = document(
            await session.call_tool("tasks_done", {"feature": "001", "ids": ["T001"]})
        )
        results["status"] = document(await session.call_tool("status", {}))
        results["show"] = document(await session.call_tool("show", {"feature": "001"}))
        results["validate"] = document(await session.call_tool("validate", {}))
        read = await session.read_resource("sdd://project/specs/001-user-login/tasks.md")
        results["resource"] = read.contents[0].text  # type: ignore[union-attr]
        return results

    results = run(project, scenario)
    assert results["new"]["path"] == "specs/001-user-login/spec.md"
    assert git(project, "branch", "--show-current").stdout.strip() == "001-user-login"
    assert (project / "specs/001-user-login/plan.md").is_file()
    assert results["done"]["changed"] == ["T001"]
    tasks_text = (project / "specs/001-user-login/tasks.md").read_text(encoding="utf-8")
    assert "[x] T001" in tasks_text or "[X] T001" in tasks_text
    assert results["resource"] == tasks_text
    # The structured results are the --json documents of the CLI.
    assert results["status"] == cli_json(sdd, "status")
    assert results["show"] == cli_json(sdd, "show", "001")
    assert results["validate"] == cli_json(sdd, "validate")


def test_a_phr_keeps_a_hostile_prompt_byte_for_byte(project: Path, sdd: Any) -> None:
    prompt = "Say \"hi\" and 'bye'; run $(rm -rf /) and `id`\nsecond line\n\tthird $HOME \\n"

    async def scenario(session: ClientSession) -> dict[str, Any]:
        created = document(
            await session.call_tool(
                "phr_new", {"stage": "general", "title": "Quoting", "prompt": prompt}
            )
        )
        shown = document(await session.call_tool("phr_show", {"record": created["id"]}))
        listed = document(await session.call_tool("phr_list", {}))
        return {"created": created, "shown": shown, "listed": listed}

    results = run(project, scenario)
    text = (project / results["created"]["path"]).read_text(encoding="utf-8")
    assert prompt.rstrip("\n") in text
    assert results["shown"] == cli_json(sdd, "phr", "show", results["created"]["id"])
    assert results["listed"] == cli_json(sdd, "phr", "list")


def test_detect_sees_a_staged_auth_change(project: Path, sdd: Any) -> None:
    source = project / "src" / "auth"
    source.mkdir(parents=True)
    (source / "middleware.py").write_text(
        "import jwt\n\n\ndef authenticate(request):\n"
        "    token = request.headers['Authorization']\n"
        "    return jwt.decode(token, SECRET, algorithms=['HS256'])\n",
        encoding="utf-8",
    )
    git(project, "add", "src")

    async def staged(session: ClientSession) -> dict[str, Any]:
        return document(await session.call_tool("adr_detect", {"staged": True}))

    found = run(project, staged)
    assert found == cli_json(sdd, "adr", "detect", "--staged")
    assert found["significant"] is True

    git(project, "commit", "-q", "-m", "JWT authentication")

    async def committed(session: ClientSession) -> list[dict[str, Any]]:
        return [
            document(await session.call_tool("adr_detect", {"commit": "HEAD"})),
            document(await session.call_tool("adr_detect", {"range": "HEAD~1..HEAD"})),
        ]

    by_commit, by_range = run(project, committed)
    assert by_commit == cli_json(sdd, "adr", "detect", "--commit", "HEAD")
    assert by_range["significant"] is True
    assert by_range["categories"] == by_commit["categories"]


def test_adr_new_from_detect_records_the_evidence_after_consent(project: Path, sdd: Any) -> None:
    source = project / "src" / "auth"
    source.mkdir(parents=True)
    (source / "tokens.py").write_text(
        "import jwt\n\n\ndef issue(user):\n"
        "    return jwt.encode({'sub': user.id}, SECRET, algorithm='HS256')\n",
        encoding="utf-8",
    )
    git(project, "add", "src")
    asked: list[str] = []

    async def scenario(session: ClientSession) -> list[CallToolResult]:
        return [
            await session.call_tool("adr_new", {"title": "Tokens", "staged": True}),
            await session.call_tool("adr_new", {"from_detect": True, "staged": True}),
        ]

    misuse, created = run(project, scenario, answering("accept", asked))
    assert "need from_detect" in error(misuse)["error"]
    record = document(created)
    assert record["covers"] and all(path.startswith("src/auth") for path in record["covers"])
    text = (project / record["path"]).read_text(encoding="utf-8")
    assert "src/auth/tokens.py" in text and "sdd adr detect" in text
    assert asked[0].split("\n", 1)[0].startswith("Create ADR 0001 '")


def _adr_files(project: Path) -> list[str]:
    folder = project / "history" / "adr"
    if not folder.exists():
        folder = project / "adr"
    return sorted(p.name for p in folder.glob("[0-9]*.md")) if folder.exists() else []


def test_adr_new_writes_only_after_the_user_accepts(project: Path, sdd: Any) -> None:
    asked: list[str] = []

    async def scenario(session: ClientSession) -> CallToolResult:
        # confirm: true is the model's word; a client that can ask the user is asked anyway.
        return await session.call_tool("adr_new", {"title": "Use PostgreSQL", "confirm": True})

    for action in ("decline", "cancel", "fail"):
        refused = error(run(project, scenario, answering(action, asked)))
        assert refused["exit_code"] == 2
        assert "nothing was written" in refused["error"]
        assert _adr_files(project) == []
    created = document(run(project, scenario, answering("accept", asked)))
    assert len(asked) == 4
    assert asked[-1].startswith("Create ADR 0001 'Use PostgreSQL' at ")
    assert "Use PostgreSQL" in asked[-1].split("\n", 1)[1]  # the preview follows the question
    assert (project / created["path"]).is_file()
    assert created["id"] == 1
    listed = cli_json(sdd, "adr", "list")
    assert [adr["title"] for adr in listed["adrs"]] == ["Use PostgreSQL"]


def test_a_client_without_elicitation_is_refused(project: Path) -> None:
    async def scenario(session: ClientSession) -> list[CallToolResult]:
        return [
            await session.call_tool("adr_new", {"title": "Use PostgreSQL", "confirm": True}),
            await session.call_tool("feature_new", {"title": "Login"}),
            await session.call_tool("plan", {"feature": "001", "force": True}),
        ]

    adr, _feature, plan = run(project, scenario)
    refusal = error(adr)
    assert "elicitation" in refusal["error"] and refusal["exit_code"] == 2
    assert "elicitation" in error(plan)["error"]
    assert _adr_files(project) == []
    assert not (project / "specs/001-login/plan.md").exists()


def test_the_documented_fallback_accepts_confirm(project: Path) -> None:
    config = project / "sdd.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "mcp:\n  consent: argument\n", encoding="utf-8"
    )

    async def scenario(session: ClientSession) -> list[CallToolResult]:
        return [
            await session.call_tool("adr_new", {"title": "Use PostgreSQL"}),
            await session.call_tool("adr_new", {"title": "Use PostgreSQL", "confirm": True}),
        ]

    unconfirmed, confirmed = run(project, scenario)
    assert "confirm: true" in error(unconfirmed)["error"]
    assert (project / document(confirmed)["path"]).is_file()


def test_bad_input_is_a_tool_error_and_the_server_keeps_serving(project: Path, sdd: Any) -> None:
    outside = project.parent / "outside.md"
    outside.write_text("# not ours\n", encoding="utf-8")

    async def scenario(session: ClientSession) -> list[CallToolResult]:
        return [
            await session.call_tool("no_such_tool", {}),
            await session.call_tool("adr_show", {"number": "seven"}),
            await session.call_tool("tasks_done", {"ids": "T001"}),
            await session.call_tool("validate", {"paths": [str(outside)]}),
            await session.call_tool("validate", {"paths": ["../outside.md"]}),
            await session.call_tool(
                "phr_new",
                {"stage": "general", "title": "Huge", "prompt": "x" * (10 * 1024 * 1024 + 1)},
            ),
            await session.call_tool("adr_show", {"number": 42}),
            await session.call_tool("show", {"feature": "999"}),
            await session.call_tool("status", {}),
        ]

    async def outside_resource(session: ClientSession) -> str:
        try:
            await session.read_resource("sdd://project/../outside.md")
        except Exception as error:
            return str(error)
        return "read"

    *bad, missing, unknown_feature, status = run(project, scenario)
    assert "no sdd document" in run(project, outside_resource)
    # The same words and exit code as the CLI.
    cli = sdd("show", "999")
    assert cli.exit_code == error(unknown_feature)["exit_code"] == 2
    assert error(unknown_feature)["error"] in " ".join(cli.output.split())
    for result in bad:
        assert result.is_error
    assert "outside the project" in error(bad[3])["error"]
    assert "larger than 10 MB" in error(bad[5])["error"]
    assert error(missing)["exit_code"] == 2
    assert document(status)["schema"] == "sdd.status/1"
    assert not list((project / "history").rglob("*huge*"))


def test_a_configuration_broken_while_serving_is_reported_like_the_cli(project: Path) -> None:
    config = project / "sdd.yaml"
    good = config.read_text(encoding="utf-8")

    async def scenario(session: ClientSession) -> list[CallToolResult]:
        config.write_text(good + "features:\n  digits: 9\n", encoding="utf-8")
        broken = await session.call_tool("status", {})
        config.write_text(good, encoding="utf-8")
        return [broken, await session.call_tool("status", {})]

    broken, repaired = run(project, scenario)
    refusal = error(broken)
    assert refusal["exit_code"] == 2
    assert "sdd.yaml:" in refusal["findings"][0]
    assert "CFG001" in refusal["error"]
    assert document(repaired)["schema"] == "sdd.status/1"


def test_tasks_next_clarify_and_analyze_match_the_cli(project: Path, sdd: Any) -> None:
    sdd("feature", "new", "Checkout", ok=True)
    sdd("plan", "001", ok=True)
    sdd("tasks", "001", ok=True)

    async def scenario(session: ClientSession) -> dict[str, Any]:
        found = {
            name: document(await session.call_tool(name, {"feature": "001"}))
            for name in ("tasks_next", "clarify", "analyze")
        }
        first = found["clarify"]["open"][0]["id"] if found["clarify"]["open"] else "C0"
        found["answer"] = await session.call_tool(
            "clarify_answer", {"feature": "001", "id": first, "answer": "Cards only"}
        )
        return found

    before = {
        "tasks_next": cli_json(sdd, "tasks", "next", "001"),
        "analyze": cli_json(sdd, "analyze", "001"),
    }
    found = run(project, scenario)  # answers a clarification after reading
    assert found["tasks_next"] == before["tasks_next"]
    assert found["analyze"] == before["analyze"]
    if found["clarify"]["open"]:
        assert document(found["answer"])["answer"] == "Cards only"
        assert "Cards only" in (project / "specs/001-checkout/spec.md").read_text(encoding="utf-8")
    else:
        assert error(found["answer"])["exit_code"] == 2
