"""A visitor on the Rasa server's socket.io channel: python-socketio's client."""

from __future__ import annotations

import asyncio
from typing import Any

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

    async def send(self, payload: Any = None) -> str:
        """Emits ``user_uttered`` with ``payload`` (as :meth:`session` sends it); the
        text of the first reply."""
        await self.client.emit("user_uttered", payload)
        reply = await asyncio.wait_for(self.replies.get(), REPLY_TIMEOUT_SECONDS)
        await asyncio.sleep(0.3)  # the turn's later replies
        while not self.replies.empty():
            self.replies.get_nowait()
        return str(reply.get("text", ""))

    async def close(self) -> None:
        """Disconnects."""
        await self.client.disconnect()
