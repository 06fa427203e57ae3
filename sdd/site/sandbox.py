"""Jinja2's sandbox for the site's templates, answering their most frequent lookups first
(ADR 0171).

A project may override any site template, so templates run in ``SandboxedEnvironment``
(ADR 0143), whose ``getattr`` checks every ``a.b`` of a template: it asks the object for the
attribute, and only when that fails for an item; an attribute it finds must pass
``is_safe_attribute``. Pages hand templates dicts and sdd's records (dataclasses and
NamedTuples), and two of their lookups are answered here before the sandbox's own, with the
value it would give:

- the key of a plain ``dict`` when ``dict`` has no attribute of that name: the sandbox
  would fail on the attribute, then read the same item;
- a field of a record whose name does not start with ``_``, holding a value
  that cannot be called: ``is_safe_attribute`` allows it, since ``is_internal_attribute``
  only refuses attributes of functions, methods, types, code, frames and generators, and
  only a callable could be a ``str.format`` the sandbox wraps.

Everything else, and every lookup these miss, goes to the sandbox unchanged.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

_DICT_ATTRIBUTES = frozenset(dir(dict))
_MISSING = object()


class SiteSandbox(SandboxedEnvironment):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fields: dict[type, frozenset[str]] = {}

    def _data_fields(self, kind: type) -> frozenset[str]:
        fields = self._fields.get(kind)
        if fields is None:
            if dataclasses.is_dataclass(kind):
                names: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(kind))
            else:  # a NamedTuple: sdd's records on light paths (ADR 0172)
                names = getattr(kind, "_fields", ()) if issubclass(kind, tuple) else ()
            fields = frozenset(name for name in names if not name.startswith("_"))
            self._fields[kind] = fields
        return fields

    def getattr(self, obj: Any, attribute: str) -> Any:
        kind = type(obj)
        if kind is dict:
            if attribute not in _DICT_ATTRIBUTES and attribute in obj:
                return obj[attribute]
        elif attribute in self._data_fields(kind):
            value = getattr(obj, attribute, _MISSING)  # a field may be unset
            if value is not _MISSING and not callable(value):
                return value
        return super().getattr(obj, attribute)
