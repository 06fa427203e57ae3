"""Consent through the client: the human is asked (MCP elicitation), never the model.

A client that cannot ask is refused, unless the project's ``sdd.yaml`` sets
``mcp: {consent: argument}``: then the tool's ``confirm: true`` argument counts as the answer.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context

from sdd.base.errors import ConfirmationRequired, RefusedError
from sdd.project.project import Project

# No field to fill in: accepting the form is the answer.
_QUESTION_FORM: dict[str, Any] = {"type": "object", "properties": {}}


def can_elicit(ctx: Context) -> bool:
    capabilities = ctx.client_capabilities
    return capabilities is not None and capabilities.elicitation is not None


async def ask_consent(ctx: Context, project: Project, question: str, *, confirm: bool) -> None:
    """Return when the user agreed to ``question``; raise (nothing written) otherwise."""
    if can_elicit(ctx):
        try:
            answer = await ctx.session.elicit_form(
                message=question,
                requested_schema=_QUESTION_FORM,
                related_request_id=ctx.request_id,
            )
        except Exception as error:
            raise RefusedError(
                f"the client could not ask the user ({error}); nothing was written"
            ) from None
        if answer.action != "accept":
            verb = "declined" if answer.action == "decline" else "cancelled"
            raise RefusedError(f"the user {verb}; nothing was written")
        return
    if project.config.mcp.consent == "argument":
        if confirm:
            return
        raise ConfirmationRequired(
            f"{question.splitlines()[0]} needs the user's confirmation; this client cannot ask "
            "(no MCP elicitation): ask the user, then call again with confirm: true "
            "(nothing was written)"
        )
    raise ConfirmationRequired(
        f"{question.splitlines()[0]} needs the user's confirmation and this MCP client cannot "
        "ask (it does not support elicitation); nothing was written. Run the sdd command in a "
        "terminal, or set 'mcp: {consent: argument}' in sdd.yaml to accept confirm: true"
    )
