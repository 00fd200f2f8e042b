"""GET /api/leads.csv, and the CSV itself: one row per lead, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from bot.leads.model import StoredLead
from bot.leads.store import LeadRepository
from bot.web.sales.csv_export import (
    BYTE_ORDER_MARK,
    COLUMNS,
    FORMULA_STARTS,
    csv_document,
    lead_row,
    leads_csv,
    neutralise,
)
from tests.bot.leads.conftest import Clock, default_submission
from tests.bot.web.sales.conftest import (
    FORMULA_NAME,
    HTML_NAME,
    SEED,
    SEEDED_WINDOW,
    SQL_COMPANY,
    SeededLead,
    at,
    error_of,
)

# The outside sweep's company: read with ";" as the separator, its middle was a cell.
SEMICOLON_FORMULA = "Acme;=cmd|' /C calc'!A0;x"
# What a spreadsheet evaluates at the start of a cell once spaces and quotes are dropped.
FORMULA_SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
SEPARATORS = [",", ";", "\t"]


def cells_split_at(text: str, separator: str) -> list[str]:
    """The cells a spreadsheet splitting ``text`` at ``separator`` may see: as a CSV reader
    reads them, and as one ignoring quotes (splitting lines too) does."""
    body = text.removeprefix(BYTE_ORDER_MARK)
    read = csv.reader(io.StringIO(body, newline=""), delimiter=separator)
    naive = (cell for line in re.split("\r\n|\r|\n", body) for cell in line.split(separator))
    return [*(cell for row in read for cell in row), *naive]


def formula_cells(text: str, separator: str) -> list[str]:
    """The cells of ``text`` split at ``separator`` that start like a formula."""
    return [
        cell
        for cell in cells_split_at(text, separator)
        if re.sub(r'^[\s"]+', "", cell).startswith(FORMULA_SIGNS)
    ]


def rows_of(text: str) -> list[dict[str, str]]:
    assert text.startswith(BYTE_ORDER_MARK)
    return list(csv.DictReader(io.StringIO(text[len(BYTE_ORDER_MARK) :], newline="")))


@pytest.fixture(scope="module")
def export(client: httpx.Client) -> httpx.Response:
    response = client.get("/api/leads.csv", params=SEEDED_WINDOW)
    assert response.status_code == 200, response.text
    return response


@pytest.fixture(scope="module")
def exported(export: httpx.Response, seeded: dict[str, SeededLead]) -> dict[str, dict[str, str]]:
    """The exported rows by seed key."""
    by_id = {str(seed.lead.id): key for key, seed in seeded.items()}
    return {by_id[row["id"]]: row for row in rows_of(export.text)}


def test_the_export_is_a_utf8_csv_download(export: httpx.Response) -> None:
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = export.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="leads-' in disposition
    assert export.headers["cache-control"] == "no-store"


def test_the_export_starts_with_the_header_row(export: httpx.Response) -> None:
    header = next(csv.reader(io.StringIO(export.text.removeprefix(BYTE_ORDER_MARK))))

    assert tuple(header) == COLUMNS


def test_the_export_has_one_row_per_lead_newest_first(
    export: httpx.Response, seeded: dict[str, SeededLead]
) -> None:
    ids = [row["id"] for row in rows_of(export.text)]

    assert ids == [str(seeded[key].lead.id) for key, *_ in reversed(SEED)]


def test_lists_are_joined_with_semicolons(exported: dict[str, dict[str, str]]) -> None:
    assert exported["ada"]["roles"] == "Python developer; QA engineer"
    assert exported["ada"]["tech_stack"] == "Python; Django; PostgreSQL"


def test_cells_that_start_like_formulas_get_a_leading_quote(
    exported: dict[str, dict[str, str]],
) -> None:
    row = exported["formulas"]

    assert row["name"] == "'" + FORMULA_NAME
    assert row["company"] == "'+cmd|' /C calc'!A0"
    assert row["roles"] == "'=1+1; Python developer"
    assert row["budget"] == "'-2+3"
    assert row["duration"] == "'@SUM(A1:A9)"
    assert row["start_text"] == "'\tin a month"
    assert row["page_url"] == "'\rhttps://agency.example/"
    assert row["phone"] == "'+44 20 7946 0000"


def test_html_and_sql_text_is_exported_verbatim_but_for_a_formula_after_a_semicolon(
    exported: dict[str, dict[str, str]],
) -> None:
    row = exported["html_sql"]

    assert row["name"] == HTML_NAME
    assert row["company"] == SQL_COMPANY.replace(";--", ";'--")
    assert row["roles"] == "<b>QA</b>; 1 OR 1=1"


def test_other_cells_are_left_as_they_are(
    exported: dict[str, dict[str, str]], seeded: dict[str, SeededLead]
) -> None:
    row = exported["grace"]

    assert row["status"] == "qualified"
    assert row["created_at"] == "2024-05-03T08:00:00+00:00"
    assert row["team_size"] == "3"
    assert row["start_date"] == "2024-06-03"
    assert row["consent_text"] == seeded["grace"].lead.submission.consent_text
    assert row["notes"] == ""


def test_the_export_takes_the_list_filters(
    client: httpx.Client, seeded: dict[str, SeededLead]
) -> None:
    response = client.get("/api/leads.csv", params={**SEEDED_WINDOW, "status": "new"})

    ids = [row["id"] for row in rows_of(response.text)]
    assert ids == [str(seeded[key].lead.id) for key in ("margaret", "formulas", "ada")]


def test_an_export_without_matches_is_the_header_row_alone(client: httpx.Client) -> None:
    response = client.get("/api/leads.csv", params={"created_to": "2000-01-01"})

    assert response.status_code == 200
    assert rows_of(response.text) == []


@pytest.mark.parametrize("query", ["status=lost", "created_from=tomorrow", "limit=10", "offset=5"])
def test_unusable_export_parameters_answer_422(client: httpx.Client, query: str) -> None:
    response = client.get(f"/api/leads.csv?{query}")

    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_request"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),
        ("a=1", "a=1"),
        (" =1", " '=1"),
        ('"=1', "\"'=1"),
        ("", ""),
        ("'quoted", "'quoted"),
        ("'=1", "'=1"),
        (SEMICOLON_FORMULA, "Acme;'=cmd|' /C calc'!A0;x"),
        ("Acme,+1", "Acme,'+1"),
        ("a; -1", "a; '-1"),
        ('a;"@A1', "a;\"'@A1"),
        ("a\tb\t=1", "a\tb\t'=1"),
        ("line\n=1", "line\n'=1"),
        ("line\r\n@A1", "line\r\n'@A1"),
        ("a,\uff1dA1", "a,'\uff1dA1"),
        ("Python; C++", "Python; C++"),
        ("3-6 months, remote", "3-6 months, remote"),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


# The lead store keeps no NUL (and the csv module cannot write one).
CELL_TEXT = st.text(alphabet=st.sampled_from(list(",;\t\r\n \"'=+-@\uff1dAz1"))) | st.text(
    alphabet=st.characters(blacklist_characters="\x00")
)


@given(CELL_TEXT)
def test_neutralised_cells_never_start_like_a_formula_and_only_gain_quotes(cell: str) -> None:
    safe = neutralise(cell)

    assert not safe.startswith(FORMULA_STARTS)
    assert safe.replace("'", "") == cell.replace("'", "")
    assert neutralise(safe) == safe


@given(st.lists(st.lists(CELL_TEXT, min_size=1, max_size=4), min_size=1, max_size=4))
def test_no_separator_a_spreadsheet_may_split_at_reveals_a_formula(
    rows: list[list[str]],
) -> None:
    document = csv_document([[neutralise(cell) for cell in row] for row in rows])

    for separator in SEPARATORS:
        assert formula_cells(document, separator) == [], separator


def test_the_csv_reads_back_as_the_rows_of_the_leads(seeded: dict[str, SeededLead]) -> None:
    leads: list[StoredLead] = [seed.lead for seed in seeded.values()]

    text = leads_csv(leads)

    rows = list(csv.reader(io.StringIO(text.removeprefix(BYTE_ORDER_MARK), newline="")))
    assert rows == [list(COLUMNS), *(lead_row(lead) for lead in leads)]


def test_every_cell_is_quoted(seeded: dict[str, SeededLead]) -> None:
    text = leads_csv([seeded["grace"].lead])

    header, row = text.removeprefix(BYTE_ORDER_MARK).split("\r\n")[:2]
    assert header == ",".join(f'"{column}"' for column in COLUMNS)
    assert row.startswith(f'"{seeded["grace"].lead.id}","qualified",')


@pytest.fixture(scope="module")
def semicolon_lead(lead_store: tuple[str, Engine]) -> StoredLead:
    """A lead of its own day (2022-03-04) whose company hides a formula after a ";"."""
    repository = LeadRepository(lead_store[1], clock=Clock(at("2022-03-04T12:00")))
    submission = default_submission(
        conversation_id="semicolon-conversation",
        request_key="semicolon-request",
        email="semicolon@example.com",
        company=SEMICOLON_FORMULA,
    )
    return repository.get(repository.submit(submission).lead_id)


@pytest.mark.parametrize("separator", SEPARATORS, ids=["comma", "semicolon", "tab"])
def test_a_formula_after_a_separator_in_a_cell_is_text_in_the_download(
    client: httpx.Client, semicolon_lead: StoredLead, separator: str
) -> None:
    day = {"created_from": "2022-03-04", "created_to": "2022-03-04"}
    response = client.get("/api/leads.csv", params=day)

    assert response.status_code == 200
    assert [row["company"] for row in rows_of(response.text)] == ["Acme;'=cmd|' /C calc'!A0;x"]
    assert formula_cells(response.text, separator) == []
