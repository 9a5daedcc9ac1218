"""Filesystems that fill up or turn read-only, for the fault drills of the disk store.

A tmpfs mount of a given size when this process may mount (root); otherwise the same
limits come from the kernel per process: RLIMIT_FSIZE for the size, and an unprivileged
user over a directory it may not write for read-only. A service started with
:meth:`SmallFilesystem.preexec` as its ``preexec`` gets the fallback limits.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

NOBODY = 65534
COMMAND_SECONDS = 30


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
                os.setgid(NOBODY)
                os.setuid(NOBODY)

        return limit

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if self.mounted:
            mode = "ro" if read_only else "rw"
            subprocess.run(
                ["mount", "-o", f"remount,{mode}", str(self.path)], check=True, timeout=COMMAND_SECONDS
            )
        else:
            for entry in [self.path, *self.path.rglob("*")]:
                entry.chmod(entry.stat().st_mode & ~0o222 if read_only else entry.stat().st_mode | 0o200)

    def grow(self, size: int) -> None:
        """Make room, as an operator would after a full disk."""
        self.size = size
        if self.mounted:
            subprocess.run(
                ["mount", "-o", f"remount,size={size}", str(self.path)], check=True, timeout=COMMAND_SECONDS
            )


@contextmanager
def small_filesystem_at(path: Path, size: int) -> Iterator[SmallFilesystem]:
    """A :class:`SmallFilesystem` at ``path`` (created), unmounted when the block ends."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
            check=True,
            capture_output=True,
            timeout=COMMAND_SECONDS,
        )
        mounted = True
    except (subprocess.CalledProcessError, FileNotFoundError, PermissionError):
        mounted = False
    filesystem = SmallFilesystem(path, size, mounted)
    try:
        yield filesystem
    finally:
        if mounted:
            with contextlib.suppress(subprocess.CalledProcessError):
                subprocess.run(
                    ["umount", str(path)], check=True, capture_output=True, timeout=COMMAND_SECONDS
                )
