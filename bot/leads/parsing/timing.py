"""When the team should start, for how long, and the budget behind it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.leads.parsing.numbers import NUMBER_PATTERN
from bot.leads.parsing.result import Invalid

MAX_TEXT_LENGTH = 200
ASAP = "as soon as possible"

_ASAP = re.compile(
    r"\b(?:asap|a\.s\.a\.p|as soon as possible|immediately|right away|right now|straight away"
    r"|urgently|urgent|yesterday)\b|^\s*now\W*$",
    re.IGNORECASE,
)
_UNIT = r"(?:days?|weeks?|months?|years?|yrs?)"
_AMOUNT_OF_TIME = rf"(?:{NUMBER_PATTERN})(?:\s*(?:-|to)\s*(?:{NUMBER_PATTERN}))?[\s-]*{_UNIT}"
_BARE_AMOUNT_OF_TIME = re.compile(rf"\b(?:{_AMOUNT_OF_TIME})\b", re.IGNORECASE)
_OPEN_ENDED = re.compile(
    r"\b(?:long[\s-]term|short[\s-]term|ongoing|permanent(?:ly)?|indefinite(?:ly)?|open[\s-]ended"
    r"|full[\s-]time|part[\s-]time)\b",
    re.IGNORECASE,
)
_DURATION_IN_PASSING = re.compile(
    rf"\b(?:for|during|over|lasting)\s+(?:about\s+|around\s+|roughly\s+|at least\s+)?"
    rf"(?P<amount>{_AMOUNT_OF_TIME})"
    rf"|(?P<hyphenated>{NUMBER_PATTERN})-{_UNIT.replace('s?', '')}s?\b"
    rf"|(?P<contract>{_AMOUNT_OF_TIME})\s+(?:contract|project|engagement|assignment)",
    re.IGNORECASE,
)
_START_CUE = re.compile(
    r"\b(?:start(?:ing)?|begin(?:ning)?|kick(?:ing)?\s*off|from|by|onboard(?:ing)?)\s+"
    r"(?:on\s+|in\s+|at\s+|from\s+|by\s+)?(?P<when>[^,.;!?]+?)"
    r"(?=\s+(?:for|with|and|budget)\b|[,.;!?]|$)",
    re.IGNORECASE,
)
_RELATIVE_START = re.compile(
    r"\b(?P<when>next\s+(?:week|month|quarter|year)|this\s+(?:week|month|quarter)"
    r"|in\s+(?:a|one|two|three|four|five|six|\d+)\s+(?:weeks?|months?)"
    r"|(?:early|mid|late|end of)\s+\w+|(?:in\s+)?(?:january|february|march|april|may|june"
    r"|july|august|september|october|november|december)(?:\s+\d{4})?)\b",
    re.IGNORECASE,
)
_CURRENCY = r"(?:[$€£]|usd|eur|gbp|chf|cad|aud|dollars?|euros?|pounds?|bucks)"
_MONEY = re.compile(
    rf"(?:{_CURRENCY}\s*(?:{NUMBER_PATTERN})(?:\s*(?:-|to)\s*{_CURRENCY}?\s*(?:{NUMBER_PATTERN}))?"
    rf"|(?:{NUMBER_PATTERN})(?:\s*(?:-|to)\s*(?:{NUMBER_PATTERN}))?\s*{_CURRENCY})"
    r"(?:\s*(?:per|a|an|/)\s*(?:month|mo|hour|hr|h|year|yr|week|day|person|developer|dev))?",
    re.IGNORECASE,
)
_BUDGET_WORDS = re.compile(
    r"\bbudget\s+(?:is|of|around|about|:)?\s*(?P<what>[^,.;!?]{1,60})", re.IGNORECASE
)


@dataclass(frozen=True)
class Start:
    """When the team should start: the visitor's words and, if parsable, a date."""

    text: str
    on: date | None


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" ,.;")


def parse_date(text: str, today: date) -> date | None:
    """A calendar date for "next month", "1 March", "in two weeks"; None if unclear."""
    import dateparser  # imported on use: it compiles its language data on import

    base = datetime(today.year, today.month, today.day)
    # dateparser reads "in 2 weeks" but not "2 weeks from now".
    text = re.sub(r"^(.+?)\s+from\s+(?:now|today)\b", r"in \1", text.strip(), flags=re.I)
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": base,
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None


def timing_expressions(text: str) -> list[str]:
    """Every phrase in ``text`` that states a start, a duration or a budget, as
    written ("next week", "ASAP", "6 months", "$20k"), found without reading
    dates. A month or weekday alone counts ("May"): callers decide whether it
    is one or a name ("May Chen")."""
    patterns = (_ASAP, _RELATIVE_START, _DURATION_IN_PASSING, _BARE_AMOUNT_OF_TIME, _OPEN_ENDED)
    found = [match.group(0) for pattern in (*patterns, _MONEY) for match in pattern.finditer(text)]
    return [phrase for phrase in found if phrase.strip()]


def mentioned_duration(text: str) -> str | None:
    """The engagement's length stated in passing: "for 6 months", "long-term"."""
    match = _DURATION_IN_PASSING.search(text)
    if match:
        amount = match.group("amount") or match.group("contract")
        if amount:
            return _tidy(amount)
        return _tidy(match.group(0))
    open_ended = _OPEN_ENDED.search(text)
    return _tidy(open_ended.group(0)).lower() if open_ended else None


def mentioned_budget(text: str) -> str | None:
    """A budget stated anywhere: an amount with a currency, or "budget is ..."."""
    money = _MONEY.search(text)
    if money:
        return _tidy(money.group(0))
    words = _BUDGET_WORDS.search(text)
    return _tidy(words.group("what")) if words else None


def mentioned_start(text: str, today: date) -> Start | None:
    """The start stated in passing: "starting ASAP", "from March", "next month"."""
    if _ASAP.search(text):
        return Start(ASAP, today)
    for pattern in (_START_CUE, _RELATIVE_START):
        match = pattern.search(text)
        if match and not re.fullmatch(_AMOUNT_OF_TIME, match.group("when").strip(), re.I):
            words = _tidy(match.group("when"))
            when = parse_date(words, today)
            if when is not None or pattern is _RELATIVE_START:
                return Start(words, when)
    return None


def answered_start(text: str, today: date) -> Start | Invalid:
    """The start in an answer to "when should they start?".

    The visitor's words are kept whatever they are; the date is added when one
    can be read from them. A date more than a week in the past is refused.
    """
    words = _tidy(text)
    if not re.search(r"\w", words):
        return Invalid("empty")
    if len(words) > MAX_TEXT_LENGTH:
        return Invalid("too_long")
    whole = None if _ASAP.search(words) else parse_date(words, today)
    start = Start(words, whole) if whole else mentioned_start(words, today)
    if start is None:
        # The answer may add the duration and budget: date only what is left.
        rest = _tidy(_MONEY.sub("", _DURATION_IN_PASSING.sub("", words)))
        start = Start(words, parse_date(rest, today) if rest else None)
    if start.on is not None and start.on < today - timedelta(days=7):
        return Invalid("in_the_past")
    return start
