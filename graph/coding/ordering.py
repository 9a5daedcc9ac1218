"""An exported coding put in the order of an earlier file of it, so that a diff shows what changed.

RDF keeps no order of entries, aliases, hedges or links, and YAML's mappings carry their keys in
the order written (:mod:`graph.coding.reverse` gives all of them an order of its own). Exporting
over the coding file a document was built from, what that file lists keeps its place (sections,
entries, keys, list items), and what it lacks comes after, in the export's order. Evidence keeps its own
order always: it is numbered.

>>> ordered_like({"threats": [{"id": "a"}, {"id": "b"}], "positions": []},
...              {"threats": [{"id": "b"}, {"id": "x"}]})
{'threats': [{'id': 'b'}, {'id': 'a'}], 'positions': []}
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Data = dict[str, Any]


def _key(item: Any) -> str:
    """What names an entry across two versions: its id, else (an inferred link) all it says but its note."""
    if isinstance(item, dict):
        if "id" in item:
            return str(item["id"])
        return json.dumps({k: v for k, v in item.items() if k != "note"}, sort_keys=True, default=str)
    return json.dumps(item, default=str)


def _by(previous: list[Any]) -> Callable[[tuple[int, Any]], tuple[int, int]]:
    places = {_key(item): index for index, item in reversed(list(enumerate(previous)))}

    def place(numbered: tuple[int, Any]) -> tuple[int, int]:
        index, item = numbered
        return places.get(_key(item), len(places)), index

    return place


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _ordered(value: Any, previous: Any, key: str) -> Any:
    if isinstance(value, dict) and isinstance(previous, dict):
        keys = {name: index for index, name in enumerate(previous)}
        names = sorted(value, key=lambda name: keys.get(name, len(keys)))  # stable: the rest as they were
        return {name: _ordered(value[name], previous.get(name), name) for name in names}
    if isinstance(value, list) and previous is not None and key != "evidence":
        earlier = _as_list(previous)
        kept = {_key(item): item for item in earlier}
        items = [item for _, item in sorted(enumerate(value), key=_by(earlier))]
        return [_ordered(item, kept.get(_key(item)), "") for item in items]
    return value


def ordered_like(data: Data, previous: Any) -> Data:
    """``data`` (a coding as :mod:`graph.coding.reverse` gives it) with its lists in the order
    ``previous`` (an earlier file of it, as YAML reads it) has them; ``previous`` not a mapping:
    ``data`` as it is.

    >>> ordered_like({"stakeholders": [{"id": "a", "aliases": ["x", "y"]}]},
    ...              {"stakeholders": [{"id": "a", "aliases": ["y", "x"]}]})
    {'stakeholders': [{'id': 'a', 'aliases': ['y', 'x']}]}
    """
    if not isinstance(previous, dict):
        return data
    ordered: Data = _ordered(data, previous, "")
    return ordered
