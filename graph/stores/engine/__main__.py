"""The engine process: ``python -m graph.stores.engine FD``, FD being the caller's socket.

It reads its configuration from the socket, opens the store, says ``ready`` and runs the
dispatcher until the caller's end of the socket closes (see :mod:`graph.stores.engine`).
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection
from pathlib import Path

from graph.stores.engine.disk import DiskDispatcher
from graph.stores.engine.dispatcher import Dispatcher, Limits
from graph.stores.engine.memory import MemoryDispatcher
from graph.stores.engine.operations import configure


def main() -> None:
    """Serve the caller whose socket is the file descriptor given as the first argument."""
    caller = Connection(int(sys.argv[1]))
    config = caller.recv()
    configure(union_default_graph=config["union_default_graph"])
    limits = Limits(config["readers"], config["max_readers"], config["max_rows"], config["memory_limit"])
    dispatcher: Dispatcher
    if config["kind"] == "memory":
        dispatcher = MemoryDispatcher(caller, limits)
    else:
        disk = DiskDispatcher(caller, limits, Path(config["path"]))
        if (failure := disk.open()) is not None:
            caller.send(("failed", failure))
            return
        dispatcher = disk
    caller.send(("ready",))
    dispatcher.run()


if __name__ == "__main__":
    main()
