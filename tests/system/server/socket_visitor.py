"""A visitor on the Rasa server's socket.io channel: python-socketio's client, and a
long-polling connection spoken by hand for what no client library sends."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import requests
import socketio

REPLY_TIMEOUT_SECONDS = 30.0


class SocketVisitor:
    """Connects, asks for a session, sends messages and collects the bot's replies."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.sessions: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        self.client.on("bot_uttered", self.replies.put)
        self.client.on("session_confirm", self.sessions.put)

    async def connect(self, url: str, headers: dict[str, str] | None = None) -> None:
        """Connects to the server at ``url`` by long-polling (engine.io 4.15's websocket
        client needs a newer aiohttp than Rasa 3.6 allows)."""
        await self.client.connect(url, headers=headers or {}, transports=["polling"])

    async def session(self, payload: Any = None) -> dict[str, str]:
        """Sends ``session_request`` with ``payload`` (python-socketio's way: None sends
        no argument, a tuple several); the session the server confirmed,
        ``{"session_id": ..., "token": ...}``."""
        await self.client.emit("session_request", payload)
        return await asyncio.wait_for(self.sessions.get(), REPLY_TIMEOUT_SECONDS)

    async def new_session(self) -> dict[str, str]:
        """A new session, as a client without one asks for it."""
        return await self.session({})

    async def replies_to(self, payload: Any = None) -> list[str]:
        """Emits ``user_uttered`` with ``payload`` (as :meth:`session` sends it) and
        waits for the server's acknowledgement, which it sends once its handler
        has returned (a turn's last reply sent); the text of every bot message
        that came before it, in order: the turn's replies, after anything the
        connection was sent earlier (nothing, unless it overheard something).

        Raises:
            socketio.exceptions.TimeoutError: no acknowledgement within
                ``REPLY_TIMEOUT_SECONDS``.
        """
        await self.client.call("user_uttered", payload, timeout=REPLY_TIMEOUT_SECONDS)
        replies = []
        while not self.replies.empty():
            replies.append(str(self.replies.get_nowait().get("text", "")))
        return replies

    async def send(self, payload: Any = None) -> str:
        """Emits ``user_uttered`` with ``payload``; the text of the first reply
        (:meth:`replies_to`)."""
        replies = await self.replies_to(payload)
        assert replies, f"no reply to {payload!r}"
        return replies[0]

    async def close(self) -> None:
        """Disconnects."""
        await self.client.disconnect()


class PollingConnection:
    """An engine.io long-polling connection spoken by hand: each request's body as
    given, for payloads no client library sends."""

    def __init__(self, url: str) -> None:
        """Opens a connection (engine.io's handshake) to the server at ``url``."""
        self.http = requests.Session()
        handshake = self.http.get(f"{url}/socket.io/?EIO=4&transport=polling", timeout=10)
        handshake.raise_for_status()
        self.sid = json.loads(handshake.text[1:])["sid"]
        self.url = f"{url}/socket.io/?EIO=4&transport=polling&sid={self.sid}"

    def post(self, body: bytes) -> requests.Response:
        """Posts ``body``, a payload of packets (or not)."""
        return self.http.post(self.url, data=body, timeout=10)

    def poll(self) -> requests.Response:
        """The next long poll: what the server has queued for the connection, or
        the next thing it queues (at the latest its ping, every 25 s)."""
        return self.http.get(self.url, timeout=REPLY_TIMEOUT_SECONDS + 30)

    def join(self) -> None:
        """Joins the channel's namespace (socket.io's CONNECT)."""
        assert self.post(b"40").text == "OK"
        assert self.poll().text.startswith("40")

    def new_session(self) -> str:
        """Asks for a new session; the packet that confirms it."""
        assert self.post(b'42["session_request",{}]').text == "OK"
        return self.poll().text

    def close(self) -> None:
        """Closes the HTTP connections (not the engine.io one)."""
        self.http.close()
