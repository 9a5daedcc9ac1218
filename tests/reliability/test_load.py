"""Short load runs: concurrency 32 over the whole request mix, every answer checked.

The same driver, for 60 s per configuration, makes the figures in RELIABILITY.md
(``python -m reliability.report``). Here each configuration runs for a few seconds:
enough for every probe to be answered many times under concurrency.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability.load import run_configuration
from reliability.probes import PROBES
from reliability.processes import CONFIGURATIONS

SECONDS = 5
CONCURRENCY = 32


@pytest.mark.parametrize("configuration", CONFIGURATIONS)
def test_load_gives_no_server_error_and_no_wrong_answer(tmp_path: Path, configuration: str) -> None:
    report = run_configuration(configuration, tmp_path, duration=SECONDS, concurrency=CONCURRENCY)

    assert set(report.by_probe) == {probe.name for probe in PROBES}, "every kind of request was sent"
    assert report.server_errors == 0, report.examples
    assert report.transport_errors == 0, report.examples
    assert report.wrong_answers == 0, report.examples
