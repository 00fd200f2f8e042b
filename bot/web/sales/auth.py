"""The API token check: every ``/api`` route wants ``Authorization: Bearer <token>``."""

from __future__ import annotations

import hmac

from sanic.request import Request

REALM = "sales-inbox"


class AuthenticationError(Exception):
    """The request has no usable API token; the message says why.

    Args:
        reason: what was wrong, for the client.
        token_given: a Bearer token was sent but is not the right one.
    """

    def __init__(self, reason: str, *, token_given: bool = False) -> None:
        super().__init__(reason)
        self.token_given = token_given

    @property
    def challenge(self) -> str:
        """The ``WWW-Authenticate`` header's value (RFC 6750)."""
        if self.token_given:
            return f'Bearer realm="{REALM}", error="invalid_token"'
        return f'Bearer realm="{REALM}"'


def check_authorization(header: str | None, expected_token: str | None) -> None:
    """Accepts ``header`` if it is ``Bearer <expected_token>``.

    Compares in constant time. With no ``expected_token`` nothing is accepted.

    Raises:
        AuthenticationError: the header is missing, not Bearer, or the token is wrong.
    """
    if not header or not header.strip():
        raise AuthenticationError("send the API token as 'Authorization: Bearer <token>'")
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise AuthenticationError("the Authorization header must use the Bearer scheme")
    token = credentials.strip()
    if not token:
        raise AuthenticationError("the Bearer token is empty")
    # Sanic decodes headers as UTF-8 with surrogateescape: this gives back the bytes sent.
    sent = token.encode("utf-8", "surrogateescape")
    if not expected_token or not hmac.compare_digest(sent, expected_token.encode("utf-8")):
        raise AuthenticationError("the API token is not valid", token_given=True)


async def require_token(request: Request) -> None:
    """Request middleware of the API blueprints: lets only requests with the token through.

    Raises:
        AuthenticationError: see :func:`check_authorization`.
    """
    check_authorization(
        request.headers.get("authorization"), request.app.ctx.settings.sales_api_token
    )
