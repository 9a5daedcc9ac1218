"""The result cache: the answers of reads kept until the store is next written to, served byte for byte.

A repeated dashboard asks the same questions of a store that has not changed; the answer of
each is kept (:class:`graph.result_cache.GenerationCache`) under the store's generation and a
digest of the request: its method, path, query parameters (parsed, so ``%20`` and ``+`` are one,
and sorted by name, each name's values kept in their order, which ``format=`` reads), its
Accept, Content-Type and Authorization headers (so an answer never crosses coders; only the
digest is kept, never the token) and a POST's body. A hit is sent as the miss was: status,
headers and body, with ``X-Cache: hit`` where the miss said ``X-Cache: miss``.

Kept: a 200 to a GET of a read (:data:`READ_ROOTS`) or to a POST of a query or a subgraph
export (:data:`POST_READS`), whose body fits the cache's bound for one answer (a longer stream
passes through untouched), worked out entirely within one generation: a write that lands while
the answer is being worked out moves the generation on, and that answer is not kept. Errors
(a timeout's 504, a memory limit's 503, a 401) are never kept. Writes and other requests pass
through untouched, without ``X-Cache``, and so does every request while an embedded store's
engine is down. The timeouts, memory bounds and row caps act on the way to the store as before,
since every miss takes it.

A pure ASGI middleware, not Starlette's BaseHTTPMiddleware, which would buffer every response,
streaming ones included. It sits inside the body-size limit (which so bounds the POST body read
here for the key) and inside CORS (whose headers depend on the request's Origin), around the
routes. On by default for the memory and disk stores; off for a remote store unless configured,
since other clients (and the other API processes of ``workers``) write to its engine unseen;
``STANCEGRAPH_RESULT_CACHE=0`` turns it off.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.settings import Settings
from graph.result_cache import GenerationCache, store_generation

CACHE_HEADER = "X-Cache"

READ_ROOTS = frozenset(
    {
        "sparql",
        "queries",
        "stakeholders",
        "programs",
        "concerns",
        "measures",
        "threats",
        "documents",
        "positions",
        "search",
        "analysis",
        "subgraph",
        "network",
        "store",
        "ontology",
        "id",
    }
)
"""First path segments whose GET answers depend on the request and the store alone."""

POST_READS = frozenset({"/sparql", "/subgraph"})
"""Paths whose POST is a read: a query, a subgraph export of the seeds in the body."""

_KEYED_HEADERS = frozenset({b"accept", b"content-type", b"authorization"})
_HIT = (b"x-cache", b"hit")
_MISS = (b"x-cache", b"miss")
# What an answer costs besides its bytes: the objects holding it, its key, the LRU's links.
_ANSWER_OVERHEAD = 256


@dataclass(frozen=True)
class Answer:
    """A response as it was sent: status, headers (without ``X-Cache``) and the whole body."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    def size(self) -> int:
        """The bytes it holds, as the cache's bound counts them."""
        return len(self.body) + sum(len(name) + len(value) for name, value in self.headers) + _ANSWER_OVERHEAD


def result_cache_for(settings: Settings) -> GenerationCache[Answer] | None:
    """The cache the settings ask for, or None: on by default for the embedded stores only.

    >>> result_cache_for(Settings(store="memory")).max_bytes
    134217728
    >>> result_cache_for(Settings(store="remote")) is None, result_cache_for(Settings(result_cache=False))
    (True, None)
    """
    wanted = settings.result_cache if settings.result_cache is not None else settings.store != "remote"
    return GenerationCache(int(settings.result_cache_bytes), size_of=Answer.size) if wanted else None


def is_read(scope: Scope) -> bool:
    """Whether the request is one whose answer may be kept.

    >>> [is_read({"method": "GET", "path": path}) for path in ("/network/congruence", "/ready")]
    [True, False]
    >>> [is_read({"method": "POST", "path": path}) for path in ("/sparql", "/documents/a/positions")]
    [True, False]
    """
    method, path = scope["method"], scope["path"]
    if method == "GET":
        return path.split("/", 2)[1] in READ_ROOTS
    return method == "POST" and path in POST_READS


