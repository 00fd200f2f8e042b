"""What the lead form says after answers it cannot use, so that it never puts
the same question three times in a row.

The first unusable answer to the name, company, email or phone number gets its reason ("Sorry, I
didn't catch your name there.") and the question again, shorter; the second
an explanation with an example and other ways on (writing to the agency, a
person, or "cancel"); the third a last, open invitation. From the fourth on
the question is not put again: the form offers the agency's email and a
person instead, in two wordings that take turns. A filler ("one sec") is no
unusable answer: the form says "Sure, take your time." and asks nothing. A
visitor who asks for a person there moves the question on a step, as an
unusable answer does, so that the next form of it says how else to reach us.

An answer given again word for word, right after it was refused, is taken:
the visitor meant it (:func:`repeats`).
"""

from __future__ import annotations

import re
from typing import Literal

# The questions that follow up their unusable answers (their ask actions in
# actions/lead_questions.py; the other fields keep Rasa's plain question).
FOLLOWED_UP_FIELDS = ("name", "company", "email", "phone")

Step = Literal["first", "again", "explained", "open", "offer", "offer_again"]
_QUESTIONS: tuple[Step, ...] = ("first", "again", "explained", "open")
# From the fourth unusable answer on, these take turns.
_OFFERS: tuple[Step, ...] = ("offer", "offer_again")
_SPACES = re.compile(r"\s+")


def unusable_answers_now(
    before: int | None, *, question_changed: bool, unusable: bool
) -> int | None:
    """The count of unusable answers after one turn: reset when the form moves
    to another question, one more when the answer was unusable."""
    if question_changed:
        return None
    if unusable:
        return (before or 0) + 1
    return before


def question_step(unusable_answers: int | None, waiting: bool) -> Step | None:
    """Which form of the question to ask; None while the visitor takes a moment."""
    if waiting:
        return None
    count = unusable_answers or 0
    if count < len(_QUESTIONS):
        return _QUESTIONS[count]
    return _OFFERS[(count - len(_QUESTIONS)) % len(_OFFERS)]


def explains_instead_of_reason(unusable_answers: int | None) -> bool:
    """True when the next unusable answer is explained by the question itself
    (from the second on), so the reason for it is not said as well."""
    return bool(unusable_answers)


def repeats(previous: str | None, answer: str) -> bool:
    """True when ``answer`` is ``previous`` again, word for word (case, spacing
    and the punctuation around it aside)."""
    if previous is None:
        return False
    return _said(previous) == _said(answer) != ""


def _said(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\u2019", "'")).strip(" .,;:!").casefold()
