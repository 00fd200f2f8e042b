"""What the form says after unusable answers: never the same question three times."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.leads.follow_ups import (
    explains_instead_of_reason,
    question_step,
    repeats,
    unusable_answers_now,
)


def steps_after(answers: int) -> list[str | None]:
    """The form of the question before the first answer and after each unusable one."""
    count, steps = None, [question_step(None, waiting=False)]
    for _ in range(answers):
        count = unusable_answers_now(count, question_changed=False, unusable=True)
        steps.append(question_step(count, waiting=False))
    return steps


def test_each_unusable_answer_moves_the_question_on_a_step():
    assert steps_after(4) == ["first", "again", "explained", "open", "offer"]


def test_after_the_open_invitation_the_offers_take_turns_and_the_question_is_not_put_again():
    later = steps_after(9)[4:]
    assert later == ["offer", "offer_again", "offer", "offer_again", "offer", "offer_again"]
    assert "open" not in later


def test_five_unusable_answers_never_hear_one_form_twice():
    steps = steps_after(5)
    assert len(set(steps)) == len(steps)


@given(st.integers(min_value=0, max_value=60))
def test_no_form_of_the_question_comes_three_times_in_a_row(answers):
    steps = steps_after(answers)
    assert all(len(set(steps[index : index + 3])) > 1 for index in range(len(steps) - 2))
    assert steps.count("open") <= 1


@given(st.lists(st.booleans(), max_size=20))
def test_usable_turns_keep_the_count_and_it_only_grows(turns):
    count: int | None = None
    for unusable in turns:
        after = unusable_answers_now(count, question_changed=False, unusable=unusable)
        assert (after or 0) == (count or 0) + unusable
        count = after


def test_a_new_question_starts_afresh_and_a_usable_turn_keeps_the_count():
    assert unusable_answers_now(2, question_changed=True, unusable=True) is None
    assert unusable_answers_now(2, question_changed=False, unusable=False) == 2


def test_a_pause_asks_nothing_and_the_explanation_replaces_the_reason():
    assert question_step(2, waiting=True) is None
    assert not explains_instead_of_reason(None)
    assert explains_instead_of_reason(1)


def test_an_answer_given_again_word_for_word_repeats_it():
    assert repeats("Next", "next")
    assert repeats("Skip ", "skip.")
    assert repeats("I\u2019m  Nobody", "I'm nobody")
    assert not repeats("Next", "Next plc")
    assert not repeats(None, "Next")
    assert not repeats("", "")


@given(st.text(max_size=40), st.text(max_size=40))
def test_repeats_is_symmetric_and_never_raises(first, second):
    assert repeats(first, second) == repeats(second, first)
