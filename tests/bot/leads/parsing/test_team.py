"""Team size, seniority and lists from the visitor's words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.leads.parsing.result import Invalid
from bot.leads.parsing.team import (
    answered_team_size,
    free_list,
    mentioned_team_size,
    seniority_levels,
    split_list,
)


@pytest.mark.parametrize(
    "text",
    [
        "we need a couple of testers",
        "We're looking to hire a few developers",
        "a handful of engineers",
        "a pair of QA engineers",
        "several backend developers",
    ],
)
def test_a_vague_quantity_in_passing_gives_no_team_size(text):
    assert mentioned_team_size(text) is None


@pytest.mark.parametrize("text", ["a couple", "a few", "a handful, maybe"])
def test_a_vague_quantity_as_the_answer_is_asked_about(text):
    assert answered_team_size(text) == Invalid("vague")


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("we need 3 senior Python developers for 6 months starting ASAP", 3),
        ("we need a team of 3 React devs", 3),
        ("I need a QA engineer and two node.js developers", 3),
        ("we want to build an offshore team of 10", 10),
        ("2 backend developers and 1 designer", 3),
        ("actually make it 4 developers", 4),
        ("a 5-person team", 5),
        ("twenty-five devs", 25),
        ("we need 2 seniors", 2),
    ],
)
def test_team_size_is_read_from_a_rich_message(text, size):
    assert mentioned_team_size(text) == size


@pytest.mark.parametrize(
    "text",
    [
        "I want to hire developers",
        "for 6 months",
        "a lot of developers",
        "budget $20k",
        "hi",
        "we want to put together a dev team",
        "we need a developer team for our app",
    ],
)
def test_a_message_without_a_counted_team_states_no_size(text):
    assert mentioned_team_size(text) is None


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("5", 5),
        ("five", 5),
        ("about 10 people", 10),
        ("just one", 1),
        ("3-5", 5),
        ("10 to 12", 12),
        ("twelve in total", 12),
        ("a lot", Invalid("vague")),
        ("many", Invalid("vague")),
        ("0", Invalid("too_small")),
        ("-5", Invalid("too_small")),
        ("1000000", Invalid("too_large")),
        ("1,000,000", Invalid("too_large")),
        ("201", Invalid("too_large")),
        ("2.5", Invalid("not_whole")),
        ("hmm", Invalid("not_a_number")),
        ("for 6 months", Invalid("not_a_number")),
    ],
)
def test_answer_to_how_many_people(answer, expected):
    assert answered_team_size(answer) == expected


@given(st.integers(min_value=1, max_value=200))
def test_every_size_from_1_to_200_is_accepted_as_digits(size):
    assert answered_team_size(str(size)) == size


@given(st.integers().filter(lambda n: n < 1 or n > 200))
def test_every_size_outside_1_to_200_is_refused(size):
    assert isinstance(answered_team_size(str(size)), Invalid)


@given(st.text(max_size=300))
def test_team_size_parsers_never_raise(text):
    assert answered_team_size(text) is not None
    mentioned_team_size(text)


@pytest.mark.parametrize(
    ("phrases", "text", "levels"),
    [
        (["Senior"], "", ("senior",)),
        (["seniors", "juniors"], "", ("junior", "senior")),
        (["mid-level", "lead"], "", ("middle", "lead")),
        ([], "a mix please", ("mixed",)),
        (["mixed"], "", ("mixed",)),
        (["senior", "mixed"], "", ("senior",)),
        ([], "whatever", None),
    ],
)
def test_seniority_levels_are_canonical_and_ordered(phrases, text, levels):
    assert seniority_levels(phrases, text) == levels


def test_lists_split_on_commas_and_conjunctions():
    assert split_list("React, Node.js and AWS") == ["React", "Node.js", "AWS"]
    assert free_list("Elixir & Phoenix; Postgres") == ("Elixir", "Phoenix", "Postgres")


def test_lists_refuse_empty_long_and_huge_answers():
    assert free_list(" , ") == Invalid("empty")
    assert free_list("x" * 61) == Invalid("too_long")
    assert free_list(", ".join(f"tech{i}" for i in range(16))) == Invalid("too_many")


@given(st.text(max_size=200))
def test_free_list_is_idempotent(text):
    first = free_list(text)
    if not isinstance(first, Invalid):
        assert free_list(", ".join(first)) == first
