"""Run the full load configurations and write their figures (and the corpus table) into RELIABILITY.md.

From the repository root::

    python -m reliability.report               # 60 s per configuration, concurrency 32
    python -m reliability.report --duration 10 # a quicker look

The generated parts of RELIABILITY.md sit between ``<!-- load:start -->`` /
``<!-- load:end -->`` and ``<!-- corpus:start -->`` / ``<!-- corpus:end -->``; the
prose around them is kept as written.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from reliability.corpus import all_cases, markdown_table
from reliability.load import LoadReport, run_configuration
from reliability.processes import CONFIGURATIONS, REPO_ROOT, environment_summary

REPORT = REPO_ROOT / "RELIABILITY.md"
SETUPS = {
    "memory": "memory store, 1 uvicorn worker",
    "disk": "disk store (RocksDB), 1 uvicorn worker",
    "remote": "remote store (Oxigraph server), 2 uvicorn workers",
    "remote-4": "remote store (Oxigraph server), 4 uvicorn workers",
    "virtuoso-4": "remote store (Virtuoso 7.2), 4 uvicorn workers",
}


def load_table(reports: Sequence[LoadReport]) -> str:
    """The figures of the load runs as a Markdown table."""
    lines = [
        "| configuration | seconds | requests | req/s | 5xx | wrong answers | transport errors "
        "| p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for report in reports:
        cells = [
            SETUPS.get(report.configuration, report.configuration),
            f"{report.duration_seconds:.0f}",
            str(report.requests),
            f"{report.throughput:.1f}",
            str(report.server_errors),
            str(report.wrong_answers),
            str(report.transport_errors),
            *(f"{report.percentile(p):.0f}" for p in (50, 95, 99)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def load_section(reports: Sequence[LoadReport], before: str, after: str) -> str:
    """The table with when and where it was measured."""
    today = datetime.date.today().isoformat()
    problems = [
        f"- {report.configuration}, {probe}: {count} failed, e.g. "
        + next((e.removeprefix(f"{probe}: ") for e in report.examples if e.startswith(f"{probe}: ")), "")[
            :300
        ]
        for report in reports
        for probe, count in sorted(report.failures_by_probe.items())
    ]
    return "\n".join(
        [
            f"Measured {today} on {platform.machine()} Linux, Python {platform.python_version()}; "
            f"concurrency {reports[0].concurrency if reports else '-'}. "
            f"Machine before the runs: {before}; after: {after}.",
            "",
            load_table(reports),
            "",
            *(["Failures seen:", "", *problems] if problems else ["No failure of any kind."]),
        ]
    )


def replace_section(text: str, name: str, content: str) -> str:
    """``text`` with the part between the ``name`` markers replaced by ``content``.

    >>> replace_section("a\\n<!-- x:start -->\\nold\\n<!-- x:end -->\\nb", "x", "new")
    'a\\n<!-- x:start -->\\nnew\\n<!-- x:end -->\\nb'
    """
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(\n<!-- {name}:end -->)", re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"RELIABILITY.md has no <!-- {name}:start --> ... <!-- {name}:end --> section")
    return pattern.sub(lambda match: match.group(1) + content + match.group(2), text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per configuration (default 60)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--only", choices=CONFIGURATIONS, action="append", help="run only these configurations"
    )
    parser.add_argument("--output", type=Path, default=REPORT)
    args = parser.parse_args(argv)

    before = environment_summary()
    reports = []
    with tempfile.TemporaryDirectory(prefix="stancegraph-reliability-") as workdir:
        for name in args.only or CONFIGURATIONS:
            report = run_configuration(
                name, Path(workdir) / name, duration=args.duration, concurrency=args.concurrency
            )
            print(json.dumps(report.summary(), indent=2), flush=True)
            reports.append(report)
    after = environment_summary()

    text = args.output.read_text(encoding="utf-8")
    text = replace_section(text, "load", load_section(reports, before, after))
    text = replace_section(text, "corpus", markdown_table(all_cases()))
    args.output.write_text(text, encoding="utf-8")
    return 0 if all(report.failures == 0 for report in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
