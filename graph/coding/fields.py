"""The value types of the coding format, each refusing a bad value with the sentence a coder reads.

A refused value raises a pydantic error whose message is a template: ``{what}`` (the entry,
e.g. ``position 'canada-considers'``), ``{kind}`` (``position``), ``{key}`` and ``{value}``
are filled in by :mod:`graph.coding.problems`, which knows the file around the value.

>>> from pydantic import TypeAdapter, ValidationError
>>> TypeAdapter(Refs).validate_python("canada")
('canada',)
>>> try:
...     TypeAdapter(Text).validate_python("  ")
... except ValidationError as error:
...     print(error.errors()[0]["msg"])
{what}: '{key}' must be non-empty text
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import (
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    PlainSerializer,
    PlainValidator,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
)
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from graph.moments import FORMS, PATTERN, Moment, parse_moment
from graph.namespaces import SLUG_PATTERN


def problem(template: str, *, own: bool = False) -> WrapValidator:
    """A validator that turns the refusal of a value into ``template``.

    ``own``: only a refusal of the value as a whole (not a list, not a mapping, too short);
    the problems of its items or keys keep their own messages and places.

    >>> from pydantic import TypeAdapter, ValidationError
    >>> try:
    ...     TypeAdapter(Annotated[int, problem("{key} {value} is not a count")]).validate_python("x")
    ... except ValidationError as error:
    ...     print(error.errors()[0]["msg"])
    {key} {value} is not a count
    """
    return WrapValidator(_refusing(template, own))


def _refusing(template: str, own: bool = False) -> Callable[[Any, ValidatorFunctionWrapHandler], Any]:
    def validate(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError as error:
            if own and all(detail["loc"] for detail in error.errors()):
                raise
            raise PydanticCustomError("coding", template) from None

    return validate


@dataclass(frozen=True)
class OneOf:
    """A text that must be one of ``values``: an enum in the JSON Schema."""

    values: tuple[str, ...]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        refused = f"{{what}}: invalid {{key}} {{value}} (valid: {', '.join(self.values)})"
        return core_schema.no_info_wrap_validator_function(
            _refusing(refused), core_schema.literal_schema(list(self.values))
        )


@dataclass(frozen=True)
class Names:
    """Marks a key whose ids name other entries, of one of these kinds (checked across the file)."""

    kinds: frozenset[str]


@dataclass(frozen=True)
class Hint:
    """What a coder should write, told when the key is missing."""

    text: str


def _one_or_more(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


def _single(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError:
        shape = "name exactly one id" if isinstance(value, list) else "be an id or a list of ids"
        raise PydanticCustomError("coding", f"{{what}}: '{{key}}' must {shape}") from None


Id = Annotated[
    StrictStr, Field(pattern=SLUG_PATTERN), problem("{kind} id {value} is not a slug of a-z, 0-9 and '-'")
]
Text = Annotated[StrictStr, Field(pattern=r"\S"), problem("{what}: '{key}' must be non-empty text")]
Texts = Annotated[
    tuple[Annotated[StrictStr, Field(min_length=1)], ...],
    problem("{what}: '{key}' must be a list of non-empty texts"),
]
# One id or a list of them, read as a tuple either way.
Refs = Annotated[
    tuple[StrictStr, ...],
    BeforeValidator(_one_or_more, json_schema_input_type=str | list[str]),
    problem("{what}: '{key}' must be an id or a list of ids"),
]
Ref = Annotated[StrictStr, WrapValidator(_single)]
StanceValue = Annotated[
    StrictInt, Field(ge=-2, le=2), problem("{what}: {key} {value} is not an integer from -2 to 2")
]


def _moment(value: Any) -> Moment:
    try:
        return parse_moment(value)
    except ValueError as error:
        shown = repr(value.isoformat() if hasattr(value, "isoformat") else value)
        shown = shown.replace("{", "{{").replace("}", "}}")  # the message is a template
        raise PydanticCustomError("coding", f"{{what}}: {{key}} {shown} {error}") from None


# A year, month, day or date-time with its zone (graph.moments), written back as the coder wrote it.
Date = Annotated[
    Moment,
    PlainValidator(_moment),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": PATTERN},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": f"When: {FORMS}.",
        }
    ),
]
# An absolute http(s) URL with nothing in it that an IRI may not hold.
Url = Annotated[
    StrictStr,
    Field(pattern=r"^https?://[^\s<>\"{}|\\^`]+$"),
    problem("{what}: {key} {value} must be an http or https URL"),
]
QuoteText = Annotated[StrictStr, Field(min_length=1), problem("{what}: a quote must be non-empty text")]
Occurrence = Annotated[StrictInt, Field(ge=1), problem("{what}: '{key}' must be a whole number from 1")]
Flag = Annotated[StrictBool, problem("{what}: '{key}' must be true or false")]
UNKNOWN_SUBJECT = "{what}: unknown subject {value} (an entity of this file or of the registry)"
Subject = Annotated[StrictStr, problem(UNKNOWN_SUBJECT)]


def _nothing_as_empty(value: Any) -> Any:
    return () if value is None else value


E = TypeVar("E")
# A top-level list; one left empty (``threats:``) reads as none, though the schema asks for a list.
Section = Annotated[
    tuple[Annotated[E, problem("each entry of '{key}' must be a mapping of keys to values", own=True)], ...],
    BeforeValidator(_nothing_as_empty),
    problem("'{key}' must be a list", own=True),
]


def quote_mapping(value: Any) -> Any:
    """An evidence item as a mapping: a plain quote is short for ``{quote: ...}``.

    >>> quote_mapping("It worries us")
    {'quote': 'It worries us'}
    """
    if isinstance(value, str):
        return {"quote": value}
    if isinstance(value, dict):
        return value
    raise PydanticCustomError("coding", "{what}: a quote must be non-empty text")
