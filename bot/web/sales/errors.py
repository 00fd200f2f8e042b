"""Every error of the sales app as JSON ``{"error": {"code", "message"}}``, in one place.

Domain errors map to their status codes here; Sanic's own (unknown route,
wrong method, body too large) keep theirs; anything else is logged with its
traceback and answered with a 500 that reveals nothing of it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.conversations.events import TrackerStoreError
from bot.leads.store import LeadNotFound, LeadStoreError
from bot.web.sales.auth import AuthenticationError
from bot.web.sales.params import (
    InvalidRequestError,
    MalformedJsonError,
    RequestError,
    UnsupportedMediaTypeError,
)
from bot.web.sales.responses import error_response

logger = logging.getLogger(__name__)

ErrorHandler = Callable[[Request, Any], HTTPResponse]

# The client's own mistakes: their message is written for the client.
_REQUEST_PROBLEMS: dict[type[RequestError], tuple[int, str]] = {
    InvalidRequestError: (422, "invalid_request"),
    MalformedJsonError: (400, "malformed_json"),
    UnsupportedMediaTypeError: (415, "unsupported_media_type"),
}


def register_error_handlers(app: Sanic) -> None:
    """Makes every error response of ``app`` JSON (the most specific handler wins)."""
    handlers: dict[type[Exception], ErrorHandler] = {
        RequestError: request_problem,
        AuthenticationError: unauthorized,
        LeadNotFound: lead_not_found,
        LeadStoreError: database_unavailable,
        TrackerStoreError: tracker_store_unavailable,
        SanicException: sanic_error,
        Exception: internal_error,
    }
    for exception_class, handler in handlers.items():
        app.error_handler.add(exception_class, handler)


def request_problem(request: Request, error: RequestError) -> HTTPResponse:
    """422, 400 or 415: the request cannot be used as it is."""
    status, code = _REQUEST_PROBLEMS.get(type(error), (422, "invalid_request"))
    return error_response(status, code, str(error))


def unauthorized(request: Request, error: AuthenticationError) -> HTTPResponse:
    """401 with a ``WWW-Authenticate: Bearer`` challenge."""
    return error_response(
        401, "unauthorized", str(error), headers={"WWW-Authenticate": error.challenge}
    )


def lead_not_found(request: Request, error: LeadNotFound) -> HTTPResponse:
    """404: no lead has that id."""
    return error_response(404, "lead_not_found", str(error))


def database_unavailable(request: Request, error: LeadStoreError) -> HTTPResponse:
    """503: the lead store failed; the details go to the log, not to the client."""
    logger.error("lead store failed on %s %s: %s", request.method, request.path, error)
    return error_response(503, "database_unavailable", "the lead database is not available")


def tracker_store_unavailable(request: Request, error: TrackerStoreError) -> HTTPResponse:
    """503: Rasa's tracker store keeps nothing to read, or failed.

    Why nothing is kept (``memory``, no SQLite file yet) is told; a database
    failure goes to the log, not to the client.
    """
    message = str(error)
    if error.__cause__ is not None:  # a database error, with its details
        logger.error("tracker store failed on %s %s: %s", request.method, request.path, error)
        message = "the tracker store is not available"
    return error_response(503, "tracker_store_unavailable", message)


def sanic_error(request: Request, error: SanicException) -> HTTPResponse:
    """Sanic's own errors (unknown route, wrong method, body too large) with their status."""
    status = int(getattr(error, "status_code", 500) or 500)
    if status >= 500:
        return internal_error(request, error)
    headers = dict(getattr(error, "headers", None) or {})
    message = str(error) or HTTPStatus(status).phrase
    return error_response(status, _code(status), message, headers=headers)


def internal_error(request: Request, error: Exception) -> HTTPResponse:
    """500: logged with the traceback; the client learns only that it failed."""
    logger.error("unexpected error on %s %s", request.method, request.path, exc_info=error)
    return error_response(500, "internal_error", "the server failed; the error is logged")


def _code(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "error"
    return phrase.lower().replace(" ", "_").replace("-", "_").replace("'", "")
