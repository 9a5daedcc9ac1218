"""A position sent as JSON, checked against the coding format and its document's text.

The keys are a coding file's (:class:`~graph.coding.schema.Position`); each evidence item may
also give ``start`` and ``end``, which must be where its quote is: in code points, or in UTF-16
units for a browser (converted by :mod:`graph.coding.offsets` alone). Every refusal is a
:class:`~graph.errors.FieldError` naming the field by its path in what was sent. What the store
must say (ids that exist, of the right kind) is :mod:`graph.coding.editing`'s.

>>> checked = checked_position({"id": "p", "holder": "a", "target": "b", "stance": "opposes",
...     "attribution": "direct", "evidence": [{"quote": "no", "start": 10}]}, "We 😀 say no.", "utf16")
>>> checked.starts, checked.position.value
((9,), -2)
>>> checked_position({"holder": "a", "target": "b", "stance": "adores", "attribution": "direct",
...                   "evidence": ["no"]}, "no", "code_points")
Traceback (most recent call last):
graph.errors.FieldError: stance: position: invalid stance 'adores' (valid: supports, recommends, ...)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from graph.coding.offsets import Utf16Offsets
from graph.coding.problems import keys_of
from graph.coding.quotes import _typography_hint, occurrences
from graph.coding.schema import Model, Position, Quote
from graph.errors import FieldError, ValidationFailedError

Offsets = Literal["code_points", "utf16"]
Loc = tuple[str | int, ...]
NEW_ID = "new-position"  # stands for the id of a position sent without one, until one is made


@dataclass(frozen=True)
class CheckedPosition:
    """A position that the format and its text accept: the model, and where each quote starts."""

    position: Position
    starts: tuple[int, ...]
    given_id: bool


def model_or_field_error(model: type[Model], data: Mapping[str, Any], what: str, at: Loc = ()) -> Any:
    """``data`` as ``model`` reads it, or a FieldError naming every field it refuses (under ``at``)."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as error:
        problems: list[tuple[Loc, str]] = []
        for detail in error.errors():
            loc = (*at, *detail["loc"])
            key = next((step for step in reversed(loc) if isinstance(step, str)), "")
            if detail["type"] == "missing":
                problems.append((loc, f"{what}: missing required key '{key}'"))
            elif detail["type"] == "extra_forbidden":
                problems.append(
                    (loc, f"{what}: unknown key '{key}' (expected one of {', '.join(keys_of(model))})")
                )
            elif detail["type"] != "default_factory_not_called":
                message = detail["msg"].format(what=what, kind=what, key=key, value=repr(detail["input"]))
                problems.append((loc, message))
        raise FieldError(problems or [(at, f"{what}: invalid")]) from None


def _spans(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[Any, Any]]]:
    """``data`` without the evidence offsets (the format has none), and the offsets each item gave."""
    items = data.get("evidence")
    if not isinstance(items, list):
        return dict(data), []
    plain: list[Any] = []
    spans: list[tuple[Any, Any]] = []
    for item in items:
        if isinstance(item, Mapping):
            plain.append({key: value for key, value in item.items() if key not in ("start", "end")})
            spans.append((item.get("start"), item.get("end")))
        else:
            plain.append(item)
            spans.append((None, None))
    return {**data, "evidence": plain}, spans


def _offset(value: Any, units: Utf16Offsets | None, loc: Loc) -> int:
    """An offset sent as ``value``, in code points; FieldError at ``loc`` for one out of the text."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError([(loc, f"an offset is a whole number, not {value!r}")])
    try:
        return units.to_code_points(value, field=str(loc[-1])) if units is not None else value
    except ValidationFailedError as error:
        raise FieldError([(loc, str(error).split(": ", 1)[-1])]) from None


def _anchor(quote: Quote, text: str, start: Any, end: Any, units: Utf16Offsets | None, at: Loc) -> int:
    """Where ``quote`` starts in ``text``: at the ``start`` sent, else its occurrence; or a FieldError."""
    starts = occurrences(text, quote.quote)
    if not starts:
        hint = _typography_hint(text, quote.quote)
        raise FieldError([((*at, "quote"), f"quote not found in the document's text: {quote.quote!r}{hint}")])
    if start is not None:
        found = _offset(start, units, (*at, "start"))
        if found not in starts:
            where = [units.to_utf16(each) for each in starts] if units is not None else starts
            shown = ", ".join(map(str, where[:5])) + (" ..." if len(where) > 5 else "")
            unit = "UTF-16 units" if units is not None else "code points"
            raise FieldError(
                [((*at, "start"), f"the quote is not at offset {start}: it starts at {shown} ({unit})")]
            )
        if quote.occurrence is not None and starts.index(found) + 1 != quote.occurrence:
            raise FieldError(
                [((*at, "occurrence"), f"occurrence {quote.occurrence} does not start at {start}")]
            )
    elif quote.occurrence is not None:
        if quote.occurrence > len(starts):
            message = f"occurrence {quote.occurrence} but the quote occurs {len(starts)} time(s)"
            raise FieldError([((*at, "occurrence"), message)])
        found = starts[quote.occurrence - 1]
    elif len(starts) > 1:
        message = f"the quote occurs {len(starts)} times: say which with 'start' or 'occurrence'"
        raise FieldError([((*at, "quote"), message)])
    else:
        found = starts[0]
    if end is not None and _offset(end, units, (*at, "end")) != found + len(quote.quote):
        raise FieldError([((*at, "end"), f"end {end} is not where the quote ends (start plus its length)")])
    return found


def checked_position(data: Any, text: str, offsets: Offsets) -> CheckedPosition:
    """``data`` (a position as JSON) checked by the format and against ``text``, its document's.

    A position sent without ``id`` reads as :data:`NEW_ID` (``given_id`` False) until one is made.
    """
    if not isinstance(data, Mapping):
        raise FieldError([((), "a position is a JSON object of the coding format's keys")])
    plain, spans = _spans(data)
    given_id = "id" in plain
    what = f"position {plain['id']!r}" if given_id and isinstance(plain["id"], str) else "position"
    position: Position = model_or_field_error(Position, {"id": NEW_ID, **plain}, what)
    units = Utf16Offsets(text) if offsets == "utf16" else None
    starts = tuple(
        _anchor(quote, text, start, end, units, ("evidence", index))
        for index, (quote, (start, end)) in enumerate(zip(position.evidence, spans, strict=True))
    )
    for index, cue in enumerate(position.hedges):
        if not any(cue.lower() in quote.quote.lower() for quote in position.evidence):
            raise FieldError([(("hedges", index), f"hedge cue {cue!r} does not occur in the evidence")])
    return CheckedPosition(position, starts, given_id)
