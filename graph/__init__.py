"""stancegraph's knowledge graph: ontology, coding, stores, queries and analytics.

The notebook entry point::

    >>> import graph
    >>> with graph.open_graph() as kg:
    ...     kg.run("conflicts").empty
    True

The graph and the named queries are imported at their first use (they bring rdflib, networkx
and the rest): a process that needs only a submodule, such as a store's engine process, does
not pay for the whole stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph._lazy import lazy_names
from graph.errors import (
    CodingError,
    ForbiddenOperationError,
    GraphError,
    NotFoundError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreUnavailableError,
    ValidationFailedError,
)

if TYPE_CHECKING:
    from graph.knowledge import KnowledgeGraph
    from graph.queries import NamedQuery, Parameter, list_queries, load_query, run_query

    open_graph = KnowledgeGraph.open

__all__ = [
    "CodingError",
    "ForbiddenOperationError",
    "GraphError",
    "KnowledgeGraph",
    "NamedQuery",
    "NotFoundError",
    "Parameter",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "StoreUnavailableError",
    "ValidationFailedError",
    "list_queries",
    "load_query",
    "open_graph",
    "run_query",
]


__getattr__, __dir__ = lazy_names(
    globals(),
    {
        "KnowledgeGraph": "graph.knowledge:KnowledgeGraph",
        "open_graph": "graph.knowledge:KnowledgeGraph.open",
        "NamedQuery": "graph.queries:NamedQuery",
        "Parameter": "graph.queries:Parameter",
        "list_queries": "graph.queries:list_queries",
        "load_query": "graph.queries:load_query",
        "run_query": "graph.queries:run_query",
    },
)
