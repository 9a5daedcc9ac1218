"""The benchmark's memory sampler: it sees a whole process tree, from a process of its own."""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks.driver import RssSampler

# A parent that starts a child holding 64 MiB, both waiting to be stopped.
TREE = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "block = bytearray(64 * 2**20); import time; time.sleep(60)"])
print("started", flush=True)
time.sleep(60)
"""


def test_the_sampler_reports_the_peak_of_the_whole_tree() -> None:
    parent = subprocess.Popen([sys.executable, "-c", TREE], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None and parent.stdout.readline() == "started\n"
        with RssSampler(parent.pid, interval=0.02, pss_every=1) as sampler:
            deadline = time.monotonic() + 20
            while sampler.peak_pss_bytes < 64 * 2**20 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(sampler.tree()) == 2
        assert sampler.peak_bytes >= 64 * 2**20
        assert sampler.peak_pss_bytes >= 64 * 2**20
        peaks = sampler.peak_bytes, sampler.peak_pss_bytes
        sampler.stop()  # stopping again changes nothing
        assert (sampler.peak_bytes, sampler.peak_pss_bytes) == peaks
    finally:
        for process in RssSampler(parent.pid).tree():
            process.kill()
        parent.communicate(timeout=10)  # also closes its output pipe
