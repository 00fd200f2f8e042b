"""JSON responses of the sales app, encoded the same way everywhere."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sanic.response import HTTPResponse
from sanic.response import json as sanic_json

from bot.web.sales.payloads import error_document


def json_response(
    body: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> HTTPResponse:
    """``body`` as ``application/json``.

    The standard library encodes it (ASCII-only output), not ujson, which Sanic
    prefers when installed: it escapes ``/`` and fails on lone surrogates.
    """
    return sanic_json(body, status=status, headers=dict(headers or {}), dumps=json.dumps)


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> HTTPResponse:
    """An error as ``{"error": {"code": ..., "message": ...}}``."""
    return json_response(error_document(code, message), status=status, headers=headers)
