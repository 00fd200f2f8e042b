"""A real local HTTP receiver for webhook tests: aiohttp on a free port."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.delivery.webhook import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verify_signature


@dataclass(frozen=True)
class ReceivedPost:
    """One POST as the receiver saw it, and the status it answered."""

    headers: dict[str, str]
    body: bytes
    status: int
    signature_valid: bool

    @property
    def idempotency_key(self) -> str:
        """The ``Idempotency-Key`` header."""
        return self.headers.get(IDEMPOTENCY_HEADER, "")

    @property
    def document(self) -> Any:
        """The parsed JSON body."""
        return json.loads(self.body)


class Receiver:
    """Records every POST; answers 401 to a bad signature, else 200 (or a failure on demand).

    Runs in the test's event loop; :meth:`stop` and :meth:`start` take it down
    and bring it back on the same port.
    """

    def __init__(self, secret: str, port: int) -> None:
        self.secret = secret
        self.port = port
        self.posts: list[ReceivedPost] = []
        self.fail_next = 0
        self.failure_status = 503
        self.delay = 0.0
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """Where the webhook channel should POST."""
        return f"http://127.0.0.1:{self.port}/leads"

    @property
    def successful(self) -> list[ReceivedPost]:
        """The POSTs answered with a 2xx status."""
        return [post for post in self.posts if 200 <= post.status < 300]

    def successful_keys(self) -> Counter[str]:
        """How many times each idempotency key was handled successfully."""
        return Counter(post.idempotency_key for post in self.successful)

    async def start(self) -> None:
        """Listens on ``port`` (again, after :meth:`stop`)."""
        app = web.Application()
        app.router.add_post("/leads", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True).start()

    async def stop(self) -> None:
        """Stops listening: connections are refused until :meth:`start`."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        if self.delay:
            await asyncio.sleep(self.delay)
        valid = verify_signature(self.secret, request.headers.get(SIGNATURE_HEADER), body)
        if not valid:
            status = 401
        elif self.fail_next > 0:
            self.fail_next -= 1
            status = self.failure_status
        else:
            status = 200
        self.posts.append(ReceivedPost(dict(request.headers), body, status, valid))
        return web.json_response({"status": status}, status=status)
