"""What is worked out from a whole store once and kept until the store is written to.

The full-text index and the corroboration counts read every text, quote or position of a
store; :func:`per_revision` keeps one answer per store and works it out again once
:attr:`graph.stores.base.Store.revision` has moved on.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TypeVar

from graph.stores.base import Store

T = TypeVar("T")


def per_revision(work_out: Callable[[Store], T]) -> Callable[[Store], T]:
    """``work_out`` kept per store, worked out again after a write.

    Callers of one store wait for the one working out, rather than each doing it.

    >>> from graph.stores.memory import MemoryStore
    >>> size = per_revision(len)
    >>> with MemoryStore() as store:
    ...     before = size(store)
    ...     store.update("INSERT DATA { <http://e/a> <http://e/p> 1 }")
    ...     before, size(store)
    (0, 1)
    """
    kept: weakref.WeakKeyDictionary[Store, tuple[int, T]] = weakref.WeakKeyDictionary()
    lock = threading.Lock()

    def cached(store: Store) -> T:
        revision = store.revision
        with lock:
            found = kept.get(store)
            if found is None or found[0] != revision:
                found = revision, work_out(store)
                kept[store] = found
            return found[1]

    cached.__doc__ = work_out.__doc__
    return cached
