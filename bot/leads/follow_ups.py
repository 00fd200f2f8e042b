"""What the lead form says after answers it cannot use, so that it never asks
the same question three times.

The first unusable answer to the name or company gets its reason ("Sorry, I
didn't catch your name there.") and the question again, shorter; the second
an explanation with an example and another way (writing to the agency, or
"cancel"); any later one a last, open invitation. A filler ("one sec") is no
unusable answer: the form says "Sure, take your time." and asks nothing.
"""

from __future__ import annotations

from typing import Literal

# The questions that follow up their unusable answers (their ask actions in
# actions/lead_questions.py; the other fields keep Rasa's plain question).
FOLLOWED_UP_FIELDS = ("name", "company")
MOST_UNUSABLE_ANSWERS = 3  # "open" from the third on

Step = Literal["first", "again", "explained", "open"]
_STEPS: tuple[Step, ...] = ("first", "again", "explained", "open")


def unusable_answers_now(
    before: int | None, *, question_changed: bool, unusable: bool
) -> int | None:
    """The count of unusable answers after one turn: reset when the form moves
    to another question, one more (up to 3) when the answer was unusable."""
    if question_changed:
        return None
    if unusable:
        return min((before or 0) + 1, MOST_UNUSABLE_ANSWERS)
    return before


def question_step(unusable_answers: int | None, waiting: bool) -> Step | None:
    """Which form of the question to ask; None while the visitor takes a moment."""
    if waiting:
        return None
    return _STEPS[min(unusable_answers or 0, MOST_UNUSABLE_ANSWERS)]


def explains_instead_of_reason(unusable_answers: int | None) -> bool:
    """True when the next unusable answer is explained by the question itself
    (from the second on), so the reason for it is not said as well."""
    return bool(unusable_answers)
