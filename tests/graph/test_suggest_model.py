"""The language-model back-end against a fake provider: a real HTTP server on 127.0.0.1 that
answers a recorded chat completion (fictional), never a real model."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from graph.errors import ModelUnavailableError
from graph.suggest.chat import ChatModelConfig, ChatModelSuggester
from graph.suggest.files import coding_and_entities

ASSIST = Path(__file__).parents[1] / "data" / "assist"
ANSWER = json.loads((ASSIST / "fake-model-answer.json").read_text(encoding="utf-8"))


@contextmanager
def fake_provider(status: int, content: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A chat-completions endpoint answering ``content`` with ``status``; its URL and the requests seen."""
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append({"path": self.path, "authorization": self.headers.get("Authorization"), "body": body})
            answer = {"choices": [{"message": {"role": "assistant", "content": content}}]}
            data = json.dumps(answer).encode() if status == 200 else b"overloaded"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:  # quiet: the test reads what it needs from `seen`
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_the_hallucination_is_rejected_and_the_paraphrase_flagged() -> None:
    coding, known = coding_and_entities(ASSIST / "coder-a" / "harbour-levy.yaml")
    text = coding.source_text
    with fake_provider(200, json.dumps({"positions": ANSWER["positions"]})) as (url, seen):
        outcome = ChatModelSuggester(ChatModelConfig(url, "fake-1", api_key="k")).propose(text, known)
    [request] = seen
    assert request["path"] == "/v1/chat/completions" and request["authorization"] == "Bearer k"
    assert request["body"]["model"] == "fake-1" and request["body"]["messages"][1]["content"] == text
    verbatim, paraphrase = outcome.suggestions
    assert (
        verbatim.quote == "The Traders’ Guild reportedly opposes the harbour levy." and verbatim.flags == ()
    )
    assert paraphrase.flags == ("paraphrase",)
    assert paraphrase.quote == "Mayor Ilse Brant said the harbour levy could fund new piers."
    assert all(text[s.start : s.end] == s.quote for s in outcome.suggestions)
    [rejected] = outcome.rejected
    assert rejected["claim"]["quote"].startswith("The Port Council abandoned")
    assert "does not occur in the text" in rejected["reason"]
    assert outcome.paraphrases[0]["claim"]["quote"].startswith("Mayor Ilse Brant said the harbor levy might")


def test_a_failing_provider_is_reported() -> None:
    with fake_provider(503, "") as (url, _), pytest.raises(ModelUnavailableError, match="answered HTTP 503"):
        ChatModelSuggester(ChatModelConfig(url, "fake-1")).propose("Fictional.", [])
    chatty = fake_provider(200, "Sure! Here are the positions.")
    with chatty as (url, _), pytest.raises(ModelUnavailableError, match="not JSON"):
        ChatModelSuggester(ChatModelConfig(url, "fake-1")).propose("Fictional.", [])


def test_an_endpoint_that_does_not_listen_is_reported() -> None:
    with fake_provider(200, "{}") as (url, _):
        pass  # the server is stopped: its port refuses
    with pytest.raises(ModelUnavailableError, match="did not answer"):
        ChatModelSuggester(ChatModelConfig(url, "fake-1", timeout=5)).propose("Fictional.", [])
