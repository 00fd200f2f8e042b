"""The period of ``bot stats`` and ``GET /api/stats``: whole UTC days, both ends included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

DEFAULT_PERIOD_DAYS = 30
MAX_PERIOD_DAYS = 366

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class PeriodError(ValueError):
    """The period asked for is unusable; the message says what to send instead."""


@dataclass(frozen=True)
class Period:
    """Whole UTC days from ``since`` to ``until``, both included (at most 366 days).

    Raises:
        PeriodError: ``until`` is before ``since``, or the period is too long.
    """

    since: date
    until: date

    def __post_init__(self) -> None:
        if self.until < self.since:
            raise PeriodError(f"until ({self.until}) must not be before since ({self.since})")
        if self.until == date.max:
            raise PeriodError(f"until must be before {date.max}")
        if (self.until - self.since).days >= MAX_PERIOD_DAYS:
            raise PeriodError(
                f"the period must be at most {MAX_PERIOD_DAYS} days, "
                f"got {(self.until - self.since).days + 1} ({self.since} to {self.until})"
            )

    @property
    def start(self) -> datetime:
        """Midnight UTC at the start of ``since``."""
        return datetime.combine(self.since, time(), tzinfo=timezone.utc)

    @property
    def end(self) -> datetime:
        """Midnight UTC at the end of ``until`` (excluded)."""
        return datetime.combine(self.until + timedelta(days=1), time(), tzinfo=timezone.utc)

    def days(self) -> list[date]:
        """Every day of the period, in order."""
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]


def parse_period(since: str | None, until: str | None, today: date) -> Period:
    """The period from ISO dates (``2024-05-02``); by default the 30 days up to ``today``.

    Without ``until`` the period ends ``today``; without ``since`` it starts
    29 days before its end.

    Raises:
        PeriodError: a value is not an ISO date, or the period is unusable.
    """
    last = today if until is None else _parse_day("until", until)
    if since is None:
        days_back = min(DEFAULT_PERIOD_DAYS - 1, (last - date.min).days)
        return Period(last - timedelta(days=days_back), last)
    return Period(_parse_day("since", since), last)


def _parse_day(name: str, text: str) -> date:
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise PeriodError(f"{name} must be a date such as 2024-05-02, got {text[:40]!r}")
