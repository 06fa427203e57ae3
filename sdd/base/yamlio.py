"""Safe YAML: the C loader when available, size limits, no aliases, errors with line numbers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from sdd.base.errors import ParseError
from sdd.base.yamlsubset import MAX_YAML_BYTES as MAX_YAML_BYTES

try:
    _FastLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
    _FastDumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = yaml.SafeLoader
    _FastDumper = yaml.SafeDumper

_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s\[\]{},]")


class _NoAliasLoader(yaml.SafeLoader):
    """Pure-Python safe loader that refuses aliases (no entity-expansion bombs)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                None, None, "YAML aliases are not allowed here", event.start_mark
            )
        return super().compose_node(parent, index)


def _loader_for(text: str) -> type[yaml.SafeLoader]:
    return _NoAliasLoader if _ANCHOR.search(text) else _FastLoader


def _parse_error(exc: yaml.YAMLError, source: Path | str, line_offset: int) -> ParseError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + line_offset if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return ParseError(f"invalid YAML: {problem}", path=source, line=line)


def _check_size(text: str, source: Path | str) -> None:
    if len(text) > MAX_YAML_BYTES:
        raise ParseError(f"YAML larger than {MAX_YAML_BYTES // 1024} KB", path=source)


def load(text: str, source: Path | str, *, line_offset: int = 0) -> Any:
    """Parse one YAML document; ``line_offset`` shifts reported lines (front matter)."""
    return _load(text, source, _loader_for(text), line_offset)


def _load(text: str, source: Path | str, loader: Any, line_offset: int) -> Any:
    _check_size(text, source)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise _parse_error(exc, source, line_offset) from None
    except (ValueError, OverflowError, RecursionError) as exc:
        # Well-formed YAML whose value Python cannot hold: 2026-02-30, a 5,000-digit integer.
        raise ParseError(f"invalid YAML value: {exc}", path=source, line=line_offset + 1) from None


def compose(text: str, source: Path | str, *, line_offset: int = 0) -> yaml.Node | None:
    """The node tree of one YAML document, for mapping values back to their lines."""
    _check_size(text, source)
    try:
        return yaml.compose(text, Loader=_loader_for(text))
    except yaml.YAMLError as exc:
        raise _parse_error(exc, source, line_offset) from None


def line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """1-based line of the value (or key) at ``loc`` in a composed document, if present."""
    if node is None:
        return None
    current: yaml.Node = node
    last = len(loc) - 1
    for position, step in enumerate(loc):
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if key_node.value == step:
                    current = key_node if position == last else value_node
                    break
            else:
                return int(current.start_mark.line) + 1
        elif isinstance(current, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(current.value):
                return int(current.start_mark.line) + 1
            current = current.value[step]
        else:
            break
    return int(current.start_mark.line) + 1


def dump(data: Any) -> str:
    """Serialise ``data`` as block YAML, keys in the given order, quoting whatever needs it."""
    return yaml.dump(
        data,
        Dumper=_FastDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )


def _untyped(loader: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """``loader`` resolving only null: every other plain scalar stays the string written."""
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag == "tag:yaml.org,2002:null"]
        for first, entries in loader.yaml_implicit_resolvers.items()
    }
    return type(f"Untyped{loader.__name__}", (loader,), {"yaml_implicit_resolvers": resolvers})


_UntypedFastLoader = _untyped(_FastLoader)
_UntypedNoAliasLoader = _untyped(_NoAliasLoader)


def load_untyped(text: str, source: Path | str, *, line_offset: int = 0) -> Any:
    """Like ``load``, but scalars stay text (``001``, ``2026-01-02``, ``yes``); only null resolves.

    For documents whose values are text by nature (front matter of records), where YAML 1.1
    would turn ``010`` into 8 and dates into ``date`` objects.
    """
    loader = _UntypedNoAliasLoader if _ANCHOR.search(text) else _UntypedFastLoader
    return _load(text, source, loader, line_offset)
