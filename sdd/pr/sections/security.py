"""The security sections of a PR checklist: authentication changes and secrets."""

from __future__ import annotations

from sdd.pr.changes import Facts
from sdd.pr.items import (
    FAIL,
    PASS,
    REVIEW,
    Evidence,
    Item,
    Section,
    capped,
    code,
    listed,
    plural,
)


def _secrets_in_range(facts: Facts) -> list[Evidence]:
    """Possible secrets on added lines (kind only: the value is never repeated)."""
    from sdd.text.secrets import find_secrets

    found = []
    for change in facts.files:
        if not change.added:
            continue
        for secret in find_secrets("\n".join(change.added)):
            number = change.added_numbers[secret.line - 1]
            found.append(Evidence(change.path, number, secret.kind))
    return found


def _secrets_item(found: list[Evidence], added: int) -> Item:
    if found:
        return Item(
            "secrets",
            FAIL,
            f"{plural(len(found), 'possible secret')} in the added lines",
            capped(f"{code(f'{e.path}:{e.line}')} {e.text}" for e in found),
        )
    return Item("secrets", PASS, f"no secret in the {plural(added, 'added line')} of this range")


def auth_sections(facts: Facts) -> list[Section]:
    """Authentication (the detector's auth signals, for a security review) with the secrets
    check; the secrets alone, in their own section, when they are found outside it."""
    signals = facts.signals("auth")
    found = _secrets_in_range(facts)
    added = sum(len(change.added) for change in facts.files)
    if signals:
        files = sorted({signal.path for signal in signals})
        review = Item(
            "auth.review",
            REVIEW,
            f"security review of the authentication changes in {listed([code(p) for p in files])}",
            capped(f"{s.side}: {Evidence(s.path, s.line, s.text).markdown()}" for s in signals),
        )
        return [Section("auth", "Authentication", (review, _secrets_item(found, added)))]
    if found:
        return [Section("secrets", "Secrets", (_secrets_item(found, added),))]
    return []
