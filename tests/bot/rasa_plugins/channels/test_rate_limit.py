"""Token buckets per sender and per IP address (bot.rasa_plugins.channels.rate_limit)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rasa_plugins.channels.rate_limit import RateLimiter, client_address


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_then_the_next_waits_for_a_token():
    clock = Clock()
    limiter = RateLimiter(per_minute=30, burst=3, clock=clock)
    assert [limiter.wait_seconds("visitor") for _ in range(3)] == [0, 0, 0]
    assert limiter.wait_seconds("visitor") == pytest.approx(2.0)  # one token every 2 s
    clock.now += 2.0
    assert limiter.wait_seconds("visitor") == 0


def test_keys_have_buckets_of_their_own():
    limiter = RateLimiter(per_minute=60, burst=1, clock=Clock())
    assert limiter.wait_seconds("a") == 0
    assert limiter.wait_seconds("b") == 0
    assert limiter.wait_seconds("a") > 0


def test_a_refused_message_takes_no_token():
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=1, clock=clock)
    limiter.wait_seconds("a")
    for _ in range(5):
        assert limiter.wait_seconds("a") > 0
    clock.now += 1.0
    assert limiter.wait_seconds("a") == 0


def test_idle_keys_are_forgotten_when_there_are_too_many():
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock, max_keys=10)
    for number in range(10):
        limiter.wait_seconds(f"old-{number}")
    clock.now += 60
    limiter.wait_seconds("new")
    assert len(limiter._buckets) == 1


@given(st.lists(st.floats(min_value=0, max_value=30), max_size=50))
def test_never_more_than_the_burst_plus_the_refill(gaps: list[float]):
    clock = Clock()
    limiter = RateLimiter(per_minute=6, burst=2, clock=clock)
    allowed = 0
    for gap in gaps:
        clock.now += gap
        allowed += limiter.wait_seconds("a") == 0
    assert allowed <= 2 + sum(gaps) * 6 / 60 + 1e-9


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "trusted", "expected"),
    [
        ("10.0.0.5", None, 0, "10.0.0.5"),
        ("10.0.0.5", "1.2.3.4", 0, "10.0.0.5"),  # nothing trusted: a header anyone can send
        ("10.0.0.5", "1.2.3.4", 1, "1.2.3.4"),
        ("10.0.0.5", "6.6.6.6, 1.2.3.4", 1, "1.2.3.4"),  # the visitor's own claim is skipped
        ("10.0.0.5", "6.6.6.6, 1.2.3.4, 10.0.0.9", 2, "1.2.3.4"),
        ("10.0.0.5", "", 1, "10.0.0.5"),
    ],
)
def test_client_address_trusts_only_the_proxies_it_is_told_of(
    peer, forwarded_for, trusted, expected
):
    assert client_address(peer, forwarded_for, trusted) == expected
