"""What the form says after unusable answers: never the same question three times."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.leads.follow_ups import (
    MOST_UNUSABLE_ANSWERS,
    explains_instead_of_reason,
    question_step,
    unusable_answers_now,
)


def test_each_unusable_answer_moves_the_question_on_a_step():
    counts, count = [], None
    for _ in range(4):
        count = unusable_answers_now(count, question_changed=False, unusable=True)
        counts.append(count)
    assert counts == [1, 2, 3, 3]
    assert [question_step(c, waiting=False) for c in (None, *counts)] == [
        "first",
        "again",
        "explained",
        "open",
        "open",
    ]


def test_a_new_question_starts_afresh_and_a_usable_turn_keeps_the_count():
    assert unusable_answers_now(2, question_changed=True, unusable=True) is None
    assert unusable_answers_now(2, question_changed=False, unusable=False) == 2


def test_a_pause_asks_nothing_and_the_explanation_replaces_the_reason():
    assert question_step(2, waiting=True) is None
    assert not explains_instead_of_reason(None)
    assert explains_instead_of_reason(1)


@given(st.lists(st.booleans(), max_size=12))
def test_no_form_of_the_question_comes_three_times_within_three_unusable_answers(turns):
    count, asked = None, [question_step(None, waiting=False)]
    for unusable in turns[:3]:
        count = unusable_answers_now(count, question_changed=False, unusable=unusable)
        if unusable:
            asked.append(question_step(count, waiting=False))
    assert all(asked.count(step) <= 1 for step in asked)
    assert count is None or count <= MOST_UNUSABLE_ANSWERS
