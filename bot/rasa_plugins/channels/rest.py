"""Rasa's REST channel, same URL and same answers, with its input checked and its
failures seen.

Rasa's own ``RestInput`` takes any body, answers ``200 []`` when processing
fails (the visitor sees nothing) and logs the visitor's text with the error.
This one:

- issues sessions: ``POST /webhooks/rest/session`` answers a new conversation
  id and its token (:mod:`bot.rasa_plugins.channels.sessions`), and a message must carry
  that token (``Authorization: Bearer <token>``) or gets 401 with a reason,
  before anything touches its conversation;
- refuses what is not a chat message with a 4xx and a reason;
- answers a client over its rate (per client address, then per conversation)
  with 429 and a friendly reply;
- answers an empty or overlong message politely, without a turn;
- runs a few turns at once and queues the others (:mod:`bot.rasa_plugins.channels.admission`),
  answering 503 "busy, try again" to a message that waited too long;
- answers a failed turn with what the bot said and an apology, counted and
  logged without the text. A turn in which a custom action failed (the action
  server is down, say), which Rasa carries on with silently
  (:mod:`bot.rasa_plugins.channels.turn_failures`), has failed, and so has a turn that ends
  without a word: every turn of this bot answers. Only a typed chat command
  that Rasa ran without a word (``/faq`` alone, ``/session_start`` in the lead
  form) is told it was not understood, as no failure. Conversation ids stay out
  of its log lines, which name a conversation by a keyed fingerprint.

``credentials.yml`` selects it by class path.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa_patches import SERVING, install
from bot.rasa_patches.serving.remote_action_watch import (
    recording_failed_actions,
    set_timeout_seconds,
)
from bot.rasa_plugins.channels.admission import Busy, shared_admission
from bot.rasa_plugins.channels.inbound import (
    InboundError,
    InboundMessage,
    apology,
    busy,
    decode_json,
    is_command,
    parse_inbound,
    polite_refusal,
    slow_down,
    unknown_command,
)
from bot.rasa_plugins.channels.rate_limit import client_address, per_minute_limiter
from bot.rasa_plugins.channels.session_secret import process_signer
from bot.rasa_plugins.channels.sessions import SessionSigner, bearer_token
from bot.rasa_plugins.channels.turn_failures import (
    count_failed_message,
    failed_message_count,
    failure_report,
)
from bot.rasa_plugins.stores.tracker_store_health import tracker_store_reachable
from bot.settings import InputLimits, load_settings

logger = logging.getLogger(__name__)
JSON_CONTENT_TYPE = "application/json"


def _refused(status: int, reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=status)


def _unauthorised(reason: str) -> HTTPResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="chat"'}
    return response.json({"error": reason}, status=401, headers=headers)


def _replies(sender: str, text: str) -> HTTPResponse:
    return response.json([{"recipient_id": sender, "text": text}])


def _slowed_down(wait_seconds: float, sender: str | None) -> HTTPResponse:
    reply = {"recipient_id": sender, "text": slow_down()}
    headers = {"Retry-After": str(math.ceil(wait_seconds))}
    return response.json([reply], status=429, headers=headers)


def limit_request_bodies() -> None:
    """Caps the body of every request to the Rasa server at ``MAX_REQUEST_BYTES``
    (Sanic answers 413 unread): Sanic reads ``SANIC_*`` variables into the config
    of the app Rasa creates, whose default is 100 MB."""
    limit = load_settings().input_limits.max_request_bytes
    os.environ["SANIC_REQUEST_MAX_SIZE"] = str(limit)


def decode_body(request: Request) -> Any:
    """The request's JSON body.

    Raises:
        InboundError: 415 for another content type, 400 for a body that is not
            JSON in UTF-8 or is nested too deeply.
    """
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    if content_type != JSON_CONTENT_TYPE:
        raise InboundError(415, f"send the message as {JSON_CONTENT_TYPE}")
    return decode_json(request.body)


class GuardedRestInput(InputChannel):
    """``POST /webhooks/rest/webhook {"sender": ..., "message": ...}`` with the
    session's token, answered with the bot's messages as Rasa's REST channel
    answers them; ``POST /webhooks/rest/session`` for a new session."""

    def __init__(self, limits: InputLimits, agency_email: str, signer: SessionSigner) -> None:
        self.limits = limits
        self.agency_email = agency_email
        self.signer = signer
        self.sender_limiter = per_minute_limiter(limits.rate_limit_per_sender)
        self.address_limiter = per_minute_limiter(limits.rate_limit_per_ip)
        self.admission = shared_admission(limits.max_concurrent_turns, limits.max_turn_wait_seconds)

    @classmethod
    def name(cls) -> str:
        """The URL prefix (``/webhooks/rest``): the widget's, as with Rasa's channel."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedRestInput:
        """The channel with the limits of the process's settings and its signer."""
        settings = load_settings()
        set_timeout_seconds(settings.action_timeout_seconds)
        install(SERVING)  # bot.ops.rasa_server has, unless Rasa was started without it
        return cls(settings.input_limits, settings.agency_email, process_signer())

    def _wait_for_address(self, request: Request) -> float:
        """Seconds the request's client must wait (0: none), by its address."""
        if self.address_limiter is None:
            return 0.0
        forwarded_for = request.headers.get("x-forwarded-for")
        address = client_address(request.ip, forwarded_for, self.limits.trusted_proxies)
        return self.address_limiter.wait_seconds(address)

    async def _turn(
        self, inbound: InboundMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        """Runs the turn; the bot's answer, or what it said and an apology."""
        collector = CollectingOutputChannel()
        message = UserMessage(
            inbound.text,
            collector,
            inbound.sender,
            input_channel=self.name(),
            metadata=inbound.metadata,
        )
        conversation = self.signer.fingerprint(inbound.sender)
        try:
            async with self.admission.turn():
                with recording_failed_actions() as failed_actions:
                    await on_new_message(message)
        except Busy:
            logger.warning("No turn free for a message of conversation %s", conversation)
            reply = [{"recipient_id": inbound.sender, "text": busy()}]
            return response.json(reply, status=503, headers={"Retry-After": "5"})
        except Exception as error:  # the outermost edge: log it, count it, apologise
            report = failure_report(error, inbound.sender, conversation)
            logger.error("A message of conversation %s failed:\n%s", conversation, report)
            return self._apologise(inbound.sender, collector.messages)
        if not failed_actions and not collector.messages and is_command(inbound.text):
            # A typed command Rasa ran silently (/session_start in a form): no failure.
            logger.info("A command typed in conversation %s had no answer", conversation)
            return _replies(inbound.sender, unknown_command())
        if failed_actions or not collector.messages:
            reason = f"{', '.join(failed_actions)} failed" if failed_actions else "no answer"
            logger.error("A message of conversation %s failed: %s", conversation, reason)
            return self._apologise(inbound.sender, collector.messages)
        return response.json(collector.messages)

    def _apologise(self, sender: str, answered: list[dict[str, Any]]) -> HTTPResponse:
        """What the turn said before it failed, then the apology; the failure counted."""
        count_failed_message()
        sorry = {"recipient_id": sender, "text": apology(self.agency_email)}
        return response.json([*answered, sorry])

    def _refusal_of_token(self, request: Request, sender: str) -> HTTPResponse | None:
        """401 unless the request carries conversation ``sender``'s token, else None."""
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            return _unauthorised(
                "send the session's token: Authorization: Bearer <token>"
                " (POST /webhooks/rest/session starts a session)"
            )
        if not self.signer.verifies(sender, token):
            return _unauthorised(
                "the token is not this conversation's, or its session has ended:"
                " POST /webhooks/rest/session starts a new one"
            )
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The channel's routes: its health (the tracker store's database checked,
        failed turns counted; 503 when the database does not answer), sessions and
        the webhook."""
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            store = getattr(agent, "tracker_store", None)
            reachable = await tracker_store_reachable(store)
            body = {
                "status": "ok" if reachable else "degraded",
                "tracker_store": "ok" if reachable else "unreachable",
                "failed_messages": failed_message_count(),
            }
            return response.json(body, status=200 if reachable else 503)

        @webhook.route("/session", methods=["POST"])
        async def new_session(request: Request) -> HTTPResponse:
            # Issuing one stores nothing (the token is the id's HMAC): not rate limited.
            return response.json(self.signer.new_session().as_json())

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            wait = self._wait_for_address(request)
            if wait:
                return _slowed_down(wait, None)
            try:
                inbound = parse_inbound(decode_body(request))
            except InboundError as error:
                return _refused(error.status, error.reason)
            unauthorised = self._refusal_of_token(request, inbound.sender)
            if unauthorised is not None:
                return unauthorised
            if self.sender_limiter and (wait := self.sender_limiter.wait_seconds(inbound.sender)):
                return _slowed_down(wait, inbound.sender)
            refusal = polite_refusal(inbound.text, self.limits.max_message_chars)
            if refusal is not None:
                return _replies(inbound.sender, refusal)
            return await self._turn(inbound, on_new_message)

        return webhook
