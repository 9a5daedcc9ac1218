"""Faults: the service killed mid-write, the remote engine gone mid-request, a full or read-only disk.

In every case the client gets a clear answer (an acknowledgement, or a 5xx whose message
says what is wrong) and the store keeps exactly what it acknowledged: after a restart
every acknowledged write is there, whole, and nothing else is half-written.
"""

from __future__ import annotations

import base64
import itertools
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil

from graph.dataset import embedded_nquads
from reliability.filesystems import SmallFilesystem
from reliability.probes import SUPPORTERS_QUERY, check_supporters
from reliability.processes import OxigraphServer, ServiceProcess

TOKEN = "fault-drill-token"
WRITES_GRAPH = "urn:reliability:writes"
WRITE_HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
BOUND_SECONDS = 60  # no drill waits longer than this for anything

# Every write puts three triples about one subject: present means all three.
TRIPLES_PER_WRITE = 3
COUNT_PER_WRITE = (
    f"SELECT ?w (COUNT(*) AS ?n) (MAX(STRLEN(STR(?o))) AS ?longest) "
    f"WHERE {{ GRAPH <{WRITES_GRAPH}> {{ ?w ?p ?o }} }} GROUP BY ?w"
)
OTHER_QUADS = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{WRITES_GRAPH}>) }}"
# Every triple of 2000 with every triple with every triple: runs until something stops it.
CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def write_update(number: int, payload: str = "") -> bytes:
    subject = f"<urn:reliability:write:{number}>"
    return (
        f"INSERT DATA {{ GRAPH <{WRITES_GRAPH}> {{ {subject} <urn:reliability:seq> {number} ; "
        f'<urn:reliability:part> "a{number}", "b{number}{payload}" }} }}'
    ).encode()


def select(base_url: str, query: str) -> list[dict[str, str]]:
    response = httpx.get(f"{base_url}/sparql", params={"query": query}, timeout=BOUND_SECONDS)
    response.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def ask_supporters(base_url: str) -> httpx.Response:
    return httpx.get(
        f"{base_url}/sparql",
        params={"query": SUPPORTERS_QUERY},
        headers={"Accept": "application/sparql-results+json"},
        timeout=BOUND_SECONDS,
    )


def writes_in_store(base_url: str) -> dict[int, tuple[int, int]]:
    """Write number -> (triples present, longest object) for every write the store holds."""
    prefix = "urn:reliability:write:"
    return {
        int(row["w"].removeprefix(prefix)): (int(row["n"]), int(row["longest"]))
        for row in select(base_url, COUNT_PER_WRITE)
    }


def other_quads(base_url: str) -> int:
    return int(select(base_url, OTHER_QUADS)[0]["n"])


def assert_exactly_the_acknowledged_writes(
    base_url: str, acknowledged: set[int], payload_length: int = 0
) -> None:
    present = writes_in_store(base_url)
    missing = sorted(acknowledged - present.keys())
    assert not missing, f"acknowledged writes lost: {missing}"
    partial = {n: shape for n, shape in present.items() if shape[0] != TRIPLES_PER_WRITE}
    assert not partial, f"writes present only in part: {partial}"
    truncated = {n: shape for n, shape in present.items() if n >= 0 and shape[1] < payload_length}
    assert not truncated, f"writes with a cut literal: {truncated}"


def engine_processes(service: ServiceProcess) -> list[psutil.Process]:
    assert service.process is not None
    return psutil.Process(service.process.pid).children(recursive=True)


