"""``sdd mcp``: serve sdd's tools to AI agents over the Model Context Protocol (stdio)."""

from __future__ import annotations

import typer

from sdd.cli.invocation import project_from


def install_command() -> str:
    """How to install the extra, under whatever name this distribution is installed as."""
    from importlib.metadata import packages_distributions

    names = packages_distributions().get("sdd") or ["sdd"]
    return f"pip install '{names[0]}[mcp]'"


def mcp(ctx: typer.Context) -> None:
    """Run the MCP server on standard input/output (needs the 'mcp' extra).

    Agents start it themselves once registered: sdd agents install adds it to their MCP
    configuration.

    \b
    Example: sdd mcp
    """
    from sdd.base.errors import UsageError

    try:
        import mcp.server.mcpserver  # noqa: F401
    except ImportError:
        raise UsageError(
            f"sdd mcp needs the MCP SDK, an optional extra: {install_command()}"
        ) from None
    from sdd.mcp.server import serve

    serve(project_from(ctx).root)
