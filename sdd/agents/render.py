"""Rendering the command files and the rules block of the agents in ``sdd.agents.table``.

Each command has one source template, ``agents/commands/<name>.md`` (a small header, then the
instructions), rendered into every agent's format by a per-format wrapper,
``agents/formats/<format>`` (ADR-0051). Values in YAML front matter and TOML are encoded by
``quoted`` and ``toml_multiline`` so that any text reads back unchanged.
"""

from __future__ import annotations

from typing import Any

from sdd.agents.table import COMMANDS, Agent, Format, slug_of
from sdd.base import frontmatter, templates
from sdd.base.errors import TemplateError
from sdd.project.project import Project

RULES_TEMPLATE = "agents/rules.md"
_WRAPPERS: dict[Format, str] = {
    "markdown": "agents/formats/markdown.md",
    "toml": "agents/formats/toml.toml",
}
_HEADER_KEYS = frozenset({"description", "argument-hint", "disable-model-invocation"})


# --- encoding values for YAML front matter and TOML --------------------------------------


def quoted(text: str) -> str:
    """``text`` as a double-quoted string that YAML and TOML both read back unchanged."""
    out = ['"']
    for char in text:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == " " or char.isprintable():
            out.append(char)
        elif ord(char) > 0xFFFF:
            out.append(f"\\U{ord(char):08x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    out.append('"')
    return "".join(out)


def _toml_literal_safe(text: str) -> bool:
    if "'''" in text or text.endswith("'"):
        return False
    return not any((ord(c) < 0x20 and c not in "\t\n") or ord(c) == 0x7F for c in text)


def toml_multiline(text: str) -> str:
    """``text`` as a TOML multi-line string: literal (readable, no escapes) when it can be."""
    if _toml_literal_safe(text):
        return f"'''\n{text}'''"
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char in "\n\t":
            out.append(char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"""\n' + "".join(out) + '"""'


# --- rendering -------------------------------------------------------------------------------


def paths_context(project: Project) -> dict[str, str]:
    """The project's paths as the templates see them: relative to the project root."""
    return {name: project.rel(path) for name, path in project.paths.as_dict().items()}


def command_context(agent: Agent, command: str, project: Project) -> dict[str, Any]:
    """What a command's source template may use (documented in specs/006-agent-commands)."""
    return {
        "agent": {"key": agent.key, "title": agent.title},
        "command": command,
        "invocation": agent.invoke(command),
        "commands": {name: agent.invoke(name) for name in COMMANDS},
        "arguments": agent.arguments or "",
        "paths": paths_context(project),
    }


def _split_source(rendered: str, name: str) -> tuple[dict[str, Any], str]:
    document = frontmatter.split(rendered)
    if not document.has_front_matter or not document.closed:
        raise TemplateError("a command template must start with a --- header", path=name, line=1)
    header = frontmatter.parse_header(document, name)
    if not isinstance(header, dict):
        raise TemplateError("the command header must be a mapping of keys", path=name, line=2)
    unknown = sorted(str(key) for key in header if key not in _HEADER_KEYS)
    if unknown:
        raise TemplateError(
            f"unknown key {', '.join(unknown)} in the command header; "
            f"known: {', '.join(sorted(_HEADER_KEYS))}",
            path=name,
            line=2,
        )
    description = header.get("description")
    if not isinstance(description, str) or not description.strip():
        raise TemplateError("the command header needs a description", path=name, line=2)
    if not isinstance(header.get("argument-hint", ""), str):
        raise TemplateError("argument-hint must be text", path=name, line=2)
    if not isinstance(header.get("disable-model-invocation", False), bool):
        raise TemplateError("disable-model-invocation must be true or false", path=name, line=2)
    return header, document.body.lstrip("\n")


def _front_matter(agent: Agent, command: str, header: dict[str, Any]) -> list[tuple[str, str]]:
    values: list[tuple[str, str]] = []
    for key in agent.front_matter:
        if key == "name":
            values.append((key, quoted(slug_of(command))))
        elif key == "disable-model-invocation":
            if header.get(key) is True:
                values.append((key, "true"))
        elif isinstance(header.get(key), str) and header[key].strip():
            values.append((key, quoted(header[key].strip())))
    values.extend((key, quoted(value)) for key, value in agent.fixed_front_matter)
    return values


def render_command(agent: Agent, command: str, project: Project) -> str:
    """The file ``agent`` reads for ``command``: source template, then format wrapper."""
    folder = project.paths.templates
    name = f"agents/commands/{command}.md"
    source = templates.render(name, command_context(agent, command, project), project_dir=folder)
    header, body = _split_source(source, name)
    context = {
        "front_matter": _front_matter(agent, command, header),
        "body": body,
        "description": quoted(str(header["description"]).strip()),
        "prompt": toml_multiline(body),
    }
    return templates.render(_WRAPPERS[agent.format], context, project_dir=folder)


def render_rules(project: Project) -> str:
    """The content of the managed block (the same for every agent, so files can be shared)."""
    context = {"commands": list(COMMANDS), "paths": paths_context(project)}
    return templates.render(RULES_TEMPLATE, context, project_dir=project.paths.templates)


def render_rules_header(agent: Agent, project: Project) -> str:
    """What a new rules file of ``agent`` starts with before the block (empty for most)."""
    if agent.rules_header is None:
        return ""
    context = {"paths": paths_context(project)}
    return templates.render(agent.rules_header, context, project_dir=project.paths.templates)
