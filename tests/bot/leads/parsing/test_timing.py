"""Start, duration and budget from the visitor's words."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.leads.parsing.result import Invalid
from bot.leads.parsing.timing import (
    ASAP,
    Start,
    answered_start,
    mentioned_budget,
    mentioned_duration,
    mentioned_start,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("we need 3 senior Python developers for 6 months starting ASAP", Start(ASAP, TODAY)),
        ("a full stack developer starting next month", Start("next month", date(2026, 12, 23))),
        ("starting in 2 weeks", Start("in 2 weeks", date(2026, 12, 7))),
        ("from March 2027", Start("March 2027", date(2027, 3, 1))),
        ("start on 1 February", Start("1 February", date(2027, 2, 1))),
        ("we need 5 java developers for 6 months", None),
        ("Jane Doe from Acme", None),
    ],
)
def test_start_stated_in_passing(text, start):
    assert mentioned_start(text, TODAY) == start


@pytest.mark.parametrize(
    ("answer", "start"),
    [
        ("next month", Start("next month", date(2026, 12, 23))),
        ("ASAP", Start(ASAP, TODAY)),
        ("now", Start(ASAP, TODAY)),
        ("2 weeks from now", Start("2 weeks from now", date(2026, 12, 7))),
        ("tomorrow", Start("tomorrow", date(2026, 11, 24))),
        ("Q1 2027", Start("Q1 2027", None)),
        ("whenever suits you", Start("whenever suits you", None)),
        ("in March, for 6 months, about $30k a month", Start("in March", date(2027, 3, 1))),
        ("1 Jan 2020", Invalid("in_the_past")),
        ("...", Invalid("empty")),
        ("x" * 201, Invalid("too_long")),
    ],
)
def test_answer_to_when_should_they_start(answer, start):
    assert answered_start(answer, TODAY) == start


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("for 6 months", "6 months"),
        ("we need them for about a year", "a year"),
        ("a 12-month contract", "12-month"),
        ("long-term", "long-term"),
        ("in two weeks", None),
        ("3 devs", None),
    ],
)
def test_duration_stated_in_passing(text, duration):
    assert mentioned_duration(text) == duration


@pytest.mark.parametrize(
    ("text", "budget"),
    [
        ("budget around $20k per month", "$20k per month"),
        ("we have 50,000 EUR", "50,000 EUR"),
        ("10k usd a month", "10k usd a month"),
        ("our budget is flexible", "flexible"),
        ("we need 3 devs", None),
    ],
)
def test_budget_keeps_the_amount_and_currency(text, budget):
    assert mentioned_budget(text) == budget


@settings(deadline=None, max_examples=50)
@given(st.text(max_size=120))
def test_timing_parsers_never_raise(text):
    answered_start(text, TODAY)
    mentioned_start(text, TODAY)
    mentioned_duration(text)
    mentioned_budget(text)
