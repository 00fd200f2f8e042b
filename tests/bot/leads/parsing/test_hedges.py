"""bot.leads.parsing.hedges: "not sure yet" is no role; "a tester" is one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.leads.parsing.hedges import is_hedge

HEDGES = [
    "not sure yet",
    "Not sure!",
    "no idea",
    "I don't know yet",
    "I don\u2019t know",
    "dunno",
    "idk",
    "TBD",
    "we haven't decided yet",
    "not decided",
    "up to you",
    "your call",
    "you decide",
    "whatever you recommend",
    "what do you suggest?",
    "I'm not sure yet, what would you recommend?",
    "no preference",
    "anything",
    "whatever works",
    "who knows",
    "depends",
]
ANSWERS = [
    "backend developers",
    "a tester",
    "someone for devops",
    "any backend dev",
    "not sure, probably backend",
    "whoever is good with React",
    "a web app",
    "data engineer for ML pipelines",
    "3D artist",
    "full stack",
    "Java",
    "call me",
    "ok",
    "yes",
    "no",
    "",
]


@pytest.mark.parametrize("text", HEDGES)
def test_a_hedge_that_names_nothing_is_told(text: str) -> None:
    assert is_hedge(text)


@pytest.mark.parametrize("text", ANSWERS)
def test_an_answer_naming_something_is_no_hedge(text: str) -> None:
    assert not is_hedge(text)


@given(st.text(max_size=80))
def test_never_raises(text: str) -> None:
    assert isinstance(is_hedge(text), bool)
