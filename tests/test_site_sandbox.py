"""The site's template sandbox answers lookups as Jinja2's sandbox does (ADR 0171)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import pytest
from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from sdd.site.sandbox import SiteSandbox


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    labels: tuple[str, ...]
    _secret: str = "hidden"
    hook: Callable[..., str] = field(default="{0.__class__}".format)


@dataclass
class Status:
    done: int
    items: list[str]
    later: str = field(init=False)


class Row(NamedTuple):
    path: str
    line: int
    hook: Callable[..., str] = "{0.__class__}".format


def _context() -> dict[str, object]:
    record = Record("0007", ("a", "b"))
    return {
        "record": record,
        "status": Status(3, ["x"]),
        "row": {"entry": record, "items": "shadowed by dict.items", "anchor": "r-1"},
        "text": "plain",
        "finding": Row("a.md", 3),
    }


TEMPLATES = [
    "{{ row.anchor }} {{ row.entry.id }} {{ row.entry.labels|join(',') }}",
    "{{ row.items }}",
    "{{ row['items'] }}",
    "{{ status.done }} {{ status.items|length }}",
    "{{ status.later }}",
    "{{ record.hook('x') }}",
    "{{ record._secret }}",
    "{{ record.__class__ }}",
    "{{ record.__class__.__mro__ }}",
    "{{ row.__class__.__subclasses__() }}",
    "{{ text.__class__.__mro__[1].__subclasses__() }}",
    "{{ record.id.__class__ }}",
    "{{ status.items.append('y') }}",
    "{{ row.missing }}",
    "{{ record.missing }}",
    "{{ record.hook.__globals__ }}",
    "{{ record.hook.__self__ }}",
    "{{ finding.path }}:{{ finding.line }} {{ finding[0] }} {{ finding|length }}",
    "{{ finding.hook('x') }}",
    "{{ finding.count }} {{ finding._fields }} {{ finding.__class__ }}",
    "{{ finding.missing }}",
]


def _outcome(environment: SandboxedEnvironment, source: str) -> str:
    try:
        return environment.from_string(source).render(**_context())
    except (SecurityError, UndefinedError) as error:
        return f"{type(error).__name__}: {error}"


@pytest.mark.parametrize("source", TEMPLATES)
def test_every_lookup_gives_what_jinjas_sandbox_gives(source: str) -> None:
    site = SiteSandbox(undefined=StrictUndefined, autoescape=True)
    jinja = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    assert _outcome(site, source) == _outcome(jinja, source)


@pytest.mark.parametrize(
    "source",
    [
        "{{ record._secret }}",
        "{{ record.__class__.__mro__ }}",
        "{{ text.__class__.__mro__[1].__subclasses__() }}",
        "{{ record.hook.__globals__ }}",
    ],
)
def test_what_reaches_python_internals_is_refused(source: str) -> None:
    outcome = _outcome(SiteSandbox(undefined=StrictUndefined, autoescape=True), source)
    assert outcome.startswith(("SecurityError", "UndefinedError")), outcome
