"""Retry delays: exponential, capped, with bounded jitter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.delivery.backoff import retry_delay

attempts = st.integers(min_value=-5, max_value=10_000)
seconds = st.floats(min_value=0, max_value=1e6, allow_nan=False)
jitters = st.floats(min_value=0, max_value=1)
randoms = st.floats(min_value=0, max_value=1, exclude_max=True)


def test_retry_delay_doubles_from_base_without_jitter() -> None:
    delays = [retry_delay(n, base=2, maximum=3600, jitter=0) for n in range(1, 6)]

    assert delays == [2, 4, 8, 16, 32]


def test_retry_delay_stops_at_maximum() -> None:
    assert retry_delay(30, base=2, maximum=3600, jitter=0) == 3600


def test_retry_delay_jitter_spreads_around_the_delay() -> None:
    lowest = retry_delay(3, base=1, maximum=100, jitter=0.1, random=lambda: 0.0)
    middle = retry_delay(3, base=1, maximum=100, jitter=0.1, random=lambda: 0.5)

    assert (lowest, middle) == (pytest.approx(3.6), 4)


def test_retry_delay_rejects_a_negative_base() -> None:
    with pytest.raises(ValueError, match="negative"):
        retry_delay(1, base=-1, maximum=10)


def test_retry_delay_rejects_jitter_above_one() -> None:
    with pytest.raises(ValueError, match="jitter"):
        retry_delay(1, base=1, maximum=10, jitter=1.5)


@given(attempts, seconds, seconds, jitters, randoms)
def test_retry_delay_is_never_negative(
    attempt: int, base: float, maximum: float, jitter: float, random: float
) -> None:
    assert (
        retry_delay(attempt, base=base, maximum=maximum, jitter=jitter, random=lambda: random) >= 0
    )


@given(attempts, seconds, seconds, jitters, st.floats(allow_nan=False))
def test_retry_delay_never_exceeds_maximum_plus_jitter(
    attempt: int, base: float, maximum: float, jitter: float, random: float
) -> None:
    delay = retry_delay(attempt, base=base, maximum=maximum, jitter=jitter, random=lambda: random)

    assert delay <= maximum * (1 + jitter)


@given(attempts, seconds, seconds)
def test_retry_delay_without_jitter_never_decreases(
    attempt: int, base: float, maximum: float
) -> None:
    now = retry_delay(attempt, base=base, maximum=maximum, jitter=0)
    after = retry_delay(attempt + 1, base=base, maximum=maximum, jitter=0)

    assert after >= now
