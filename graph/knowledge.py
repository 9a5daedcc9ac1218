"""The notebook API: open the knowledge graph, ask it questions, get pandas tables back.

>>> with KnowledgeGraph.open() as kg:
...     supporters = kg.run("supporters-of-participation", participant="canada")
>>> sorted(supporters["holderLabel"])
['Analysts', 'Canadian officials', 'Experts']

The debate over time (windowed networks, trajectories, shifts, disagreements) has its
questions in :mod:`graph.knowledge_time`; every such table counts, in
``table.attrs["undated"]``, the positions it left out for want of a date.

Everything goes through the store's SPARQL interface, so the same calls work on
a memory, disk or remote store. Values come back as Python values: IRIs and
strings as ``str``, integers as ``int``, booleans as ``bool``, unbound as ``None``.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from typing import Literal as TypingLiteral

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from graph import network as networks
from graph import stores
from graph.coding import build_dataset, serialize
from graph.dataset import NQUADS, load_embedded
from graph.errors import NotFoundError, ValidationFailedError
from graph.knowledge_time import TimeQuestions
from graph.namespaces import PREFIXES, SG
from graph.queries import Parameter, ParameterValue, bind_parameters, list_queries, load_query, to_term
from graph.results import ask, construct_graph
from graph.stores.base import Store
from graph.stores.memory import MemoryStore
from graph.terms import python_value, solution_rows

StoreKind = TypingLiteral["memory", "disk", "remote"]

# pandas and networkx load at their first use: a service that builds no table or network skips them.
if TYPE_CHECKING:
    import networkx as nx
    import pandas

# Whether ?thing is an instance of ?kind or of a narrower kind (both bound as parameters).
_INSTANCE_OF = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?kind WHERE { ?thing a/rdfs:subClassOf* ?kind } LIMIT 1
"""


