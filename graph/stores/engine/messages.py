"""What travels between the store's caller, the engine's dispatcher and its workers.

A request is ``(request id, operation, args, timeout, deadline, outbound)``; ``deadline`` is
on the system-wide monotonic clock, so the time a request waits in a queue counts against
its timeout. A reply is ``("ok", value)``, ``("bytes", meta, body)`` (the body travels as raw
bytes after its header, never pickled) or ``("error", kind, message, line, column)``, which
the caller raises as one of :mod:`graph.errors` (:func:`checked`).

Reads go to readers the caller holds itself (:mod:`graph.stores.engine.leases`): a ``lease``
request is answered ``(request, "lease", epoch, pid)`` followed by the reader's socket and
pidfd; ``(-1, "revoke", epoch)`` from the dispatcher asks the caller to give back every lease
of an older epoch (a write was acknowledged, or a disk store's first write waits for its
readers), and a ``release`` request, which gets no reply, gives one back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from graph.errors import (
    ForbiddenOperationError,
    GraphError,
    MemoryLimitError,
    NotFoundError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreUnavailableError,
    ValidationFailedError,
)

Reply = tuple[Any, ...]

LEASE, RELEASE, REVOKE = "lease", "release", "revoke"
READ_OPERATIONS = frozenset({"query", "graph_names", "has_graph", "get_graph", "len", "holds_quads", LEASE})
WRITE_OPERATIONS = frozenset(
    {
        "update",
        "update_and_ask",
        "put_graph",
        "post_graph",
        "delete_graph",
        "load_dataset",
        "load_file",
        "load_if_empty",
    }
)
LATEST = "query_latest"
"""A query of the disk store's latest state, answered by its writer when no reader of it is idle."""
UPDATES = frozenset({"update", "update_and_ask"})
OPERATOR_OPERATIONS = frozenset({"load_dataset", "load_file", "load_if_empty"})
"""Writes an operator starts (the data a store is opened with): no per-request memory budget."""


def unavailable(message: str) -> Reply:
    return ("error", "unavailable", message, None, None)


def send_reply(connection: Connection, reply: Reply, *prefix: Any) -> None:
    """Send a reply; a body travels as raw bytes after its header (which gives its size), never pickled."""
    if reply[0] == "bytes":
        connection.send((*prefix, "bytes", reply[1], len(reply[2])))
        connection.send_bytes(reply[2])
    else:
        connection.send((*prefix, *reply))


def receive_reply(connection: Connection) -> Reply:
    header = connection.recv()
    if header[0] == "bytes":
        return ("bytes", header[1], connection.recv_bytes())
    return header  # type: ignore[no-any-return]


def receive_read_reply(connection: Connection) -> tuple[bool, Reply]:
    """A reader's reply, and whether the reader ends after it (see :mod:`~graph.stores.engine.operations`)."""
    header = connection.recv()
    if header[1] == "bytes":
        return header[0], ("bytes", header[2], connection.recv_bytes())
    return header[0], header[1:]


def timed_out(operation: str, timeout: float | None) -> Reply:
    """The reply for a request stopped at its deadline."""
    what = (
        "update" if operation in UPDATES else "query" if operation in (*READ_OPERATIONS, LATEST) else "write"
    )
    message = f"the {what} ran past its time limit of {timeout:g} s and was stopped"
    return ("error", "timeout", message, None, None)


@dataclass
class Job:
    """One request inside the dispatcher."""

    request: int
    operation: str
    args: tuple[Any, ...]
    timeout: float | None
    deadline: float | None
    outbound: bool = False
    started: float | None = None  # when a worker took it

    @property
    def is_read(self) -> bool:
        return self.operation in READ_OPERATIONS

    def expired(self, now: float) -> bool:
        return self.deadline is not None and self.deadline <= now

    def timed_out(self) -> Reply:
        return timed_out(self.operation, self.timeout)


def stopped(job: Job | str, memory_limit: int | None) -> Reply:
    """The reply for a job (or an operation) whose worker ended before answering."""
    what = (
        "query" if (job if isinstance(job, str) else job.operation) in (*READ_OPERATIONS, LATEST) else "write"
    )
    if memory_limit is None:
        return unavailable(f"the {what} stopped: its worker process ended before answering")
    return (
        "error",
        "memory",
        f"the {what} was stopped: it needed more than the memory limit of "
        f"{memory_limit / 2**20:g} MiB per request (STANCEGRAPH_QUERY_MEMORY_LIMIT)",
        None,
        None,
    )


def deadline_of(timeout: float | None) -> float | None:
    return None if timeout is None else time.monotonic() + timeout


_ERRORS: dict[str, type[GraphError]] = {
    "timeout": QueryTimeoutError,
    "not_found": NotFoundError,
    "unavailable": StoreUnavailableError,
    "evaluation": ValidationFailedError,
    "memory": MemoryLimitError,
    "forbidden": ForbiddenOperationError,
}


def checked(reply: Reply) -> Reply:
    """The engine's reply, or the error it reports raised as one of :mod:`graph.errors`.

    >>> checked(("ok", 3))
    ('ok', 3)
    >>> checked(("error", "syntax", "error at 1:5: expected WHERE", 1, 5))
    Traceback (most recent call last):
    ...
    graph.errors.QuerySyntaxError: error at 1:5: expected WHERE
    """
    if reply[0] == "error":
        _, kind, message, line, column = reply
        if kind == "syntax":
            raise QuerySyntaxError(message, line=line, column=column)
        raise _ERRORS[kind](message)
    return reply
