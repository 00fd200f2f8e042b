"""The small parsers the lead form leans on (cues, numbers, lists) take any text a
visitor can send, within the channel's cap, without raising, and give the types
they promise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.leads.fields import ALL_LEAD_SLOTS
from bot.leads.parsing.cues import is_skip, looks_like_question, mentioned_field, typed_command
from bot.leads.parsing.numbers import mentions_vague_quantity, number_value
from bot.leads.parsing.team import roles_from, seniority_levels, split_list, technologies_from

# What the channel lets through: any character but C0 controls, up to its cap.
VISITOR_TEXT = st.text(
    st.characters(exclude_categories=("Cc", "Cs")) | st.sampled_from("\n\t"), max_size=1000
)


@settings(max_examples=200, deadline=None)
@given(VISITOR_TEXT)
def test_cues_answer_yes_or_no_and_name_only_editable_fields(text):
    assert isinstance(looks_like_question(text), bool)
    assert isinstance(is_skip(text), bool)
    assert isinstance(mentions_vague_quantity(text), bool)
    assert mentioned_field(text) in (None, *ALL_LEAD_SLOTS)


@settings(max_examples=200, deadline=None)
@given(VISITOR_TEXT)
def test_a_number_is_a_finite_float_or_nothing(text):
    value = number_value(text)
    assert value is None or (isinstance(value, float | int) and value == value)


@settings(max_examples=200, deadline=None)
@given(VISITOR_TEXT)
def test_lists_split_into_trimmed_non_empty_items(text):
    items = split_list(text)
    assert all(item and item == item.strip() for item in items)
    assert all(isinstance(role, str) for role in roles_from(items))
    assert all(isinstance(name, str) for name in technologies_from(items))
    levels = seniority_levels(items, text)
    assert levels is None or all(isinstance(level, str) for level in levels)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("/restart", "restart"),
        (" /session_start ", "session_start"),
        ("/xyz", "xyz"),
        ('/inform{"team_size": 3}', None),
        ("/foo bar", None),
        ("what is /restart?", None),
        ("/", None),
    ],
)
def test_a_typed_command_is_a_bare_slash_and_name(text, command):
    assert typed_command(text) == command


@given(st.text(max_size=100))
def test_a_typed_command_never_raises_and_names_what_follows_the_slash(text):
    command = typed_command(text)
    assert command is None or text.strip() == f"/{command}"
