"""A suggester backed by a language model at an OpenAI-compatible chat-completions endpoint.

Off unless configured: nothing here runs, and no request leaves the machine, until a
:class:`ChatModelConfig` names an endpoint. The model is asked for JSON
``{"positions": [{quote, holder, target, stance, attribution, hedges}]}`` naming the registry's
ids; its answer passes :func:`graph.suggest.backends.verified` like any other: a quote not in
the text is rejected and reported, a paraphrase kept only as flagged.

>>> config = ChatModelConfig("http://127.0.0.1:9/v1", "tiny")
>>> suggester = ChatModelSuggester(config)
>>> suggester.agent.name, suggester.agent.fingerprint == ChatModelSuggester(config).agent.fingerprint
('chat-model:tiny', True)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from graph.coding.schema import ATTRIBUTIONS, STANCES
from graph.errors import ModelUnavailableError
from graph.suggest.backends import Agent, Outcome, stancegraph_version, verified
from graph.suggest.names import Known

PROMPT = """You code stakeholder positions in a text, the way Discourse Network Analyzer does.
Answer with JSON only: {{"positions": [{{"quote": ..., "holder": ..., "target": ..., "stance": ...,
"attribution": ..., "hedges": [...]}}]}}.
- quote: the exact words of the text that state the position, copied character for character.
- holder and target: ids from the entities below (null when the text names none of them).
- stance: one of {stances}. attribution: one of {attributions}.
- hedges: the words of the quote that hedge it ("reportedly", "could").
Never invent a quote; leave out a position you cannot quote.

Entities (id: kind: names):
{entities}"""


@dataclass(frozen=True)
class ChatModelConfig:
    """Where the model is: the API's base URL (up to ``/v1``), the model, the key (if it needs one)."""

    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 60.0


class ChatModelSuggester:
    """Asks a chat-completions model for positions, then verifies every quote it gives."""

    def __init__(self, config: ChatModelConfig, *, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self._transport = transport
        fingerprint = hashlib.sha256(f"{config.model}\n{PROMPT}".encode()).hexdigest()
        self._agent = Agent(f"chat-model:{config.model}", stancegraph_version(), fingerprint)

    @property
    def agent(self) -> Agent:
        return self._agent

    def messages(self, text: str, registry: Sequence[Known]) -> list[dict[str, str]]:
        """The chat messages sent: the instructions with the registry, then the text."""
        entities = "\n".join(f"{e.id}: {e.kind}: {'; '.join(e.names)}" for e in registry)
        system = PROMPT.format(
            stances=", ".join(STANCES), attributions=", ".join(ATTRIBUTIONS), entities=entities
        )
        return [{"role": "system", "content": system}, {"role": "user", "content": text}]

    def propose(self, text: str, registry: Sequence[Known]) -> Outcome:
        """The model's positions in ``text``, verified; ModelUnavailableError if it fails to answer."""
        claims = self._claims(self._ask(text, registry))
        return verified(text, claims, self.agent.name, registry)

    def _ask(self, text: str, registry: Sequence[Known]) -> str:
        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        body = {
            "model": self.config.model,
            "messages": self.messages(text, registry),
            "temperature": 0,
            "response_format": {"type": "json_object"},
        }
        url = self.config.base_url.rstrip("/") + "/chat/completions"
        try:
            with httpx.Client(timeout=self.config.timeout, transport=self._transport) as client:
                response = client.post(url, json=body, headers=headers)
        except httpx.HTTPError as error:
            raise ModelUnavailableError(f"the language model at {url} did not answer: {error}") from error
        if response.status_code != 200:
            raise ModelUnavailableError(
                f"the language model at {url} answered HTTP {response.status_code}: {response.text[:200]}"
            )
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise ModelUnavailableError(
                f"the language model at {url} answered no chat completion: {response.text[:200]}"
            ) from error
        if not isinstance(content, str):
            raise ModelUnavailableError(f"the language model at {url} answered no text")
        return content

    @staticmethod
    def _claims(content: str) -> list[dict[str, Any]]:
        """The positions of the model's answer; ModelUnavailableError when it is not the JSON asked for.

        >>> ChatModelSuggester._claims('{"positions": [{"quote": "x"}]}')
        [{'quote': 'x'}]
        >>> ChatModelSuggester._claims("Sure! Here they are")
        Traceback (most recent call last):
        graph.errors.ModelUnavailableError: the language model's answer is not JSON: 'Sure! Here they are'
        """
        try:
            answer = json.loads(content)
        except ValueError as error:
            raise ModelUnavailableError(
                f"the language model's answer is not JSON: {content[:200]!r}"
            ) from error
        positions = answer.get("positions") if isinstance(answer, dict) else None
        if not isinstance(positions, list):
            raise ModelUnavailableError("the language model's answer has no list 'positions'")
        return [claim for claim in positions if isinstance(claim, dict)]
