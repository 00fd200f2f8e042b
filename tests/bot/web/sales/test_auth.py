"""Every /api route wants ``Authorization: Bearer <SALES_API_TOKEN>``; nothing else gets in."""

from __future__ import annotations

import httpx
import pytest
from sanic import Sanic

from bot.web.sales.auth import AuthenticationError, check_authorization
from tests.bot.web.sales.conftest import API_TOKEN, SeededLead, error_of

# Each /api operation with a request that would succeed with the token.
API_OPERATIONS = {
    ("GET", "/api/leads"): {},
    ("GET", "/api/leads.csv"): {},
    ("GET", "/api/leads/{lead_id}"): {},
    ("PATCH", "/api/leads/{lead_id}"): {"json": {"notes": "written without a token"}},
    ("GET", "/api/openapi.json"): {},
    ("GET", "/api/stats"): {},
}
# Every GET answers HEAD too: without its body, so the 401's reason is left unread.
API_OPERATIONS.update(
    {("HEAD", path): {} for method, path in list(API_OPERATIONS) if method == "GET"}
)
WRONG_AUTHORIZATIONS = {
    "missing": None,
    "wrong token": f"Bearer {API_TOKEN}x",
    "token prefix": f"Bearer {API_TOKEN[:-1]}",
    "basic scheme": f"Basic {API_TOKEN}",
    "token without scheme": API_TOKEN,
    "scheme only": "Bearer",
}


def test_the_operations_checked_here_are_every_api_route(app: Sanic) -> None:
    routes = {
        (method, "/" + route.path.replace("<lead_id:int>", "{lead_id}"))
        for route in app.router.routes
        if route.path.startswith("api/")
        for method in route.methods
    }

    assert routes == set(API_OPERATIONS)


@pytest.mark.parametrize("authorization", WRONG_AUTHORIZATIONS.values(), ids=WRONG_AUTHORIZATIONS)
@pytest.mark.parametrize("operation", API_OPERATIONS, ids=lambda op: " ".join(op))
def test_api_routes_answer_401_without_the_right_bearer_token(
    anonymous: httpx.Client,
    seeded: dict[str, SeededLead],
    operation: tuple[str, str],
    authorization: str | None,
) -> None:
    method, path = operation
    headers = {"Authorization": authorization} if authorization is not None else {}
    url = path.format(lead_id=seeded["ada"].lead.id)

    response = anonymous.request(method, url, headers=headers, **API_OPERATIONS[operation])

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    if method != "HEAD":
        assert error_of(response)["code"] == "unauthorized"


def test_a_patch_without_the_token_changes_nothing(
    anonymous: httpx.Client, client: httpx.Client, seeded: dict[str, SeededLead]
) -> None:
    url = f"/api/leads/{seeded['ada'].lead.id}"

    anonymous.patch(url, json={"notes": "sneaky"}, headers={"Authorization": "Bearer nope"})

    assert client.get(url).json()["notes"] == seeded["ada"].lead.notes


def test_the_token_is_checked_before_the_parameters(anonymous: httpx.Client) -> None:
    response = anonymous.get("/api/leads", params={"status": "bogus"})

    assert response.status_code == 401


def test_a_wrong_token_is_told_apart_from_a_missing_one(anonymous: httpx.Client) -> None:
    missing = anonymous.get("/api/leads")
    wrong = anonymous.get("/api/leads", headers={"Authorization": "Bearer wrong"})

    assert "invalid_token" not in missing.headers["www-authenticate"]
    assert 'error="invalid_token"' in wrong.headers["www-authenticate"]


def test_a_token_with_non_ascii_bytes_is_refused_without_a_server_error(
    anonymous: httpx.Client,
) -> None:
    headers = {"Authorization": "Bearer tökén-ü".encode()}

    response = anonymous.get("/api/leads", headers=headers)

    assert response.status_code == 401


def test_the_scheme_is_case_insensitive(anonymous: httpx.Client) -> None:
    response = anonymous.get("/api/leads", headers={"Authorization": f"bearer {API_TOKEN}"})

    assert response.status_code == 200


def test_health_and_the_page_need_no_token(anonymous: httpx.Client) -> None:
    assert anonymous.get("/health").status_code == 200
    assert anonymous.get("/sales").status_code == 200


def test_without_a_configured_token_nothing_is_accepted() -> None:
    for token in (None, ""):
        with pytest.raises(AuthenticationError):
            check_authorization("Bearer ", token)
        with pytest.raises(AuthenticationError):
            check_authorization("Bearer anything", token)


def test_the_configured_token_is_accepted_with_surrounding_spaces() -> None:
    check_authorization(f"  Bearer   {API_TOKEN}  ", API_TOKEN)
