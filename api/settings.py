"""The one settings object of the service: options, environment (STANCEGRAPH_*) and defaults.

Lists read from the environment may be comma-separated
(``STANCEGRAPH_CORS_ORIGINS=https://a.example,https://b.example``) or JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import ByteSize, Field, HttpUrl, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

StoreKind = Literal["memory", "disk", "remote"]


class Settings(BaseSettings):
    """How the service runs: which store, where it listens, and its safety limits."""

    model_config = SettingsConfigDict(env_prefix="STANCEGRAPH_", frozen=True)

    store: StoreKind = Field("memory", description="memory, disk (pyoxigraph at disk_path) or remote.")
    disk_path: Path = Field(Path("var/store"), description="Directory of the disk store.")
    remote_query_url: str | None = Field(None, description="SPARQL 1.1 query endpoint of the remote store.")
    remote_update_url: str | None = Field(None, description="SPARQL 1.1 update endpoint of the remote store.")
    remote_graph_store_url: str | None = Field(
        None, description="Graph Store HTTP Protocol endpoint of the remote store."
    )
    data: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="RDF files to serve instead of the embedded data (Turtle, N-Triples, N-Quads, TriG, "
        "RDF/XML, JSON-LD; named graphs kept).",
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    public_url: str | None = Field(
        None,
        description="The absolute http(s) URL clients reach the service at (e.g. behind a proxy); the "
        "endpoint IRIs of the service description start with it. Unset: the address the service "
        "listens on. Never the request's Host header.",
    )
    write_token: SecretStr | None = Field(
        None, description="Bearer token that enables /update and writes to /store; unset: writes are off."
    )
    query_timeout: float = Field(
        30.0, gt=0, description="Seconds a query or write may take, its time waiting in a queue included."
    )
    query_memory_limit: ByteSize | None = Field(
        ByteSize(2 * 1024**3),
        description="Memory one query or write may use in the embedded stores' workers (bytes, or e.g. "
        "'512MiB'); past it the request gets 503 naming the limit and other requests go on. "
        "Empty, 0 or 'none': no limit.",
    )
    readers: int | None = Field(
        None,
        ge=1,
        description="Worker processes kept for reads (embedded stores); default: the cores, at least 2.",
    )
    max_readers: int | None = Field(
        None,
        ge=1,
        description="Reads evaluated at once at most, while reads wait behind slow ones (embedded stores); "
        "default: four times readers.",
    )
    max_result_rows: int = Field(100_000, gt=0, description="Rows (or triples) a result is cut at.")
    max_body_bytes: int = Field(16 * 1024 * 1024, gt=0, description="Largest request body accepted.")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed by CORS; empty: CORS off."
    )
    outbound_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hosts SERVICE and LOAD (and FROM of a graph not in the store) may name; empty: none.",
    )
    union_default_graph: bool = Field(
        True, description="Query the union of all graphs as the default graph (off: the real default graph)."
    )

    @field_validator("data", "cors_origins", "outbound_hosts", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("public_url")
    @classmethod
    def _absolute_http_url(cls, url: str | None) -> str | None:
        if url is None:
            return None
        parsed = HttpUrl(url)  # pydantic's check: an absolute http or https URL with a host
        if parsed.query is not None or parsed.fragment is not None:
            raise ValueError("the public URL may have a path, but no query or fragment")
        return str(parsed).rstrip("/")  # as pydantic normalised it; endpoint paths are appended

    @field_validator("query_memory_limit", mode="before")
    @classmethod
    def _no_limit(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in ("", "0", "none"):
            return None
        return value

    @field_validator("outbound_hosts")
    @classmethod
    def _lower_hosts(cls, hosts: list[str]) -> list[str]:
        return [host.lower() for host in hosts]
