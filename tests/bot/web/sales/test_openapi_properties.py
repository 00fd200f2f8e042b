"""Schemathesis against the sales API's own OpenAPI description, on a real server:
generated requests, valid and invalid, to every operation; no answer is a server
error, and every answer matches the status codes, content types and schemas the
description promises.

The server has stores of its own: a lead store seeded like the package's (the
generated PATCH requests change leads) and a tracker store with the stats
tests' conversations, so that ``/api/stats`` has something to count.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from bot.leads.store import create_engine_for, upgrade_database
from tests.bot.conversations.conftest import fixture_conversations, save_conversations
from tests.bot.web.sales.conftest import (
    API_TOKEN,
    seed_leads,
    server_environment,
    start_server,
    stop_server,
    wait_for_health,
)
from tests.conftest import free_port

AUTHORIZATION = {"Authorization": f"Bearer {API_TOKEN}"}
# Rules between parameters that OpenAPI 3.0 cannot state: a request breaking one
# matches every schema and is still refused (422) with the rule in its message.
RULES_ACROSS_PARAMETERS = ("must be before", "must not be before", "must be at most")


@pytest.fixture(scope="module")
def sales_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    database_url = f"sqlite:///{folder / 'leads.db'}"
    engine = create_engine_for(database_url)
    upgrade_database(engine)
    seed_leads(engine)
    engine.dispose()
    tracker_store_url = f"sqlite:///{folder / 'tracker.db'}"
    save_conversations(tracker_store_url, fixture_conversations())
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    environment = server_environment(
        database_url, port, SALES_API_TOKEN=API_TOKEN, TRACKER_STORE_URL=tracker_store_url
    )
    process = start_server(environment, folder / "server.log")
    try:
        wait_for_health(base_url, process, folder / "server.log")
        yield base_url
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def sales_api_schema(sales_api: str) -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_url(f"{sales_api}/api/openapi.json", headers=AUTHORIZATION)


schema = schemathesis.pytest.from_fixture("sales_api_schema")


def breaks_a_rule_across_parameters(response: schemathesis.Response) -> bool:
    if response.status_code != 422:
        return False
    message = response.json()["error"]["message"]
    return any(rule in message for rule in RULES_ACROSS_PARAMETERS)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_sales_api_keeps_the_promises_of_its_openapi_description(case):
    response = case.call(headers=AUTHORIZATION)
    excluded = [positive_data_acceptance] if breaks_a_rule_across_parameters(response) else []
    if sent_only_declared_parameters(case, response):
        excluded.append(negative_data_rejection)
    case.validate_response(response, headers=AUTHORIZATION, excluded_checks=excluded)


def sent_only_declared_parameters(case: schemathesis.Case, response: schemathesis.Response) -> bool:
    """True when a case meant to add an undeclared query parameter sent none:
    schemathesis drops an added property whose value serialises to nothing,
    and the request that reaches the API is a valid one (seen once in ~15 runs)."""
    description = str(getattr(case.meta.phase.data, "description", "") or "")
    if "additionalProperties" not in description:
        return False
    sent = parse_qs(urlsplit(str(response.request.url)).query, keep_blank_values=True)
    return set(sent) <= {parameter.name for parameter in case.operation.query}
