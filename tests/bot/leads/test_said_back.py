"""Values said back in each field's own words, never the database's."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.leads.fields import EDITABLE_FIELDS, FIELDS_BY_SLOT
from bot.leads.said_back import said_back


@pytest.mark.parametrize(
    ("slot", "value", "replaced", "words"),
    [
        ("roles", ["backend developers"], True, "backend developers"),
        ("roles", ["developer", "QA engineer"], False, "developer and QA engineer"),
        ("team_size", 4, True, "a team of 4"),
        ("team_size", 1, True, "just one person"),
        ("seniority", ["senior"], True, "senior level"),
        ("seniority", ["junior", "senior"], True, "junior and senior levels"),
        ("seniority", ["mixed"], True, "a mix of levels"),
        ("tech_stack", ["Python", "React", "AWS"], True, "Python, React and AWS"),
        ("engagement_model", "offshore_team", True, "an offshore team"),
        ("start", "next week", False, "start next week"),
        ("start", "as soon as possible", False, "start as soon as possible"),
        ("start", "March", False, "start in March"),
        ("start", "1 March", False, "start on 1 March"),
        ("duration", "6 months", True, "for 6 months"),
        ("duration", "long-term", True, "long-term"),
        ("budget", "$30k a month", True, "a budget of $30k a month"),
        ("name", "Dana", True, "I'll call you Dana"),
        ("company", "Acme Ltd", False, "your company is Acme Ltd"),
        ("company", "Acme Ltd", True, "your company is Acme Ltd now"),
        ("email", "jane@x.com", True, "your email is jane@x.com now"),
        ("phone", "+44 20 7946 0958", True, "your phone number is +44 20 7946 0958 now"),
    ],
)
def test_each_field_is_said_back_in_its_own_words(slot, value, replaced, words):
    assert said_back(slot, value, replaced=replaced) == words


# "start next week" is a verb, as the house writes it, not the label "Start".
LABELLED = [slot for slot in EDITABLE_FIELDS if slot != "start"]


@given(st.sampled_from(LABELLED), st.text(min_size=1, max_size=40))
def test_no_field_is_said_back_in_the_database_voice(slot, value):
    """Never "email jane@x.com" or "roles is now ...": no label before the value."""
    words = said_back(slot, value, replaced=True)
    label = FIELDS_BY_SLOT[slot].label.lower()
    assert not words.lower().startswith(f"{label} ")
    assert " is now " not in words


def test_markdown_in_a_value_is_said_back_as_typed():
    assert said_back("company", "[x](javascript:alert(1))") == (
        "your company is \\[x\\](javascript:alert(1))"
    )
