"""The team a visitor needs: how many people, which levels, roles and stack."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.leads.parsing.numbers import NUMBER_PATTERN, mentions_vague_quantity, number_value
from bot.leads.parsing.result import Invalid
from bot.leads.vocabulary import (
    MIXED_SENIORITY,
    SENIORITY_LEVELS,
    canonical_role,
    canonical_seniority,
    canonical_technology,
    unique,
)

MIN_TEAM_SIZE = 1
MAX_TEAM_SIZE = 200
MAX_LIST_ITEMS = 15
MAX_ITEM_LENGTH = 60

_PEOPLE = (
    r"(?:developers?|devs?|engineers?|programmers?|coders?|testers?|designers?|people|persons?"
    r"|specialists?|experts?|members?|folks|heads|hires|contractors|freelancers|scientists?"
    r"|analysts?|managers?|architects?|qas?|devops|leads?|staff|employees|guys"
    r"|seniors|juniors|middles|mids)"
)
_TIME_UNITS = r"(?:days?|weeks?|months?|years?|hours?|hrs?|mins?|minutes?|[km]|usd|eur|gbp)"
# "3 senior Python developers": a number, up to three describing words, a people noun.
_COUNTED_PEOPLE = re.compile(
    rf"(?<![\w.$€£])(?P<number>{NUMBER_PATTERN})[\s-]+"
    rf"(?P<between>(?:(?!{_TIME_UNITS}\b|and\b|or\b|of\b|to\b)[\w.+#/-]+\s+){{0,3}}?)"
    rf"{_PEOPLE}\b(?![\s-]+team\b)",  # "a dev team" counts no developers
    re.IGNORECASE,
)
_TEAM_OF = re.compile(
    rf"\b(?:team|squad|group|headcount|team size)\s+(?:of|is|=|:)?\s*(?:about\s+|around\s+)?"
    rf"(?P<number>{NUMBER_PATTERN})(?![\w-]*\s*{_TIME_UNITS}\b)",
    re.IGNORECASE,
)
_N_PERSON_TEAM = re.compile(
    rf"(?P<number>{NUMBER_PATTERN})[\s-]+(?:person|people|member|man|dev|developer)[\s-]+team",
    re.IGNORECASE,
)
_ANY_NUMBER = re.compile(rf"(?<![\w.])(?P<number>{NUMBER_PATTERN})(?=(?P<after>\s*[a-z]*))", re.I)
_MIXED = re.compile(r"\b(?:mix(?:ed)?|various|all levels|different levels|any level)\b", re.I)


def team_size_limits(size: float) -> int | Invalid:
    """Checks a team size: a whole number from 1 to 200."""
    if size < MIN_TEAM_SIZE:
        return Invalid("too_small")
    if size > MAX_TEAM_SIZE:
        return Invalid("too_large")
    if size != int(size):
        return Invalid("not_whole")
    return int(size)


# "a couple of developers", "a pair of testers": said loosely, so asked about
# rather than taken as 2 (a couple of months stays two months: parsing/timing).
_LOOSE_COUNT = re.compile(r"\b(?:couple|pair)\b", re.IGNORECASE)


def _is_vague(match: re.Match[str]) -> bool:
    """True for "a few developers", "a couple of QA engineers": no number given."""
    number = match.group("number")
    between = match.groupdict().get("between") or ""
    return bool(_LOOSE_COUNT.search(number)) or mentions_vague_quantity(f"{number} {between}")


def _is_article_before_team(pattern: re.Pattern[str], match: re.Match[str]) -> bool:
    """True for "a dev team": one team, of an unknown number of people."""
    return pattern is _N_PERSON_TEAM and match.group("number").lower() in ("a", "an")


def _counted(text: str) -> list[tuple[int, float]]:
    """(position, count) of every "N people"-like phrase in the text, but for
    vague quantities ("a few developers"), which give no count."""
    found: dict[int, float] = {}
    for pattern in (_TEAM_OF, _N_PERSON_TEAM, _COUNTED_PEOPLE):
        for match in pattern.finditer(text):
            if _is_vague(match) or _is_article_before_team(pattern, match):
                continue
            value = number_value(match.group("number"))
            if value is not None and match.start("number") not in found:
                found[match.start("number")] = value
    return sorted(found.items())


def mentioned_team_size(text: str) -> int | Invalid | None:
    """The team size a message states in passing ("we need 3 React devs").

    Counts of several roles add up ("2 backend developers and a designer" is
    3); a bare number with no people noun is not taken as a team size.
    """
    counts = _counted(text)
    if not counts:
        return None
    if len(counts) > 1 and all(value == 1 for _, value in counts):
        # "a developer and a designer": two people, unless one is just "a team of".
        return team_size_limits(len(counts))
    return team_size_limits(sum(value for _, value in counts))


def answered_team_size(text: str) -> int | Invalid:
    """The team size in an answer to "how many people?"."""
    mentioned = mentioned_team_size(text)
    if mentioned is not None:
        return mentioned
    numbers = []
    for match in _ANY_NUMBER.finditer(text):
        after = match.group("after").strip().lower()
        if match.group("number").lower() in ("a", "an") or re.match(_TIME_UNITS, after):
            continue
        value = number_value(match.group("number"))
        if value is not None:
            numbers.append(value)
    if _LOOSE_COUNT.search(text) and not re.search(r"\d", text):
        return Invalid("vague")  # "a couple": how many exactly?
    if not numbers:
        return Invalid("vague" if mentions_vague_quantity(text) else "not_a_number")
    if len(numbers) > 1 and re.search(r"\d\s*(?:-|to|or)\s*\d|\bor\b|\bto\b", text):
        return team_size_limits(max(numbers))  # a range: plan for its upper end
    return team_size_limits(sum(numbers) if len(numbers) > 1 else numbers[0])


def seniority_levels(phrases: Iterable[str], text: str = "") -> tuple[str, ...] | None:
    """Seniority levels from entity phrases, in junior-to-lead order.

    "a mix" with no level named gives ``("mixed",)``; nothing recognisable
    gives None.
    """
    levels = {level for phrase in phrases if (level := canonical_seniority(phrase))}
    if levels - {MIXED_SENIORITY}:
        return tuple(level for level in SENIORITY_LEVELS if level in levels)
    if MIXED_SENIORITY in levels or _MIXED.search(text):
        return (MIXED_SENIORITY,)
    return None


def split_list(text: str) -> list[str]:
    """Items of a free-text list: "React, Node.js and AWS" -> three items."""
    parts = re.split(r"\s*(?:,|;|&|\band\b|\bplus\b|\bor\b|\n)\s*", text)
    items = (" ".join(part.split()).strip(" .!?-\"'") for part in parts)
    return [item for item in items if item]


def roles_from(phrases: Iterable[str]) -> tuple[str, ...]:
    """Canonical role names of entity phrases, without repeats."""
    return unique([canonical_role(phrase) for phrase in phrases])


def technologies_from(phrases: Iterable[str]) -> tuple[str, ...]:
    """Canonical technology names of entity phrases, without repeats."""
    return unique([canonical_technology(phrase) for phrase in phrases])


def free_list(text: str) -> tuple[str, ...] | Invalid:
    """A list the visitor typed in their own words (roles or technologies).

    Invalid when it is empty, has more than 15 items or an item longer than
    60 characters.
    """
    items = split_list(text)
    if not items or not any(re.search(r"\w", item) for item in items):
        return Invalid("empty")
    if len(items) > MAX_LIST_ITEMS:
        return Invalid("too_many")
    if any(len(item) > MAX_ITEM_LENGTH for item in items):
        return Invalid("too_long")
    return unique(items)
