"""HEAD wherever GET answers on the web app: the GET's status and headers, no body.

Sanic 21.12 adds no HEAD route of its own; the outside sweep found HEAD a 405 on
``/``, ``/health``, ``/sales`` and ``/api/leads``.
"""

from __future__ import annotations

import httpx
import pytest
from sanic import Sanic

from bot.web.routes import READ_METHODS
from tests.bot.web.sales.conftest import SeededLead


def test_every_get_route_of_the_app_takes_head(app: Sanic) -> None:
    routes = app.router.routes

    assert [route.path for route in routes if "GET" in route.methods - set(READ_METHODS)] == []
    assert [route.path for route in routes if "HEAD" in route.methods] != []


PAGES = [
    "/",
    "/how-we-work",
    "/health",
    "/sales",
    "/site/chat-config.js",
    "/site/site.css",
    "/widget/agency-chat.js",
    "/sales/static/inbox.js",
]
API = ["/api/leads", "/api/leads.csv", "/api/leads/{ada}", "/api/stats", "/api/openapi.json"]


def assert_head_is_get_without_body(http: httpx.Client, path: str) -> None:
    got = http.get(path)

    head = http.head(path)

    assert head.status_code == got.status_code
    assert dict(head.headers) == dict(got.headers)
    assert int(head.headers["content-length"]) == len(got.content)
    assert head.content == b""


@pytest.mark.parametrize("path", PAGES)
def test_head_of_a_page_or_file_is_its_get_without_the_body(
    anonymous: httpx.Client, path: str
) -> None:
    assert_head_is_get_without_body(anonymous, path)


@pytest.mark.parametrize("path", API)
def test_head_of_an_api_route_is_its_get_without_the_body(
    client: httpx.Client, seeded: dict[str, SeededLead], path: str
) -> None:
    assert_head_is_get_without_body(client, path.format(ada=seeded["ada"].lead.id))


def test_head_of_an_api_route_without_the_token_is_its_401(anonymous: httpx.Client) -> None:
    head = anonymous.head("/api/leads")

    assert head.status_code == 401
    assert head.headers["www-authenticate"].startswith("Bearer")
    assert head.content == b""
