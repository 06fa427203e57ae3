"""The front matter of a Prompt History Record (DESIGN §3), declared once.

``SCHEMA`` lists each key with the kind of value it takes; everything else derives from it:
the key lists of the checker, the quick acceptance test (``fits``), the pydantic model that
explains a rejection (``model``), the order ``sdd phr new`` writes the keys in, and the stage
list of the command-line help.
"""

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from pydantic import BaseModel

STAGES = (
    "constitution",
    "spec",
    "plan",
    "tasks",
    "red",
    "green",
    "refactor",
    "explainer",
    "misc",
    "general",
)
LINK_KEYS = ("spec", "ticket", "adr", "pr")

Kind = Literal["id", "text", "list", "links"]


class Key(NamedTuple):
    name: str
    kind: Kind
    required: bool = False


SCHEMA: tuple[Key, ...] = (
    Key("id", "id", required=True),
    Key("title", "text", required=True),
    Key("stage", "text", required=True),
    Key("date", "text", required=True),
    Key("surface", "text"),
    Key("model", "text"),
    Key("feature", "text"),
    Key("branch", "text"),
    Key("user", "text"),
    Key("command", "text"),
    Key("labels", "list"),
    Key("links", "links"),
    Key("files", "list"),
    Key("tests", "list"),
)
KEYS = tuple(key.name for key in SCHEMA)
REQUIRED_KEYS = tuple(key.name for key in SCHEMA if key.required)
# Spec-Kit Plus template variables that agents write as keys instead of the key itself.
KEY_ALIASES = {"date_iso": "date", "files_yaml": "files", "tests_yaml": "tests"}


def stage_choices() -> str:
    """The stages as the command-line help lists them."""
    return ", ".join(STAGES[:-1]) + f" or {STAGES[-1]}"


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(item is None or isinstance(item, str) for item in value)


def _fits_kind(kind: Kind, value: Any) -> bool:
    if kind == "list":
        return _is_text_list(value)
    if kind == "links":
        return isinstance(value, dict) and all(
            isinstance(k, str) and (v is None or isinstance(v, str) or k not in LINK_KEYS)
            for k, v in value.items()
        )
    return isinstance(value, str)


_REQUIRED_SCHEMA = tuple(key for key in SCHEMA if key.required)
# The optional keys by kind, so that checking every record's front matter takes one lookup
# per key (``validate`` runs it on each of thousands of records).
_OPTIONAL_BY_KIND = tuple(
    (kind, tuple(key.name for key in SCHEMA if not key.required and key.kind == kind))
    for kind in dict.fromkeys(key.kind for key in SCHEMA if not key.required)
)


def fits(front: dict[str, Any]) -> bool:
    """A quick yes for front matter that ``model()`` accepts (property-tested against it);
    anything else goes to pydantic, which explains what is wrong."""
    for key in _REQUIRED_SCHEMA:
        value = front.get(key.name)
        if not isinstance(value, str):
            return False
        if key.kind == "id" and not value.strip().isdecimal():
            return False
        if key.name == "title" and not value.strip():
            return False
    for kind, names in _OPTIONAL_BY_KIND:
        for name in names:
            value = front.get(name)
            if value is not None and not _fits_kind(kind, value):
                return False
    return True


@lru_cache(maxsize=1)
def model() -> "type[BaseModel]":
    """The pydantic model of ``SCHEMA`` (imported only when a record needs explaining); values
    are read as text (``001`` stays ``"001"``)."""
    from pydantic import BaseModel, ConfigDict, create_model, field_validator

    links = create_model(
        "Links",
        __config__=ConfigDict(extra="allow"),
        **{name: (str | None, None) for name in LINK_KEYS},  # type: ignore[call-overload]
    )
    kinds: dict[Kind, Any] = {
        "id": str,
        "text": str,
        "list": list[str | None] | None,
        "links": links | None,
    }
    fields: dict[str, Any] = {}
    for key in SCHEMA:
        kind = kinds[key.kind]
        fields[key.name] = (kind, ...) if key.required else (kind | None, None)

    def digits(cls: type[BaseModel], value: str) -> str:
        if not value.strip().isdecimal():
            raise ValueError("must be a number such as 0007")
        return value.strip()

    def not_blank(cls: type[BaseModel], value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value

    built: type[BaseModel] = create_model(
        "FrontMatter",
        __config__=ConfigDict(extra="allow"),
        __validators__={
            "digits": field_validator("id")(digits),
            "not_blank": field_validator("title")(not_blank),
        },
        **fields,
    )
    return built


def explain(problem: Any) -> str:
    """One line saying what a pydantic error of ``model()`` means for the record."""
    kind = problem.get("type", "")
    if kind == "missing":
        return "required key is missing"
    if kind in ("string_type", "list_type", "model_type"):
        expected = {"string_type": "text", "list_type": "a list", "model_type": "a mapping"}[kind]
        given = problem.get("input")
        if isinstance(given, dict) and kind == "string_type":
            return f"must be {expected}, but YAML read a mapping (quote the value: it holds ': ')"
        return f"must be {expected}, not {_kind_of(given)}"
    message = str(problem.get("msg", "invalid value")).removeprefix("Value error, ")
    return message[0].lower() + message[1:] if message else message


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "empty" if value is None else "text"
