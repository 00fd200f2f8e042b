"""A round-robin HTTP front for the scale-out test: ``python -m tests.system.scale.round_robin``.

Each request goes to the next backend in turn; with ``--per-conversation`` the
turn is counted per conversation (the JSON body's ``sender`` or ``sender_id``),
so a visitor's consecutive messages alternate between the replicas whatever
the other visitors do. A backend that refuses the connection is skipped (the
request never reached it, so sending it to the next one is safe) and counted;
a backend that fails after taking the request gets the client a 502, as a
load balancer does: the request may have been processed. ``GET /_front`` tells
how many requests each backend served and how many were failed over or lost.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterator

import aiohttp
from aiohttp import web

HOP_HEADERS = {"host", "content-length", "connection", "keep-alive", "transfer-encoding"}


class Front:
    """Forwards requests to ``backends`` in turn."""

    def __init__(self, backends: list[str], per_conversation: bool) -> None:
        self.backends = backends
        self.per_conversation = per_conversation
        self.turns: defaultdict[str, Iterator[int]] = defaultdict(self._cycle)
        self.served: Counter[str] = Counter()
        self.failed_over = 0
        self.lost = 0
        self.session: aiohttp.ClientSession | None = None

    def _cycle(self) -> Iterator[int]:
        return itertools.cycle(range(len(self.backends)))

    def _first_choice(self, body: bytes) -> int:
        key = ""
        if self.per_conversation:
            try:
                payload = json.loads(body)
                key = str(payload.get("sender") or payload.get("sender_id") or "")
            except (ValueError, AttributeError):
                key = ""
        return next(self.turns[key])

    async def forward(self, request: web.Request) -> web.StreamResponse:
        """Sends the request to a backend; see the module docstring for failures."""
        if request.path == "/_front":
            return web.json_response(
                {"served": self.served, "failed_over": self.failed_over, "lost": self.lost}
            )
        body = await request.read()
        first = self._first_choice(body)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        assert self.session is not None
        for offset in range(len(self.backends)):
            backend = self.backends[(first + offset) % len(self.backends)]
            try:
                async with self.session.request(
                    request.method, backend + request.path_qs, data=body, headers=headers
                ) as answer:
                    content = await answer.read()
                    self.served[backend] += 1
                    kept = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_HEADERS}
                    return web.Response(status=answer.status, body=content, headers=kept)
            except aiohttp.ClientConnectorError:
                self.failed_over += 1  # never reached that backend: the next one may take it
            except (aiohttp.ClientError, asyncio.TimeoutError):
                self.lost += 1
                return web.json_response({"error": f"{backend} failed mid-request"}, status=502)
        return web.json_response({"error": "no backend answers"}, status=503)


def make_app(backends: list[str], per_conversation: bool) -> web.Application:
    """The front as an aiohttp application."""
    front = Front(backends, per_conversation)

    async def open_session(_: web.Application) -> None:
        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=120)
        front.session = aiohttp.ClientSession(connector=connector, timeout=timeout)

    async def close_session(_: web.Application) -> None:
        if front.session is not None:
            await front.session.close()

    app = web.Application(client_max_size=1024**2)
    app.on_startup.append(open_session)
    app.on_cleanup.append(close_session)
    app.router.add_route("*", "/{tail:.*}", front.forward)
    return app


def main() -> None:
    """Serves the front until stopped."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backend", action="append", required=True, help="http://host:port")
    parser.add_argument("--per-conversation", action="store_true")
    args = parser.parse_args()
    app = make_app(args.backend, args.per_conversation)
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
