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

import importlib
from typing import TYPE_CHECKING, Any

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

_LAZY = {
    "KnowledgeGraph": "graph.knowledge",
    "NamedQuery": "graph.queries",
    "Parameter": "graph.queries",
    "list_queries": "graph.queries",
    "load_query": "graph.queries",
    "run_query": "graph.queries",
}

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


def __getattr__(name: str) -> Any:
    """Import a public name's module at its first use (PEP 562) and keep the name."""
    if name == "open_graph":
        value: Any = __getattr__("KnowledgeGraph").open
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
