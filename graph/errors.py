"""The errors of the knowledge graph: one small tree, documented.

Every failure ``graph`` reports is a :class:`GraphError`; the HTTP layer maps
each branch to one status code in one place (``api/errors.py``)::

    GraphError
    ├── QuerySyntaxError        malformed SPARQL or RDF          -> 400
    ├── ForbiddenOperationError refused by policy (SERVICE, LOAD) -> 400
    ├── NotFoundError           unknown id, graph or query       -> 404
    ├── PermissionDeniedError   a coder's role does not allow the write -> 403
    ├── ConflictError           the write would lose what the store holds, or a stale revision -> 409
    ├── ValidationFailedError   data breaks a rule or a shape    -> 422
    │   ├── CodingError         a coding file, with file and line
    │   └── FieldError          a write of the coding API, with the field path
    ├── StoreUnavailableError   the store cannot be reached      -> 503
    │   ├── SandboxUnavailableError  workers cannot be cut off the network here
    │   └── ModelUnavailableError    the configured language model did not answer usably
    ├── MemoryLimitError        the work needed more memory than a request may have -> 503
    └── QueryTimeoutError       the work ran past its time       -> 504

>>> try:
...     raise NotFoundError("no stakeholder 'atlantis'")
... except GraphError as error:
...     print(type(error).__name__, error)
NotFoundError no stakeholder 'atlantis'
"""

from __future__ import annotations


class GraphError(Exception):
    """Base of every error the knowledge graph raises."""


class QuerySyntaxError(GraphError):
    """A query, update or RDF document that does not parse.

    ``line`` and ``column`` are 1-based when the parser reports them.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class ForbiddenOperationError(QuerySyntaxError):
    """A well-formed request the service refuses (SERVICE, LOAD, remote FROM ...)."""


class NotFoundError(GraphError):
    """An id, graph or named query that does not exist."""


class PermissionDeniedError(GraphError):
    """A write of the coding model the coder's role does not allow (another coder's position, say);
    the message names the capability it needs."""


class ValidationFailedError(GraphError):
    """Data that breaks a rule: a SHACL shape, a quote check, a bad parameter.

    ``parameter`` names the request parameter at fault, when there is one.

    >>> ValidationFailedError("limit: must be between 0 and 1000, got -1", parameter="limit").parameter
    'limit'
    """

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


class CodingError(ValidationFailedError):
    """A coding file with a problem, located by file and line.

    >>> str(CodingError("data/x.yaml", 12, "unknown id 'atlantis'"))
    "data/x.yaml:12: unknown id 'atlantis'"
    """

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {problem}")


class FieldError(ValidationFailedError):
    """A write of the coding model (a position, an entity, a document sent as JSON) refused, naming
    the field at fault by its path in what was sent, as FastAPI's validation errors do.

    ``problems``: each field path with its message; ``field`` the first path.

    >>> error = FieldError([(("evidence", 0, "quote"), "quote not found in the document's text")])
    >>> error.field, str(error)
    (('evidence', 0, 'quote'), "evidence.0.quote: quote not found in the document's text")
    """

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        self.problems = list(problems)
        self.field = self.problems[0][0]
        shown = "; ".join(f"{'.'.join(map(str, path)) or 'body'}: {message}" for path, message in problems)
        super().__init__(shown)


class StoreUnavailableError(GraphError):
    """The store cannot be reached or cannot serve the request now.

    ``retry_after``: seconds after which the request may succeed, when that is known (an
    engine being restarted); None when nobody knows, or waiting would not help.

    >>> StoreUnavailableError("the engine is restarting", retry_after=1.5).retry_after
    1.5
    """

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SandboxUnavailableError(StoreUnavailableError):
    """The processes that evaluate queries cannot be denied the network on this system.

    Raised by :func:`graph.stores.engine.sandbox.deny_network` on an operating system, processor
    architecture or kernel it cannot filter, so that an embedded store refuses to start
    rather than evaluate queries with network access.
    """


class ModelUnavailableError(StoreUnavailableError):
    """The language-model endpoint a suggester is configured with failed: unreachable, an HTTP
    error, or an answer that is not the JSON asked for. The rule-based suggester needs none."""


class MemoryLimitError(GraphError):
    """A query or write needed more memory than one request may use, and was stopped.

    Retrying does not help: the same request needs the same memory (a 503 without Retry-After).
    """


class ConflictError(GraphError):
    """A write that would lose what the store holds: the stored graphs of a document hold what its
    coding file cannot say (an import over triples written otherwise, say), or an edit made to a
    revision that is no longer the current one."""


class QueryTimeoutError(GraphError):
    """A query ran past its time limit and was stopped."""
