"""Thousands of malformed requests over raw sockets against each of the three servers:
none may hang a connection, none may get a 5xx, none may leave a traceback, and
after each one the server answers its health route on a fresh connection.

The requests come from :mod:`tests.system.server.http_mutations` with a fixed seed, so a
failure names a case that is made again on every run. ``HTTP_FUZZ_CASES`` sets
how many per server (default 1500), ``HTTP_FUZZ_SEED`` another seed.
"""

from __future__ import annotations

import os

import pytest

from tests.system.server.http_mutations import Mutated, mutated_requests
from tests.system.server.raw_http import HangError, exchange, health_status
from tests.system.server.sanic_servers import Server, module_server

pytestmark = [pytest.mark.server]

CASES = int(os.environ.get("HTTP_FUZZ_CASES", "1500"))
SEED = os.environ.get("HTTP_FUZZ_SEED", "issue-21")
# A connection must see an answer or a close this soon once the client has sent all.
TIMEOUT_SECONDS = 30.0  # only a guard against a hang
# How long a whole request may wait for its answer before the client ends its side.
PATIENCE_SECONDS = 2.0

rasa_server = module_server("rasa")
actions_server = module_server("actions")
web_server = module_server("web")

SERVERS = [
    pytest.param("rasa_server", marks=pytest.mark.model, id="rasa"),
    pytest.param("actions_server", id="actions"),
    pytest.param("web_server", id="web"),
]
# Each server's own routes: half the usual targets (the others are every server's).
TARGETS = {
    "rasa": (
        "/", "/webhooks/rest/webhook", "/webhooks/rest/", "/socket.io/?EIO=4&transport=polling",
    ),
    "actions": ("/health", "/webhook", "/actions"),
    "web": (
        "/health", "/", "/site/site.css", "/widget/agency-chat.js", "/sales",
        "/sales/static/inbox.js", "/api/leads", "/api/leads/1", "/api/leads.csv",
    ),
}  # fmt: skip


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest) -> Server:
    return request.getfixturevalue(request.param)


def shown(case: Mutated, number: int) -> str:
    return f"case {number}: {case.data[:400]!r}"


def test_malformed_requests_never_hang_or_break_a_server(server):
    errors = []
    for number, case in enumerate(
        mutated_requests(f"{SEED}-{server.kind}", CASES, TARGETS[server.kind])
    ):
        try:
            answer = exchange(
                server.port,
                case.data,
                finish=not case.whole,
                patience=PATIENCE_SECONDS,
                timeout=TIMEOUT_SECONDS,
            )
        except HangError as error:
            pytest.fail(f"{shown(case, number)} hung its connection ({error})")
        if any(status >= 500 for status in answer.statuses):
            errors.append(f"{shown(case, number)} got {answer.statuses}")
        if health_status(server.port, server.health_path) != 200:
            pytest.fail(f"{shown(case, number)} left the server unhealthy")

    assert errors == [], f"{len(errors)} of {CASES} got a 5xx:\n" + "\n".join(errors[:20])
    assert server.tracebacks() == []
