"""Checks in front of the socket.io channel's engine.io server: requests from a
foreign Origin, and packets python-socketio cannot read.

Rasa builds its ``AsyncServer`` with ``cors_allowed_origins=[]``, which
switches engine.io's Origin check off: a page on any site could open a
websocket to the bot with a visitor's browser. And python-socketio decodes
each packet before any handler runs, so a packet that is not JSON (or is
nested too deeply for the parser) or an event that names no event raised in
engine.io's message handler, logged a traceback, and the client heard nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sanic import response
from sanic.request import Request
from socketio import packet

logger = logging.getLogger(__name__)
EVENT_TYPES = (packet.EVENT, packet.BINARY_EVENT)


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


def readable_packet(packet_class: Any, data: Any) -> bool:
    """Whether python-socketio can read engine.io message ``data``: JSON it can
    parse and, for an event, a list that starts with the event's name."""
    if not isinstance(data, str):
        return True  # a binary attachment: python-socketio checks its own
    try:
        decoded = packet_class(encoded_packet=data)
    except (ValueError, RecursionError):
        return False
    if decoded.packet_type not in EVENT_TYPES:
        return True
    return (
        isinstance(decoded.data, list) and bool(decoded.data) and isinstance(decoded.data[0], str)
    )


def answer_unreadable_packets(
    sio: Any, namespace: str, answer: Callable[[str], Awaitable[None]]
) -> None:
    """Has server ``sio`` call ``answer`` with the socket.io id of a connection
    that sent a packet it cannot read, instead of raising."""
    handle_message = sio.eio.handlers["message"]

    async def handle_readable(eio_sid: str, data: Any) -> Any:
        if readable_packet(sio.packet_class, data):
            return await handle_message(eio_sid, data)
        logger.info("Refused a socket.io packet it cannot read")
        sid = sio.manager.sid_from_eio_sid(eio_sid, namespace)
        if sid is not None:
            await answer(sid)
        return None

    sio.eio.on("message", handle_readable)
