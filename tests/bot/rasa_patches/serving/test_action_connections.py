"""Rasa's action endpoint over kept-alive connections, against a real local HTTP server."""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp.web
import pytest
from rasa.core.utils import AvailableEndpoints
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bot.rasa_patches.serving.action_connections import (
    IDLE_SECONDS,
    DomainEncoder,
    KeptAliveEndpointConfig,
    domain_part,
)
from bot.rasa_patches.serving.agent_loading import (
    closing_action_connections,
    loading_kept_alive_then_frozen,
)

DOMAIN = {"intents": ["greet"], "responses": {"utter_greet": [{"text": "Hi é"}]}}


@dataclass
class Receiver:
    """A local action server stand-in: answers each POST with its JSON body echoed,
    and remembers the client address (one per connection) of each request."""

    url: str
    peers: list[tuple[str, int]] = field(default_factory=list)
    bodies: list[Any] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async def handle(request: aiohttp.web.Request) -> aiohttp.web.Response:
        found.peers.append(request.transport.get_extra_info("peername"))
        found.headers.append(dict(request.headers))
        body = await request.json()
        found.bodies.append(body)
        if body.get("fail"):
            return aiohttp.web.json_response({"action_name": "x", "error": "no"}, status=400)
        return aiohttp.web.json_response({"events": [], "echo": body})

    app = aiohttp.web.Application()
    app.router.add_post("/webhook", handle)
    runner = aiohttp.web.AppRunner(app)
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    found = Receiver(f"http://127.0.0.1:{port}/webhook")
    yield found
    await runner.cleanup()


async def test_calls_share_one_connection(receiver):
    endpoint = KeptAliveEndpointConfig(receiver.url)
    answers = [await endpoint.request(json={"call": number}) for number in range(3)]
    await endpoint.close()
    assert [answer["echo"] for answer in answers] == [{"call": 0}, {"call": 1}, {"call": 2}]
    assert len(set(receiver.peers)) == 1


async def test_rasa_s_own_endpoint_opens_a_connection_per_call(receiver):
    endpoint = EndpointConfig(receiver.url)
    for number in range(3):
        await endpoint.request(json={"call": number})
    assert len(set(receiver.peers)) == 3


async def test_an_error_answer_raises_as_rasa_s_endpoint_does(receiver):
    endpoint = KeptAliveEndpointConfig(receiver.url)
    with pytest.raises(ClientResponseError) as raised:
        await endpoint.request(json={"fail": True})
    answer = await endpoint.request(json={"after": "the error"})
    await endpoint.close()
    assert raised.value.status == 400
    assert b'"error": "no"' in raised.value.text
    assert answer["echo"] == {"after": "the error"}


async def test_a_closed_endpoint_opens_a_new_connection_on_the_next_call(receiver):
    endpoint = KeptAliveEndpointConfig(receiver.url)
    await endpoint.request(json={})
    await endpoint.close()
    await endpoint.request(json={})
    await endpoint.close()
    assert len(set(receiver.peers)) == 2


async def test_the_copy_keeps_url_headers_token_and_options(receiver):
    rasa_endpoint = EndpointConfig(
        receiver.url,
        headers={"Authorization": "Bearer s3cret"},
        token="t0ken",
        enable_selective_domain=True,
    )
    endpoint = KeptAliveEndpointConfig.from_endpoint(rasa_endpoint)
    await endpoint.request(json={})
    await endpoint.close()
    assert receiver.headers[0]["Authorization"] == "Bearer s3cret"
    assert endpoint.kwargs == {"enable_selective_domain": True}
    assert (endpoint.token, endpoint.copy().url) == ("t0ken", receiver.url)


def test_the_server_loads_its_agent_with_a_kept_alive_action_endpoint_then_freezes():
    loaded_with = []

    async def load(model_path: str, endpoints: AvailableEndpoints, *args: Any) -> str:
        loaded_with.append(endpoints.action)
        return "agent"

    endpoints = AvailableEndpoints(action=EndpointConfig("http://127.0.0.1:9/webhook"))
    load_agent_on_start = loading_kept_alive_then_frozen(load)
    try:
        agent = asyncio.run(load_agent_on_start("model", endpoints, None, None, None))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert agent == "agent"
    assert type(loaded_with[0]) is KeptAliveEndpointConfig
    assert loaded_with[0].url == "http://127.0.0.1:9/webhook"


