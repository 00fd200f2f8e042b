"""Typed answers to a question asked with buttons (bot.leads.parsing.choices)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.leads.parsing.choices import chosen_button, payload_value

LEVELS = [
    {"title": "Junior", "payload": '/inform{"seniority": "junior"}'},
    {"title": "Middle", "payload": '/inform{"seniority": "middle"}'},
    {"title": "Senior", "payload": '/inform{"seniority": "senior"}'},
    {"title": "A mix", "payload": '/inform{"seniority": "mixed"}'},
]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("the third one", "senior"),
        ("the first one", "junior"),
        ("2", "middle"),
        ("option 2", "middle"),
        ("the last one", "mixed"),
        ("I'll take the second", "middle"),
        ("Senior!", "senior"),
        ("a mix", "mixed"),
    ],
)
def test_a_button_is_picked_by_position_or_title(text, level):
    button = chosen_button(text, LEVELS)
    assert button is not None
    assert payload_value(button, "seniority") == level


@pytest.mark.parametrize(
    "text", ["yes", "the ninth one", "we need 3 seniors", "", "first of all, hi"]
)
def test_other_answers_pick_no_button(text):
    assert chosen_button(text, LEVELS) is None


def test_no_buttons_no_pick():
    assert chosen_button("the first one", []) is None


@pytest.mark.parametrize(
    "payload", ["/request_human", "/inform{not json}", "plain text", '/inform["a"]']
)
def test_a_payload_without_the_value_gives_none(payload):
    assert payload_value({"payload": payload}, "seniority") is None


@given(st.text(max_size=40))
def test_any_text_picks_a_listed_button_or_none(text):
    assert chosen_button(text, LEVELS) in (None, *LEVELS)
