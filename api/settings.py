"""The one settings object of the service: options, environment (STANCEGRAPH_*) and defaults.

Lists read from the environment may be comma-separated
(``STANCEGRAPH_CORS_ORIGINS=https://a.example,https://b.example``) or JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import ByteSize, Field, HttpUrl, SecretStr, field_validator, model_validator
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
    remote_engine: Literal["auto", "oxigraph", "virtuoso", "generic"] = Field(
        "auto",
        description="The remote store's SPARQL engine, for its quirks (graph.stores.engines); auto: told "
        "by the endpoint's Server header, generic when unknown.",
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
    coders_file: Path | None = Field(
        None,
        description="YAML file naming the coders: `coders: [{name, role, token_sha256}]` (role reader, "
        "coder, reviewer or admin; the hex SHA-256 of the bearer token, never the token). The write "
        "token, if set too, is the admin named 'admin'. Checked at start.",
    )
    read_access: Literal["open", "coders"] = Field(
        "open", description="open: reads need no token; coders: reads need the token of a coder."
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
    access_log: bool = Field(
        True, description="Log one line per request: method, path, status and time in ms (stdout)."
    )
    result_cache: bool | None = Field(
        None,
        description="Keep the answers of reads (/sparql queries, named queries, REST reads, subgraph "
        "exports, networks) until the store is next written to (api.result_cache). Default: on for "
        "the memory and disk stores, off for a remote store (other clients, and the other processes "
        "of `workers`, write to its engine unseen); 0 or false turns it off, 1 or true on.",
    )
    result_cache_bytes: ByteSize = Field(
        ByteSize(128 * 1024**2),
        gt=0,
        description="Bytes of answers the result cache keeps at most (e.g. '256MiB'), on top of the "
        "store's memory, the least recently used pushed out first; one answer is kept only within half "
        "of it (at a million triples the congruence network is 40 MB of JSON, 106 MB of GraphML).",
    )
    workers: int = Field(
        1,
        ge=1,
        le=64,
        description="API processes serving on one port (uvicorn's workers). More than one needs the "
        "remote store: a memory or disk store lives in one process, which others cannot write to.",
    )
    union_default_graph: bool = Field(
        True,
        description="The SPARQL endpoint's default graph is the union of all graphs (off: the dataset's "
        "default graph, as SPARQL defines it). Default: on for the embedded data (its statements live "
        "in named graphs, one per document), off when `data` files are served. The REST resources, "
        "named queries and networks read the union either way: they are the service's own questions "
        "of the whole knowledge graph.",
    )
    suggest_lexicons: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Cue lexicon files (YAML, graph/suggest/cues.yaml's keys) whose phrases the rule-based "
        "suggester adds to its own; comma-separated.",
    )
    suggest_model_url: str | None = Field(
        None,
        description="Base URL (up to /v1) of an OpenAI-compatible chat-completions API to suggest positions "
        "with; unset (the default): no model, and no request leaves the service for suggestions.",
    )
    suggest_model: str | None = Field(None, description="The model the suggest_model_url serves.")
    suggest_model_key: SecretStr | None = Field(
        None, description="The API key of suggest_model_url, if it needs one."
    )

    @model_validator(mode="before")
    @classmethod
    def _union_by_data(cls, values: object) -> object:
        """Standard dataset semantics for data files unless the union is asked for: a general endpoint
        over arbitrary RDF must not change what its default graph means behind the client's back."""
        if isinstance(values, dict) and values.get("union_default_graph") is None and values.get("data"):
            return {**values, "union_default_graph": False}
        return values

    @model_validator(mode="after")
    def _workers_share_a_remote_store(self) -> Settings:
        if self.workers > 1 and self.store != "remote":
            raise ValueError(
                f"workers: {self.workers} API processes need the remote store (store=remote); a "
                f"{self.store} store lives in one process"
            )
        return self

    @model_validator(mode="after")
    def _readers_can_be_named(self) -> Settings:
        if self.read_access == "coders" and self.coders_file is None and self.write_token is None:
            raise ValueError(
                "read_access: 'coders' needs coders to read: a coders file (coders_file) or a write token"
            )
        return self

    @field_validator("data", "cors_origins", "outbound_hosts", "suggest_lexicons", mode="before")
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
