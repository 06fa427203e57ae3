"""The "API changes" section of a PR checklist.

A change is an API change when it

1. adds, removes or changes a route declaration, as the rule pack's route rules read them
   (``api.route-removed`` and ``api.django-route-removed``, on added lines as well as removed);
2. carries a detector signal of the ``api-versioning`` category (version prefix, versioning
   scheme, contract file, removed route); or
3. changes code under the rule pack's ``api`` path set (``**/api/**``, ``**/routes/**``,
   ``*Controller.*``, ``urls.py`` …).

What it checks in the changed lines of those files: whether a tracked contract (OpenAPI,
protobuf, GraphQL: the ``api.contract-file`` rule's globs) changed with the routes, guards and
permission checks (the detector's auth signals), database writes and transactions, exception
text put into responses, and whether the changed tests expect the success, auth-failure,
validation-failure and conflict/not-found status codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sdd.detect.diff import FileChange
from sdd.detect.engine import key_of, selects
from sdd.detect.lines import code_of
from sdd.pr.changes import Facts, added_code, has_effective_change
from sdd.pr.items import (
    FAIL,
    INFO,
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
from sdd.pr.sections.roles import disabled_items

# The rule pack's checklist roles this section reads rules for (never rule ids).
ROUTE_ROLE = "route-contract"
CONTRACT_ROLE = "api-contract"
GUARD_ROLE = "endpoint-guard"

_DB_WRITE = re.compile(
    r"\b(?:session|db|database|conn|connection|cursor|tx|trx|transaction|repo|repository|em"
    r"|entityManager|prisma|knex|objects)\b[\w.()\[\]'\"]*?\.(?:add|add_all|merge|delete|remove"
    r"|save|execute|executemany|insert\w*|update\w*|upsert|create\w*|bulk_\w+|destroy)\("
    r"|\.save\(\s*\)"
    r"|\b[A-Z]\w*\.(?:create|update|destroy|upsert|bulkCreate|insertMany|updateOne|updateMany"
    r"|deleteOne|deleteMany|findOneAndUpdate|findByIdAndUpdate|findByIdAndDelete)\("
)
# Where a unit of work ends or is declared: a commit, or a transaction block or decorator.
_TRANSACTION = re.compile(
    r"\.commit\(|\b(?:transaction|atomic|begin|begin_nested|withTransaction|startTransaction"
    r"|\$transaction|Transactional)\b"
)
_LEAK = re.compile(
    r"\b(?:detail|message|error|msg|reason|description)\s*[=:]\s*(?:str|repr)\(\s*"
    r"(?:e|ex|exc|err|error|exception)\s*\)"
    r"|\b(?:detail|message|error|msg)\s*[=:]\s*f[\"'][^\"'\n]*\{(?:e|ex|exc|err|error|exception)\b"
    r"|\btraceback\.format_exc\(|\bprintStackTrace\(|\b(?:err|error|e|ex|exc)\.stack\b"
    r"|\.(?:json|send)\(\s*(?:err|error|e)(?:\.message)?\s*\)"
    r"|\b(?:res|response|reply)\.[\w.()]*\([^)\n]*\b(?:err|error)\.message\b"
)
_EXPECTS = re.compile(r"(?i)assert|expect|status|should|tobe|equal")


@dataclass(frozen=True)
class Expectation:
    id: str
    label: str
    codes: str
    pattern: re.Pattern[str]


EXPECTATIONS = (
    Expectation(
        "success",
        "success",
        "200–204",
        re.compile(r"\b20[0-4]\b|HTTP_20[0-4]|HTTPStatus\.(?:OK|CREATED|ACCEPTED|NO_CONTENT)\b"),
    ),
    Expectation(
        "auth",
        "auth failure",
        "401 or 403",
        re.compile(r"\b40[13]\b|HTTP_40[13]|\b(?:UNAUTHORIZED|FORBIDDEN|Unauthorized|Forbidden)\b"),
    ),
    Expectation(
        "validation",
        "validation failure",
        "400 or 422",
        re.compile(
            r"\b(?:400|422)\b|HTTP_4(?:00|22)|\b(?:BAD_REQUEST|UNPROCESSABLE_ENTITY|ValidationError)\b"
        ),
    ),
    Expectation(
        "conflict",
        "conflict / not found",
        "404 or 409",
        re.compile(r"\b40[49]\b|HTTP_40[49]|\b(?:NOT_FOUND|CONFLICT|NotFound|Conflict)\b"),
    ),
)


@dataclass(frozen=True)
class Route:
    path: str
    line: int
    state: str  # added | changed | removed
    key: str
    text: str

    def markdown(self) -> str:
        return f"{self.state} {Evidence(self.path, self.line, self.text).markdown()}"


def _keyed_lines(
    pattern: re.Pattern[str], lines: list[tuple[int, str]]
) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for number, text in lines:
        for match in pattern.finditer(code_of(text)):
            keyed = key_of(match)
            if keyed is not None:
                found.setdefault(keyed[0], (number, text))
    return found


def routes(facts: Facts) -> list[Route]:
    """Route declarations added, changed or removed in the considered files."""
    rules = [rule for rule in facts.change.pack.checklist(ROUTE_ROLE) if rule.match]
    found: list[Route] = []
    for change in facts.considered:
        for rule in rules:
            assert rule.match is not None
            if rule.paths is not None and not rule.paths.matches(change.path):
                continue
            if not selects(rule, change):
                continue
            added = _keyed_lines(
                rule.match, list(zip(change.added_numbers, change.added, strict=False))
            )
            removed = _keyed_lines(
                rule.match, list(zip(change.removed_numbers, change.removed, strict=False))
            )
            for key, (number, text) in added.items():
                if key not in removed:
                    found.append(Route(change.path, number, "added", key, text))
                elif removed[key][1].strip() != text.strip():
                    found.append(Route(change.path, number, "changed", key, text))
            for key, (number, text) in removed.items():
                if key not in added:
                    found.append(Route(change.path, number, "removed", key, text))
    return sorted(found, key=lambda r: (r.path, r.line, r.state))


def api_files(facts: Facts, changed_routes: list[Route]) -> list[FileChange]:
    """The considered files that make this an API change (see the module docstring)."""
    chosen = {route.path for route in changed_routes}
    chosen.update(signal.path for signal in facts.signals("api-versioning"))
    api, source = facts.path_set("api"), facts.path_set("code")
    for change in facts.considered:
        if (
            api.matches(change.path)
            and source.matches(change.path)
            and has_effective_change(change)
        ):
            chosen.add(change.path)
    return [change for change in facts.considered if change.path in chosen]


def _subject(changed_routes: list[Route], files: list[FileChange]) -> str:
    shown = [route for route in changed_routes if route.state != "removed"]
    if shown:
        return f"the {plural(len(shown), 'added or changed route')}"
    return "the handlers changed in " + listed([code(f.path) for f in files])


def _contract(facts: Facts, changed_routes: list[Route], subject: str) -> Item:
    rule = next(iter(facts.change.pack.checklist(CONTRACT_ROLE)), None)
    globs = rule.paths if rule is not None else None
    if globs is None:
        return Item("api.contract", REVIEW, f"the API contract still matches {subject}")
    changed = sorted(path for path in facts.changed_paths if globs.matches(path))
    if changed:
        return Item(
            "api.contract",
            PASS,
            "contract changed with the code: " + listed([code(p) for p in changed]),
        )
    tracked = sorted(path for path in facts.tree if globs.matches(path))
    if tracked and changed_routes:
        return Item(
            "api.contract",
            FAIL,
            "routes changed but the contract did not: " + listed([code(p) for p in tracked]),
        )
    if tracked:
        return Item(
            "api.contract",
            REVIEW,
            f"the unchanged contract {listed([code(p) for p in tracked])} still matches {subject}",
        )
    return Item(
        "api.contract",
        REVIEW,
        f"no contract file (OpenAPI, protobuf, GraphQL) is tracked: check the generated schema "
        f"for {subject}",
    )


def _authorization(facts: Facts, paths: set[str], subject: str) -> Item:
    guard_rules = [rule.id for rule in facts.change.pack.checklist(GUARD_ROLE)]
    guards = [s for s in facts.signals("auth", guard_rules) if s.path in paths]
    details = (
        capped(f"{s.side}: {Evidence(s.path, s.line, s.text).markdown()}" for s in guards)
        if guards
        else ("no guard or permission check in the changed lines",)
    )
    return Item("api.authorization", REVIEW, f"authorization of {subject}", details)


def _atomic(files: list[FileChange]) -> Item:
    writes: list[Evidence] = []
    boundaries: list[Evidence] = []
    for change in files:
        for number, text in added_code(change):
            code_only = code_of(text)
            if _DB_WRITE.search(code_only):
                writes.append(Evidence(change.path, number, text))
            if _TRANSACTION.search(code_only):
                boundaries.append(Evidence(change.path, number, text))
    if not writes:
        return Item("api.atomic", INFO, "no database write in the changed lines of these files")
    details = [f"write: {e.markdown()}" for e in writes]
    details += [f"commit or transaction: {e.markdown()}" for e in boundaries]
    return Item(
        "api.atomic",
        REVIEW,
        f"atomic database operations: {plural(len(writes), 'write')} and "
        f"{plural(len(boundaries), 'commit or transaction', 'commits or transactions')} in the "
        "changed lines",
        capped(details),
    )


def _errors(files: list[FileChange]) -> Item:
    leaks = [
        Evidence(change.path, number, text)
        for change in files
        for number, text in added_code(change)
        if _LEAK.search(code_of(text))
    ]
    if leaks:
        return Item(
            "api.errors",
            FAIL,
            "exception text or a stack trace goes into a response",
            capped(e.markdown() for e in leaks),
        )
    return Item(
        "api.errors",
        PASS,
        "no exception text or stack trace goes into a response in the changed lines",
    )


def _tests(facts: Facts) -> list[Item]:
    tests = facts.path_set("tests")
    changed = [change for change in facts.files if tests.matches(change.path)]
    if not changed:
        return [
            Item(
                "api.tests",
                FAIL,
                "no test changed in this range: "
                + ", ".join(e.label for e in EXPECTATIONS)
                + " are untested",
            ),
            Item("api.tests.regressions", REVIEW, "regressions: the existing tests still pass"),
        ]
    lines = [
        (change.path, number, text)
        for change in changed
        for number, text in added_code(change)
        if _EXPECTS.search(text)
    ]
    items = []
    for expectation in EXPECTATIONS:
        hit = next((line for line in lines if expectation.pattern.search(line[2])), None)
        if hit is None:
            items.append(
                Item(
                    f"api.tests.{expectation.id}",
                    FAIL,
                    f"{expectation.label}: no added test line expects {expectation.codes}",
                )
            )
        else:
            items.append(
                Item(
                    f"api.tests.{expectation.id}",
                    PASS,
                    f"{expectation.label}: {Evidence(*hit).markdown()}",
                )
            )
    existing = [c for c in changed if c.status not in ("added", "deleted")]
    deleted = [c for c in changed if c.status == "deleted"]
    details = []
    if existing:
        details.append("changed: " + listed([code(c.path) for c in existing]))
    if deleted:
        details.append("deleted: " + listed([code(c.path) for c in deleted]))
    if not details:
        details.append("no existing test was changed or deleted")
    items.append(
        Item(
            "api.tests.regressions",
            REVIEW,
            "regressions: the existing tests still pass",
            tuple(details),
        )
    )
    return items


def api_section(facts: Facts) -> Section | None:
    changed_routes = routes(facts)
    files = api_files(facts, changed_routes)
    if not files:
        return None
    subject = _subject(changed_routes, files)
    items: list[Item] = []
    if changed_routes:
        counts = {
            state: sum(1 for r in changed_routes if r.state == state)
            for state in ("added", "changed", "removed")
        }
        summary = ", ".join(f"{count} {state}" for state, count in counts.items() if count)
        items.append(
            Item(
                "api.routes",
                INFO,
                f"routes: {summary}",
                capped(route.markdown() for route in changed_routes),
            )
        )
    else:
        items.append(
            Item(
                "api.routes",
                INFO,
                "no route declaration changed; API files changed: "
                + listed([code(f.path) for f in files]),
            )
        )
    removed = [route for route in changed_routes if route.state == "removed"]
    route_rules = {rule.id for rule in facts.change.pack.checklist(ROUTE_ROLE)}
    breaking = [
        s
        for s in facts.signals("api-versioning")
        if s.rule not in route_rules and s.side == "removed"
    ]
    if removed or breaking:
        items.append(
            Item(
                "api.breaking",
                REVIEW,
                "clients of what was removed still work (or the API is versioned)",
                capped(
                    [route.markdown() for route in removed]
                    + [f"removed {Evidence(s.path, s.line, s.text).markdown()}" for s in breaking]
                ),
            )
        )
    items.append(_contract(facts, changed_routes, subject))
    items.append(Item("api.responses", REVIEW, f"status codes and response models of {subject}"))
    items.append(
        Item("api.validation", REVIEW, f"input validation (parameters and bodies) of {subject}")
    )
    items.append(_authorization(facts, {f.path for f in files}, subject))
    items.append(_atomic(files))
    items.append(_errors(files))
    items.extend(_tests(facts))
    items.extend(disabled_items(facts, "api", (ROUTE_ROLE, CONTRACT_ROLE, GUARD_ROLE)))
    return Section("api", "API changes", tuple(items))
