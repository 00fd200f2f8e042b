"""The webhook channel against a real local HTTP receiver, and its signatures."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.delivery.channel import DeliveryError
from bot.delivery.webhook import WebhookChannel, sign, verify_signature
from bot.leads.store import Delivery
from bot.settings import WebhookSettings
from tests.bot.delivery.receiver import Receiver

SECRET = "s3cret"
BODY = b'{"event":"lead.created"}'


def test_signature_verifies_with_the_same_secret() -> None:
    header = sign(SECRET, 1_700_000_000, BODY)

    assert verify_signature(SECRET, header, BODY, now=1_700_000_010)


def test_signature_has_timestamp_and_hex_hmac() -> None:
    header = sign(SECRET, 1_700_000_000, BODY)

    timestamp, digest = header.split(",")
    assert timestamp == "t=1700000000"
    assert digest.startswith("v1=")
    assert len(digest) == len("v1=") + 64


def test_signature_rejects_a_changed_body() -> None:
    header = sign(SECRET, 1_700_000_000, BODY)

    assert not verify_signature(SECRET, header, BODY + b" ", now=1_700_000_000)


def test_signature_rejects_another_secret() -> None:
    header = sign("other", 1_700_000_000, BODY)

    assert not verify_signature(SECRET, header, BODY, now=1_700_000_000)


def test_signature_rejects_an_old_timestamp() -> None:
    header = sign(SECRET, 1_700_000_000, BODY)

    assert not verify_signature(SECRET, header, BODY, now=1_700_000_301)


def test_signature_accepts_any_of_several_v1_values() -> None:
    header = sign(SECRET, 1_700_000_000, BODY) + ",v1=" + "0" * 64

    assert verify_signature(SECRET, header, BODY, now=1_700_000_000)


def test_signature_of_text_equals_signature_of_its_utf8_bytes() -> None:
    assert sign(SECRET, 1, "café") == sign(SECRET, 1, "café".encode())


@given(st.one_of(st.none(), st.text()))
def test_verify_signature_never_raises_on_a_malformed_header(header: str | None) -> None:
    assert verify_signature(SECRET, header, BODY, now=0) in (True, False)


async def test_webhook_posts_signed_json_with_idempotency_key(
    receiver: Receiver, webhook: WebhookChannel, make_delivery: Callable[..., Delivery]
) -> None:
    delivery = make_delivery()

    detail = await webhook.send(delivery)

    assert detail == "HTTP 200"
    [post] = receiver.posts
    assert post.signature_valid
    assert post.headers["Idempotency-Key"] == delivery.idempotency_key
    assert post.headers["Content-Type"].startswith("application/json")
    assert post.document == {
        "event": delivery.event,
        "idempotency_key": delivery.idempotency_key,
        "lead": delivery.payload,
    }


async def test_webhook_sends_the_same_key_on_every_retry(
    receiver: Receiver, webhook: WebhookChannel, make_delivery: Callable[..., Delivery]
) -> None:
    receiver.fail_next = 1
    delivery = make_delivery()

    with pytest.raises(DeliveryError):
        await webhook.send(delivery)
    await webhook.send(delivery)

    assert [post.idempotency_key for post in receiver.posts] == [delivery.idempotency_key] * 2


@pytest.mark.parametrize("status", [500, 502, 503, 408, 429])
async def test_webhook_transient_status_is_retryable(
    receiver: Receiver, webhook: WebhookChannel, make_delivery: Callable[..., Delivery], status: int
) -> None:
    receiver.fail_next, receiver.failure_status = 1, status

    with pytest.raises(DeliveryError, match=f"HTTP {status}") as raised:
        await webhook.send(make_delivery())

    assert raised.value.retryable


@pytest.mark.parametrize("status", [400, 404, 422])
async def test_webhook_client_error_is_retryable_and_says_why(
    receiver: Receiver, webhook: WebhookChannel, make_delivery: Callable[..., Delivery], status: int
) -> None:
    receiver.fail_next, receiver.failure_status = 1, status

    with pytest.raises(DeliveryError, match="rejected the lead") as raised:
        await webhook.send(make_delivery())

    assert raised.value.retryable
    assert "will retry" in raised.value.detail


async def test_webhook_wrong_secret_is_refused_by_the_receiver(
    receiver: Receiver, make_delivery: Callable[..., Delivery]
) -> None:
    channel = WebhookChannel(WebhookSettings(receiver.url, "wrong"), timeout=5)
    try:
        with pytest.raises(DeliveryError, match="HTTP 401") as raised:
            await channel.send(make_delivery())
    finally:
        await channel.aclose()

    assert raised.value.retryable
    assert not receiver.posts[0].signature_valid


async def test_webhook_receiver_down_is_retryable(
    receiver: Receiver, webhook: WebhookChannel, make_delivery: Callable[..., Delivery]
) -> None:
    await receiver.stop()

    with pytest.raises(DeliveryError, match="request failed: ConnectError") as raised:
        await webhook.send(make_delivery())

    assert raised.value.retryable


async def test_webhook_slow_receiver_times_out_retryably(
    receiver: Receiver, make_delivery: Callable[..., Delivery]
) -> None:
    receiver.delay = 1.0
    channel = WebhookChannel(WebhookSettings(receiver.url, receiver.secret), timeout=0.1)
    try:
        with pytest.raises(DeliveryError, match=r"timed out after 0\.1s") as raised:
            await asyncio.wait_for(channel.send(make_delivery()), timeout=5)
    finally:
        await channel.aclose()

    assert raised.value.retryable


async def test_webhook_does_not_follow_redirects(make_delivery: Callable[..., Delivery]) -> None:
    def redirect(request: httpx.Request) -> httpx.Response:
        return httpx.Response(307, headers={"Location": "https://elsewhere.example/"})

    channel = WebhookChannel(
        WebhookSettings("https://sales.example/leads", SECRET),
        timeout=5,
        transport=httpx.MockTransport(redirect),
    )
    try:
        with pytest.raises(
            DeliveryError, match=re.escape("redirect to https://elsewhere.example/")
        ) as raised:
            await channel.send(make_delivery())
    finally:
        await channel.aclose()

    assert raised.value.retryable


async def test_webhook_signs_with_the_current_time(
    receiver: Receiver, make_delivery: Callable[..., Delivery]
) -> None:
    channel = WebhookChannel(
        WebhookSettings(receiver.url, receiver.secret), timeout=5, clock=lambda: 1_700_000_000.9
    )
    try:
        with pytest.raises(DeliveryError, match="HTTP 401"):  # far outside the tolerance
            await channel.send(make_delivery())
    finally:
        await channel.aclose()

    post = receiver.posts[0]
    assert post.headers["X-Agency-Signature"].startswith("t=1700000000,")
    assert verify_signature(
        receiver.secret, post.headers["X-Agency-Signature"], post.body, now=1_700_000_000
    )
