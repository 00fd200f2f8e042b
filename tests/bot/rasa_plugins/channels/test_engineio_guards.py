"""The checks in front of the socket.io channel's engine.io server, in process: what
engine.io and python-socketio are let read (tests/system/server/test_socketio_channel.py
and the bad-input table send the same over real sockets)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from engineio import async_socket
from engineio import packet as engineio_packet
from socketio import packet

from bot.rasa_plugins.channels.engineio_guards import (
    readable_frame,
    readable_packet,
    readable_payload,
)
from bot.rasa_plugins.channels.socketio import GuardedSocketIOInput

MESSAGE = b'42["user_uttered",{"message":"hi","session_id":"x"}]'


@pytest.mark.parametrize(
    ("body", "readable"),
    [
        (MESSAGE, True),
        (b"\x1e".join([MESSAGE] * 16), True),
        (b"3", True),  # PONG
        (b"1", True),  # CLOSE
        (b"41\x1e1", True),  # socket.io's DISCONNECT, then engine.io's CLOSE
        (b"bAAAA", True),  # a binary message, base64: python-socketio's to check
        (b"", True),  # no packets
        (b"\x1e".join([MESSAGE] * 17), False),
        (b"7junk", False),
        (b"8", False),
        (b"9x", False),
        (b"0", False),  # OPEN, PING and NOOP come from a server only
        (b"2", False),
        (b"6", False),
        (b"\x00\x01\x02", False),
        (b"4\xff\xfe", False),
        (MESSAGE + b"\x1e", False),  # an empty packet
        (b"bA", False),
        (b"4" + b"[" * 30_000, False),
        (b"d=", False),
        (b"x", False),
    ],
)
def test_a_polling_payload_engineio_cannot_read_is_told_apart(body, readable):
    assert readable_payload(body) is readable


@pytest.mark.parametrize(
    ("frame", "readable"),
    [
        ('42["user_uttered",{"message":"hi"}]', True),
        ("2probe", True),  # the upgrade's PING
        ("5", True),
        ("6", True),
        (b"\x00\x01", True),  # a binary message: python-socketio's to check
        ("bAAAA", True),
        ("7junk", False),
        ("9", False),
        ("x", False),
        ("", False),
        ("bA", False),
        ("4" + "[" * 30_000, False),
        (None, False),
    ],
)
def test_a_websocket_frame_engineio_cannot_read_is_told_apart(frame, readable):
    assert readable_frame(frame) is readable


# socket.io packets as engine.io hands them over (its "4", a message, taken off).
@pytest.mark.parametrize(
    ("data", "readable"),
    [
        ('2["user_uttered",{"message":"hi"}]', True),
        ('2["session_request"]', True),
        ('21["user_uttered"]', True),  # with an acknowledgement id
        ('2["session_confirm","x"]', True),  # no handler: python-socketio drops it
        ("0", True),
        ('0{"token":"x"}', True),
        ('0"x"', False),  # a CONNECT's authentication is an object
        ("0[1]", False),
        ("1", True),
        ("3[]", True),
        (b"\x00binary attachment", False),  # this channel takes no binary events
        ('51-["user_uttered",{"_placeholder":true,"num":0}]', False),
        ('61-[{"_placeholder":true,"num":0}]', False),
        ('4{"message":"x"}', False),  # CONNECT_ERROR comes from a server only
        ("9", False),
        ('2["connect"]', False),
        ('2["disconnect",1]', False),
        ('2["connect_error"]', False),
        ('2["user_uttered",' + "[" * 100_000, False),
        ('2["user_uttered",{', False),
        ("2", False),
        ("2{}", False),
        ("2[]", False),
        ("2[5]", False),
        ('2"user_uttered"', False),
        ("x", False),
        ("", False),
        ({}, False),  # engine.io decodes a message that is not a socket.io packet as JSON
        (None, False),
    ],
)
def test_a_packet_python_socketio_cannot_read_is_told_apart(data, readable):
    assert readable_packet(packet.Packet, data) is readable


async def nothing(message) -> None:
    return None


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The socket.io channel's engine.io server, its guards installed."""
    monkeypatch.setenv("RATE_LIMIT_PER_IP", "0")
    channel = GuardedSocketIOInput(session_persistence=True)
    channel.blueprint(nothing)
    assert channel.sio is not None
    return channel.sio.eio


class Frames:
    """A websocket's receiving end (the network edge of engine.io's Sanic driver)."""

    def __init__(self, *frames: str | bytes) -> None:
        self.frames = list(frames)

    async def recv(self) -> str | bytes:
        return self.frames.pop(0)


async def test_a_websocket_frame_engineio_cannot_read_reaches_it_as_the_clients_close(engine):
    websocket = engine._async["websocket"](handler=None, server=engine)
    websocket._sock = Frames("7junk", '42["user_uttered"]', b"\x00")

    assert [await websocket.wait() for _ in range(3)] == [None, '42["user_uttered"]', b"\x00"]


async def test_a_clients_close_answers_its_pending_long_poll(engine):
    socket = async_socket.AsyncSocket(engine, "eio-sid")
    socket.connected = True
    engine.sockets["eio-sid"] = socket
    pending_poll = asyncio.ensure_future(socket.handle_get_request({}))

    await socket.receive(engineio_packet.Packet(engineio_packet.CLOSE))

    answered = await asyncio.wait_for(pending_poll, 30)  # engine.io's own: 45 s
    assert [each.packet_type for each in answered] == [engineio_packet.CLOSE]
    assert socket.closed
