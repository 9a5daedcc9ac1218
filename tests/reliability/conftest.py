"""Fixtures of the reliability suite: a loopback listener that counts connections, small filesystems.

The services under test are real processes (:mod:`reliability.processes`): uvicorn in
its own process group, killable with SIGKILL, with its log in a file the tests can read.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reliability.corpus import ConnectionCounter


@pytest.fixture(scope="session")
def listener() -> Iterator[ConnectionCounter]:
    """Where hostile input points outbound requests: no connection may ever arrive."""
    counter = ConnectionCounter()
    yield counter
    counter.close()


@dataclass
class SmallFilesystem:
    """A directory whose filesystem fills up after ``size`` bytes and can be made read-only.

    A tmpfs mount when this process may mount (root here); otherwise the same limits come
    from the kernel per process: RLIMIT_FSIZE for the size, and running the service as an
    unprivileged user over a directory it may not write for read-only. ``preexec`` is what
    a service process must run before it starts for the fallback to apply.
    """

    path: Path
    size: int
    mounted: bool
    read_only: bool = False

    def preexec(self) -> Callable[[], None] | None:
        if self.mounted:
            return None
        size, read_only = self.size, self.read_only

        def limit() -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
            if read_only:
                nobody = 65534
                os.setgid(nobody)
                os.setuid(nobody)

        return limit

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if self.mounted:
            mode = "ro" if read_only else "rw"
            subprocess.run(["mount", "-o", f"remount,{mode}", str(self.path)], check=True, timeout=30)
        else:
            for entry in [self.path, *self.path.rglob("*")]:
                entry.chmod(entry.stat().st_mode & ~0o222 if read_only else entry.stat().st_mode | 0o200)

    def grow(self, size: int) -> None:
        """Make room, as an operator would after a full disk."""
        self.size = size
        if self.mounted:
            subprocess.run(["mount", "-o", f"remount,size={size}", str(self.path)], check=True, timeout=30)


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[Callable[[int], SmallFilesystem]]:
    """Makes a :class:`SmallFilesystem` of a given size; unmounted at the end of the test."""
    made: list[SmallFilesystem] = []

    def make(size: int) -> SmallFilesystem:
        path = tmp_path / f"small-{len(made)}"
        path.mkdir()
        try:
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                check=True,
                capture_output=True,
                timeout=30,
            )
            mounted = True
        except (subprocess.CalledProcessError, FileNotFoundError, PermissionError):
            mounted = False
        filesystem = SmallFilesystem(path, size, mounted)
        made.append(filesystem)
        return filesystem

    yield make
    for filesystem in made:
        if filesystem.mounted:
            with contextlib.suppress(subprocess.CalledProcessError):
                subprocess.run(["umount", str(filesystem.path)], check=True, capture_output=True, timeout=30)