class WriteStream:
    """Threads sending numbered writes until told to stop or the service stops answering."""

    def __init__(self, base_url: str, threads: int = 4, payload: Callable[[], str] = str) -> None:
        self.base_url = base_url
        self.payload = payload
        self.numbers = itertools.count()
        self.lock = threading.Lock()
        self.acknowledged: set[int] = set()
        self.refusals: list[httpx.Response] = []
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self._write, daemon=True) for _ in range(threads)]

    def __enter__(self) -> WriteStream:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join(BOUND_SECONDS)

    def _write(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=BOUND_SECONDS) as client:
            while not self.stopped.is_set():
                with self.lock:
                    number = next(self.numbers)
                try:
                    response = client.post(
                        "/update", content=write_update(number, self.payload()), headers=WRITE_HEADERS
                    )
                except httpx.TransportError:
                    return  # the service is gone
                with self.lock:
                    if response.status_code == 204:
                        self.acknowledged.add(number)
                    else:
                        self.refusals.append(response)
                        return

    def wait_for(self, acknowledged: int) -> None:
        deadline = time.monotonic() + BOUND_SECONDS
        while len(self.acknowledged) < acknowledged and not self.refusals and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.acknowledged) >= acknowledged or self.refusals, "the writes did not go through"


def test_kill_9_during_writes_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    settings = {"store": "disk", "disk_path": tmp_path / "store", "write_token": TOKEN}
    service = ServiceProcess(tmp_path / "service.log", **settings).start()
    try:
        quads_before = other_quads(service.url)
        engines = engine_processes(service)
        with WriteStream(service.url) as stream:
            stream.wait_for(acknowledged=150)
            service.kill()
        assert not stream.refusals, [r.text for r in stream.refusals]
        # The store's engine notices its caller is gone and exits, releasing the database.
        _, alive = psutil.wait_procs(engines, timeout=BOUND_SECONDS)
        assert not alive, f"engine processes outlived the killed service: {alive}"

        with ServiceProcess(tmp_path / "restarted.log", **settings) as restarted:
            assert_exactly_the_acknowledged_writes(restarted.url, stream.acknowledged)
            assert other_quads(restarted.url) == quads_before
    finally:
        service.stop()


def test_remote_engine_stopped_mid_request_gives_503_and_the_service_recovers(tmp_path: Path) -> None:
    server = OxigraphServer(tmp_path / "oxigraph", timeout_seconds=BOUND_SECONDS)
    generated = "\n".join(
        f"<urn:s{i}> <urn:p{i % 7}> <urn:o{i % 101}> <urn:generated> ." for i in range(2000)
    ).encode()
    server.load(embedded_nquads() + b"\n" + generated)
    with (
        server,
        ServiceProcess(tmp_path / "service.log", **server.settings(), query_timeout=BOUND_SECONDS) as service,
    ):
        assert check_supporters(ask_supporters(service.url)) is None

        answers: list[httpx.Response] = []
        slow = threading.Thread(
            target=lambda: answers.append(
                httpx.get(
                    f"{service.url}/sparql", params={"query": CARTESIAN_COUNT}, timeout=2 * BOUND_SECONDS
                )
            )
        )
        engine = psutil.Process(server.process.pid)  # type: ignore[union-attr]
        cpu_before = sum(engine.cpu_times()[:2])
        slow.start()
        deadline = time.monotonic() + BOUND_SECONDS
        while sum(engine.cpu_times()[:2]) < cpu_before + 0.5 and time.monotonic() < deadline:
            time.sleep(0.05)  # until the engine is busy with the query
        server.kill()
        slow.join(BOUND_SECONDS)

        assert len(answers) == 1, "the request in flight got no answer"
        assert_unavailable(answers[0], server.url)
        assert_unavailable(ask_supporters(service.url), server.url)

        server.start()
        assert check_supporters(ask_supporters(service.url)) is None


def assert_unavailable(response: httpx.Response, engine_url: str) -> None:
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["error"] == "unavailable"
    assert engine_url in body["message"], f"the message does not say which engine is unreachable: {body}"


