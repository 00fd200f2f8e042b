"""The sales API's query parameters and PATCH bodies, parsed and checked (no Sanic here).

Every problem raises a :class:`RequestError` whose message tells the client
what to send instead; :mod:`bot.web.sales.errors` maps each kind to its status.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from bot.conversations.period import Period, PeriodError, parse_period
from bot.leads.model import SALES_KINDS, LeadKind, LeadStatus

STATUSES: tuple[str, ...] = tuple(status.value for status in LeadStatus)
KINDS: tuple[str, ...] = tuple(kind.value for kind in LeadKind)
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# The store's ids are 32-bit (PostgreSQL INTEGER); larger numbers name no lead.
MAX_LEAD_ID = 2**31 - 1
MAX_OFFSET = 2**31 - 1
MAX_NOTES_LENGTH = 5000
FILTER_PARAMETERS = ("status", "created_from", "created_to", "kind")
PAGE_PARAMETERS = ("limit", "offset")
CHANGEABLE_FIELDS = ("status", "notes")
STATS_PARAMETERS = ("since", "until")

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# RFC 3339's date-time (what OpenAPI's format means): Python 3.10's fromisoformat
# takes only 3 or 6 fraction digits, an upper-case T and no Z.
_RFC3339_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ](?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]+))?(?P<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})?"
)
_DIGITS = re.compile(r"[0-9]{1,10}")
_SHOWN_LENGTH = 60

Query = Mapping[str, Sequence[str]]
"""Query parameters as parsed from the URL: each name with all its values."""


class RequestError(ValueError):
    """The client sent something the API cannot use; the message says what to fix."""


class InvalidRequestError(RequestError):
    """Well-formed but unusable: an unknown parameter or field, a wrong type or value."""


class MalformedJsonError(RequestError):
    """The body is not JSON at all."""


class UnsupportedMediaTypeError(RequestError):
    """The body is declared as something other than JSON."""


@dataclass(frozen=True)
class LeadFilters:
    """Which leads to show: by status, by creation time (from inclusive, to
    exclusive) and by kind (the sales requests unless candidates are asked for)."""

    status: LeadStatus | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    kinds: tuple[LeadKind, ...] = SALES_KINDS

    def as_keywords(self) -> dict[str, Any]:
        """The filters as keyword arguments of ``LeadRepository.list`` and ``count``."""
        return {
            "status": self.status,
            "created_from": self.created_from,
            "created_to": self.created_to,
            "kinds": self.kinds,
        }


@dataclass(frozen=True)
class LeadPage:
    """One page of the filtered leads, newest first."""

    filters: LeadFilters
    limit: int = DEFAULT_LIMIT
    offset: int = 0


@dataclass(frozen=True)
class LeadChanges:
    """What sales change on a lead (None keeps the value)."""

    status: LeadStatus | None = None
    notes: str | None = None


def shown(value: str) -> str:
    """``value`` quoted for an error message, cut short when long."""
    if len(value) > _SHOWN_LENGTH:
        return repr(value[:_SHOWN_LENGTH]) + "..."
    return repr(value)


def parse_lead_page(query: Query) -> LeadPage:
    """The filters, ``limit`` (1-500, default 50) and ``offset`` of ``GET /api/leads``.

    Raises:
        InvalidRequestError: an unknown, repeated, empty or unusable parameter.
    """
    values = _single_values(query, FILTER_PARAMETERS + PAGE_PARAMETERS)
    return LeadPage(
        filters=_filters(values),
        limit=_whole_number(values, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_whole_number(values, "offset", 0, 0, MAX_OFFSET),
    )


def parse_lead_filters(query: Query) -> LeadFilters:
    """The filters of ``GET /api/leads.csv`` (the export has no pages).

    Raises:
        InvalidRequestError: an unknown, repeated, empty or unusable parameter.
    """
    return _filters(_single_values(query, FILTER_PARAMETERS))


def parse_stats_period(query: Query, today: date) -> Period:
    """The ``since`` and ``until`` dates of ``GET /api/stats`` (default: the 30 days to today).

    Raises:
        InvalidRequestError: an unknown, repeated or empty parameter, a value that
            is not an ISO date, ``until`` before ``since``, or more than 366 days.
    """
    values = _single_values(query, STATS_PARAMETERS)
    try:
        return parse_period(values.get("since"), values.get("until"), today)
    except PeriodError as error:
        raise InvalidRequestError(str(error)) from None


def parse_status(name: str, value: object) -> LeadStatus:
    """``value`` as a lead status.

    Raises:
        InvalidRequestError: not a string, or not one of new, contacted, qualified, closed.
    """
    if not isinstance(value, str):
        raise InvalidRequestError(f"{name} must be a string, one of {', '.join(STATUSES)}")
    if value not in STATUSES:
        raise InvalidRequestError(
            f"{name} must be one of {', '.join(STATUSES)}, got {shown(value)}"
        )
    return LeadStatus(value)


def parse_instant(name: str, text: str, *, end_of_day: bool = False) -> datetime:
    """An ISO-8601 date or date-time as a timezone-aware UTC datetime.

    A date means midnight UTC at its start, or with ``end_of_day`` at its end
    (so that ``created_to=2024-05-02`` includes the whole day). A date-time
    without an offset is UTC; ``Z`` is accepted.

    Raises:
        InvalidRequestError: not an ISO-8601 date or date-time, or out of range.
    """
    try:
        if _DATE.fullmatch(text):
            start = datetime.combine(date.fromisoformat(text), time(), tzinfo=timezone.utc)
            return start + timedelta(days=1) if end_of_day else start
        moment = datetime.fromisoformat(_python_iso(text))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc)
    except OverflowError:
        raise InvalidRequestError(f"{name} is out of range, got {shown(text)}") from None
    except ValueError:
        raise InvalidRequestError(
            f"{name} must be an ISO-8601 date or date-time such as 2024-05-02 or "
            f"2024-05-02T10:00:00Z (write an offset's '+' as %2B), got {shown(text)}"
        ) from None


def _python_iso(text: str) -> str:
    """An RFC 3339 date-time as Python 3.10's fromisoformat reads it (anything else as is)."""
    parts = _RFC3339_TIME.fullmatch(text)
    if parts is None:
        return text
    fraction = (parts["fraction"] or "").ljust(6, "0")[:6]
    offset = parts["offset"] or ""
    offset = "+00:00" if offset in ("Z", "z") else offset
    return f"{parts['date']}T{parts['time']}.{fraction}{offset}"


