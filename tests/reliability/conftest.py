"""Fixtures of the reliability suite: a loopback listener that counts connections, small filesystems.

The services under test are real processes (:mod:`reliability.processes`): uvicorn in
its own process group, killable with SIGKILL, with its log in a file the tests can read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from reliability.corpus import ConnectionCounter
from reliability.filesystems import SmallFilesystem, small_filesystem_at


@pytest.fixture(scope="session")
def listener() -> Iterator[ConnectionCounter]:
    """Where hostile input points outbound requests: no connection may ever arrive."""
    counter = ConnectionCounter()
    yield counter
    counter.close()


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[Callable[[int], SmallFilesystem]]:
    """Makes a :class:`SmallFilesystem` of a given size; each is unmounted at the end of the test."""
    with ExitStack() as filesystems:

        def make(size: int) -> SmallFilesystem:
            return filesystems.enter_context(small_filesystem_at(tmp_path / f"small-{size}", size))

        yield make
