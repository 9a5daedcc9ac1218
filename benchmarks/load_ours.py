"""Load a generated data set into our disk store, as the benchmark times it.

Goes through the Store protocol (``graph.stores.open_store("disk", path=...)`` and
``load_dataset``), the way the service loads data, and prints one JSON line with
the seconds each step took; the runner also times the whole process.

    python -m benchmarks.load_ours data.nq var/bench-store
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def load(data: Path, location: Path) -> dict[str, float]:
    """Load ``data`` (N-Quads) into a new disk store at ``location``; the seconds of each step."""
    from graph.stores import open_store

    steps: dict[str, float] = {}
    started = time.perf_counter()
    store = open_store("disk", path=location)
    steps["open_s"] = time.perf_counter() - started
    try:
        started = time.perf_counter()
        store.load_dataset(data.read_bytes(), "application/n-quads")
        steps["load_dataset_s"] = time.perf_counter() - started
    finally:
        started = time.perf_counter()
        store.close()
        steps["close_s"] = time.perf_counter() - started
    return {step: round(seconds, 3) for step, seconds in steps.items()}


def main(argv: list[str] | None = None) -> int:
    data, location = (Path(arg) for arg in (argv if argv is not None else sys.argv[1:]))
    print(json.dumps(load(data, location)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
