"""Asks the real engine how it reads a query or update: a plain ``pyoxigraph.Store`` in a process of its own.

Run as a script (``python engine_oracle.py LISTENER_URL``), it reads one JSON request a line
(``{"text": ..., "update": bool}``) and answers one JSON line: ``outcome`` is ``syntax`` (the
engine's parser refused it), ``error`` (it parsed and failed later, e.g. on a connection) or
``ok``, and ``names`` the IRIs the request saw or wrote. Each request runs on a fresh store
holding :func:`seed` (fictional test data), so that a pattern beside a SERVICE matches and
the engine really evaluates the SERVICE, and so that FROM NAMED / USING NAMED show in
``names``. :class:`EngineOracle` drives it from a test, each request bounded by a timeout.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

OUT = "urn:out"
OTHER_GRAPH = "urn:m"
SUBJECT, PREDICATE = "urn:s", "urn:p"
# Objects of <urn:s> <urn:p> ?o in the default graph: what a generated neighbour of a keyword may be.
OBJECTS = (
    "<urn:o>",
    "1",
    "1.5",
    "1e0",
    "true",
    '"s"',
    '"\\""',
    "<http://e/a.b>",
    "<http://127.0.0.1:>",
    "<http://x/#>",
)


def graph_of(listener: str) -> str:
    """The named graph FROM NAMED and USING NAMED point at: an IRI on the listener."""
    return f"{listener}/graph"


def seed(listener: str) -> ox.Store:
    triples = "".join(f"<{SUBJECT}> <{PREDICATE}> {term} .\n" for term in OBJECTS)
    graphs = "".join(
        f"<{graph}> {{ <{SUBJECT}> <{PREDICATE}> <urn:o> }}\n" for graph in (graph_of(listener), OTHER_GRAPH)
    )
    store = ox.Store()
    store.load((triples + graphs).encode(), format=ox.RdfFormat.TRIG)
    return store


def _names(values: Any) -> set[str]:
    return {value.value for value in values if isinstance(value, ox.NamedNode)}


def answer(store: ox.Store, text: str, update: bool) -> dict[str, Any]:
    """The engine's reading of one request, as the JSON reply says it."""
    names: set[str] = set()
    try:
        if update:
            store.update(text)
            written = store.quads_for_pattern(None, None, None, ox.NamedNode(OUT))
            names = _names(quad.subject for quad in written)
        else:
            result = store.query(text)
            if isinstance(result, ox.QuerySolutions):
                for solution in result:
                    names |= _names(solution)
            elif isinstance(result, ox.QueryTriples):
                for triple in result:
                    names |= _names((triple.subject, triple.object))
    except SyntaxError as error:
        return {"outcome": "syntax", "message": str(error), "names": []}
    except Exception as error:  # noqa: BLE001 - any failure after the parse is the answer
        return {"outcome": "error", "message": f"{type(error).__name__}: {error}", "names": []}
    return {"outcome": "ok", "message": "", "names": sorted(names)}


def main(listener: str, requests: IO[str], replies: IO[str]) -> None:
    for line in requests:
        request = json.loads(line)
        replies.write(json.dumps(answer(seed(listener), request["text"], request["update"])) + "\n")
        replies.flush()


@dataclass(frozen=True)
class Reading:
    outcome: str
    message: str
    names: frozenset[str]


class EngineOracle:
    """A running :func:`main` in a child process; restarted if a request outlives its timeout."""

    def __init__(self, listener: str, timeout: float = 20.0) -> None:
        self.listener = listener
        self.timeout = timeout
        self._process = self._start()

    def _start(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(Path(__file__)), self.listener],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def read(self, text: str, *, update: bool) -> Reading:
        """How the engine reads ``text``; a request that runs past the timeout reads as an error."""
        requests, replies = self._process.stdin, self._process.stdout
        assert requests is not None and replies is not None
        requests.write(json.dumps({"text": text, "update": update}) + "\n")
        requests.flush()
        ready, _, _ = select.select([replies], [], [], self.timeout)
        if not ready:
            self.close()
            self._process = self._start()
            return Reading("error", f"no answer in {self.timeout} s", frozenset())
        reply = json.loads(replies.readline())
        return Reading(reply["outcome"], reply["message"], frozenset(reply["names"]))

    def close(self) -> None:
        self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.stdin, sys.stdout)
