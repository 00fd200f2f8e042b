"""Leads as CSV for spreadsheets, safe to open (plain Python, no Sanic here).

OWASP's advice on CSV injection, followed here: a cell that starts like a
formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading ``'``
so that Excel, LibreOffice and Google Sheets show it as text instead of
evaluating it; and since a spreadsheet may split the file at other characters
than the comma (``;`` is the list separator in many locales, and one that
leaves the quotes behind reads a line break inside a cell as the row's end), a
formula start that follows ``,``, ``;``, a tab or a line break inside a cell
(across any spaces and double quotes) gets a ``'`` before it too:
``Acme;=cmd|' /C calc'!A0`` is exported as ``Acme;'=cmd|' /C calc'!A0``.
Every cell is quoted, double quotes doubled. Everything else is written
verbatim.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.leads.model import StoredLead
from bot.leads.serialize import lead_to_dict

COLUMNS: tuple[str, ...] = (
    "id",
    "status",
    "created_at",
    "updated_at",
    "version",
    "kind",
    "name",
    "email",
    "phone",
    "company",
    "roles",
    "team_size",
    "seniority",
    "tech_stack",
    "engagement_model",
    "start_text",
    "start_date",
    "duration",
    "budget",
    "page_url",
    "conversation_id",
    "possible_duplicate_of",
    "consent_text",
    "consent_given_at",
    "notes",
)
LIST_SEPARATOR = "; "
# Excel reads a UTF-8 file as the legacy code page unless it starts with a BOM.
BYTE_ORDER_MARK = "\ufeff"
# The fullwidth forms count too: some Excel locales evaluate them as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A formula start where a spreadsheet may begin a cell: the cell's start, or a comma,
# semicolon, tab or line break in it; then perhaps spaces and double quotes. The "'" goes
# at the end of the group.
_FORMULA_AT_A_CELL_START = re.compile(
    r'((?:^|[,;\t\r\n])[\s"]*)(?=[=+\-@\uff1d\uff0b\uff0d\uff20])'
)
MAX_ROWS = 50_000
MEDIA_TYPE = "text/csv; charset=utf-8"


def neutralise(cell: str) -> str:
    """``cell`` with a ``'`` before each formula start a spreadsheet could see begin a cell:
    at its start, or after a cell break in it (see the module)."""
    if cell.startswith(FORMULA_STARTS):  # a tab or carriage return first counts too
        cell = "'" + cell
    return _FORMULA_AT_A_CELL_START.sub(r"\1'", cell)


def cell_text(value: Any) -> str:
    """A JSON-ready value as the text of one cell (lists joined with ``"; "``)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(cell_text(item) for item in value)
    return str(value)


def lead_row(lead: StoredLead) -> list[str]:
    """The cells of one lead, in the order of :data:`COLUMNS`."""
    data = lead_to_dict(lead, include_transcript=False)
    consent = data.pop("consent")
    data["consent_text"] = consent["text"]
    data["consent_given_at"] = consent["given_at"]
    return [neutralise(cell_text(data[column])) for column in COLUMNS]


def leads_csv(leads: Iterable[StoredLead]) -> str:
    """A CSV document: a byte order mark, the header row, then one row per lead."""
    return csv_document(itertools.chain([COLUMNS], (lead_row(lead) for lead in leads)))


def csv_document(rows: Iterable[Sequence[str]]) -> str:
    """``rows`` as CSV after a byte order mark, every cell quoted, lines ended by CRLF."""
    output = io.StringIO()
    output.write(BYTE_ORDER_MARK)
    writer = csv.writer(output, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerows(rows)
    return output.getvalue()


def export_filename(now: datetime) -> str:
    """The download's file name, dated: ``leads-2024-05-02.csv``."""
    return f"leads-{now.date().isoformat()}.csv"
