"""A saved position as REST shows it (:class:`graph.read.shapes.Position`), made from what the save
knows, so that a save need not read it back after its write (a read that would wait for the
store to open what it just wrote).

>>> from graph.coding.schema import Position
>>> p = Position.model_validate({"id": "p", "holder": "a", "target": "b", "stance": "opposes",
...     "attribution": "direct", "evidence": ["no"]})
>>> who = {iri: {"id": iri[-1], "iri": iri, "label": iri[-1], "type": None, "aliases": []}
...        for iri in (str(entity("a")), str(entity("b")))}
>>> shown = position_view(p, (4,), "d", "Say no now.", who)
>>> shown["evidence"][0]["prefix"], shown["evidence"][0]["suffix"], shown["value"]
('Say ', ' now.', -2)
>>> in_utf16(shown, "\U0001f600 Say no now.")["evidence"][0]["start"]
5
"""

from __future__ import annotations

from collections.abc import Mapping

from graph.coding.compile import CONTEXT_CHARS
from graph.coding.offsets import Utf16Offsets
from graph.coding.schema import Position
from graph.namespaces import entity
from graph.read.shapes import Evidence, Summary
from graph.read.shapes import Position as PositionView


def position_view(
    position: Position, starts: tuple[int, ...], document: str, text: str, named: Mapping[str, Summary]
) -> PositionView:
    """``position`` (its quotes at ``starts`` in ``text``) as ``/positions`` lists it; ``named``: the
    summaries of the entities it names, by IRI."""
    evidence = []
    for number, (quote, start) in enumerate(zip(position.evidence, starts, strict=True), start=1):
        end = start + len(quote.quote)
        evidence.append(
            Evidence(
                id=f"{position.id}-ev{number}",
                quote=quote.quote,
                prefix=text[max(0, start - CONTEXT_CHARS) : start] or None,
                suffix=text[end : end + CONTEXT_CHARS] or None,
                start=start,
                end=end,
                document=document,
                garbled=quote.garbled,
                note=quote.note,
            )
        )
    regarding = min((str(entity(ref)) for ref in position.regarding), default=None)
    return PositionView(
        id=position.id,
        iri=str(entity(position.id)),
        holder=named[str(entity(position.holder))],
        target=named[str(entity(position.target))],
        stance=position.stance,
        value=position.value,
        attribution=position.attribution,
        hedged=bool(position.hedges),
        hedgeCues=sorted(set(position.hedges)),
        regarding=named[regarding] if regarding is not None else None,
        notes=[position.note] if position.note else [],
        evidence=evidence,
    )


def in_utf16(view: PositionView, text: str) -> PositionView:
    """``view`` with its evidence offsets in UTF-16 units of ``text``, for a browser."""
    units = Utf16Offsets(text)
    for item in view["evidence"]:
        for key in ("start", "end"):
            value = item[key]
            if isinstance(value, int):
                item[key] = units.to_utf16(value)
    return view
