"""The embedded data set: the ontology and every coding file in ``data/``, ready to load into a store.

>>> from graph.results import select_rows
>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> load_embedded(store)
>>> rows = select_rows(store, '''
...     PREFIX sg: <https://w3id.org/stancegraph/ontology#>
...     PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
...     SELECT ?label WHERE { ?p sg:holder/rdfs:label ?label ; sg:stance sg:supports } ORDER BY ?label''')
>>> [str(row["label"]) for row in rows]
['Analysts', 'Donald Trump', 'Experts']
"""

from __future__ import annotations

from functools import cache

from graph.coding import build_dataset, serialize
from graph.stores.base import Store

NQUADS = "application/n-quads"


@cache
def embedded_nquads() -> bytes:
    """The embedded data set as N-Quads, compiled once per process.

    >>> embedded_nquads().count(b"\\n") > 1000
    True
    """
    return serialize(build_dataset(), "nquads")


def load_embedded(store: Store) -> None:
    """Add the embedded data set (ontology graph, document graphs, inferred graphs) to ``store``."""
    store.load_dataset(embedded_nquads(), NQUADS)
