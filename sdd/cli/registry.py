"""The shape of a line in ``sdd.cli.main.COMMANDS``, and the sections of ``sdd --help``."""

from __future__ import annotations

from typing import NamedTuple


class Command(NamedTuple):
    """One top-level command: where it lives and how ``sdd --help`` lists it."""

    name: str
    target: str
    section: str
    summary: str


PROJECT = "Project"
FEATURES = "Features"
PROMPTS = "Prompts"
DECISIONS = "Decisions"
HOOKS_AND_PRS = "Hooks and pull requests"
AGENTS = "Agents"
SECTIONS = (PROJECT, FEATURES, PROMPTS, DECISIONS, HOOKS_AND_PRS, AGENTS)
