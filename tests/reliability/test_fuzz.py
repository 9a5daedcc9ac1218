"""Schemathesis over every operation of the OpenAPI schema: no 500, no answer the schema does not allow.

The service under fuzzing is a scratch one (its own memory store, with a write token the
fuzzer sends), so that generated writes cannot touch data other tests rely on. Each
operation gets a bounded number of generated requests, valid and invalid.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from reliability.processes import ServiceProcess

TOKEN = "fuzzing-write-token"
EXAMPLES_PER_OPERATION = 12
# The service's text bodies (queries, updates, RDF) go on the wire as generated text.
TEXT_BODIES = [
    "application/sparql-query",
    "application/sparql-update",
    "text/turtle",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/rdf+xml",
]
schemathesis.serializer.alias(TEXT_BODIES, "text/plain")

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def scratch_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    log = tmp_path_factory.mktemp("fuzz") / "service.log"
    with ServiceProcess(
        log, store="memory", write_token=TOKEN, query_timeout=3, max_body_bytes=1 << 20
    ) as service:
        yield service


def fuzz(operation: APIOperation, mode: GenerationMode, problems: list[str]) -> None:
    """Send the operation's generated cases; record the first failure of its checks.

    An operation with nothing to get wrong (no parameters, no body) has no invalid cases.
    """

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def send(case: schemathesis.Case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS, timeout=30)

    try:
        send()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, f"{operation.label}: no valid request can be generated"
    except (AssertionError, FailureGroup) as failure:  # one report per operation and mode is enough
        problems.append(f"{operation.label} ({mode}): {str(failure)[:1200]}")


def test_every_operation_answers_within_its_schema(scratch_service: ServiceProcess) -> None:
    schema = schemathesis.openapi.from_url(f"{scratch_service.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10, "the schema lists the service's operations"
    problems: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode, problems)
    assert not problems, f"{len(problems)} operations failed:\n\n" + "\n\n".join(problems)
