"""Checks in front of the socket.io channel's engine.io server: requests from a
foreign Origin, and payloads and packets engine.io or python-socketio cannot read.

Rasa builds its ``AsyncServer`` with ``cors_allowed_origins=[]``, which
switches engine.io's Origin check off: a page on any site could open a
websocket to the bot with a visitor's browser. And neither library expects a
client to send what it cannot decode: engine.io decodes a long-polling body or
a websocket frame (``7junk``, bytes that are not UTF-8, an empty packet, 17 or
more packets, JSON nested too deeply...) outside any error handling, and
python-socketio each packet (one that is not JSON, names no event or a
reserved one such as ``connect``, or is binary) before any handler runs. Each
such packet logged a traceback, and the client heard nothing.

Here engine.io's payloads are checked before engine.io reads them: one it
cannot read, or a packet a client does not send, closes the connection, as
engine.io does for a packet it refuses (a long-polling POST is answered 400).
A socket.io packet python-socketio cannot read is answered with a bot message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from engineio import packet as engineio_packet
from engineio import payload as engineio_payload
from sanic import response
from sanic.exceptions import WebsocketClosed
from sanic.request import Request
from socketio import packet
from websockets.exceptions import ConnectionClosed

logger = logging.getLogger(__name__)
# What engine.io takes from a client over long-polling: any other packet type it
# refuses by closing the connection (OPEN, PING, NOOP) or cannot even log (7-9).
POLLING_CLIENT_PACKETS = frozenset(
    {engineio_packet.CLOSE, engineio_packet.PONG, engineio_packet.MESSAGE, engineio_packet.UPGRADE}
)
# What python-socketio takes from a client: no CONNECT_ERROR, which only a server
# sends, and no binary events, which this channel has no use for.
SOCKETIO_CLIENT_PACKETS = frozenset({packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK})
# Event names the socket.io protocol reserves: python-socketio would call its
# own handlers (Rasa's ``connect(sid, environ, auth)``) with a client's arguments.
RESERVED_EVENTS = frozenset(
    {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"}
)
# What engine.io's decoding raises for input it cannot read (binascii.Error and
# UnicodeDecodeError are ValueErrors; KeyError for a JSONP form without its field).
DECODING_ERRORS = (ValueError, KeyError, IndexError, RecursionError)


def guard(
    sio: Any, namespace: str, origins: tuple[str, ...], answer: Callable[[str], Awaitable[None]]
) -> None:
    """Puts this module's checks in front of socket.io server ``sio``, whose
    blueprint is not registered yet (it routes requests to ``sio.eio.handle_request``
    as it is then): the Origin first, then the payload; ``answer`` is called
    with the socket.io id of a connection in ``namespace`` that sent a packet
    python-socketio cannot read."""
    close_on_unreadable_payloads(sio.eio)
    refuse_foreign_origins(sio.eio, origins)
    send_nothing_after_websockets(sio.eio)
    end_polls_on_close(sio.eio)
    answer_unreadable_packets(sio, namespace, answer)


def refuse_foreign_origins(engine: Any, origins: tuple[str, ...]) -> None:
    """Makes the engine.io server answer 403 to a request, long-polling or a
    websocket handshake, whose ``Origin`` is not one of ``origins`` (clients that
    send none, which browsers always send, are let through).

    engine.io's own check (``cors_allowed_origins``) would also add CORS headers
    to those sanic-cors adds for the whole Rasa server (``--cors``), and a
    browser refuses a doubled ``Access-Control-Allow-Origin``. Call it before
    the blueprint is registered, which routes requests to ``engine.handle_request``.
    """
    handle_request = engine.handle_request
    allowed = frozenset(origins)

    async def handle_site_requests(request: Request, *args: Any, **kwargs: Any) -> Any:
        origin = request.headers.get("origin")
        if origin is not None and origin not in allowed:
            logger.info("Refused a socket.io request from %r: not in SITE_ORIGINS", origin[:200])
            return response.json({"error": "this origin may not connect"}, status=403)
        return await handle_request(request, *args, **kwargs)

    engine.handle_request = handle_site_requests


def readable_payload(body: bytes) -> bool:
    """Whether engine.io can read long-polling POST ``body`` and takes each of its
    packets from a client."""
    try:
        decoded = engineio_payload.Payload(encoded_payload=body.decode("utf-8"))
    except DECODING_ERRORS:
        return False
    return all(each.packet_type in POLLING_CLIENT_PACKETS for each in decoded.packets)


def readable_frame(data: Any) -> bool:
    """Whether engine.io can read websocket frame ``data`` (text or bytes): one
    packet of a type it knows."""
    if not isinstance(data, (str, bytes)):
        return False
    try:
        decoded = engineio_packet.Packet(encoded_packet=data)
    except DECODING_ERRORS:
        return False
    return decoded.packet_type in range(len(engineio_packet.packet_names))


def close_on_unreadable_payloads(engine: Any) -> None:
    """Makes the engine.io server close a connection that sends a payload it cannot
    read (:func:`readable_payload`, :func:`readable_frame`) instead of raising:
    over long-polling the POST is answered 400 and a pending poll gets the CLOSE
    packet; a websocket is closed. Call it before the blueprint is registered."""
    handle_request = engine.handle_request

    async def handle_readable_payloads(request: Request, *args: Any, **kwargs: Any) -> Any:
        socket = engine.sockets.get(request.args.get("sid")) if request.method == "POST" else None
        if socket is None or socket.upgraded or readable_payload(request.body):
            return await handle_request(request, *args, **kwargs)
        logger.info("Closed a socket.io connection that sent a payload engine.io cannot read")
        await socket.close(wait=False, reason=engine.reason.TRANSPORT_ERROR)
        return response.json({"error": "engine.io cannot read this payload"}, status=400)

    engine.handle_request = handle_readable_payloads
    # engine.io's websocket handler builds its async driver's websocket class
    # (``engine._async["websocket"]``, shared by every server of the driver: this
    # server gets a copy) and reads each frame from its ``wait``, a None as the
    # client's close; Rasa's server has no other hook between a frame and decoding.
    websocket = engine._async["websocket"]
    if websocket is not None:  # None when Sanic serves no websockets
        engine._async = {**engine._async, "websocket": _reading_frames(websocket)}


def _reading_frames(websocket: type) -> type:
    class ReadableFramesWebSocket(websocket):
        async def __call__(self, environ: dict[str, Any]) -> Any:
            try:
                return await super().__call__(environ)
            finally:  # engine.io leaves a websocket whose upgrade failed open
                if self._sock is not None:
                    await self.close()

        async def wait(self) -> Any:
            # None is engine.io's "the client closed the socket". Sanic says so with
            # CancelledError (closed while waiting) or its own errors, which engine.io
            # does not catch while upgrading a long-polling connection: a client that
            # left after the upgrade's probe logged a traceback.
            try:
                data = await super().wait()
            except (asyncio.CancelledError, ConnectionClosed, WebsocketClosed):
                return None
            if readable_frame(data):
                return data
            logger.info("Closed a socket.io websocket that sent a frame engine.io cannot read")
            return None

    return ReadableFramesWebSocket


def send_nothing_after_websockets(engine: Any) -> None:
    """Has the engine.io server's route send no HTTP response on a connection its
    websocket handshake took over. engine.io's Sanic driver returns one when the
    websocket ends, which Sanic wrote onto the websocket's connection (a client
    that had left first: ``RuntimeError: Cannot call write() after write_eof()``,
    with its traceback). Install it last: Sanic reads the mark off the handler
    it routes requests to."""
    handle_request = engine.handle_request

    async def handle_http_requests(request: Request, *args: Any, **kwargs: Any) -> Any:
        answer = await handle_request(request, *args, **kwargs)
        if getattr(request.transport.get_protocol(), "websocket", None) is not None:
            return None
        return answer

    # Sanic sends nothing for a None its websocket handlers return, marked so.
    handle_http_requests.is_websocket = True  # type: ignore[attr-defined]
    engine.handle_request = handle_http_requests


def end_polls_on_close(engine: Any) -> None:
    """Makes a long-polling client's CLOSE packet answer its pending poll with the
    CLOSE packet, as engine.io's reference server does; engine.io left it to wait
    for up to its ping interval and timeout (45 s), and python-engineio's client,
    which waits for it to disconnect, for 30 s."""
    handle_disconnect = engine.handlers["disconnect"]

    async def end_poll(eio_sid: str, reason: Any = None) -> Any:
        socket = engine.sockets.get(eio_sid)
        if reason == engine.reason.CLIENT_DISCONNECT and socket is not None and not socket.upgraded:
            socket.queue.put_nowait(engineio_packet.Packet(engineio_packet.CLOSE))
        return await handle_disconnect(eio_sid, reason)

    engine.on("disconnect", end_poll)


def readable_packet(packet_class: Any, data: Any) -> bool:
    """Whether python-socketio can read engine.io message ``data`` from a client:
    text (engine.io hands over a message that is not a socket.io packet as JSON,
    and a binary attachment as bytes) that decodes to a packet a client sends: a
    CONNECT with an object or nothing, an event with a list that starts with the
    name of an event that is not reserved."""
    if not isinstance(data, str):
        return False
    try:
        decoded = packet_class(encoded_packet=data)
    except (ValueError, RecursionError):
        return False
    if decoded.packet_type == packet.CONNECT:
        return decoded.data is None or isinstance(decoded.data, dict)
    if decoded.packet_type != packet.EVENT:
        return decoded.packet_type in SOCKETIO_CLIENT_PACKETS
    event = decoded.data
    return (
        isinstance(event, list)
        and bool(event)
        and isinstance(event[0], str)
        and event[0] not in RESERVED_EVENTS
    )


def answer_unreadable_packets(
    sio: Any, namespace: str, answer: Callable[[str], Awaitable[None]]
) -> None:
    """Has server ``sio`` call ``answer`` with the socket.io id of a connection
    that sent a packet it cannot read, instead of raising; a connection that has
    not joined ``namespace``, where it could be answered, is closed. Packets that
    follow a CLOSE in the same payload are dropped: python-socketio has forgotten
    the connection (a CONNECT raised)."""
    engine = sio.eio
    handle_message = engine.handlers["message"]

    async def handle_readable(eio_sid: str, data: Any) -> Any:
        socket = engine.sockets.get(eio_sid)
        if socket is None or socket.closing or socket.closed:
            return None
        if readable_packet(sio.packet_class, data):
            return await handle_message(eio_sid, data)
        logger.info("Refused a socket.io packet it cannot read")
        sid = sio.manager.sid_from_eio_sid(eio_sid, namespace)
        if sid is None:
            await socket.close(wait=False, reason=engine.reason.TRANSPORT_ERROR)
        else:
            await answer(sid)
        return None

    engine.on("message", handle_readable)
