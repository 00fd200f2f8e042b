"""PATCH /api/leads/<id>: sales change a lead's status and notes, and nothing else."""

from __future__ import annotations

import httpx
import pytest

from bot.leads.model import LeadStatus, StoredLead
from bot.leads.store import LeadRepository
from bot.web.sales.params import MAX_NOTES_LENGTH
from tests.bot.web.sales.conftest import HTML_NAME, SQL_COMPANY, error_of


def url_of(lead: StoredLead) -> str:
    return f"/api/leads/{lead.id}"


def test_patching_the_status_answers_the_updated_lead(
    client: httpx.Client, fresh_lead: StoredLead
) -> None:
    response = client.patch(url_of(fresh_lead), json={"status": "contacted"})

    assert response.status_code == 200
    lead = response.json()
    assert lead["status"] == "contacted"
    assert lead["notes"] == fresh_lead.notes
    assert lead["version"] == fresh_lead.version
    assert lead["updated_at"] > lead["created_at"]
    assert "transcript" in lead
    assert "deliveries" in lead


def test_a_patch_is_stored(
    client: httpx.Client, repository: LeadRepository, fresh_lead: StoredLead
) -> None:
    client.patch(url_of(fresh_lead), json={"status": "qualified", "notes": "Call on Monday"})

    stored = repository.get(fresh_lead.id)
    assert (stored.status, stored.notes) == (LeadStatus.QUALIFIED, "Call on Monday")
    assert client.get(url_of(fresh_lead)).json()["notes"] == "Call on Monday"


def test_patching_the_notes_keeps_the_status(
    client: httpx.Client, repository: LeadRepository, fresh_lead: StoredLead
) -> None:
    client.patch(url_of(fresh_lead), json={"status": "closed"})

    response = client.patch(url_of(fresh_lead), json={"notes": "Signed."})

    assert response.json()["status"] == "closed"
    assert repository.get(fresh_lead.id).status is LeadStatus.CLOSED


def test_notes_with_html_and_sql_are_stored_verbatim(
    client: httpx.Client, fresh_lead: StoredLead
) -> None:
    notes = f'{HTML_NAME}\n{SQL_COMPANY}\n"quoted" ünïcödé 🙂'

    response = client.patch(url_of(fresh_lead), json={"notes": notes})

    assert response.json()["notes"] == notes
    assert client.get(url_of(fresh_lead)).json()["notes"] == notes


def test_notes_of_the_maximum_length_are_accepted(
    client: httpx.Client, fresh_lead: StoredLead
) -> None:
    response = client.patch(url_of(fresh_lead), json={"notes": "n" * MAX_NOTES_LENGTH})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "application/merge-patch+json"]
)
def test_json_content_types_with_parameters_or_suffix_are_accepted(
    client: httpx.Client, fresh_lead: StoredLead, content_type: str
) -> None:
    response = client.patch(
        url_of(fresh_lead),
        content=b'{"status": "contacted"}',
        headers={"Content-Type": content_type},
    )

    assert response.status_code == 200


def test_patching_an_unknown_lead_answers_404(client: httpx.Client) -> None:
    response = client.patch("/api/leads/999999", json={"status": "closed"})

    assert response.status_code == 404
    assert error_of(response)["code"] == "lead_not_found"


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"],
)
def test_a_body_not_declared_as_json_answers_415(
    client: httpx.Client, fresh_lead: StoredLead, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}

    response = client.patch(url_of(fresh_lead), content=b'{"status": "closed"}', headers=headers)

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    "body", [b'{"status": ', b"{status: 'closed'}", b"\xff\xfe{}", b'{"notes": "a"} trailing']
)
def test_malformed_json_answers_400(
    client: httpx.Client, fresh_lead: StoredLead, body: bytes
) -> None:
    response = client.patch(
        url_of(fresh_lead), content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_json"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"{}", "empty"),
        (b"[]", "object"),
        (b'"closed"', "object"),
        (b'{"status": "won"}', "status"),
        (b'{"status": 1}', "status"),
        (b'{"status": null}', "status"),
        (b'{"notes": null}', "notes"),
        (b'{"notes": ["a"]}', "notes"),
        (b'{"id": 7}', "'id'"),
        (b'{"status": "closed", "email": "x@example.com"}', "'email'"),
        (b'{"status": "new", "status": "closed"}', "twice"),
        (b'{"notes": "' + b"n" * (MAX_NOTES_LENGTH + 1) + b'"}', "5000"),
    ],
)
def test_an_unusable_body_answers_422_with_the_reason_and_changes_nothing(
    client: httpx.Client,
    repository: LeadRepository,
    fresh_lead: StoredLead,
    body: bytes,
    reason: str,
) -> None:
    response = client.patch(
        url_of(fresh_lead), content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_request"
    assert reason in error["message"]
    assert repository.get(fresh_lead.id) == fresh_lead


def test_a_body_too_large_answers_json_413(client: httpx.Client, fresh_lead: StoredLead) -> None:
    body = b'{"notes": "' + b"n" * 400_000 + b'"}'

    response = client.patch(
        url_of(fresh_lead), content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert error_of(response)["code"] == "request_entity_too_large"
