"""The sales inbox page (Blueprint ``inbox``): ``GET /sales`` and its files under ``/sales/static``.

The HTML holds no lead data: the script asks for the API token and fetches
everything from the API, rendering it with DOM APIs only.
"""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file

from bot.web.routes import READ_METHODS
from bot.web.static_files import add_static_files

STATIC_DIR = Path(__file__).resolve().with_name("static")
PAGE_FILE = STATIC_DIR / "inbox.html"


def inbox_blueprint() -> Blueprint:
    """The page and its script and style sheet, served by the app itself (no CDN)."""
    blueprint = Blueprint("inbox")
    blueprint.add_route(inbox_page, "/sales", methods=READ_METHODS)
    add_static_files(blueprint, "/sales/static", STATIC_DIR, name="static")
    return blueprint


async def inbox_page(request: Request) -> HTTPResponse:
    """``GET /sales``: the single page of the sales inbox."""
    return await file(PAGE_FILE, mime_type="text/html; charset=utf-8")