class KnowledgeGraph(TimeQuestions):
    """A store with the questions an analyst asks of it, answered as pandas DataFrames.

    The questions about time (windowed networks, trajectories, shifts, disagreements)
    are those of :class:`~graph.knowledge_time.TimeQuestions`.

    >>> with KnowledgeGraph.open() as kg:
    ...     kg
    <KnowledgeGraph on a memory store>
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(
        cls,
        kind: StoreKind = "memory",
        *,
        embedded: bool = True,
        data_dir: str | os.PathLike[str] | None = None,
        **store_options: Any,
    ) -> KnowledgeGraph:
        """Open a store of ``kind`` (memory, disk, remote) with the embedded Golden Dome data.

        As the service does, the embedded data is loaded into an empty memory or
        disk store (a disk store keeps it) unless ``embedded`` is false; a remote
        store serves what the remote engine holds. ``data_dir`` is a folder of coding
        files (one ``*.yaml`` per document and the registry ``entities.yaml``, as
        ``stancegraph build --data-dir`` reads it) compiled and loaded instead of the
        embedded data; its problems raise a CodingError naming file and line, and a
        remote store refuses it. ``store_options`` go to :func:`graph.stores.open_store`
        (``path`` for disk, ``endpoint`` for remote).

        >>> with KnowledgeGraph.open() as kg:
        ...     len(kg.store) > 1000
        True
        >>> with KnowledgeGraph.open(embedded=False) as kg:
        ...     len(kg.store)
        0
        >>> from graph.paths import DATA_DIR
        >>> with KnowledgeGraph.open(data_dir=DATA_DIR) as kg:  # the folder the embedded data is built from
        ...     kg.run("positions-of-stakeholder", stakeholder="experts")["stanceLabel"].tolist()
        ['supports']
        """
        load: Callable[[Store], None] | None = load_embedded if embedded else None
        if data_dir is not None:
            if kind == "remote":
                message = "data_dir: a remote store serves what its engine holds; load the data there"
                raise ValidationFailedError(message, parameter="data_dir")
            load = _folder_loader(Path(data_dir))  # compiled before a store is opened
        store = stores.open_store(kind, **store_options)
        if load is not None and isinstance(store, MemoryStore):
            store.start_from(load)  # loaded again should its engine ever restart
        elif load is not None and kind == "disk" and len(store) == 0:
            load(store)
        return cls(store)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph on a {self.store.kind} store>"

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store's files, processes and connections (``with`` does it on leaving).

        >>> with KnowledgeGraph.open() as kg:
        ...     kg.ask("ASK { ?s ?p ?o }")
        True
        """
        self.store.close()

    def sparql(self, query: str, bindings: Mapping[str, Node] | None = None) -> pandas.DataFrame:
        """Run a SELECT query; one column per variable, in the query's order, one row per solution.

        >>> with KnowledgeGraph.open() as kg:
        ...     kg.sparql('''
        ...         PREFIX sg: <https://w3id.org/stancegraph/ontology#>
        ...         SELECT (COUNT(*) AS ?positions) WHERE { ?p a sg:Position }''')["positions"].tolist()
        [25]
        """
        result = self.store.query(query, bindings=bindings)
        if result.form != "SELECT":
            raise ValidationFailedError(
                f"sparql() answers SELECT queries; use ask() or construct() for {result.form}"
            )
        document = json.loads(result.read())
        variables: list[str] = document["head"]["vars"]
        rows = [[python_value(row.get(name)) for name in variables] for row in solution_rows(document)]
        return _frame(rows, variables)

    def ask(self, query: str) -> bool:
        """Run an ASK query.

        >>> with KnowledgeGraph.open() as kg:
        ...     kg.ask("ASK { ?s ?p 'no such literal' }")
        False
        """
        return ask(self.store, query)

    def construct(self, query: str) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query into an rdflib Graph, with the project's prefixes bound.

        >>> with KnowledgeGraph.open() as kg:
        ...     graph = kg.construct("DESCRIBE <https://w3id.org/stancegraph/id/canada>")
        >>> len(graph) > 0
        True
        """
        graph = construct_graph(self.store, query)
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        return graph

    def queries(self) -> pandas.DataFrame:
        """The named competency questions: name, summary, parameters and description.

        >>> with KnowledgeGraph.open() as kg:
        ...     "conflicts" in set(kg.queries()["name"])
        True
        """
        rows = [
            [
                query.name,
                query.summary,
                ", ".join(parameter.describe() for parameter in query.parameters),
                query.description,
            ]
            for query in list_queries()
        ]
        return _frame(rows, ["name", "summary", "parameters", "description"])

    def run(self, name: str, **params: ParameterValue) -> pandas.DataFrame:
        """Run the named query ``name`` with ``params`` bound as typed RDF terms.

        >>> with KnowledgeGraph.open() as kg:
        ...     kg.run("positions-of-stakeholder", stakeholder="experts")["stanceLabel"].tolist()
        ['supports']
        """
        query = load_query(name)
        return self.sparql(query.sparql, bind_parameters(query, params))

    def positions_of(self, stakeholder_id: str) -> pandas.DataFrame:
        """Every position the stakeholder ``stakeholder_id`` holds; NotFoundError for an unknown id.

        >>> with KnowledgeGraph.open() as kg:
        ...     kg.positions_of("canadian-officials")["stanceLabel"].tolist()
        ['optimistic about']
        """
        self._require(stakeholder_id, "Stakeholder")
        return self.run("positions-of-stakeholder", stakeholder=stakeholder_id)

    def evidence_for(self, position_id: str) -> pandas.DataFrame:
        """The evidence spans of a position with quotes and offsets; NotFoundError for an unknown id.

        >>> with KnowledgeGraph.open() as kg:
        ...     kg.evidence_for("analysts-support-joining")["quote"].str[:16].tolist()
        ['Analysts contend']
        """
        self._require(position_id, "Position")
        return self.run("evidence-for-position", position=position_id)

    def network(
        self,
        kind: networks.Kind | str = networks.Kind.congruence,
        *,
        normalization: networks.Normalization | str = networks.Normalization.none,
        level: networks.Level | str = networks.Level.stakeholder,
        start: str | datetime.date | None = None,
        end: str | datetime.date | None = None,
        duplicates: networks.Duplicates | str | None = None,
        neutral: bool = False,
        inferred: bool = False,
    ) -> nx.Graph[str]:
        """A stakeholder network of the positions (see :mod:`graph.network`), as a networkx graph.

        ``kind`` is ``two-mode`` (stakeholders x targets, one edge per position),
        ``congruence``, ``conflict`` or ``signed``; ``level="nation"`` rolls
        holders up to their nation first. Plain strings name the choices too.
        ``start`` and ``end`` keep the positions of a date range and ``duplicates``
        counts a holder-target-stance once per ``document``, ``day``, ... ``range``;
        then ``graph.graph["undated"]`` says how many positions were left out for want of a date.
        ``neutral=True`` counts two neutral positions on a target as agreement (off, as in DNA);
        ``inferred=True`` rolls up through the analyst's inferred links too (``graph.graph["basis"]``).

        >>> with KnowledgeGraph.open() as kg:
        ...     kg.network("conflict").graph["note"].split("; ")[1]
        ...     kg.network("two-mode", start="2025-01-01").graph["undated"]
        'absence of coded opposition is not consensus'
        25
        """
        return networks.build_network(
            self.store,
            kind,
            normalization=normalization,
            level=level,
            start=start,
            end=end,
            duplicates=duplicates,
            neutral=neutral,
            inferred=inferred,
        )

    def connection(self, source: str, target: str) -> networks.Connection:
        """How ``source`` is connected to ``target`` (ids or IRIs): a shortest path with its triples.

        >>> with KnowledgeGraph.open() as kg:
        ...     kg.connection("canadian-officials", "canada").nodes[-1]
        'https://w3id.org/stancegraph/id/canada'
        """
        return networks.connection(self.store, source, target)

    def to_rdflib(self) -> Dataset:
        """The whole store as an rdflib Dataset: its default graph and its named graphs, kept apart.

        >>> with KnowledgeGraph.open() as kg:
        ...     dataset = kg.to_rdflib()
        >>> any(str(graph.identifier).endswith("/inferred") for graph in dataset.graphs())
        True
        """
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace)
        dataset.default_graph.parse(data=self.store.get_graph(None, "application/n-triples"), format="nt")
        for name in self.store.graph_names():
            data = self.store.get_graph(name, "application/n-triples")
            dataset.graph(URIRef(name)).parse(data=data, format="nt")
        return dataset

    def _require(self, slug: str, kind: str) -> None:
        """Raise NotFoundError unless ``sgd:<slug>`` is an ``sg:<kind>`` (or of a narrower kind)."""
        thing = to_term(Parameter(name=f"{kind.lower()}_id", type="id"), slug)
        if self.sparql(_INSTANCE_OF, {"thing": thing, "kind": SG[kind]}).empty:
            raise NotFoundError(f"no {kind.lower()} {slug!r}")


def _folder_loader(data_dir: Path) -> Callable[[Store], None]:
    # The folder compiled once; the recipe loads its N-Quads into a store (again, should it restart).
    nquads = serialize(build_dataset(data_dir), "nquads")

    def load(store: Store) -> None:
        store.load_dataset(nquads, NQUADS)

    return load


def _frame(rows: list[list[Any]], columns: list[str]) -> pandas.DataFrame:
    import pandas

    return pandas.DataFrame(rows, columns=columns)