def is_possible_lead_id(lead_id: int) -> bool:
    """Whether ``lead_id`` could name a stored lead (a positive 32-bit integer)."""
    return 1 <= lead_id <= MAX_LEAD_ID


def parse_lead_changes(content_type: str | None, body: bytes) -> LeadChanges:
    """The body of ``PATCH /api/leads/<id>``: a JSON object with ``status`` and/or ``notes``.

    Raises:
        UnsupportedMediaTypeError: the content type is not JSON, or not in UTF-8.
        MalformedJsonError: the body does not parse as JSON.
        InvalidRequestError: an empty body or object, an unknown field, a wrong type or value.
    """
    require_json(content_type)
    return lead_changes(decode_json(body))


def require_json(content_type: str | None) -> None:
    """Accepts ``application/json`` and ``application/*+json``, in UTF-8.

    Raises:
        UnsupportedMediaTypeError: any other content type, or none.
    """
    media_type, _, parameters = (content_type or "").partition(";")
    media_type = media_type.strip().lower()
    if media_type != "application/json" and not (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        declared = shown(content_type) if content_type else "none"
        raise UnsupportedMediaTypeError(
            f"send the body as application/json (Content-Type was {declared})"
        )
    charset = _parameter(parameters, "charset")
    if charset is not None and charset.lower() not in ("utf-8", "utf8"):
        raise UnsupportedMediaTypeError(f"send JSON in UTF-8, not {shown(charset)}")


def decode_json(body: bytes) -> Any:
    """The JSON value of a UTF-8 ``body``.

    Raises:
        InvalidRequestError: the body is empty, or an object names a key twice.
        MalformedJsonError: the body is not UTF-8 or not JSON.
    """
    if not body.strip():
        raise InvalidRequestError("the body is empty: send a JSON object with status and/or notes")
    try:
        return json.loads(body.decode("utf-8"), object_pairs_hook=_object_without_duplicates)
    except _DuplicateKeyError as error:
        raise InvalidRequestError(str(error)) from None
    except RecursionError:
        raise MalformedJsonError("the body is not valid JSON: it nests too deeply") from None
    except ValueError as error:  # UnicodeDecodeError, JSONDecodeError, too many digits
        raise MalformedJsonError(f"the body is not valid JSON: {error}") from None


def lead_changes(document: Any) -> LeadChanges:
    """The changes a decoded PATCH body asks for.

    Raises:
        InvalidRequestError: not an object, an empty object, an unknown field, a wrong
            type, an unknown status, or notes longer than 5000 characters.
    """
    if not isinstance(document, dict):
        raise InvalidRequestError("the body must be a JSON object with status and/or notes")
    if not document:
        raise InvalidRequestError("the body is empty: send status and/or notes")
    unknown = sorted(set(document) - set(CHANGEABLE_FIELDS))
    if unknown:
        raise InvalidRequestError(
            f"unknown field {shown(unknown[0])}: only {' and '.join(CHANGEABLE_FIELDS)} can change"
        )
    status = document.get("status")
    return LeadChanges(
        status=None if "status" not in document else parse_status("status", status),
        notes=None if "notes" not in document else _notes(document["notes"]),
    )


class _DuplicateKeyError(ValueError):
    pass


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise _DuplicateKeyError(f"the body names {shown(key)} twice")
        document[key] = value
    return document


def _notes(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidRequestError("notes must be a string")
    if len(value) > MAX_NOTES_LENGTH:
        raise InvalidRequestError(
            f"notes must be at most {MAX_NOTES_LENGTH} characters, got {len(value)}"
        )
    return value


def _parameter(parameters: str, wanted: str) -> str | None:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == wanted:
            return value.strip().strip('"')
    return None


def _single_values(query: Query, known: Sequence[str]) -> dict[str, str]:
    unknown = sorted(set(query) - set(known))
    if unknown:
        raise InvalidRequestError(
            f"unknown query parameter {shown(unknown[0])} (known: {', '.join(known)})"
        )
    values = {}
    for name, given in query.items():
        if len(given) != 1:
            raise InvalidRequestError(f"give {name} once, got it {len(given)} times")
        if not given[0]:
            raise InvalidRequestError(f"{name} must not be empty (leave it out instead)")
        values[name] = given[0]
    return values


def parse_kinds(value: str | None) -> tuple[LeadKind, ...]:
    """The kinds of ``kind=``: one kind, or the sales requests (team and callback) without it.

    Raises:
        InvalidRequestError: not one of team, callback, candidate.
    """
    if value is None:
        return SALES_KINDS
    if value not in KINDS:
        raise InvalidRequestError(f"kind must be one of {', '.join(KINDS)}, got {shown(value)}")
    return (LeadKind(value),)


def _filters(values: Mapping[str, str]) -> LeadFilters:
    status = values.get("status")
    created_from = values.get("created_from")
    created_to = values.get("created_to")
    filters = LeadFilters(
        kinds=parse_kinds(values.get("kind")),
        status=None if status is None else parse_status("status", status),
        created_from=None if created_from is None else parse_instant("created_from", created_from),
        created_to=None
        if created_to is None
        else parse_instant("created_to", created_to, end_of_day=True),
    )
    if filters.created_from and filters.created_to and filters.created_from >= filters.created_to:
        raise InvalidRequestError("created_from must be before created_to")
    return filters


def _whole_number(
    values: Mapping[str, str], name: str, default: int, minimum: int, maximum: int
) -> int:
    text = values.get(name)
    if text is None:
        return default
    if not _DIGITS.fullmatch(text) or not minimum <= int(text) <= maximum:
        raise InvalidRequestError(
            f"{name} must be a whole number from {minimum} to {maximum}, got {shown(text)}"
        )
    return int(text)
