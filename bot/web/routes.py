"""What the routes of the web app share."""

from __future__ import annotations

# HTTP wants HEAD wherever GET is served (RFC 9110 9.3.2), and Sanic 21.12 adds no HEAD
# route itself (a HEAD was a 405). Sanic answers a HEAD with the GET handler's headers,
# its Content-Length included, and drops the body.
READ_METHODS = ("GET", "HEAD")
