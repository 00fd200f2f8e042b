"""Rasa's REST channel, same URL and same answers, with its input checked and its
failures seen.

Rasa's own ``RestInput`` takes any body, answers ``200 []`` when processing
fails (the visitor sees nothing) and logs the visitor's text with the error.
This one refuses what is not a chat message with a 4xx and a reason, answers an
empty or overlong message politely without a turn, and answers a failed turn
with an apology, counted and logged without the text. So is a turn in which a
custom action failed (the action server is down, say), which Rasa carries on
with silently (:mod:`bot.channels.turn_failures`), and a turn that ends without
a word: every turn of this bot answers.
``credentials.yml`` selects it by class path.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.inbound import (
    InboundError,
    InboundMessage,
    apology,
    parse_inbound,
    polite_refusal,
)
from bot.channels.turn_failures import recording_failed_actions, watch_remote_actions
from bot.settings import load_settings

logger = logging.getLogger(__name__)
JSON_CONTENT_TYPE = "application/json"


def _refused(status: int, reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=status)


def _replies(sender: str, text: str) -> HTTPResponse:
    return response.json([{"recipient_id": sender, "text": text}])


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
            JSON in UTF-8.
    """
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    if content_type != JSON_CONTENT_TYPE:
        raise InboundError(415, f"send the message as {JSON_CONTENT_TYPE}")
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InboundError(400, "the body is not valid JSON in UTF-8") from None


class GuardedRestInput(InputChannel):
    """``POST /webhooks/rest/webhook {"sender": ..., "message": ...}``, answered with
    the bot's messages as Rasa's REST channel answers them."""

    def __init__(self, max_message_chars: int, agency_email: str) -> None:
        self.max_message_chars = max_message_chars
        self.agency_email = agency_email
        self.failed_messages = 0

    @classmethod
    def name(cls) -> str:
        """The URL prefix (``/webhooks/rest``): the widget's, as with Rasa's channel."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedRestInput:
        """The channel with the limits of the process's settings."""
        watch_remote_actions()
        settings = load_settings()
        return cls(settings.input_limits.max_message_chars, settings.agency_email)

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
        try:
            with recording_failed_actions() as failed_actions:
                await on_new_message(message)
        except Exception:  # the outermost edge: log it, count it, apologise
            logger.exception("A message of conversation %s failed", inbound.sender)
            return self._apologise(inbound.sender, collector.messages)
        if failed_actions or not collector.messages:
            reason = f"{', '.join(failed_actions)} failed" if failed_actions else "no answer"
            logger.error("A message of conversation %s failed: %s", inbound.sender, reason)
            return self._apologise(inbound.sender, collector.messages)
        return response.json(collector.messages)

    def _apologise(self, sender: str, answered: list[dict[str, Any]]) -> HTTPResponse:
        """What the turn said before it failed, then the apology; the failure counted."""
        self.failed_messages += 1
        sorry = {"recipient_id": sender, "text": apology(self.agency_email)}
        return response.json([*answered, sorry])

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The channel's routes: its health (with failures counted) and the webhook."""
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "failed_messages": self.failed_messages})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                inbound = parse_inbound(decode_body(request))
            except InboundError as error:
                return _refused(error.status, error.reason)
            refusal = polite_refusal(inbound.text, self.max_message_chars)
            if refusal is not None:
                return _replies(inbound.sender, refusal)
            return await self._turn(inbound, on_new_message)

        return webhook
