"""What one visitor message tells the lead form.

Values stated in passing are taken from any message that is not a question
or a request to stop ("we need 3 senior Python developers for 6 months"
fills five fields at once); the field the bot just asked for also takes the
message's own words. The result maps slots to candidates that
:mod:`bot.leads.checks` then accepts or refuses with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.leads.parsing.contact import contact_details, email_address, phone_number
from bot.leads.parsing.cues import asks_to_stop, looks_like_question, typed_command
from bot.leads.parsing.introductions import introduction
from bot.leads.parsing.non_answers import DECLINED, PAUSED, TIMING_ANSWER, non_answer
from bot.leads.parsing.team import (
    mentioned_team_size,
    roles_from,
    seniority_levels,
    technologies_from,
)
from bot.leads.parsing.timing import mentioned_budget, mentioned_duration, mentioned_start
from bot.leads.vocabulary import MIXED_SENIORITY, canonical_engagement_model

# Intents that never answer the form's question: the form steps aside for them.
NEVER_ANSWERS = frozenset(
    {
        "stop",
        "bot_challenge",
        "what_can_you_do",
        "goodbye",
        "thank",
        "contact_us",
        "job_seeker",  # a developer looking for work leaves the client's form
        "small_talk",
    }
)
# Intents whose words are not an answer in the visitor's own words, though
# they may state values in passing ("actually make it 4 developers").
NOT_FREE_TEXT = frozenset(
    {"change_lead_field", "hire_developers", "ask_price", "request_human", "request_callback"}
)
GENERIC_ROLES = frozenset({"developer", "engineer", "software engineer"})
# While the bot asks for contact details, words like "Lead" or "Java" are
# more likely part of a name or company than a change of the team.
CONTACT_FIELDS = frozenset({"name", "company", "email", "phone", "consent"})
# Questions answered in free text that a refusal, a filler or a timing phrase
# answers too: the form replies in kind, whatever the intent ("it's urgent"
# may read as a stop, "no thanks" as thanks).
NAMED_FIELDS = ("name", "company")
OUT_OF_SCOPE_CONFIDENCE = 0.7
_PHONE_CUE = re.compile(r"\+|\b(?:phone|call|tel|mobile|cell|whatsapp)", re.IGNORECASE)
_YES = re.compile(r"^\W*(?:yes|yeah|yep|sure|ok|okay|agreed|i agree|of course|fine)\b", re.I)
_NO = re.compile(r"^\W*(?:no|nope|nah|don't|do not|i don't agree|not ok)\b", re.I)


@dataclass(frozen=True)
class Message:
    """The parts of Rasa's parse data that extraction reads."""

    text: str
    intent: str | None = None
    confidence: float = 0.0
    entities: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_parse_data(cls, parse_data: Mapping[str, Any]) -> Message:
        """Builds the message from ``tracker.latest_message``."""
        intent = parse_data.get("intent") or {}
        entities = tuple(
            (str(entity.get("entity")), str(entity.get("value")))
            for entity in parse_data.get("entities") or []
            if entity.get("entity") and entity.get("value") is not None
        )
        return cls(
            text=str(parse_data.get("text") or ""),
            intent=intent.get("name"),
            confidence=float(intent.get("confidence") or 0.0),
            entities=entities,
        )

    def values(self, entity: str) -> list[str]:
        """The values of every entity of one type, in order."""
        return [value for name, value in self.entities if name == entity]


def is_interruption(message: Message, requested: str | None) -> bool:
    """True when the message asks or says something else than an answer.

    An FAQ is a question about the topics, unless the bot asked for the
    engagement model and the message names one ("outstaffing"). A typed command
    or a button without values ("/back", "/xyz") answers only the consent, with
    its yes or no buttons.
    """
    if typed_command(message.text) is not None and not message.entities:
        return not (requested == "consent" and message.intent in ("affirm", "deny"))
    if replies_to_the_question(message, requested):
        return False
    if message.intent in NEVER_ANSWERS:
        return True
    if message.intent == "follow_up":  # "and the cons?", not "maybe spring?"
        return bool(message.values("aspect"))
    if message.intent == "faq":
        names_a_model = canonical_engagement_model(message.text.strip(" .!")) is not None
        return not (requested == "engagement_model" and names_a_model)
    if message.intent == "out_of_scope":
        return looks_like_question(message.text) or message.confidence >= OUT_OF_SCOPE_CONFIDENCE
    return False


