"""What the store says about the ids a write names: where each is defined, of what kind, its label.

A write of the coding API names a few ids (a holder, a target, links, the id it defines); one
query with a ``VALUES`` block of them answers for all, so a save never reads the whole store
or registry. The rules are a build's: a document may name its own entities and the registry's,
never another document's; an id names one thing across the corpus.

>>> from graph.dataset import load_embedded
>>> from graph.stores.memory import MemoryStore
>>> with MemoryStore() as store:
...     load_embedded(store)
...     found = defined(store, ["canada", "atlantis"])
>>> found["canada"][0].kind, found["canada"][0].label, "atlantis" in found
('stakeholder', 'Canada', False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph.coding.compile import CLASSES, ENTITIES_GRAPH
from graph.coding.schema import STAKEHOLDER_TYPES
from graph.coding.scope import article
from graph.errors import FieldError
from graph.namespaces import GRAPH_BASE, SG, entity, is_slug
from graph.results import select_solutions
from graph.stores.base import Store
from graph.terms import Solution, text_of

# The kind each class makes an entity (a stakeholder has sg:Stakeholder beside its type).
KINDS = {str(rdf_class): kind for kind, rdf_class in CLASSES.items()} | {
    **{str(SG[kind]): "stakeholder" for kind in STAKEHOLDER_TYPES},  # data typed by its specific class alone
    str(SG.Stakeholder): "stakeholder",
    str(SG.Position): "position",
    str(SG.Document): "document",
}
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Definition:
    """An id defined in a graph: its kind and label there."""

    graph: str
    kind: str
    label: str | None

    @property
    def document(self) -> str | None:
        """The slug of the document whose graph this is; None for the registry (or another graph)."""
        if self.graph == str(ENTITIES_GRAPH) or not self.graph.startswith(GRAPH_BASE):
            return None
        slug = self.graph[len(GRAPH_BASE) :]
        return None if "/" in slug else slug


# The label's OPTIONAL outside the GRAPH block: inside it, Oxigraph enumerates every typed subject of
# every graph before joining the VALUES (5 s at 1M triples, against 1 ms).
_DEFINED = """SELECT ?s ?g ?class ?label WHERE {
  VALUES ?s { %s }
  GRAPH ?g { ?s a ?class }
  OPTIONAL { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } }
}"""


def defined_query(ids: Iterable[str]) -> str:
    """The query :func:`definitions` reads (to batch it with others).

    An id that is no slug names no entity (ids are slugs), so it is left out: it is then unknown.
    """
    return _DEFINED % " ".join(entity(entry_id).n3() for entry_id in dict.fromkeys(ids) if is_slug(entry_id))


def definitions(rows: list[Solution]) -> dict[str, list[Definition]]:
    """The rows of :func:`defined_query` by id: each graph that types it as a kind of the format."""
    found: dict[str, list[Definition]] = {}
    prefix = len(str(entity("")))
    for row in rows:
        kind = KINDS.get(text_of(row["class"]))
        if kind is None:
            continue
        label = text_of(row["label"]) if "label" in row else None
        definition = Definition(text_of(row["g"]), kind, label)
        kept = found.setdefault(text_of(row["s"])[prefix:], [])
        if all(other.graph != definition.graph for other in kept):
            kept.append(definition)
    return found


def defined(store: Store, ids: Iterable[str]) -> dict[str, list[Definition]]:
    """Where each of ``ids`` is defined, and as what (ids defined nowhere are left out)."""
    return definitions(select_solutions(store, defined_query(ids)))


def visible(found: Mapping[str, list[Definition]], entry_id: str, document: str | None) -> Definition | None:
    """The definition of ``entry_id`` a write to ``document`` (None: the registry) may name."""
    for definition in found.get(entry_id, []):
        ours = document is not None and definition.document == document
        if (definition.graph == str(ENTITIES_GRAPH) or ours) and definition.label is not None:
            return definition
    return None


def check_ref(
    found: Mapping[str, list[Definition]], ref: str, kinds: frozenset[str], document: str | None, loc: Loc
) -> Definition:
    """The definition ``ref`` names, of one of ``kinds``; a FieldError at ``loc`` saying why not."""
    expected = " or ".join(article(kind) for kind in sorted(kinds))
    definition = visible(found, ref, document)
    if definition is None:
        elsewhere = next((d.document for d in found.get(ref, []) if d.document is not None), None)
        if elsewhere is not None:
            message = (
                f"'{ref}' is defined in document '{elsewhere}' and scoped to it: define it in the registry"
            )
        else:
            message = f"unknown id '{ref}' (expected {expected} of the document or the registry)"
        raise FieldError([(loc, message)])
    if definition.kind not in kinds:
        raise FieldError([(loc, f"'{ref}' is {article(definition.kind)} (expected {expected})")])
    return definition
