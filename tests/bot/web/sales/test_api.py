"""Listing and reading leads over HTTP: filters, pages, order, details and errors."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine

from bot.leads.model import LeadKind, StoredLead
from bot.leads.store import LeadRepository
from bot.web.sales.params import DEFAULT_LIMIT
from tests.bot.leads.conftest import default_submission
from tests.bot.web.sales.conftest import (
    HTML_NAME,
    SEED,
    SEEDED_WINDOW,
    SQL_COMPANY,
    SeededLead,
    error_of,
)

NEWEST_FIRST = [key for key, *_ in reversed(SEED)]


def listed(client: httpx.Client, **params: Any) -> dict[str, Any]:
    response = client.get("/api/leads", params={**SEEDED_WINDOW, **params})
    assert response.status_code == 200, response.text
    return response.json()


def keys_of(page: dict[str, Any], seeded: dict[str, SeededLead]) -> list[str]:
    by_id = {seed.lead.id: key for key, seed in seeded.items()}
    return [by_id[lead["id"]] for lead in page["leads"]]


def test_health_says_ok(anonymous: httpx.Client) -> None:
    response = anonymous.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_leads_are_listed_newest_first(client: httpx.Client, seeded: dict[str, SeededLead]) -> None:
    page = listed(client)

    assert keys_of(page, seeded) == NEWEST_FIRST
    assert page["total"] == len(SEED)
    assert (page["limit"], page["offset"]) == (DEFAULT_LIMIT, 0)


def test_listed_leads_have_every_field_but_the_transcript(
    client: httpx.Client, seeded: dict[str, SeededLead]
) -> None:
    lead = listed(client)["leads"][-1]

    assert "transcript" not in lead
    assert lead["name"] == seeded["ada"].lead.submission.name
    assert lead["roles"] == list(seeded["ada"].lead.submission.roles)
    assert lead["created_at"] == "2024-05-01T09:00:00+00:00"
    assert set(lead["consent"]) == {"text", "given_at"}


def test_html_and_sql_text_comes_back_verbatim(
    client: httpx.Client, seeded: dict[str, SeededLead]
) -> None:
    lead = client.get(f"/api/leads/{seeded['html_sql'].lead.id}").json()

    assert lead["name"] == HTML_NAME
    assert lead["company"] == SQL_COMPANY
    assert lead["roles"] == ["<b>QA</b>", "1 OR 1=1"]


@pytest.mark.parametrize("status", ["new", "contacted", "qualified", "closed"])
def test_the_status_filter_keeps_only_that_status(
    client: httpx.Client, seeded: dict[str, SeededLead], status: str
) -> None:
    page = listed(client, status=status)

    expected = [key for key in NEWEST_FIRST if seeded[key].lead.status.value == status]
    assert keys_of(page, seeded) == expected
    assert page["total"] == len(expected)


WINDOWS = [
    pytest.param("2024-05-02", "2024-05-02", ["formulas", "html_sql"], id="one whole day"),
    pytest.param("2024-05-03", "2024-05-31", ["margaret", "linus", "grace"], id="from a date"),
    pytest.param("2024-05-01", "2024-05-01", ["ada"], id="to the end of a date"),
    pytest.param(
        "2024-05-02T10:00:00Z", "2024-05-02", ["formulas", "html_sql"], id="from inclusive"
    ),
    pytest.param("2024-05-02T10:00:01", "2024-05-02", ["formulas"], id="naive is utc"),
    pytest.param("2024-05-01", "2024-05-02T10:00:00", ["ada"], id="to exclusive"),
    pytest.param("2024-05-02T12:00:00+02:00", "2024-05-02", ["formulas", "html_sql"], id="offset"),
    pytest.param("2024-05-02T12:00:01+02:00", "2024-05-02", ["formulas"], id="offset later"),
]


@pytest.mark.parametrize(("created_from", "created_to", "expected"), WINDOWS)
def test_created_from_is_inclusive_and_created_to_exclusive_or_the_whole_day(
    client: httpx.Client,
    seeded: dict[str, SeededLead],
    created_from: str,
    created_to: str,
    expected: list[str],
) -> None:
    page = listed(client, created_from=created_from, created_to=created_to)

    assert keys_of(page, seeded) == expected


def test_limit_and_offset_page_through_the_same_order(
    client: httpx.Client, seeded: dict[str, SeededLead]
) -> None:
    pages = [listed(client, limit=4, offset=offset) for offset in (0, 4, 8)]

    assert [keys_of(page, seeded) for page in pages] == [NEWEST_FIRST[:4], NEWEST_FIRST[4:], []]
    assert {page["total"] for page in pages} == {len(SEED)}
    assert [(page["limit"], page["offset"]) for page in pages] == [(4, 0), (4, 4), (4, 8)]


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "status=NEW",
        "status=",
        "status=new&status=closed",
        "limit=0",
        "limit=501",
        "limit=ten",
        "limit=-1",
        "limit=1.5",
        "limit=%2B5",
        "offset=-1",
        "offset=99999999999999999999",
        "created_from=yesterday",
        "created_from=2024-13-01",
        "created_from=2024-05-02T25:00",
        "created_to=9999-12-31",
        "created_from=2024-05-03&created_to=2024-05-02",
        "created_from=2024-05-02T10:00:00&created_to=2024-05-02T10:00:00",
        "sort=name",
        "page=2",
        "kind=robot",
    ],
)
def test_unusable_query_parameters_answer_422_with_a_reason(
    client: httpx.Client, query: str
) -> None:
    response = client.get(f"/api/leads?{query}")

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_request"
    assert query.split("=")[0] in error["message"]


def test_a_lead_is_read_with_its_transcript_and_deliveries(
    client: httpx.Client, seeded: dict[str, SeededLead]
) -> None:
    stored = seeded["ada"].lead

    lead = client.get(f"/api/leads/{stored.id}").json()

    assert lead["id"] == stored.id
    assert lead["email"] == stored.submission.email
    assert [turn["text"] for turn in lead["transcript"]] == ["Hello from <ada>", "Happy to help!"]
    assert {turn["speaker"] for turn in lead["transcript"]} == {"visitor", "bot"}
    deliveries = {delivery["channel"]: delivery for delivery in lead["deliveries"]}
    assert deliveries["webhook"]["status"] == "delivered"
    assert deliveries["webhook"]["delivered_at"] is not None
    assert deliveries["webhook"]["event"] == "lead.created"
    assert deliveries["email"]["status"] == "failed"
    assert deliveries["email"]["attempts"] == 1
    assert deliveries["email"]["last_error"] == "SMTP 550 <no such user>"
    assert deliveries["email"]["delivered_at"] is None


def test_a_lead_without_deliveries_has_an_empty_list(
    client: httpx.Client, fresh_lead: StoredLead
) -> None:
    lead = client.get(f"/api/leads/{fresh_lead.id}").json()

    assert lead["deliveries"] == []


@pytest.mark.parametrize("lead_id", ["999999", "0", "-1", "2147483648", "99999999999999999999"])
def test_an_unknown_lead_id_answers_404(client: httpx.Client, lead_id: str) -> None:
    response = client.get(f"/api/leads/{lead_id}")

    assert response.status_code == 404
    assert error_of(response)["code"] == "lead_not_found"


@pytest.mark.parametrize("path", ["/nothing", "/api/nothing", "/api/leads/abc", "/api/leads/"])
def test_unknown_routes_answer_json_404(client: httpx.Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/leads"),
        ("DELETE", "/api/leads/1"),
        ("PUT", "/api/leads/1"),
        ("POST", "/health"),
    ],
)
def test_a_wrong_method_answers_json_405_with_allow(
    client: httpx.Client, method: str, path: str
) -> None:
    response = client.request(method, path)

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert "GET" in response.headers["allow"]


def test_api_responses_are_not_cached(client: httpx.Client) -> None:
    response = client.get("/api/leads")

    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_candidates_are_listed_apart_from_the_sales_requests(
    client: httpx.Client, lead_store: tuple[str, Engine]
) -> None:
    window = {"created_from": "2024-08-01", "created_to": "2024-08-31"}
    for number, kind in enumerate(LeadKind):
        moment = datetime(2024, 8, 10 + number, tzinfo=timezone.utc)
        LeadRepository(lead_store[1], clock=lambda moment=moment: moment).submit(
            default_submission(
                kind=kind,
                conversation_id=f"kinds-{number}",
                request_key=f"kinds-{number}",
                email=f"kinds{number}@example.com",
            )
        )

    def kinds(**params: str) -> list[str]:
        response = client.get("/api/leads", params={**window, **params})
        assert response.status_code == 200, response.text
        return [lead["kind"] for lead in response.json()["leads"]]

    assert kinds() == ["callback", "team"]  # the sales requests, newest first
    assert kinds(kind="candidate") == ["candidate"]
    assert kinds(kind="callback") == ["callback"]
