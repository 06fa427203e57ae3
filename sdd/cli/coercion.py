"""Plain conversions for plain parameters, and metavars that name the value, not its type.

typer converts every parameter through a pydantic ``TypeAdapter`` built on first use; on the
command line every value arrives as a string, and sdd's parameters are strings, integers, paths,
booleans and lists of those. Building those adapters (and importing pydantic for them) was most
of the fixed cost of a command (ADR 0090). Parameters of any other kind keep typer's adapter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._click.exceptions import BadParameter
from typer._coercion import RuntimeParam
from typer.core import _TyperParameter
from typer.models import OptionInfo

_DEFAULTS = OptionInfo()
# ParameterInfo fields that change what a value means; any of them set keeps typer's adapter.
_SEMANTIC = (
    "parser",
    "min",
    "max",
    "clamp",
    "formats",
    "mode",
    "exists",
    "file_okay",
    "dir_okay",
    "writable",
    "resolve_path",
    "allow_dash",
    "path_type",
)


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    return int(value)


def _string(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


_CONVERTERS: dict[Any, Callable[[Any], Any]] = {
    str: _string,
    int: _integer,
    Path: Path,
    bool: bool,
}
_NAMES = {int: "integer", Path: "path", str: "text", bool: "boolean"}


@dataclass(frozen=True)
class PlainRuntimeParam(RuntimeParam):
    """Coercion of a string, integer, path or boolean (or a list of one) without pydantic."""

    convert: Callable[[Any], Any]
    kind: str
    many: bool

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Any) -> Any:
        try:
            if self.many:
                items = value if isinstance(value, (list, tuple)) else [value]
                return [self.convert(item) for item in items]
            return self.convert(value)
        except (TypeError, ValueError):
            message = f"{value!r} is not a valid {self.kind}."
            raise BadParameter(message, ctx=ctx, param=param) from None


def _plain(param: _TyperParameter) -> PlainRuntimeParam | None:
    descriptor = param.type_descriptor
    info = descriptor.parameter_info
    if any(getattr(info, name) != getattr(_DEFAULTS, name) for name in _SEMANTIC):
        return None
    annotation: Any = descriptor.annotation
    many = get_origin(annotation) is list
    if many:
        (annotation,) = get_args(annotation) or (None,)
    convert = _CONVERTERS.get(annotation)
    if convert is None:
        return None
    return PlainRuntimeParam(
        parameter_info=info,
        annotation=descriptor.annotation,
        convert=convert,
        kind=_NAMES[annotation],
        many=many,
    )


def _metavar(param: _TyperParameter) -> str | None:
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    return (param.name or "value").upper()


def _plain_parameter(param: Any) -> None:
    if not isinstance(param, _TyperParameter):
        return
    if param._runtime_param is None:
        param._runtime_param = _plain(param)
    if param.metavar is None:
        param.metavar = _metavar(param)
    if param.param_type_name == "argument":
        # An argument's help line is its name and help: no "<str>" after the name.
        param.display_type_rich = _no_type  # type: ignore[method-assign]


def _no_type(ctx: Any) -> None:
    return None


def plain_parameters(command: Any) -> None:
    """Give every plain parameter of ``command`` (and its subcommands) a plain conversion."""
    for param in command.params:
        _plain_parameter(param)
    # The help option is made on first use, from the context's option names.
    make_help_option = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = make_help_option(ctx)
        if option is not None:
            _plain_parameter(option)
        return option

    command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        plain_parameters(sub)
