"""Security and caching headers on every response of the sales app."""

from __future__ import annotations

from sanic.request import Request
from sanic.response import BaseHTTPResponse

PAGE_PREFIX = "/sales"
STATIC_PREFIX = "/sales/static/"

# The page loads its own script and style sheet and talks to its own API, nothing else.
PAGE_POLICY = (
    "default-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'; object-src 'none'"
)
# JSON and CSV are never rendered as documents.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def security_headers(path: str) -> dict[str, str]:
    """The headers for a response to ``path``.

    Lead data must not linger in caches: everything is ``no-store`` except the
    page's script and style sheet, which are revalidated.
    """
    page = path == PAGE_PREFIX or path.startswith(PAGE_PREFIX + "/")
    return {
        **COMMON_HEADERS,
        "Content-Security-Policy": PAGE_POLICY if page else API_POLICY,
        "Cache-Control": "no-cache" if path.startswith(STATIC_PREFIX) else "no-store",
    }


async def add_security_headers(request: Request, response: BaseHTTPResponse) -> None:
    """Response middleware: adds :func:`security_headers` where a handler set none."""
    for name, value in security_headers(request.path).items():
        if name not in response.headers:
            response.headers[name] = value
