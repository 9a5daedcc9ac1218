"""Answers kept for the store generation they were worked out at, bounded in bytes.

A store's :attr:`~graph.stores.base.Store.revision` moves on with every write through it (and
every restart of an embedded store's engine), so an answer worked out at one revision is the
answer to the same request for as long as the revision stays. :class:`GenerationCache` keeps
answers of one generation only: the first request seen at a newer one drops them all (none
could be served again). Within a generation it is a least-recently-used cache bounded by the
bytes of its answers (cachetools' ``LRUCache``, sized by ``size_of``); one answer may take at
most 1/:data:`ENTRY_SHARE` of the bound, so one large export cannot push out every small answer
a dashboard repeats.

What is asked, and what an answer is, is the caller's: the service keys HTTP requests
(:mod:`api.result_cache`). The rule it must keep: store only what was worked out entirely
within one generation (:func:`store_generation` read before and after), so a write that landed
meanwhile never hides behind its old revision.

>>> cache = GenerationCache(100, size_of=len)
>>> cache.get(1, "q"), cache.put(1, "q", b"answer"), cache.get(1, "q")
(None, True, b'answer')
>>> cache.get(2, "q") is None, cache.counts.entries  # a write moved the generation on
(True, 0)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from cachetools import LRUCache

from graph.stores.base import Store
from graph.stores.engine.client import EmbeddedStore

V = TypeVar("V")

ENTRY_SHARE = 2
"""An answer is kept only if it takes at most 1/ENTRY_SHARE of the cache's bound."""


def store_generation(store: Store) -> int | None:
    """The generation answers of ``store`` are kept under: its revision; None while an embedded
    store's engine is not serving (dead, being restarted), when no answer may be served from a
    cache: the store's own 503 is the truth then, and its revision moves only once it is back.

    >>> from graph.stores.memory import MemoryStore
    >>> with MemoryStore() as store:
    ...     before = store_generation(store)
    ...     store.update("INSERT DATA { <http://e/a> <http://e/p> 1 }")
    ...     store_generation(store) == before
    False
    """
    if isinstance(store, EmbeddedStore) and store.engine_status.state != "up":
        return None
    return store.revision


@dataclass(frozen=True)
class CacheCounts:
    """What a cache did since it was made (``hits``, ``misses``, ``evictions``: answers pushed
    out by the bound) and what it holds now."""

    hits: int
    misses: int
    evictions: int
    entries: int
    bytes: int
    max_bytes: int


class _CountingLRU(LRUCache[Hashable, V]):
    """cachetools' LRU cache, counting the answers the bound pushes out."""

    evictions = 0

    def popitem(self) -> tuple[Hashable, V]:
        self.evictions += 1
        return super().popitem()


class GenerationCache(Generic[V]):
    """Answers of the latest generation seen, at most ``max_bytes`` of them as ``size_of`` counts.

    Safe to share between threads. A generation older than the latest is neither served nor kept.

    >>> cache = GenerationCache(40, size_of=len)
    >>> [cache.put(7, key, b"x" * 10) for key in "abcd"]
    [True, True, True, True]
    >>> cache.get(7, "a") is not None, cache.put(7, "e", b"x" * 10), cache.get(7, "b")
    (True, True, None)
    >>> cache.put(7, "big", b"x" * 21), cache.put(6, "old", b"x")  # over half; a past generation
    (False, False)
    >>> counts = cache.counts
    >>> counts.hits, counts.misses, counts.evictions, counts.entries, counts.bytes
    (1, 1, 1, 4, 40)
    """

    def __init__(self, max_bytes: int, *, size_of: Callable[[V], int]) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_bytes // ENTRY_SHARE
        self._size_of = size_of
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._entries: _CountingLRU[V] = _CountingLRU(max_bytes, getsizeof=size_of)
        self._hits = self._misses = self._evictions = 0

    def _at(self, generation: int) -> bool:
        """Move to ``generation`` if it is newer (the lock held); whether it is the current one."""
        if self._generation is None or generation > self._generation:
            self._evictions += self._entries.evictions
            self._entries = _CountingLRU(self.max_bytes, getsizeof=self._size_of)
            self._generation = generation
        return generation == self._generation

    def get(self, generation: int, key: Hashable) -> V | None:
        """The answer kept for ``key`` at ``generation``, or None (counted as a hit or a miss)."""
        with self._lock:
            found = self._entries.get(key) if self._at(generation) else None
            if found is None:
                self._misses += 1
            else:
                self._hits += 1
            return found

    def put(self, generation: int, key: Hashable, value: V) -> bool:
        """Keep ``value`` for ``key`` at ``generation``, pushing out the least recently used answers
        as the bound needs; False (nothing kept) for a value over :attr:`max_entry_bytes` or a
        generation older than the latest."""
        if self._size_of(value) > self.max_entry_bytes:
            return False
        with self._lock:
            if not self._at(generation):
                return False
            self._entries[key] = value
            return True

    @property
    def counts(self) -> CacheCounts:
        """The counts so far and what the cache holds now."""
        with self._lock:
            entries = self._entries
            return CacheCounts(
                hits=self._hits,
                misses=self._misses,
                evictions=self._evictions + entries.evictions,
                entries=len(entries),
                bytes=int(entries.currsize),
                max_bytes=self.max_bytes,
            )