async def test_the_server_closes_the_connections_when_it_stops(receiver):
    from rasa.core.agent import Agent
    from sanic import Sanic

    closed = []

    async def close(app: Any, loop: asyncio.AbstractEventLoop) -> None:
        closed.append(app)

    endpoint = KeptAliveEndpointConfig(receiver.url)
    await endpoint.request(json={})
    app = Sanic("closes_connections")
    app.ctx.agent = Agent(action_endpoint=endpoint)
    await closing_action_connections(close)(app, asyncio.get_running_loop())
    assert closed == [app]
    assert endpoint._shared is None


@pytest.mark.parametrize(
    "body",
    [
        {"next_action": "validate_lead_form", "tracker": {"events": []}, "domain": DOMAIN},
        {"domain": DOMAIN},
        {"next_action": "action_submit_lead", "tracker": {"slots": {"email": "a@b.example"}}},
        [1, "two"],
    ],
)
def test_a_call_is_encoded_to_the_same_json_value(body):
    encode = DomainEncoder()
    assert json.loads(encode(body)) == body
    assert json.loads(encode(body)) == body  # the domain's encoding reused


def test_a_new_domain_is_encoded_anew():
    encode = DomainEncoder()
    encode({"domain": DOMAIN})
    other = {**DOMAIN, "intents": ["bye"]}
    assert json.loads(encode({"domain": other})) == {"domain": other}


FULL_DOMAIN = {
    "forms": {"lead_form": {"required_slots": ["email"]}},
    "slots": {"email": {"type": "text"}},
    "responses": {"utter_lead_consent": [{"text": "May we?"}], "utter_greet": [{"text": "Hi"}]},
}


def test_a_domain_part_is_its_sections_and_entries_named():
    parts = ["forms", "responses.utter_lead_consent", "responses.utter_gone", "intents"]

    assert domain_part(FULL_DOMAIN, parts) == {
        "forms": FULL_DOMAIN["forms"],
        "responses": {"utter_lead_consent": [{"text": "May we?"}]},
    }


def test_an_action_with_parts_is_sent_only_those_the_others_the_whole_domain():
    encode = DomainEncoder({"validate_lead_form": ["forms", "slots"]})
    validation = {"next_action": "validate_lead_form", "tracker": {}, "domain": FULL_DOMAIN}
    summary = {"next_action": "action_show_lead_summary", "domain": FULL_DOMAIN}

    for _ in range(2):  # the second time from the encodings kept
        assert json.loads(encode(validation))["domain"] == {
            "forms": FULL_DOMAIN["forms"],
            "slots": FULL_DOMAIN["slots"],
        }
        assert json.loads(encode(summary)) == summary


async def test_the_endpoint_takes_the_parts_from_its_configuration(receiver):
    endpoint = EndpointConfig.from_dict(
        {"url": receiver.url, "domain_parts": {"validate_lead_form": ["slots"]}}
    )
    kept_alive = KeptAliveEndpointConfig.from_endpoint(endpoint)

    await kept_alive.request(json={"next_action": "validate_lead_form", "domain": FULL_DOMAIN})
    await kept_alive.close()

    assert receiver.bodies == [
        {"next_action": "validate_lead_form", "domain": {"slots": FULL_DOMAIN["slots"]}}
    ]


async def test_the_action_server_receives_the_domain_each_call(receiver):
    endpoint = KeptAliveEndpointConfig(receiver.url)
    for number in range(2):
        await endpoint.request(json={"call": number, "domain": DOMAIN})
    await endpoint.close()
    assert receiver.bodies == [{"call": 0, "domain": DOMAIN}, {"call": 1, "domain": DOMAIN}]


def test_the_action_server_keeps_an_idle_connection_longer_than_rasa_s_side_does():
    script = (
        "from bot.ops.action_server import create_app\n"
        "from bot.settings import load_settings\n"
        "app = create_app('actions', load_settings({}))\n"
        "print(app.config.KEEP_ALIVE, app.config.KEEP_ALIVE_TIMEOUT)\n"
    )
    printed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    keep_alive, timeout = printed[-2:]
    assert keep_alive == "True"
    assert float(timeout) > IDLE_SECONDS
