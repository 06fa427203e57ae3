"""Which detection rules a checklist section reads: by the rule pack's checklist roles."""

from __future__ import annotations

from collections.abc import Iterable

from sdd.pr.changes import Facts
from sdd.pr.items import INFO, Item, code


def disabled_items(facts: Facts, section: str, roles: Iterable[str]) -> list[Item]:
    """An item naming the rules the section would read that sdd.yaml disabled (or none)."""
    pack = facts.change.pack
    disabled = [rule_id for role in roles for rule_id in pack.disabled_for(role)]
    if not disabled:
        return []
    names = ", ".join(code(rule_id) for rule_id in disabled)
    reads = "it reads" if len(disabled) == 1 else "they read"
    return [
        Item(
            f"{section}.disabled-rules",
            INFO,
            f"{names} disabled in sdd.yaml: what {reads} is not checked here",
        )
    ]
