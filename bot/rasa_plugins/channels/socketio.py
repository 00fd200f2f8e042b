"""Rasa's socket.io channel, same path and events, with its input checked and its
failures seen, as :mod:`bot.rasa_plugins.channels.rest` does for REST.

Rasa's ``SocketIOInput`` reads any ``user_uttered`` payload: a payload that is
not an object, or metadata that is not JSON, raises inside the event handler
(the client hears nothing), and so does an event without a payload; any length
goes to the model; a failed turn is silence; ``session_request`` joins any
session's room, so whoever knows a conversation's id hears its replies; and its
engine.io server takes connections, websockets included, from any Origin. This
channel:

- joins a ``session_request`` to its session only with the session's token
  (``{"session_id": ..., "token": ...}``, :mod:`bot.rasa_plugins.channels.sessions`); any
  other request (no payload, no token, a wrong one) gets a new session. It
  answers ``session_confirm`` with ``{"session_id": ..., "token": ...}`` (the
  object rasa-webchat reads), and really joins the session's room: Rasa 3.6
  calls python-socketio 5's ``enter_room`` coroutine without awaiting it;
- refuses, with a bot message, a ``user_uttered`` for a session the connection
  did not start or join that way (with session persistence; without it, Rasa
  answers each connection in a conversation of its own, whatever it names);
- answers a payload it cannot read (none at all, a packet that is not JSON or
  is nested too deeply, a binary or reserved event,
  :mod:`bot.rasa_plugins.channels.engineio_guards`),
  an empty or overlong message and a client over its rate (per address, then per
  conversation) with a bot message saying so, without a turn (socket.io has no
  status codes); closes a connection whose engine.io payload cannot be read;
- cleans the text and keeps only the page's URL of the metadata;
- answers a failed turn (an exception, a custom action that failed) with the
  apology, counted with the REST channel's failures;
- accepts connections, on both transports, only from ``SITE_ORIGINS`` (and from
  clients that send no Origin: not browsers, which do), where Rasa's takes any
  (:mod:`bot.rasa_plugins.channels.engineio_guards`).

``credentials.yml`` selects it by class path.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from bot.rasa_patches import SERVING, install
from bot.rasa_patches.serving.remote_action_watch import (
    recording_failed_actions,
    set_timeout_seconds,
)
from bot.rasa_plugins.channels.admission import Busy, shared_admission
from bot.rasa_plugins.channels.engineio_guards import guard
from bot.rasa_plugins.channels.inbound import (
    InboundError,
    apology,
    busy,
    decode_json,
    is_command,
    no_session,
    parse_inbound,
    polite_refusal,
    slow_down,
    unknown_command,
    unreadable,
)
from bot.rasa_plugins.channels.rate_limit import client_address, per_minute_limiter
from bot.rasa_plugins.channels.session_secret import process_signer
from bot.rasa_plugins.channels.sessions import ChatSession
from bot.rasa_plugins.channels.turn_failures import (
    count_failed_message,
    failure_report,
)
from bot.settings import load_settings

logger = logging.getLogger(__name__)
# The sender a payload is checked with when the conversation is the connection's
# own (no session persistence): only a stand-in, never a conversation's id.
CONNECTION_SENDER = "socketio-connection"
# Where a connection's socket.io session (python-socketio's, per connection)
# keeps the conversation it started or joined with its token.
JOINED = "conversation"

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel (same credentials) with the checks the module lists."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Takes ``SocketIOInput``'s arguments; limits, origins and the session
        secret come from the settings."""
        super().__init__(*args, **kwargs)
        settings = load_settings()
        set_timeout_seconds(settings.action_timeout_seconds)
        install(SERVING)  # bot.ops.rasa_server has, unless Rasa was started without it
        self.limits = settings.input_limits
        self.agency_email = settings.agency_email
        self.site_origins = settings.site_origins
        self.signer = process_signer()
        self.sender_limiter = per_minute_limiter(self.limits.rate_limit_per_sender)
        self.address_limiter = per_minute_limiter(self.limits.rate_limit_per_ip)
        self.admission = shared_admission(
            self.limits.max_concurrent_turns, self.limits.max_turn_wait_seconds
        )

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Rasa's blueprint, its message and session handlers wrapped in the checks."""
        blueprint = super().blueprint(self._answering_failures(on_new_message))
        assert self.sio is not None  # set by SocketIOInput.blueprint
        guard(self.sio, self.namespace or "/", self.site_origins, self._tell_unreadable)
        handlers = self.sio.handlers[self.namespace or "/"]
        rasas_message_handler = handlers[self.user_message_evt]

        # A client may emit an event with no payload, or with several.
        async def receive(sid: str, data: Any = None, *_: Any) -> None:
            checked = self._checked(sid, data, await self._joined(sid))
            if isinstance(checked, str):
                await self._say(sid, checked)
                return
            await rasas_message_handler(sid, checked)

        async def session_request(sid: str, data: Any = None, *_: Any) -> None:
            assert self.sio is not None
            session = self._requested_session(data)
            await self._join(sid, session.sender)
            confirmation = {"session_id": session.sender, "token": session.token}
            await self.sio.emit("session_confirm", confirmation, room=sid)

        self.sio.on(self.user_message_evt, receive, namespace=self.namespace)
        self.sio.on("session_request", session_request, namespace=self.namespace)
        return blueprint

    def _requested_session(self, data: Any) -> ChatSession:
        """The session a ``session_request`` holds the token of, else a new one."""
        session_id = data.get("session_id") if isinstance(data, dict) else None
        if isinstance(session_id, str) and self.signer.verifies(session_id, data.get("token")):
            return self.signer.session_for(session_id)
        return self.signer.new_session()

    async def _join(self, sid: str, session_id: str) -> None:
        """Makes ``session_id`` the connection's conversation, in place of any other."""
        assert self.sio is not None
        previous = await self._joined(sid)
        if self.session_persistence:
            if previous is not None and previous != session_id:
                await self.sio.leave_room(sid, previous, namespace=self.namespace)
            await self.sio.enter_room(sid, session_id, namespace=self.namespace)
        await self.sio.save_session(sid, {JOINED: session_id}, namespace=self.namespace)

    async def _joined(self, sid: str) -> str | None:
        """The conversation connection ``sid`` started or joined, if any."""
        assert self.sio is not None
        try:
            session = await self.sio.get_session(sid, namespace=self.namespace)
        except KeyError:  # the connection has just closed
            return None
        return session.get(JOINED)

    def _checked(self, sid: str, data: Any, joined: str | None) -> dict[str, Any] | str:
        """The payload for Rasa's handler, or what to tell the client instead;
        ``joined`` is the conversation the connection started or joined."""
        if self.address_limiter and self.address_limiter.wait_seconds(self._address(sid)):
            return slow_down()
        try:
            inbound = parse_inbound(self._as_rest_body(data))
        except InboundError as error:
            logger.info("Refused a socket.io message: %s", error.reason)
            return unreadable()
        conversation = self._conversation(sid, inbound.sender, joined)
        if conversation is None:
            logger.info("Refused a socket.io message for a conversation not joined")
            return no_session()
        if self.sender_limiter and self.sender_limiter.wait_seconds(conversation):
            return slow_down()
        refusal = polite_refusal(inbound.text, self.limits.max_message_chars)
        if refusal is not None:
            return refusal
        payload = {"message": inbound.text, self.metadata_key: inbound.metadata or {}}
        if self.session_persistence:
            payload["session_id"] = conversation
        return payload

    def _conversation(self, sid: str, sender: str, joined: str | None) -> str | None:
        """The conversation Rasa runs a message of connection ``sid`` in: with session
        persistence, the one it names if the connection started or joined it
        (``joined``), else None; without, the connection's own (Rasa's handler
        takes its id, whatever the payload names)."""
        if not self.session_persistence:
            return sid
        return sender if sender == joined else None

    def _as_rest_body(self, data: Any) -> Any:
        """The payload as the REST channel's body, for :func:`parse_inbound`."""
        if not isinstance(data, dict):
            return data
        metadata = data.get(self.metadata_key)
        if isinstance(metadata, str):
            metadata = decode_json(metadata)
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

    async def _tell_unreadable(self, sid: str) -> None:
        await self._say(sid, unreadable())

    def _answering_failures(self, on_new_message: OnNewMessage) -> OnNewMessage:
        async def run_turn(message: UserMessage) -> None:
            conversation = self.signer.fingerprint(message.sender_id)
            answered = _count_answers(message.output_channel)
            try:
                async with self.admission.turn():
                    with recording_failed_actions() as failed_actions:
                        await on_new_message(message)
            except Busy:
                await message.output_channel.send_text_message(message.sender_id, busy())
                return
            except Exception as error:  # the outermost edge: log it, count it, apologise
                report = failure_report(error, message.sender_id, conversation)
                logger.error("A message of conversation %s failed:\n%s", conversation, report)
                failed_actions = ["the turn"]
            if failed_actions:
                logger.error(
                    "A message of conversation %s failed: %s failed",
                    conversation,
                    ", ".join(failed_actions),
                )
                count_failed_message()
                await message.output_channel.send_text_message(
                    message.sender_id, apology(self.agency_email)
                )
            elif not answered and is_command(message.text or ""):
                # A typed command Rasa ran silently (/session_start in a form): no failure.
                logger.info("A command typed in conversation %s had no answer", conversation)
                await message.output_channel.send_text_message(message.sender_id, unknown_command())

        return run_turn


def _count_answers(output: OutputChannel) -> list[object]:
    """A list that grows by one for each message the turn sends through ``output``."""
    answers: list[object] = []
    send = output.send_response

    async def send_and_count(recipient_id: str, message: dict[str, Any]) -> None:
        answers.append(message)
        await send(recipient_id, message)

    output.send_response = send_and_count
    return answers
