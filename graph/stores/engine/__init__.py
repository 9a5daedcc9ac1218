"""The engine behind the embedded stores: one dispatcher process, killable confined workers.

pyoxigraph cannot cancel a query, and a blocking operator (ORDER BY, an aggregate, a
cartesian COUNT) stays inside one Rust call. The only way to really stop such work and free
its CPU is to kill the process doing it, so evaluation happens in worker processes::

    caller ──socket── dispatcher ──socket── readers (read-only snapshots, no network)
    (threads)  │      (one thread)  └─────── the writing process (a memory successor, the disk writer)
               └───── leased readers' sockets, handed over by the dispatcher (SCM_RIGHTS)

A read goes straight to a reader leased to the caller (two processes, two messages); writes,
and the reads the policy allowed out, go through the dispatcher.

The caller's side, in the service's process:

- :mod:`~graph.stores.engine.client`: :class:`EmbeddedStore`, the store's methods as requests;
- :mod:`~graph.stores.engine.channel`: the socket, the requests waiting and the thread reading replies;
- :mod:`~graph.stores.engine.leases`: the readers leased to the caller, their deadlines and bounds;
- :mod:`~graph.stores.engine.launcher`: starting and stopping the engine process;
- :mod:`~graph.stores.engine.supervision` and :mod:`~graph.stores.engine.restarts`: a new
  engine when one dies, and what that cost.

The engine's side, started as ``python -m graph.stores.engine FD`` (a fresh interpreter, so
it has a single thread and may fork safely; :mod:`~graph.stores.engine.__main__`):

- :mod:`~graph.stores.engine.dispatcher`: queues requests, hands reads to idle workers,
  enforces deadlines by SIGKILLing the worker, forwards the bytes a worker serialized;
- :mod:`~graph.stores.engine.memory`: a keeper holds the data, forks readers and a successor
  for each write; :mod:`~graph.stores.engine.disk`: readers of checkpoints, and one
  :mod:`~graph.stores.engine.writer` process;
- :mod:`~graph.stores.engine.operations`: what a worker runs on a pyoxigraph store;
- :mod:`~graph.stores.engine.processes` and :mod:`~graph.stores.engine.sandbox`: every worker
  confined (no network, a memory limit, it dies with the engine);
- :mod:`~graph.stores.engine.messages` and :mod:`~graph.stores.engine.serialization`: what
  travels, and results cut at the row cap.

The package imports nothing itself: the engine process carries only pyoxigraph and the
standard library.
"""
