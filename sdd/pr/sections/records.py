"""The record sections of a PR checklist: the PHRs added, and the architecture decisions."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from sdd.pr.changes import Facts
from sdd.pr.context import ChecklistContext
from sdd.pr.items import (
    FAIL,
    INFO,
    PASS,
    Evidence,
    Item,
    Section,
    capped,
    code,
    one_line,
    plural,
)

if TYPE_CHECKING:
    from sdd.adr.record import Adr


def phr_section(context: ChecklistContext, facts: Facts) -> Section:
    from sdd.phr.listing import records_at

    added = context.changed_under(context.project.paths.prompts, statuses=("added",))
    entries = records_at(context.project, [context.change.top / path for path in added])
    if entries:
        item = Item(
            "phr.recorded",
            PASS,
            f"{plural(len(entries), 'Prompt History Record')} added in this range:",
            capped(
                f"{code(entry.id)} {entry.stage} — {one_line(entry.title) or '(no title)'} "
                f"({code(context.from_project(entry.path))})"
                for entry in entries
            ),
        )
    elif any(facts.path_set("code").matches(change.path) for change in facts.considered):
        item = Item(
            "phr.recorded",
            FAIL,
            "no Prompt History Record was added in this range, which changes code",
        )
    else:
        item = Item(
            "phr.recorded",
            INFO,
            "no Prompt History Record was added in this range (it changes no code)",
        )
    return Section("phr", "Prompt history", (item,))


def _adr_label(context: ChecklistContext, number: int, records: dict[int, Adr]) -> str:
    record = records.get(number)
    if record is None:
        return f"ADR-{number:04d}"
    path = context.top_path(record.path)
    return f"{context.link(record.label(), path)} {one_line(record.title)}"


def adr_section(context: ChecklistContext, records: dict[int, Adr]) -> Section:
    verdict, pack = context.change.verdict, context.change.pack
    items = []
    for result in verdict.categories:
        if not result.significant:
            continue
        evidence = [
            f"{s.rule}: {Evidence(s.path, s.line, s.text).markdown()}" for s in result.signals
        ]
        if result.covered:
            labels = ", ".join(_adr_label(context, n, records) for n in result.covered_by)
            items.append(
                Item(
                    f"adr.{result.name}",
                    PASS,
                    f"{result.title}: covered by {labels}",
                    capped(evidence, 6),
                )
            )
            continue
        # The suggestion of this category alone, in the detector's (Spec-Kit Plus) wording.
        message = dataclasses.replace(verdict, categories=(result,)).message(pack)
        items.append(
            Item(
                f"adr.{result.name}",
                FAIL,
                f"{result.title}: needs an ADR. {message}",
                capped(evidence, 6),
            )
        )
    if not items:
        items.append(
            Item("adr.none", PASS, "no architecturally significant change (`sdd adr detect`)")
        )
    written = context.changed_under(context.project.paths.adr, statuses=("added", "modified"))
    by_path = {context.top_path(record.path): record for record in records.values()}
    shown = [by_path[path] for path in written if path in by_path]
    if shown:
        items.append(
            Item(
                "adr.written",
                INFO,
                f"{plural(len(shown), 'ADR')} written in this range:",
                tuple(
                    f"{_adr_label(context, r.number, records)} ({r.status or 'no status'})"
                    for r in shown
                ),
            )
        )
    for note in verdict.notes:
        items.append(Item("adr.note", INFO, one_line(note)))
    return Section("adr", "Architecture decisions", tuple(items))
