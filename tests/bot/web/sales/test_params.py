"""The pure parsing of query parameters and PATCH bodies (no server needed)."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.leads.model import LeadStatus
from bot.web.sales.params import (
    DEFAULT_LIMIT,
    InvalidRequestError,
    LeadChanges,
    LeadFilters,
    LeadPage,
    MalformedJsonError,
    RequestError,
    UnsupportedMediaTypeError,
    parse_instant,
    parse_lead_changes,
    parse_lead_filters,
    parse_lead_page,
    require_json,
)

UTC = timezone.utc
JSON = "application/json"


def test_an_empty_query_is_the_first_page_of_everything() -> None:
    assert parse_lead_page({}) == LeadPage(LeadFilters(), limit=DEFAULT_LIMIT, offset=0)


def test_a_full_query_is_parsed() -> None:
    page = parse_lead_page(
        {
            "status": ["qualified"],
            "created_from": ["2024-05-01"],
            "created_to": ["2024-05-02T10:30:00+02:00"],
            "limit": ["500"],
            "offset": ["20"],
        }
    )

    assert page == LeadPage(
        LeadFilters(
            status=LeadStatus.QUALIFIED,
            created_from=datetime(2024, 5, 1, tzinfo=UTC),
            created_to=datetime(2024, 5, 2, 8, 30, tzinfo=UTC),
        ),
        limit=500,
        offset=20,
    )


def test_the_export_filters_refuse_paging() -> None:
    with pytest.raises(InvalidRequestError, match="limit"):
        parse_lead_filters({"limit": ["10"]})


@pytest.mark.parametrize(
    ("text", "end_of_day", "expected"),
    [
        ("2024-05-02", False, datetime(2024, 5, 2, tzinfo=UTC)),
        ("2024-05-02", True, datetime(2024, 5, 3, tzinfo=UTC)),
        ("2024-05-02T10:00", True, datetime(2024, 5, 2, 10, tzinfo=UTC)),
        ("2024-05-02T10:00:00Z", False, datetime(2024, 5, 2, 10, tzinfo=UTC)),
        ("2024-05-02 10:00:00.500", False, datetime(2024, 5, 2, 10, 0, 0, 500000, tzinfo=UTC)),
        ("2024-05-02T00:30:00+02:00", False, datetime(2024, 5, 1, 22, 30, tzinfo=UTC)),
        ("2024-05-02T00:30:00-05:00", False, datetime(2024, 5, 2, 5, 30, tzinfo=UTC)),
    ],
)
def test_instants_are_utc(text: str, end_of_day: bool, expected: datetime) -> None:
    parsed = parse_instant("created_from", text, end_of_day=end_of_day)

    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "text", ["", "today", "2024-5-2", "2024-02-30", "02/05/2024", "2024-05-02T10:00:00 02:00"]
)
def test_instants_that_are_not_iso_8601_are_refused(text: str) -> None:
    with pytest.raises(InvalidRequestError, match="ISO-8601"):
        parse_instant("created_from", text)


@given(st.datetimes(timezones=st.timezones()))
def test_an_aware_datetime_round_trips_through_its_iso_form(moment: datetime) -> None:
    try:
        parsed = parse_instant("created_from", moment.isoformat())
    except InvalidRequestError:
        return  # out of range once converted to UTC (year 1 or 9999)
    # astimezone, not ==: Python never finds an ambiguous local time equal across zones
    assert parsed == moment.astimezone(UTC)
    assert parsed.tzinfo is UTC


@given(
    st.dictionaries(
        st.sampled_from(["status", "created_from", "created_to", "limit", "offset", "other"]),
        st.lists(st.text(max_size=40), min_size=1, max_size=2),
    )
)
def test_parsing_a_query_raises_nothing_but_invalid_request(query: dict[str, list[str]]) -> None:
    try:
        page = parse_lead_page(query)
    except InvalidRequestError:
        return
    assert 1 <= page.limit <= 500
    assert page.offset >= 0


@pytest.mark.parametrize(
    "content_type",
    [JSON, "Application/JSON", "application/json; charset=UTF-8", "application/merge-patch+json"],
)
def test_json_content_types_are_accepted(content_type: str) -> None:
    require_json(content_type)


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "",
        "text/plain",
        "text/json",
        "multipart/form-data",
        "application/json; charset=utf-16",
    ],
)
def test_other_content_types_are_refused(content_type: str | None) -> None:
    with pytest.raises(UnsupportedMediaTypeError):
        require_json(content_type)


def test_a_patch_body_is_parsed() -> None:
    changes = parse_lead_changes(JSON, b'{"status": "closed", "notes": "Won"}')

    assert changes == LeadChanges(status=LeadStatus.CLOSED, notes="Won")


def test_empty_notes_are_a_change() -> None:
    assert parse_lead_changes(JSON, b'{"notes": ""}') == LeadChanges(notes="")


def test_deeply_nested_json_is_malformed_not_a_crash() -> None:
    with pytest.raises(MalformedJsonError):
        parse_lead_changes(JSON, b"[" * 100_000 + b"]" * 100_000)


def test_a_number_with_too_many_digits_is_malformed_not_a_crash() -> None:
    with pytest.raises(MalformedJsonError):
        parse_lead_changes(JSON, b'{"notes": ' + b"9" * 5000 + b"}")


@given(st.binary(max_size=200), st.sampled_from([JSON, "text/plain", None]))
def test_parsing_any_body_raises_nothing_but_request_errors(
    body: bytes, content_type: str | None
) -> None:
    with contextlib.suppress(RequestError):
        parse_lead_changes(content_type, body)


@given(
    st.dictionaries(
        st.sampled_from(["status", "notes", "other"]),
        st.one_of(
            st.none(), st.integers(), st.text(max_size=20), st.sampled_from(["new", "closed"])
        ),
    )
)
def test_only_a_string_status_and_notes_get_through(document: dict[str, object]) -> None:
    try:
        changes = parse_lead_changes(JSON, json.dumps(document).encode())
    except InvalidRequestError:
        return
    assert set(document) <= {"status", "notes"}
    assert changes.status is None or document["status"] == changes.status.value
    assert changes.notes is None or document["notes"] == changes.notes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-02t10:00:00z", datetime(2024, 5, 2, 10, tzinfo=timezone.utc)),
        ("2024-05-02T10:00:00.1+02:00", datetime(2024, 5, 2, 8, 0, 0, 100000, tzinfo=timezone.utc)),
        (
            "2024-05-02T10:00:00.123456789Z",
            datetime(2024, 5, 2, 10, 0, 0, 123456, tzinfo=timezone.utc),
        ),
    ],
)
def test_every_rfc_3339_date_time_is_an_instant(text, expected):
    """OpenAPI's date-time format is RFC 3339's, wider than Python 3.10's fromisoformat."""
    assert parse_instant("created_from", text) == expected
