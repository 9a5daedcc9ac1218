"""Reliability and security evidence for stancegraph: load runs, fault drills, the hostile-input corpus.

- :mod:`reliability.processes`: the service and an Oxigraph server as real processes on loopback,
  each stopped (or killed) by its own handle;
- :mod:`reliability.probes`: the request mix and the known answers each response is checked against;
- :mod:`reliability.load`: the bounded asyncio load driver (``python -m reliability.load``);
- :mod:`reliability.corpus`: the malformed and hostile inputs with the status each must get;
- :mod:`reliability.report`: runs the full load configurations and writes RELIABILITY.md's figures.

The tests in ``tests/reliability`` use all of these with short durations.
"""
