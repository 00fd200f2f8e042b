"""Answers to "what's your name?" or "which company?" that hold neither.

A visitor asked for a name may decline ("I'd rather not say", "skip"), hedge
("not sure"), type a placeholder ("n/a", "asdf"), ask for a moment ("one
sec"), refer to an earlier answer ("same as above"), answer another question
("next week", "6 months") or write a sentence ("you don't need it").
:func:`non_answer` says which, so the form never stores it and answers in
kind. A name is refused only when *all* of it reads so: "Will Smith", "May
Chen" and "Skip Bayless" share one word with the lists and are names. A lone
common word, or two, is refused only when it says so ("skip", "later",
"n/a", "tomorrow", "next week"): companies and people are called "Next",
"Zip", "Open", "Fast Company", "Said" or "Tuesday". Capitalisation is not
read: visitors type names in lowercase.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Literal

from bot.leads.parsing.asides import asks_why, without_lead_ins
from bot.leads.parsing.non_answer_words import (
    CALENDAR,
    CLAUSE_PREDICATES,
    CLAUSE_SUBJECTS,
    DECLINING,
    FUNCTION_WORDS,
    GIVEN_NAMES_ALONE,
    HEDGING,
    NO_COMPANY_STARTS,
    NO_NAME_STARTS,
    PAUSE_COMPANIONS,
    PAUSING,
    PAUSING_ALONE,
    PLACEHOLDERS,
    REFERRING_ALONE,
    REFUSING_ALONE,
    TIMING,
    TIMING_ALONE,
    TIMING_QUANTIFIERS,
    TIMING_UNITS,
    VOCABULARY,
)
from bot.leads.parsing.timing import timing_expressions

NonAnswer = Literal["declined", "paused", "timing", "not_an_answer"]

DECLINED: NonAnswer = "declined"  # a refusal, deferral, hedge or placeholder
PAUSED: NonAnswer = "paused"  # a filler: the answer comes in a moment
TIMING_ANSWER: NonAnswer = "timing"  # a start, duration or budget
NOT_AN_ANSWER: NonAnswer = "not_an_answer"  # a count, a reference, a sentence

# Words, with their apostrophes, slashes and dots ("don't", "n/a", "a.s.a.p")
# and hyphens ("Ji-woo", "self-employed"); digits are words of their own.
_TOKEN = re.compile(r"[^\W_]+(?:['/.\-][^\W_]+)*")
# Keyboard runs and one letter again and again: "asdf", "qwer", "xxx", "zzzz".
_KEYBOARD_MASH = re.compile(
    r"asdf|sdfg|dfgh|fghj|ghjk|hjkl|qwer|zxcv|xcvb|cvbn|vbnm|uiop|yuio|^([a-z])\1\1+$"
)
_HUMMING = re.compile(r"h+m+|u+m+|m{2,}|e+r+m+|u+h+")
_NEGATION = re.compile(r"n't$|^(?:not|never|no|nope|nah)$")
# "on Monday", "from June": a day or month after one of these is a time.
_PREPOSITION_FIRST = re.compile(
    r"^\W*(?:from|at|in|on|by|until|till|within|around|after|before|since)\b", re.IGNORECASE
)
# "one min", "a mo": a pause with a number or article, never alone ("Min").
_SHORT_PAUSE_WORDS = frozenset({"min", "mins", "mo"})
_REFUSING = DECLINING | HEDGING | PLACEHOLDERS
_ANSWERS_ALONE = REFUSING_ALONE | TIMING_ALONE | REFERRING_ALONE


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


def _is_placeholder(token: str) -> bool:
    return token in PLACEHOLDERS or bool(_KEYBOARD_MASH.search(token))


def _is_common(token: str) -> bool:
    """A word of the vocabularies, or made of them ("short-term", "mid-march")."""
    parts = token.split("-")
    return all(part in VOCABULARY or _is_placeholder(part) for part in parts if part)


def _is_pause(tokens: list[str]) -> bool:
    if len(tokens) == 1:  # "wait", "hmm"; not "Check" or "Second"
        return tokens[0] in PAUSING_ALONE or bool(_HUMMING.fullmatch(tokens[0]))
    allowed = PAUSING | PAUSE_COMPANIONS | _SHORT_PAUSE_WORDS
    if not all(
        token in allowed or token.isdigit() or _HUMMING.fullmatch(token) for token in tokens
    ):
        return False
    short = any(token in _SHORT_PAUSE_WORDS for token in tokens) and len(tokens) > 1
    return short or any(token in PAUSING or _HUMMING.fullmatch(token) for token in tokens)


def _is_clause(tokens: list[str]) -> bool:
    """A pronoun and a verb: "I don't", "you need", "we are", "let me"."""
    first, second = tokens[0], tokens[1] if len(tokens) > 1 else ""
    if first == "let" and second in ("me", "us"):
        return True
    return first in CLAUSE_SUBJECTS and ("'" in first or second in CLAUSE_PREDICATES)


def _reason_of(tokens: list[str]) -> NonAnswer:
    """Which kind of non-answer words these are, refusals first."""
    if any(_is_placeholder(token) or token in _REFUSING for token in tokens):
        return DECLINED
    if any(_NEGATION.search(token) for token in tokens):
        return DECLINED
    return TIMING_ANSWER if any(token in TIMING for token in tokens) else NOT_AN_ANSWER


def _reads_as_sentence(tokens: list[str]) -> bool:
    """Mostly words a sentence is made of: three in four of three or four words,
    half of five or more ("as soon as you can"); names seldom hold such words."""
    common = sum(_is_common(token) for token in tokens)
    return (len(tokens) >= 5 and 2 * common >= len(tokens)) or (
        len(tokens) >= 3 and 4 * common >= 3 * len(tokens)
    )


def _states_timing(text: str, content: list[str]) -> bool:
    """A start, duration or budget the timing parsers find, with nothing but
    numbers besides the common words ("6 months", "$20k a month")."""
    return bool(timing_expressions(text)) and all(
        any(character.isdigit() for character in token) for token in content
    )


def non_answer(text: str, asked: str = "name") -> NonAnswer | None:
    """Why ``text`` is no name (or company, when ``asked`` is "company"); None
    when it may be one, or when it is a question, which the checks answer.

    Returns "declined" for a refusal, deferral, hedge or placeholder
    ("I'd rather not say", "maybe later", "not sure", "n/a"), "paused" for a
    filler ("one sec", "brb"), "timing" for a start, duration or budget
    ("next week", "6 months", "this is urgent"), and "not_an_answer" for
    anything else no name is: counts, references ("same as above") and
    sentences ("you don't need it"). A company may hold digits ("3M") and
    ordinary words ("Skip the Dishes", "Next"); a name may not hold digits.
    """
    company = asked == "company"
    if "?" in text or asks_why(text):
        return None
    words = without_lead_ins(text, before_company=company)
    tokens = _tokens(words)
    if not tokens:
        return None
    if _is_pause(tokens):
        return PAUSED
    if tokens[0] in (NO_COMPANY_STARTS if company else NO_NAME_STARTS):
        return DECLINED
    content = [token for token in tokens if not _is_common(token)]
    if content:
        return _reason_besides(words, tokens, content, company=company)
    if _PREPOSITION_FIRST.match(text) and (  # "on Monday" is a time; "Monday" may be a name
        any(token in CALENDAR for token in tokens) or _names_a_time(text, tokens)
    ):
        return _reason_of(tokens)
    if len(tokens) == 1:
        return _reason_of(tokens) if _says_it_alone(tokens[0]) else None
    return _reason_of(tokens) if _says_no_answer(words, tokens) else None


def refuses(text: str) -> bool:
    """True for an answer that refuses the name asked for ("skip", "rather not",
    "n/a", "I'd prefer not to say"); not for a bare "no", which may answer
    something else ("no, it's Dana")."""
    tokens = _tokens(without_lead_ins(text))
    bare_no = len(tokens) == 1 and bool(_NEGATION.search(tokens[0]))
    return not bare_no and non_answer(text) == DECLINED


def may_be_meant(text: str, asked: str = "name") -> bool:
    """True when an answer refused as no name (or company) may be one all the
    same, so that given again right away it is taken: up to four words, refused
    for what they are ("Skip", "Private", "Unknown"); never a filler, a
    negation ("no thanks"), a clause ("I won't say"), or digits in a name."""
    words = without_lead_ins(text, before_company=asked == "company")
    tokens = _tokens(words)
    return (
        0 < len(tokens) <= 4
        and not _is_pause(tokens)
        and not any(_NEGATION.search(token) for token in tokens)
        and not _is_clause(tokens)
        and (asked == "company" or not any(character.isdigit() for character in words))
    )


def _says_it_alone(token: str) -> bool:
    """A word that is an answer of its own, and no name or company: "skip",
    "later", "tomorrow", "same", "asdf", or a word of a sentence ("ok", "me")."""
    if token in _ANSWERS_ALONE or _KEYBOARD_MASH.search(token):
        return True
    return token in FUNCTION_WORDS and token not in GIVEN_NAMES_ALONE


def _says_no_answer(words: str, tokens: list[str]) -> bool:
    """Whether a few common words, all of them, make a non-answer: a word that
    is one alone or of the refusal lists ("another time"), a negation, a clause,
    a time ("next week", "a few days"), or a sentence of three words or more.
    "Fast Company" and "Summer Day" are none of these."""
    refusing = _ANSWERS_ALONE | _REFUSING
    return (
        len(tokens) >= 3
        or all(token in FUNCTION_WORDS for token in tokens)
        or any(token in refusing or _KEYBOARD_MASH.search(token) for token in tokens)
        or any(_NEGATION.search(token) for token in tokens)
        or _is_clause(tokens)
        or _names_a_time(words, tokens)
    )


def _names_a_time(words: str, tokens: list[str]) -> bool:
    """A time the timing parsers read ("next week", "from May"), or a count of a
    unit ("few weeks", "a fortnight")."""
    if timing_expressions(words):
        return True
    pairs = pairwise(tokens)
    return any(first in TIMING_QUANTIFIERS and unit in TIMING_UNITS for first, unit in pairs)


def _reason_besides(
    words: str, tokens: list[str], content: list[str], *, company: bool
) -> NonAnswer | None:
    """Why words that are not all common ones are still no name or company."""
    if _states_timing(words, content):
        return TIMING_ANSWER
    if all(token.isdigit() for token in content) or (
        not company and any(character.isdigit() for character in words)
    ):
        return NOT_AN_ANSWER
    if not company and _reads_as_sentence(tokens):
        return DECLINED if _reason_of(tokens) == DECLINED else NOT_AN_ANSWER
    if _is_clause(tokens):
        return DECLINED if _reason_of(tokens) == DECLINED else NOT_AN_ANSWER
    return None
