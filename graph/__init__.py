"""stancegraph's knowledge graph: ontology, coding, stores, queries and analytics.

The notebook entry point::

    >>> import graph
    >>> with graph.open_graph() as kg:
    ...     kg.run("conflicts").empty
    True
"""

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
