"""The webhook channel: each lead as a JSON POST signed with HMAC-SHA256.

The receiver checks ``X-Agency-Signature: t=<unix seconds>,v1=<hex>`` with
:func:`verify_signature`, where ``v1`` is the HMAC-SHA256, keyed with the shared
secret, of ``f"{t}.{body}"``; and it deduplicates on ``Idempotency-Key``, which
stays the same for every retry of one delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx

from bot.delivery.channel import DeliveryError
from bot.settings import WebhookSettings

if TYPE_CHECKING:
    from bot.leads.store import Delivery

SIGNATURE_HEADER = "X-Agency-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
USER_AGENT = "agency-bot-lead-delivery/1"
# Statuses that say "try later" rather than "this request is wrong".
_TRANSIENT_STATUSES = frozenset({408, 425, 429})
_EXCERPT_LENGTH = 200


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def _digest(secret: str, timestamp: int, body: bytes | str) -> str:
    message = f"{timestamp}.".encode() + _as_bytes(body)
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int, body: bytes | str) -> str:
    """The ``X-Agency-Signature`` value for ``body`` sent at ``timestamp``.

    Args:
        secret: the secret shared with the receiver.
        timestamp: Unix time in whole seconds.
        body: the exact request body (text is encoded as UTF-8).

    Returns:
        ``"t=<timestamp>,v1=<hex HMAC-SHA256 of f'{timestamp}.{body}'>"``.
    """
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def _parse_signature(header: str) -> tuple[int, list[str]] | None:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        return None
    return timestamp, signatures


def verify_signature(
    secret: str,
    header: str | None,
    body: bytes | str,
    *,
    tolerance_seconds: float = 300,
    now: float | None = None,
) -> bool:
    """Whether ``header`` is a valid, fresh signature of ``body`` with ``secret``.

    For receivers. Compares in constant time, accepts any of several ``v1``
    values (useful while rotating secrets) and rejects timestamps further than
    ``tolerance_seconds`` from ``now`` (Unix seconds, the current time by
    default) to limit replays. Never raises on a malformed header.
    """
    parsed = _parse_signature(header or "")
    if parsed is None:
        return False
    timestamp, signatures = parsed
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        return False
    expected = _digest(secret, timestamp, body)
    # Check every candidate so timing does not reveal which one matched.
    matches = [hmac.compare_digest(expected, candidate) for candidate in signatures]
    return any(matches)


def _excerpt(response: httpx.Response) -> str:
    text = " ".join(response.text.split())
    return text[:_EXCERPT_LENGTH] + ("…" if len(text) > _EXCERPT_LENGTH else "")


def _rejection(response: httpx.Response) -> DeliveryError:
    status = response.status_code
    reply = f": {_excerpt(response)}" if response.content else ""
    if status >= 500 or status in _TRANSIENT_STATUSES:
        return DeliveryError(f"HTTP {status} from the receiver{reply}")
    if 300 <= status < 400:
        where = response.headers.get("Location", "?")
        return DeliveryError(
            f"HTTP {status} redirect to {where} not followed; point SALES_WEBHOOK_URL at the "
            "final URL (will retry)"
        )
    # Other 4xx: the receiver or our settings are wrong. Keep the lead and let
    # max attempts decide, so fixing the receiver is enough to get it.
    return DeliveryError(
        f"HTTP {status}: the receiver rejected the lead{reply} — check SALES_WEBHOOK_URL and "
        "SALES_WEBHOOK_SECRET against the receiver (will retry)"
    )


class WebhookChannel:
    """POSTs each delivery to one URL with one reusable HTTP client.

    Args:
        settings: the receiver's URL and the signing secret.
        timeout: seconds allowed for each phase (connect, write, read).
        transport: replaces the network, for tests of edges we do not own.
        clock: the Unix time used in signatures.
    """

    name = "webhook"

    def __init__(
        self,
        settings: WebhookSettings,
        *,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._timeout = timeout
        self._clock = clock
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )

    def _request_body(self, delivery: Delivery) -> bytes:
        document = {
            "event": delivery.event,
            "idempotency_key": delivery.idempotency_key,
            "lead": delivery.payload,
        }
        try:
            text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError) as error:
            raise DeliveryError(f"payload is not JSON: {error}", retryable=False) from error
        return text.encode("utf-8")

    async def send(self, delivery: Delivery) -> str:
        """POSTs the delivery; see the module docstring for the format.

        Raises:
            DeliveryError: on a timeout, a connection error or a non-2xx
                status (retryable), or a payload that is not JSON (not).
        """
        body = self._request_body(delivery)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            IDEMPOTENCY_HEADER: delivery.idempotency_key,
            SIGNATURE_HEADER: sign(self._settings.secret, int(self._clock()), body),
        }
        try:
            response = await self._client.post(self._settings.url, content=body, headers=headers)
        except httpx.TimeoutException as error:
            raise DeliveryError(
                f"timed out after {self._timeout:g}s ({type(error).__name__})"
            ) from error
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise DeliveryError(f"request failed: {type(error).__name__}: {error}") from error
        if not response.is_success:
            raise _rejection(response)
        return f"HTTP {response.status_code}"

    async def aclose(self) -> None:
        """Closes the HTTP client and its connections."""
        await self._client.aclose()
