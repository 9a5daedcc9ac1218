"""Tables of plain values: a named query's rows, and the counts of what the graph holds."""

from __future__ import annotations

import json
from collections.abc import Mapping

from graph.namespaces import SG
from graph.queries import ParameterValue, bind_parameters, load_query
from graph.read.shapes import QueryTable
from graph.results import select_solutions
from graph.stores.base import Store
from graph.terms import count_of, text_of, value_of


def query_table(
    store: Store, name: str, values: Mapping[str, ParameterValue], *, timeout: float | None = None
) -> QueryTable:
    """Run the named query ``name`` with ``values`` bound as RDF terms; its columns and plain rows.

    Values are plain by :func:`graph.terms.value_of`: numbers and booleans as such, the rest
    (IRIs, strings, literals their datatype does not allow) as their text.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> table = query_table(store, "positions-of-stakeholder", {"stakeholder": "experts"})
    >>> table["columns"][:3], table["rows"][0]["stanceLabel"]
    (['stakeholder', 'position', 'target'], 'supports')
    """
    query = load_query(name)
    result = store.query(query.sparql, bindings=bind_parameters(query, values), timeout=timeout)
    document = json.loads(result.read())
    rows = [
        {column: value_of(binding) for column, binding in solution.items()}
        for solution in document["results"]["bindings"]
    ]
    return QueryTable(query=name, columns=document["head"]["vars"], rows=rows, truncated=result.truncated)


_KIND_COUNTS = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?kind (COUNT(DISTINCT ?thing) AS ?count) WHERE {
  VALUES ?kind { sg:Position sg:Evidence sg:Stakeholder sg:Program sg:ParticipationProposal
                 sg:Concern sg:Measure sg:Threat sg:Document }
  OPTIONAL { ?thing a/rdfs:subClassOf* ?kind }
}
GROUP BY ?kind
"""

# The order info prints its lines in, and their names.
_COUNTED_KINDS = (
    ("Position", "positions"),
    ("Evidence", "evidence spans"),
    ("Stakeholder", "stakeholders"),
    ("Program", "programs"),
    ("ParticipationProposal", "participation proposals"),
    ("Concern", "concerns"),
    ("Measure", "measures"),
    ("Threat", "threats"),
    ("Document", "documents"),
)


def graph_counts(store: Store) -> dict[str, int]:
    """Quads, named graphs, and the instances of each kind of thing, in one query for the kinds.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> with MemoryStore() as store:
    ...     load_embedded(store)
    ...     counts = graph_counts(store)
    >>> counts["positions"], counts["documents"]
    (25, 1)
    """
    counts = {"quads": len(store), "graphs": len(store.graph_names())}
    by_kind = {text_of(row["kind"]): count_of(row["count"]) for row in select_solutions(store, _KIND_COUNTS)}
    counts.update({name: by_kind.get(str(SG[kind]), 0) for kind, name in _COUNTED_KINDS})
    return counts
