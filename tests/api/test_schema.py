"""The OpenAPI schema is valid OpenAPI 3, and Schemathesis runs every operation in it against the
app (in process, over WSGI) as the force's officer and the council's lead: never a server error,
every status code, content type and body as the schema says. A small number of examples per
operation (HYPOTHESIS_PROFILE does not apply: this is about the schema, not fuzzing depth)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.throttling import TokenRateThrottle
from tests.api.factories import api_world, token_client
from tests.conftest import World

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _schema() -> dict[str, Any]:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


def test_the_schema_is_valid_openapi_3() -> None:
    schema = _schema()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/shared-with-us/" in schema["paths"]
    assert len(schema["paths"]) == 23  # every API URL but the catch-all 404


@pytest.fixture
def wsgi_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[WSGIHandler]:
    # Requests run inside the test's transaction: the handler must not close the connection at
    # the start and end of each request (Django's test client disconnects the same receivers).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # Many requests a second with one token: the rate limit is not what this tests.
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "100000/minute"})
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_tokens(world: World) -> list[str]:
    """Read-write tokens of the force's officer and of the council's lead (whose share of the
    problem lets it contribute)."""
    api_world(world)
    return [str(token_client(world.users[persona])[1].text) for persona in ("officer", "partner_lead")]


# Generated at collection (Django is set up by then), so that each operation is a test of its own.
schema = schemathesis.openapi.from_dict(_schema())


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_conforms_to_the_schema(case: Any, api_tokens: list[str], wsgi_app: WSGIHandler) -> None:
    for token in api_tokens:
        response = case.call(app=wsgi_app, headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=CHECKS)
