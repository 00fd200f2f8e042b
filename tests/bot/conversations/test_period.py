"""parse_period: whole UTC days, both ends included, 30 by default, at most 366."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.conversations.period import MAX_PERIOD_DAYS, Period, PeriodError, parse_period

TODAY = date(2024, 5, 31)  # injected: no test here reads the clock


def test_by_default_the_thirty_days_up_to_today():
    period = parse_period(None, None, TODAY)

    assert (period.since, period.until, len(period.days())) == (date(2024, 5, 2), TODAY, 30)


def test_the_ends_are_midnights_utc_and_the_last_day_is_included():
    period = parse_period("2024-05-02", "2024-05-03", TODAY)

    assert period.start == datetime(2024, 5, 2, tzinfo=timezone.utc)
    assert period.end == datetime(2024, 5, 4, tzinfo=timezone.utc)
    assert period.days() == [date(2024, 5, 2), date(2024, 5, 3)]


def test_without_since_the_period_ends_at_until():
    assert parse_period(None, "2024-01-30", TODAY).since == date(2024, 1, 1)


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("2024-5-2", None, "since must be a date such as"),
        (None, "2024-02-30", "until must be a date such as"),
        ("2024-05-03", "2024-05-02", "must not be before"),
        ("2023-01-01", "2024-05-02", f"at most {MAX_PERIOD_DAYS} days"),
        (None, "9999-12-31", "until must be before"),
    ],
)
def test_an_unusable_period_is_refused_saying_what_to_send(since, until, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(since, until, TODAY)


@given(st.dates(max_value=date(9999, 12, 30)), st.integers(0, MAX_PERIOD_DAYS - 1))
def test_every_period_that_fits_counts_its_days_exactly(since, length):
    until = date.fromordinal(min(since.toordinal() + length, date(9999, 12, 30).toordinal()))

    period = Period(since, until)

    assert len(period.days()) == (until - since).days + 1
    assert period.days()[-1] == until