def request_key(scope: Scope, body: bytes) -> bytes:
    """The digest of what a read's answer depends on (see the module notes).

    >>> def key(query: bytes) -> bytes:
    ...     scope = {"method": "GET", "path": "/search", "query_string": query, "headers": []}
    ...     return request_key(scope, b"")
    >>> key(b"q=a+b&limit=5") == key(b"limit=5&q=a%20b")
    True
    >>> key(b"format=csv&format=json") == key(b"format=json&format=csv")  # the first that fits wins
    False
    """
    parameters = parse_qsl(
        scope["query_string"].decode("latin-1"), keep_blank_values=True, encoding="latin-1"
    )
    headers = sorted(
        ((name, value) for name, value in scope["headers"] if name in _KEYED_HEADERS), key=itemgetter(0)
    )
    head = (scope["method"], scope["path"], sorted(parameters, key=itemgetter(0)), headers)
    digest = hashlib.sha256(repr(head).encode("utf-8"))
    digest.update(body)
    return digest.digest()


class ResultCacheMiddleware:
    """ASGI middleware serving kept answers of reads and keeping new ones (see the module notes)."""

    def __init__(self, app: ASGIApp, cache: GenerationCache[Answer]) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_read(scope):
            await self.app(scope, receive, send)
            return
        store = scope["app"].state.store
        generation = store_generation(store)
        received = await _request_messages(receive) if scope["method"] == "POST" else []
        replay = _replaying(received, receive)
        if generation is None or any(message["type"] != "http.request" for message in received):
            await self.app(scope, replay, send)  # an engine down, or a client gone: nothing to keep
            return
        key = request_key(scope, b"".join(message.get("body", b"") for message in received))
        found = self.cache.get(generation, key)
        if found is not None:
            await send(
                {"type": "http.response.start", "status": found.status, "headers": [*found.headers, _HIT]}
            )
            await send({"type": "http.response.body", "body": found.body})
            return

        def keep(answer: Answer) -> None:
            if store_generation(store) == generation:
                self.cache.put(generation, key, answer)

        await self.app(scope, replay, _Capture(send, self.cache.max_entry_bytes, keep).send)


async def _request_messages(receive: Receive) -> list[Message]:
    """A POST's body messages, all of them: the key needs the whole body (the size limit outside
    bounds it); ends early with the disconnect of a client that left."""
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


def _replaying(received: list[Message], receive: Receive) -> Receive:
    """``receive`` for the app: the messages already read, then the server's own."""
    pending = deque(received)

    async def replay() -> Message:
        return pending.popleft() if pending else await receive()

    return replay


class _Capture:
    """Sends a response on, marked a miss, and hands a 200 that fits ``max_bytes`` to ``keep``.

    ``keep`` has it before its last bytes go out: a client may send its next request as soon as
    they arrive, before the app returns.
    """

    def __init__(self, send: Send, max_bytes: int, keep: Callable[[Answer], None]) -> None:
        self._send = send
        self._max_bytes = max_bytes
        self._keep = keep
        self._status = 0
        self._headers: tuple[tuple[bytes, bytes], ...] = ()
        self._chunks: list[bytes] | None = []  # None once the response cannot be kept
        self._size = 0

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._status = int(message["status"])
            self._headers = tuple((bytes(name), bytes(value)) for name, value in message.get("headers", ()))
            if self._status != 200:
                self._chunks = None
            message = {**message, "headers": [*self._headers, _MISS]}
        elif message["type"] == "http.response.body":
            self._add(message.get("body", b""))
            if self._chunks is not None and not message.get("more_body", False):
                self._keep(Answer(self._status, self._headers, b"".join(self._chunks)))
        else:  # a message of an extension (trailers, a file to send): not kept
            self._chunks = None
        await self._send(message)

    def _add(self, chunk: bytes) -> None:
        if self._chunks is None:
            return
        self._size += len(chunk)
        if self._size > self._max_bytes:
            self._chunks = None
        else:
            self._chunks.append(chunk)
