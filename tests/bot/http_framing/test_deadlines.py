"""bot.http_framing.deadlines: how long a request's head and body may take, in all."""

from __future__ import annotations

import logging
import math

import pytest

from bot.http_framing.deadlines import (
    BODY_MIN_BYTES_PER_SECOND,
    BODY_SECONDS_SETTING,
    DEFAULT_BODY_SECONDS,
    DEFAULT_HEAD_SECONDS,
    HEAD_SECONDS_SETTING,
    ReceiveDeadline,
    body_deadline,
    configured_seconds,
    head_deadline,
)


def test_a_head_deadline_is_not_moved_by_the_bytes_received():
    deadline = head_deadline({HEAD_SECONDS_SETTING: 5}, now=100.0)

    deadline.note_received(1000)

    assert deadline.remaining(now=104.0) == 1.0
    assert deadline.remaining(now=105.5) == -0.5
    assert "within 5 s" in deadline.reason


def test_a_body_deadline_grows_a_second_for_every_min_rate_of_bytes():
    deadline = body_deadline({BODY_SECONDS_SETTING: 5}, now=100.0)

    deadline.note_received(BODY_MIN_BYTES_PER_SECOND * 3)

    assert deadline.remaining(now=100.0) == 8.0


def test_a_dripped_body_gains_almost_nothing():
    deadline = ReceiveDeadline(0.0, 5.0, "why", bytes_per_second=500)

    for _ in range(20):  # one byte every quarter of a second for 5 s
        deadline.note_received(1)

    assert deadline.remaining(now=5.0) == pytest.approx(0.04)


def test_without_settings_the_defaults_hold():
    assert head_deadline({}, now=0.0).seconds == DEFAULT_HEAD_SECONDS
    assert body_deadline({}, now=0.0).seconds == DEFAULT_BODY_SECONDS


@pytest.mark.parametrize("value", [3, 2.5])
def test_a_positive_number_of_seconds_is_taken(value):
    assert configured_seconds({"X": value}, "X", 30.0) == value


@pytest.mark.parametrize("value", [0, -1, "soon", True, math.inf, math.nan, None], ids=repr)
def test_a_setting_that_is_no_positive_number_gives_the_default_with_one_warning(
    value, caplog: pytest.LogCaptureFixture
):
    name = f"DEADLINE_{value!r}"
    with caplog.at_level(logging.WARNING, logger="bot.http_framing.deadlines"):
        assert configured_seconds({name: value}, name, 30.0) == 30.0
        assert configured_seconds({name: value}, name, 30.0) == 30.0

    assert [record.getMessage() for record in caplog.records] == [
        f"{name} is {value!r}, not a positive number of seconds: 30 s is used"
    ]