def random_text(characters: int) -> Callable[[], str]:
    """Incompressible payloads, so that the database cannot squeeze them into less space."""
    return lambda: base64.b32encode(os.urandom(characters * 5 // 8)).decode()


def test_full_disk_gives_a_clear_error_and_keeps_what_was_acknowledged(
    tmp_path: Path, small_filesystem: Callable[[int], SmallFilesystem]
) -> None:
    filesystem = small_filesystem(24 << 20)
    payload_length = 256 << 10
    settings = {"store": "disk", "disk_path": filesystem.path / "store", "write_token": TOKEN}
    with ServiceProcess(tmp_path / "service.log", preexec=filesystem.preexec(), **settings) as service:
        with WriteStream(service.url, threads=1, payload=random_text(payload_length)) as stream:
            stream.wait_for(acknowledged=1000)  # more than fits: the stream ends at the first refusal
        assert stream.refusals, "the disk never filled up"
        # Once full, every later write must be refused as clearly as the first.
        with httpx.Client(base_url=service.url, timeout=BOUND_SECONDS) as client:
            later = [client.post("/update", content=write_update(-n), headers=WRITE_HEADERS) for n in (1, 2)]
        acknowledged_later = {
            -n for n, response in zip((1, 2), later, strict=True) if response.status_code == 204
        }
        for refusal in [stream.refusals[0], *(r for r in later if r.status_code != 204)]:
            assert refusal.status_code in (503, 507), refusal.text
            message = refusal.json()["message"].lower()
            assert "space" in message, f"the message does not say the disk is full: {refusal.text}"

        filesystem.grow(256 << 20)
        if filesystem.mounted:  # RLIMIT_FSIZE, the fallback, cannot grow under a running process
            # Writes resume without a restart, and reads see them.
            with httpx.Client(base_url=service.url, timeout=BOUND_SECONDS) as client:
                resumed = client.post("/update", content=write_update(-3), headers=WRITE_HEADERS)
            assert resumed.status_code == 204, resumed.text
            acknowledged_later.add(-3)
            assert_exactly_the_acknowledged_writes(service.url, stream.acknowledged | acknowledged_later)

    with ServiceProcess(tmp_path / "restarted.log", **settings) as restarted:
        assert_exactly_the_acknowledged_writes(
            restarted.url, stream.acknowledged | acknowledged_later, payload_length
        )
        assert other_quads(restarted.url) > 0


def test_read_only_store_serves_reads_refuses_writes_clearly_and_is_kept_intact(
    tmp_path: Path, small_filesystem: Callable[[int], SmallFilesystem]
) -> None:
    """A store directory that cannot be written: reads answer, every write gets 503 saying why.

    A filesystem cannot be made read-only under a running store (the kernel refuses while
    files are open for writing), so the store is made read-only between two runs.
    """
    filesystem = small_filesystem(64 << 20)
    store_path = filesystem.path / "store"
    settings = {"store": "disk", "disk_path": store_path, "write_token": TOKEN}
    with ServiceProcess(tmp_path / "service.log", **settings) as service, WriteStream(service.url) as stream:
        stream.wait_for(acknowledged=20)
    assert not stream.refusals, [r.text for r in stream.refusals]
    filesystem.set_read_only(True)

    with ServiceProcess(tmp_path / "read-only.log", preexec=filesystem.preexec(), **settings) as read_only:
        assert writes_in_store(read_only.url).keys() == stream.acknowledged
        assert check_supporters(ask_supporters(read_only.url)) is None
        with httpx.Client(base_url=read_only.url, timeout=BOUND_SECONDS) as client:
            refusals = [
                client.post("/update", content=write_update(-1), headers=WRITE_HEADERS),
                client.put(
                    "/store",
                    params={"graph": WRITES_GRAPH},
                    content=b"<urn:reliability:put> <urn:reliability:p> 1 .",
                    headers={**WRITE_HEADERS, "Content-Type": "text/turtle"},
                ),
                client.delete("/store", params={"graph": WRITES_GRAPH}, headers=WRITE_HEADERS),
            ]
        for refusal in refusals:
            assert refusal.status_code == 503, refusal.text
            body = refusal.json()
            assert body["error"] == "unavailable"
            assert f"the disk store at {store_path} is read-only" in body["message"], refusal.text
        assert writes_in_store(read_only.url).keys() == stream.acknowledged

    filesystem.set_read_only(False)
    with ServiceProcess(tmp_path / "restarted.log", **settings) as restarted:
        assert writes_in_store(restarted.url).keys() == stream.acknowledged
        assert_exactly_the_acknowledged_writes(restarted.url, stream.acknowledged)
