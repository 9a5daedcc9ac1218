"""A connection the engine closes before answering: a read is sent again, a write is not.

Between the remote store and a real Oxigraph server sits a relay on loopback that closes its
first connections unanswered, as an engine does to a kept-alive connection it has let go, or
to one past its connection limit (Virtuoso's ``MaxClientConnections``).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from contextlib import closing

import pytest

from graph.errors import StoreUnavailableError
from graph.results import ask
from graph.stores.remote import RemoteStore
from tests.graph.conftest import OxigraphServer, oxigraph_server

__all__ = ["oxigraph_server"]  # the fixture, from the store tests

TRIPLE = "<http://example.org/fictional/s> <http://example.org/fictional/p> 'a fictional test value'"


class DroppingRelay:
    """A TCP relay to ``port`` on loopback that closes its first ``drops`` connections once it
    has read a request on them, and relays the others both ways."""

    def __init__(self, port: int, drops: int) -> None:
        self.target = port
        self.drops = drops
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            if self.accepted <= self.drops:
                with closing(client):
                    client.recv(65536)
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=30)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()

    def __enter__(self) -> DroppingRelay:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._thread.join(5)
        self._listener.close()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    # Each direction ends when its source does, or when the other direction closed both.
    with contextlib.suppress(OSError), closing(source), closing(sink):
        while data := source.recv(65536):
            sink.sendall(data)


def test_a_read_is_sent_again_on_a_dropped_connection(oxigraph_server: OxigraphServer) -> None:
    with (
        DroppingRelay(oxigraph_server.port, drops=1) as relay,
        RemoteStore(f"{relay.url}/query", engine="oxigraph") as store,
    ):
        assert ask(store, "ASK { }") is True

    assert relay.accepted == 2, "sent once more, on a new connection"


def test_a_write_is_not_sent_again(oxigraph_server: OxigraphServer) -> None:
    with DroppingRelay(oxigraph_server.port, drops=1) as relay:
        update = f"{relay.url}/update"
        with RemoteStore(oxigraph_server.query_url, update_endpoint=update, engine="oxigraph") as store:
            with pytest.raises(StoreUnavailableError, match="cannot be reached"):
                store.update(f"INSERT DATA {{ {TRIPLE} }}")
            assert ask(store, f"ASK {{ {TRIPLE} }}") is False

    assert relay.accepted == 1, "a write the engine may have applied is never sent twice"
