"""What a suggester needs from a store: the known entities by name (the registry, as stored).

>>> from graph.dataset import load_embedded
>>> from graph.stores.memory import MemoryStore
>>> with MemoryStore() as store:
...     load_embedded(store)
...     known = {entity.id: entity for entity in known_in_store(store)}
>>> known["canada-joins-golden-dome"].kind, sorted(known["canada-joins-golden-dome"].parts)
('participation proposal', ['canada', 'golden-dome'])
>>> known["golden-dome-canada-authorial-voice"].type
'AuthorialVoice'
"""

from __future__ import annotations

from graph.coding.schema import STAKEHOLDER_TYPES
from graph.namespaces import SG, slug_of
from graph.read.names import PROLOGUE
from graph.results import select_solutions
from graph.stores.base import Store
from graph.suggest.names import Known
from graph.terms import is_literal, text_of, values_clause

_KINDS = {
    **{name: "stakeholder" for name in STAKEHOLDER_TYPES},
    "Program": "program",
    "ParticipationProposal": "participation proposal",
    "Measure": "measure",
    "Concern": "concern",
    "Threat": "threat",
}

_NAMES = (
    PROLOGUE
    + """
SELECT DISTINCT ?entity ?class ?name ?part WHERE {
  %(classes)s
  ?entity a ?class .
  VALUES ?naming { rdfs:label skos:altLabel }
  ?entity ?naming ?name .
  OPTIONAL { ?entity sg:participant|sg:program ?part }
}"""
)


def known_in_store(store: Store) -> list[Known]:
    """Every stakeholder and target the store names (the union of its graphs), with labels and aliases."""
    classes = values_clause("class", [SG[name] for name in _KINDS])
    names: dict[str, dict[str, str]] = {}
    kinds: dict[str, str] = {}
    parts: dict[str, dict[str, None]] = {}
    for row in select_solutions(store, _NAMES % {"classes": classes}):
        slug = slug_of(text_of(row["entity"]))
        if slug is None or not is_literal(row["name"]):
            continue
        kinds[slug] = text_of(row["class"]).rsplit("#", 1)[-1]
        names.setdefault(slug, {})[text_of(row["name"])] = ""
        part = slug_of(text_of(row["part"])) if "part" in row else None
        if part is not None:
            parts.setdefault(slug, {})[part] = None
    return [
        Known(
            slug,
            _KINDS[kinds[slug]],
            tuple(sorted(names[slug], key=len, reverse=True)),
            kinds[slug] if _KINDS[kinds[slug]] == "stakeholder" else None,
            tuple(parts.get(slug, {})),
        )
        for slug in sorted(names)
    ]