def answers_the_form(message: Message, requested: str | None) -> bool:
    """True when the message is meant as an answer to the form's question: no
    question, stop or correction, nor a wish stated again ("I want to hire")."""
    if requested is None or is_interruption(message, requested):
        return False
    return message.intent not in NOT_FREE_TEXT


def replies_to_the_question(message: Message, requested: str | None) -> bool:
    """True when, asked for a name or company, the visitor declines, pauses or
    states timing instead ("I'd rather not say", "one sec", "next week"),
    unless they ask to stop outright ("cancel", "never mind")."""
    if requested not in NAMED_FIELDS or asks_to_stop(message.text):
        return False
    if looks_like_question(message.text):
        return False
    return non_answer(message.text, requested) in {DECLINED, PAUSED, TIMING_ANSWER}


def _team(message: Message, current: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    size = mentioned_team_size(message.text)
    if isinstance(size, int):
        found["team_size"] = size
    elif size is not None:  # an out-of-range count: let the check explain why
        found["team_size"] = message.text
    roles = roles_from(message.values("role"))
    stack_named = bool(message.values("tech_stack"))
    # "developers" alone says no role: asked, unless a stack makes it one ("Python developers")
    if roles and not (set(roles) <= GENERIC_ROLES and (current.get("roles") or not stack_named)):
        found["roles"] = list(roles)
    levels = seniority_levels(message.values("seniority"))
    if levels:
        found["seniority"] = list(levels)
    stack = technologies_from(message.values("tech_stack"))
    if stack:
        found["tech_stack"] = list(stack)
    models = [canonical_engagement_model(v) for v in message.values("engagement_model")]
    if any(models):
        found["engagement_model"] = next(model for model in models if model)
    return found


def _timing(message: Message, today: date) -> dict[str, Any]:
    found: dict[str, Any] = {}
    start = mentioned_start(message.text, today)
    if start is not None:
        found["start"] = start.text
    if duration := mentioned_duration(message.text):
        found["duration"] = duration
    if budget := mentioned_budget(message.text):
        found["budget"] = budget
    return found


def _contact(message: Message, requested: str | None, region: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if email_address(message.text) is not None:
        found["email"] = message.text
    phone = phone_number(message.text, region)
    looks_like_contact = bool(_PHONE_CUE.search(message.text)) or "email" in found
    if isinstance(phone, str) or (
        phone is not None
        and requested in CONTACT_FIELDS
        and message.intent not in NOT_FREE_TEXT
        and looks_like_contact
    ):
        found["phone"] = message.text  # the check says why a number is unusable
    if requested in NAMED_FIELDS and message.intent not in NOT_FREE_TEXT:
        details = contact_details(message.text, asked=requested, default_region=region)
        declined_or_paused = non_answer(message.text, requested) in {DECLINED, PAUSED}
        if details.refusal is not None:  # "skip, Acme Ltd": the name refused, a company
            found["name"] = details.refusal  # its check says why
        elif declined_or_paused and not (details.name or details.company):
            found[requested] = message.text  # its check says why: "declined", "paused"
            return found
        found.update({k: v for k, v in (("name", details.name), ("company", details.company)) if v})
    else:  # "Hi, I'm Marta Nowak from Fieldwise": given before it was asked
        introduced = introduction(message.text)
        given = (("name", introduced.name), ("company", introduced.company))
        found.update({key: value for key, value in given if value})
    return found


def _drop_generic_roles(found: dict[str, Any]) -> None:
    roles = found.get("roles")
    if isinstance(roles, list):
        specific = [role for role in roles if role not in GENERIC_ROLES]
        if specific:
            found["roles"] = specific


def _model_alone(message: Message) -> str | None:
    """The engagement model a message is made of ("outstaffing"): at the name
    question, how they want to work, not who they are ("no idea" is no model)."""
    model = canonical_engagement_model(message.text.strip(" .!"))
    return model if model != "not_sure" else None


def _answer(message: Message, requested: str) -> Any:
    """The message's own words as the answer to the requested field."""
    if requested == "consent":
        if message.intent == "affirm" or _YES.match(message.text):
            return True
        if message.intent == "deny" or _NO.match(message.text):
            return False
        return message.text
    if requested == "engagement_model":
        return canonical_engagement_model(message.text.strip(" .!")) or message.text
    if requested == "seniority":
        return list(seniority_levels([message.text], message.text) or [message.text])
    return message.text


ANSWERED_BY_OPTION = ("consent", "seniority", "engagement_model")
SEASONS = frozenset({"spring", "summer", "autumn", "fall", "winter"})
LISTED_FIELDS = ("roles", "tech_stack")


_REFUSAL_BEFORE = (
    r"\b(?:no|without|not|drop|remove|minus|except|skip)\s+(?:the\s+|a\s+|an\s+|any\s+)?"
)
_CANONICAL = {"roles": roles_from, "tech_stack": technologies_from}
_ENTITY_OF = {"roles": "role", "tech_stack": "tech_stack"}


def refused_in_passing(message: Message) -> dict[str, set[str]]:
    """The roles and technologies a message takes away: "and no QA", "without PHP"."""
    refused: dict[str, set[str]] = {}
    for field, entity in _ENTITY_OF.items():
        named = [
            value
            for value in message.values(entity)
            if re.search(_REFUSAL_BEFORE + re.escape(value) + r"\b", message.text, re.IGNORECASE)
        ]
        if named:
            refused[field] = set(_CANONICAL[field](named))
    return refused


def _take_away(found: dict[str, Any], current: Mapping[str, Any], message: Message) -> None:
    """Removes what the message refuses from what it and the lead say."""
    for field, refused in refused_in_passing(message).items():
        kept = [v for v in found.get(field, current.get(field) or []) if v not in refused]
        if kept:
            found[field] = kept
        else:
            found.pop(field, None)


def _drop_seasons(found: dict[str, Any]) -> None:
    stack = [tech for tech in found.get("tech_stack", []) if tech.lower() not in SEASONS]
    if stack:
        found["tech_stack"] = stack
    else:
        found.pop("tech_stack", None)


def _add_to_what_was_said(found: dict[str, Any], current: Mapping[str, Any]) -> None:
    """Roles and technologies mentioned in passing add to those already given;
    only an answer to their own question, or a change, replaces them."""
    for field in LISTED_FIELDS:
        given = current.get(field)
        if field in found and isinstance(given, list):
            found[field] = list(dict.fromkeys([*given, *found[field]]))


def extract(
    message: Message,
    requested: str | None,
    current: Mapping[str, Any],
    today: date,
    default_phone_region: str | None = None,
) -> dict[str, Any]:
    """Slot candidates in ``message`` for the lead form.

    Args:
        message: the visitor's latest message.
        requested: the field the bot asked for last (None before the first).
        current: the slots as they are now.
        today: the day relative dates are read from.
        default_phone_region: region for phone numbers written without ``+``.
    """
    if is_interruption(message, requested):
        return {}
    found: dict[str, Any] = {}
    model_alone = _model_alone(message)
    if requested not in CONTACT_FIELDS or message.intent == "change_lead_field":
        found.update(_team(message, current))
    elif model_alone is not None:
        found["engagement_model"] = model_alone
    elif isinstance(size := mentioned_team_size(message.text), int):
        found["team_size"] = size
    found.update(_timing(message, today))
    if model_alone is None:
        found.update(_contact(message, requested, default_phone_region))
    # The message's own words answer the question only when they state
    # nothing else ("we need 2 seniors" is no list of roles); a yes or no
    # answers only the consent question.
    # (a yes to a question with options is an answer the check refuses, saying them)
    yes_or_no = message.intent in ("affirm", "deny") and requested not in ANSWERED_BY_OPTION
    if requested == "start":  # "maybe spring?" is a season, not the framework
        _drop_seasons(found)
    if requested != "tech_stack" and message.intent != "change_lead_field":
        _add_to_what_was_said(found, current)  # "they should know Kubernetes too"
    _take_away(found, current, message)  # "make it 4 React devs and no QA"
    _drop_generic_roles(found)  # "5 devs: 3 backend and 2 frontend" names two roles
    if requested and not found and message.intent not in NOT_FREE_TEXT and not yes_or_no:
        found[requested] = _answer(message, requested)
    if found.get("seniority") == [MIXED_SENIORITY] and current.get("seniority"):
        found.pop("seniority")  # "a mix" in passing does not undo named levels
    return found
