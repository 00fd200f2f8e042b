"""Security, caching and CORS headers for every response of the web app.

Each part of the app gets its own policy: the sales inbox and its API keep lead
data out of caches; the demo site may talk to the Rasa server; the widget's
assets may be cached and loaded by the configured site origins.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sanic.request import Request
from sanic.response import BaseHTTPResponse

from bot.settings import Settings

INBOX_PREFIX = "/sales"
INBOX_STATIC_PREFIX = "/sales/static/"
WIDGET_PREFIX = "/widget/"
SITE_PATHS = ("/", "/how-we-work")
SITE_STATIC_PREFIX = "/site/"

# The inbox loads its own script and style sheet and talks to its own API, nothing else.
INBOX_POLICY = (
    "default-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'; object-src 'none'"
)
# JSON and CSV are never rendered as documents.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
WIDGET_CACHE = "public, max-age=3600"

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def site_policy(settings: Settings) -> str:
    """The demo pages' policy: their own files, plus the Rasa server for the chat."""
    return (
        "default-src 'self'; "
        f"connect-src 'self' {_origin(settings.chat_server_url)}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
    )


def security_headers(path: str, settings: Settings) -> dict[str, str]:
    """The headers for a response to ``path``."""
    if path.startswith(WIDGET_PREFIX):
        return {"X-Content-Type-Options": "nosniff", "Cache-Control": WIDGET_CACHE}
    if path in SITE_PATHS or path.startswith(SITE_STATIC_PREFIX):
        return {
            **COMMON_HEADERS,
            "Content-Security-Policy": site_policy(settings),
            "Cache-Control": "no-cache",
        }
    inbox = path == INBOX_PREFIX or path.startswith(INBOX_PREFIX + "/")
    return {
        **COMMON_HEADERS,
        "Content-Security-Policy": INBOX_POLICY if inbox else API_POLICY,
        "Cache-Control": "no-cache" if path.startswith(INBOX_STATIC_PREFIX) else "no-store",
    }


def cors_headers(path: str, origin: str | None, settings: Settings) -> dict[str, str]:
    """CORS for the widget's assets: only the configured site origins may read them."""
    if not path.startswith(WIDGET_PREFIX) or origin is None:
        return {}
    if origin.rstrip("/") not in settings.site_origins:
        return {"Vary": "Origin"}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


async def add_headers(request: Request, response: BaseHTTPResponse) -> None:
    """Response middleware: adds the headers above where a handler set none."""
    settings: Settings = request.app.ctx.settings
    headers = {
        **security_headers(request.path, settings),
        **cors_headers(request.path, request.headers.get("origin"), settings),
    }
    for name, value in headers.items():
        if name not in response.headers:
            response.headers[name] = value
