"""Rasa's socket.io channel, same path and events, with its input checked and its
failures seen, as :mod:`bot.channels.rest` does for REST.

Rasa's ``SocketIOInput`` reads any ``user_uttered`` payload: a payload that is
not an object, or metadata that is not JSON, raises inside the event handler
(the client hears nothing); any length goes to the model; a failed turn is
silence; and ``session_request`` takes any session id. This channel:

- answers a payload it cannot read, an empty or overlong message and a client
  over its rate (per address, then per conversation) with a bot message saying
  so, without a turn (socket.io has no status codes);
- cleans the text and keeps only the page's URL of the metadata;
- answers a failed turn (an exception, a custom action that failed) with the
  apology, counted with the REST channel's failures;
- gives a new random session id to a ``session_request`` whose id is not one,
  and really joins the session's room: Rasa 3.6 calls python-socketio 5's
  ``enter_room`` coroutine without awaiting it, so with ``session_persistence``
  its replies never reached the client.

``credentials.yml`` selects it by class path.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from bot.channels.admission import Busy, shared_admission
from bot.channels.inbound import (
    SENDER_ID,
    InboundError,
    apology,
    busy,
    parse_inbound,
    polite_refusal,
    slow_down,
    unreadable,
)
from bot.channels.rate_limit import client_address, per_minute_limiter
from bot.channels.turn_failures import (
    count_failed_message,
    recording_failed_actions,
    watch_remote_actions,
)
from bot.settings import load_settings

logger = logging.getLogger(__name__)
# The sender id a payload is checked with when the connection's id is the sender.
CONNECTION_SENDER = "socketio-connection"

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel (same credentials) with the checks the module lists."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Takes ``SocketIOInput``'s arguments; limits come from the settings."""
        super().__init__(*args, **kwargs)
        settings = load_settings()
        watch_remote_actions(settings.action_timeout_seconds)
        self.limits = settings.input_limits
        self.agency_email = settings.agency_email
        self.sender_limiter = per_minute_limiter(self.limits.rate_limit_per_sender)
        self.address_limiter = per_minute_limiter(self.limits.rate_limit_per_ip)
        self.admission = shared_admission(
            self.limits.max_concurrent_turns, self.limits.max_turn_wait_seconds
        )

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Rasa's blueprint, its message and session handlers wrapped in the checks."""
        blueprint = super().blueprint(self._answering_failures(on_new_message))
        assert self.sio is not None  # set by SocketIOInput.blueprint
        handlers = self.sio.handlers[self.namespace or "/"]
        rasas_message_handler = handlers[self.user_message_evt]

        async def receive(sid: str, data: Any) -> None:
            checked = self._checked(sid, data)
            if isinstance(checked, str):
                await self._say(sid, checked)
                return
            await rasas_message_handler(sid, checked)

        async def session_request(sid: str, data: Any) -> None:
            assert self.sio is not None
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not isinstance(session_id, str) or not SENDER_ID.fullmatch(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await self.sio.enter_room(sid, session_id, namespace=self.namespace)
            await self.sio.emit("session_confirm", session_id, room=sid)

        self.sio.on(self.user_message_evt, receive, namespace=self.namespace)
        self.sio.on("session_request", session_request, namespace=self.namespace)
        return blueprint

    def _checked(self, sid: str, data: Any) -> dict[str, Any] | str:
        """The payload for Rasa's handler, or what to tell the client instead."""
        if self.address_limiter and self.address_limiter.wait_seconds(self._address(sid)):
            return slow_down()
        try:
            inbound = parse_inbound(self._as_rest_body(data))
        except InboundError as error:
            logger.info("Refused a socket.io message: %s", error.reason)
            return unreadable()
        sender = sid if inbound.sender == CONNECTION_SENDER else inbound.sender
        if self.sender_limiter and self.sender_limiter.wait_seconds(sender):
            return slow_down()
        refusal = polite_refusal(inbound.text, self.limits.max_message_chars)
        if refusal is not None:
            return refusal
        payload = {"message": inbound.text, self.metadata_key: inbound.metadata or {}}
        if self.session_persistence:
            payload["session_id"] = inbound.sender
        return payload

    def _as_rest_body(self, data: Any) -> Any:
        """The payload as the REST channel's body, for :func:`parse_inbound`."""
        if not isinstance(data, dict):
            return data
        metadata = data.get(self.metadata_key)
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                raise InboundError(400, "the metadata is not JSON") from None
        sender = data.get("session_id") if self.session_persistence else CONNECTION_SENDER
        return {"sender": sender, "message": data.get("message"), "metadata": metadata}

    def _address(self, sid: str) -> str:
        assert self.sio is not None
        environ = self.sio.get_environ(sid, namespace=self.namespace) or {}
        request = environ.get("sanic.request")
        if request is None:
            return sid
        forwarded_for = request.headers.get("x-forwarded-for")
        return client_address(request.ip, forwarded_for, self.limits.trusted_proxies)

    async def _say(self, sid: str, text: str) -> None:
        assert self.sio is not None
        await self.sio.emit(self.bot_message_evt, {"text": text}, room=sid)

    def _answering_failures(self, on_new_message: OnNewMessage) -> OnNewMessage:
        async def run_turn(message: UserMessage) -> None:
            try:
                async with self.admission.turn():
                    with recording_failed_actions() as failed_actions:
                        await on_new_message(message)
            except Busy:
                await message.output_channel.send_text_message(message.sender_id, busy())
                return
            except Exception:  # the outermost edge: log it, count it, apologise
                logger.exception("A message of conversation %s failed", message.sender_id)
                failed_actions = ["the turn"]
            if failed_actions:
                logger.error(
                    "A message of conversation %s failed: %s failed",
                    message.sender_id,
                    ", ".join(failed_actions),
                )
                count_failed_message()
                await message.output_channel.send_text_message(
                    message.sender_id, apology(self.agency_email)
                )

        return run_turn
