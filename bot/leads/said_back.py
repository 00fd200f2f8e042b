"""How the bot says back a value it took: "Got it: backend developers.",
"Got it: start next week.", "Got it: your email is jane@acme.com now."

One phrase per field, in the visitor's words and never the database's ("roles
is now developer"); ``utter_lead_field_updated`` puts it after "Got it:".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from bot.leads.summary import escape_markdown

_MONTH_FIRST = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE
)
_AMOUNT_FIRST = re.compile(
    r"^(?:\d|a |an |one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|couple)",
    re.IGNORECASE,
)
_MODELS = {
    "outstaffing": "outstaffing",
    "outsourcing": "outsourcing",
    "offshore_team": "an offshore team",
    "not_sure": "our sales team will recommend how to work together",
}


def _listed(items: Sequence[str]) -> str:
    """ "Python", "Python and React", "Python, React and AWS"."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _items(value: Any) -> list[str]:
    values = value if isinstance(value, list | tuple) else [value]
    return [escape_markdown(str(item)) for item in values]


def _levels(value: Any) -> str:
    levels = _items(value)
    if levels == ["mixed"]:
        return "a mix of levels"
    return f"{_listed(levels)} level{'s' if len(levels) > 1 else ''}"


def _team_size(value: Any) -> str:
    return "just one person" if str(value) == "1" else f"a team of {escape_markdown(str(value))}"


def _start(value: Any) -> str:
    text = escape_markdown(str(value))
    if _MONTH_FIRST.match(text):
        return f"start in {text}"
    return f"start on {text}" if text[:1].isdigit() else f"start {text}"


def _duration(value: Any) -> str:
    text = escape_markdown(str(value))
    return f"for {text}" if _AMOUNT_FIRST.match(text) else text


def _model(value: Any) -> str:
    return _MODELS.get(str(value), escape_markdown(str(value)))


def _contact(template: str) -> Callable[[Any], str]:
    return lambda value: template.format(value=escape_markdown(str(value)))


_PHRASES: dict[str, Callable[[Any], str]] = {
    "roles": lambda value: _listed(_items(value)),
    "team_size": _team_size,
    "seniority": _levels,
    "tech_stack": lambda value: _listed(_items(value)),
    "engagement_model": _model,
    "start": _start,
    "duration": _duration,
    "budget": _contact("a budget of {value}"),
    "name": _contact("I'll call you {value}"),
    "company": _contact("your company is {value}"),
    "email": _contact("your email is {value}"),
    "phone": _contact("your phone number is {value}"),
}
# Said with "now" when they replace an earlier value: "your email is ... now".
_NOW_WHEN_REPLACED = frozenset({"company", "email", "phone"})


def said_back(slot: str, value: Any, *, replaced: bool = False) -> str:
    """The words after "Got it:" for ``value`` of ``slot``, markdown escaped:
    "backend developer and QA engineer", "a team of 4", "start next week",
    "your email is jane@acme.com" (with "now" when it ``replaced`` another)."""
    phrase = _PHRASES[slot](value)
    return f"{phrase} now" if replaced and slot in _NOW_WHEN_REPLACED else phrase
