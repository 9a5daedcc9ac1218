"""A coding file checked as ``stancegraph build`` checks it, then put in a store in place of its
document's graphs, in one SPARQL Update: all of it or nothing.

The file is read with the entity registry beside it (``entities.yaml``), as a build of its
folder reads it, so every problem names file and line. Against the store, two more things are
checked before anything is written: that the registry entities it names are in the store's
registry, and that no id it defines is defined in another document's graph.

Import replaces the document's graph and its /inferred graph whole. It refuses (unless forced)
when the stored graphs hold what no coding file says: triples written by other means (a
SPARQL Update, a Graph Store PUT), which a replacement would lose, and when the file is older
than the store's latest revision of a position (:mod:`graph.coding.import_history`, which
also makes a revision of each position the import changes, in the same update).

>>> import tempfile
>>> from graph.dataset import load_embedded
>>> from graph.paths import DATA_DIR
>>> from graph.stores.memory import MemoryStore
>>> with MemoryStore() as store:
...     load_embedded(store)
...     report = import_coding(store, DATA_DIR / "golden-dome-canada.yaml")
>>> report.slug, report.created, report.triples > 1000
('golden-dome-canada', False, True)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDFS, Dataset, Graph, URIRef
from rdflib.compare import isomorphic, to_canonical_graph

from graph.coding.compile import compile_coding
from graph.coding.export import registry_entities, stored_coding, stored_graphs
from graph.coding.history import history_graph
from graph.coding.import_history import imported_revisions
from graph.coding.load import Coding, checked_coding, checked_registry, read_top
from graph.coding.schema import EntityRegistry
from graph.coding.scope import REGISTRY_FILE, Scope
from graph.errors import CodingError, ConflictError, GraphError, NotFoundError
from graph.namespaces import SGD, document_graph, entity, inferred_graph
from graph.stores.base import Store


@dataclass(frozen=True)
class ImportReport:
    """What an import did: the document, whether it is new to the store, the triples now in its graphs."""

    slug: str
    created: bool
    triples: int


def check_coding_file(path: Path, registry: Path | None = None) -> tuple[Coding, Scope]:
    """The coding file at ``path`` checked as a build checks it, with its registry (``registry``,
    default the ``entities.yaml`` beside it, when there is one); and the scope it was checked in.

    Raises :class:`~graph.errors.CodingError` naming file, line and problem.
    """
    path = Path(path)
    if path.name == REGISTRY_FILE:
        raise CodingError(str(path), 1, "this is the entity registry: give a document's coding file")
    registry_path = Path(registry) if registry is not None else path.parent / REGISTRY_FILE
    if registry is not None and not registry_path.is_file():
        raise CodingError(str(registry_path), None, "no such entity registry")
    tops = [(registry_path, read_top(registry_path, EntityRegistry))] if registry_path.is_file() else []
    tops.append((path, read_top(path)))
    scope = Scope.of(registry_path, [(str(name), top) for name, top in tops])
    shared = checked_registry(*tops[0], scope).entities if len(tops) == 2 else {}
    return checked_coding(path, tops[-1][1], scope, shared), scope


def _store_problems(store: Store, coding: Coding, scope: Scope) -> None:
    """What the store says against the file: registry entities it lacks, ids another document defines."""
    path, slug = str(coding.path), coding.document.slug
    problems: list[tuple[int | None, str]] = []
    stored_registry = registry_entities(store)
    for ref in coding.shared_ids():
        if ref not in stored_registry:
            problem = f"the store's registry has no entity {ref!r}: load the registry first"
            problems.append((scope.shared[ref].line, problem))
    own = [entry.id for entry in coding.file.entries()] + [position.id for position in coding.file.positions]
    mine = set(map(str, _names(slug)))
    defining = _graphs_defining(store, own)
    for entry_id in own:
        graphs = defining.get(entry_id, set()) - mine
        if graphs:
            line = scope.first[entry_id].line if entry_id in scope.first else None
            where = ", ".join(sorted(graphs))
            problems.append((line, f"id {entry_id!r} is already defined in the store, in graph {where}"))
    if problems:
        problems.sort(key=lambda problem: problem[0] or 0)
        line, first = problems[0]
        text = first + "".join(f"\n{path}:{at}: {problem}" for at, problem in problems[1:])
        raise CodingError(path, line, text)


def _graphs_defining(store: Store, ids: list[str]) -> dict[str, set[str]]:
    """The graphs in which each of ``ids`` has a label (is defined), by id."""
    if not ids:
        return {}
    values = " ".join(f"<{entity(entry_id)}>" for entry_id in ids)  # slugs, checked: safe in an IRI
    query = f"SELECT DISTINCT ?s ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s <{RDFS.label}> ?l }} }}"
    found: dict[str, set[str]] = {}
    for row in json.loads(store.query(query).read())["results"]["bindings"]:
        found.setdefault(row["s"]["value"][len(str(SGD)) :], set()).add(row["g"]["value"])
    return found


def unsaid(store: Store, slug: str) -> int:
    """How many triples of the stored graphs of ``slug`` its own export would not give back.

    0 when the graphs are what a coding file compiles to; NotFoundError when there is no such document.
    """
    asserted, inferred = stored_graphs(store, slug)
    try:
        compiled = compile_coding(stored_coding(store, slug))
    except (GraphError, ValueError, KeyError):  # a graph no coding makes, or naming what the store lacks
        return len(asserted) + (len(inferred) if inferred is not None else 0)
    again, again_inferred = (_as_engine_keeps(compiled.graph(name)) for name in _names(slug))
    # Canonical blank nodes: a stated link's axiom annotation is one, relabelled by every store.
    lost = len(set(to_canonical_graph(_as_engine_keeps(asserted))) - set(to_canonical_graph(again)))
    if inferred is not None and not isomorphic(_as_engine_keeps(inferred), again_inferred):
        lost += max(1, len(inferred) - len(again_inferred))
    return lost


def _as_engine_keeps(graph: Graph) -> Graph:
    """``graph`` as a pyoxigraph store gives it back: it keeps an ``xsd:nonNegativeInteger`` (the
    offsets) as an ``xsd:integer``, so both sides of a comparison go through one."""
    engine = ox.Store()
    engine.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    kept = Graph(identifier=graph.identifier)
    kept.parse(data=engine.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    return kept


def _names(slug: str) -> tuple[URIRef, URIRef]:
    return document_graph(slug), inferred_graph(slug)


def replacement(dataset: Dataset, slug: str, history: str = "") -> str:
    """The one SPARQL Update that puts the compiled ``dataset`` in place of the graphs of ``slug``,
    adding the N-Triples ``history`` to its history graph.

    >>> print(replacement(Dataset(), "d"))
    DROP SILENT GRAPH <https://w3id.org/stancegraph/graph/d> ;
    DROP SILENT GRAPH <https://w3id.org/stancegraph/graph/d/inferred> ;
    INSERT DATA {
    }
    """
    blocks = []
    for name in _names(slug):
        graph: Graph = dataset.graph(name)
        if len(graph):
            blocks.append(f"GRAPH <{name}> {{\n{graph.serialize(format='nt')}}}\n")
    if history:
        blocks.append(f"GRAPH <{history_graph(slug)}> {{\n{history}}}\n")
    drops = "".join(f"DROP SILENT GRAPH <{name}> ;\n" for name in _names(slug))
    return drops + "INSERT DATA {\n" + "".join(blocks) + "}"


def import_coding(
    store: Store,
    path: Path,
    registry: Path | None = None,
    force: bool = False,
    checked: tuple[Coding, Scope] | None = None,
    coder: str = "import-coding",
) -> ImportReport:
    """Check the coding file at ``path`` and put its RDF in the store in place of its document's graphs.

    Raises :class:`~graph.errors.CodingError` (file and line) for a file a build would refuse or one
    the store contradicts, and :class:`ConflictError` when the stored graphs hold triples the
    file cannot say or newer revisions of its positions (``force``: replace them anyway). Each
    position it changes gets a revision by ``coder``. Nothing is written unless all is well.
    ``checked``: what :func:`check_coding_file` gave for ``path``, when the caller checked it first.
    """
    coding, scope = checked or check_coding_file(path, registry)
    slug = coding.document.slug
    _store_problems(store, coding, scope)
    try:
        lost = unsaid(store, slug)
        created = False
    except NotFoundError:
        lost, created = 0, True
    if lost and not force:
        raise ConflictError(
            f"document {slug!r}: its stored graphs hold {lost} triple(s) no coding file says (written by "
            "other means than a coding); importing would lose them (--force replaces them anyway)"
        )
    history = imported_revisions(store, coding, coder=coder, reason=f"imported from {path.name}", force=force)
    dataset = compile_coding(coding)
    store.update(replacement(dataset, slug, history))
    triples = sum(len(dataset.graph(name)) for name in _names(slug))
    return ImportReport(slug, created, triples)
