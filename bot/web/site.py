"""The demo site (Blueprint ``site``): an agency landing page with the chat widget.

``/`` and ``/how-we-work`` are plain pages; ``/widget/`` serves the widget's
script and style sheet for any site that embeds it; ``/site/chat-config.js``
tells the demo pages' widget where the Rasa server is (from the settings).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file, raw

from bot.settings import Settings
from bot.web.routes import READ_METHODS
from bot.web.static_files import add_static_files

HERE = Path(__file__).resolve().parent
SITE_DIR = HERE / "site"
WIDGET_DIR = HERE / "widget"
PAGES = {"/": "index.html", "/how-we-work": "how-we-work.html"}


def site_blueprint() -> Blueprint:
    """The demo pages, their style sheet, the widget's config and its assets."""
    blueprint = Blueprint("site")
    for path, name in PAGES.items():
        # Not strict for "/": sanic-routing 0.7 fails on "//" (IndexError, a 500) when it is.
        blueprint.add_route(
            page_handler(name),
            path,
            methods=READ_METHODS,
            name=name.split(".")[0],
            strict_slashes=path != "/",
        )
    blueprint.add_route(chat_config, "/site/chat-config.js", methods=READ_METHODS)
    add_static_files(blueprint, "/site", SITE_DIR, name="site_files")
    add_static_files(blueprint, "/widget", WIDGET_DIR, name="widget_files")
    return blueprint


def page_handler(name: str) -> Callable[[Request], Coroutine[Any, Any, HTTPResponse]]:
    """A handler that serves one of the demo pages."""

    async def page(request: Request) -> HTTPResponse:
        return await file(SITE_DIR / name, mime_type="text/html; charset=utf-8")

    page.__name__ = f"page_{name.split('.')[0].replace('-', '_')}"
    return page


def widget_config(settings: Settings) -> dict[str, str]:
    """The demo pages' widget configuration (everything else is the widget's default)."""
    return {"serverUrl": settings.chat_server_url, "title": "Agency assistant"}


async def chat_config(request: Request) -> HTTPResponse:
    """``GET /site/chat-config.js``: ``window.AgencyChatConfig`` for the demo pages."""
    config = json.dumps(widget_config(request.app.ctx.settings))
    body = f"window.AgencyChatConfig = {config};\n".encode()
    return raw(body, content_type="text/javascript; charset=utf-8")
