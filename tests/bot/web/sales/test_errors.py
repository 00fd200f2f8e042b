"""The error handlers of the app, called in process: the right one per error, nothing leaked."""

from __future__ import annotations

import json
import logging

import pytest
from sanic import Sanic
from sanic.exceptions import NotFound, ServerError
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.leads.store import LeadNotFound, LeadStoreError
from bot.web.sales import errors
from bot.web.sales.auth import AuthenticationError
from bot.web.sales.params import InvalidRequestError, MalformedJsonError, UnsupportedMediaTypeError


def make_request(app: Sanic, path: str = "/api/leads", method: str = "GET") -> Request:
    return Request(path.encode(), {}, "1.1", method, None, app)


def body_of(response: HTTPResponse) -> dict[str, dict[str, str]]:
    assert response.body is not None
    return json.loads(response.body)


@pytest.mark.parametrize(
    ("error", "handler"),
    [
        (InvalidRequestError("x"), errors.request_problem),
        (MalformedJsonError("x"), errors.request_problem),
        (UnsupportedMediaTypeError("x"), errors.request_problem),
        (AuthenticationError("x"), errors.unauthorized),
        (LeadNotFound(3), errors.lead_not_found),
        (LeadStoreError("x"), errors.database_unavailable),
        (NotFound("x"), errors.sanic_error),
        (RuntimeError("x"), errors.internal_error),
        (KeyError("x"), errors.internal_error),
    ],
)
def test_each_error_finds_its_most_specific_handler(
    app: Sanic, error: Exception, handler: object
) -> None:
    assert app.error_handler.lookup(error, None) is handler


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidRequestError("x"), 422),
        (MalformedJsonError("x"), 400),
        (UnsupportedMediaTypeError("x"), 415),
    ],
)
def test_request_problems_map_to_their_status(app: Sanic, error: Exception, status: int) -> None:
    response = app.error_handler.response(make_request(app), error)

    assert response.status == status
    assert body_of(response)["error"]["message"] == "x"


def test_an_unexpected_error_is_logged_with_its_traceback_and_hidden_from_the_client(
    app: Sanic, caplog: pytest.LogCaptureFixture
) -> None:
    try:
        raise RuntimeError("secret detail: password=hunter2")
    except RuntimeError as error:
        raised = error

    with caplog.at_level(logging.ERROR, logger="bot.web.sales.errors"):
        response = app.error_handler.response(make_request(app), raised)

    assert response.status == 500
    assert response.content_type == "application/json"
    assert body_of(response)["error"]["code"] == "internal_error"
    assert b"hunter2" not in (response.body or b"")
    assert b"Traceback" not in (response.body or b"")
    record = next(record for record in caplog.records if record.name == "bot.web.sales.errors")
    assert record.exc_info is not None
    assert "/api/leads" in record.getMessage()


def test_a_database_error_is_logged_but_not_shown(
    app: Sanic, caplog: pytest.LogCaptureFixture
) -> None:
    error = LeadStoreError("could not list leads: OperationalError: no such table: leads")

    with caplog.at_level(logging.ERROR, logger="bot.web.sales.errors"):
        response = app.error_handler.response(make_request(app), error)

    assert response.status == 503
    assert b"no such table" not in (response.body or b"")
    assert "no such table" in caplog.text


def test_sanic_server_errors_are_hidden_like_any_other(app: Sanic) -> None:
    response = app.error_handler.response(make_request(app), ServerError("internal detail"))

    assert response.status == 500
    assert b"internal detail" not in (response.body or b"")
