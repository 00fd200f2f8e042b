"""Personal data kept out of the logs: every log record's message is redacted as it
is made, whichever library logs it (Rasa, rasa-sdk, Sanic, ours).

Redacted: email addresses; phone numbers (found by ``phonenumbers``: written
with ``+`` and a country code, or in ``DEFAULT_PHONE_REGION``'s format); the
text of every message, the visitor's (who may write anything, their name
included) and the bot's (which repeats it: the lead summary), wherever Rasa
dumps one (its line per message, the policies' state dumps, event reprs and
dicts); the values of the person slots (name, company, email, phone) and of
the slots that keep the visitor's own words (roles, tech stack, start,
duration, budget, the last question) in slot listings, events and dicts; and
every other occurrence, in the same record, of a person slot's value or of
one of its words (a name the visitor typed where a company was asked); and
conversation ids in Rasa's own lines (the channels name a conversation by a
keyed fingerprint instead, :mod:`bot.rasa_plugins.channels.sessions`); and the text Rasa's
warnings quote when a message is typed as a command ("/my name is ..."),
warnings being logged too. Lead
forms through both servers logging at DEBUG leave none of them
(tests/system/server/test_log_redaction_server.py). Installed by :func:`install` in
each server process.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import phonenumbers

# Who the visitor is; their values are also redacted wherever else a record has them.
PERSONAL_SLOTS = ("name", "company", "email", "phone")
# The visitor's own words, which may hold a name too.
FREE_TEXT_SLOTS = ("roles", "tech_stack", "start", "duration", "budget", "knowledge_question")
REDACTED = "[redacted]"
PLACEHOLDERS = frozenset({"redacted", "email", "phone"})  # the words of what replaces data
_SLOTS = "|".join((*PERSONAL_SLOTS, *FREE_TEXT_SLOTS))
_PERSON_SLOTS = "|".join(PERSONAL_SLOTS)
# A quote, perhaps escaped (a dict's repr inside a JSON log line).
_QUOTE = r"""\\?["']"""
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# What else a "name" holds in Rasa's dumps: an action, a form, a response, a slot.
RASA_NAME = re.compile(rf"(?:action|utter|validate)_\w+|\w+_form|{_SLOTS}|[a-z]+(?:_[a-z]+)+")
# A list as Rasa and JSON print it (of strings without brackets).
_LIST = r"\[[^\[\]]*\]"
# The end of a SlotSet's repr: its ")" before a quote, a comma, a bracket, the end,
# or a space and a word without ")" ("value: Acme (UK) Ltd)" ends at the second).
_REPR_END = r"\)(?=\\?[\"']|\s*[,\]]|\s*$|\s+(?!\S*\)))"
# Where Rasa and the bot write what a visitor typed or gave: (pattern, replacement).
RULES: list[tuple[re.Pattern[str], str]] = [
    # Rasa's debug line for each message
    (
        re.compile(r"(Received user message )(['\"])(.*?)\2( with intent)", re.S),
        rf"\1\2{REDACTED}\2\4",
    ),
    # the policies' state dumps: "user text: ... | previous action name: ..."
    (re.compile(r"(user text: )(.*?)(?= \| |\\n|\n|\"|$)"), rf"\1{REDACTED}"),
    # events: SlotSet(key: name, value: ...), BotUttered('...', {...}), UserUttered(...)
    (
        re.compile(rf"(SlotSet\(key: (?:{_SLOTS}), value: )(.*?)({_REPR_END})", re.M),
        rf"\1{REDACTED}\3",
    ),
    (re.compile(r"((?:Bot|User)Uttered\()(['\"])(.*?)\2(, )", re.S), rf"\1\2{REDACTED}\2\4"),
    (re.compile(r"(UserUttered\(text: )(.*?)(, intent: )", re.S), rf"\1{REDACTED}\3"),
    # slot listings: "\tname: Jane Doe\n"
    (re.compile(rf"((?:\\t|\t)(?:{_SLOTS}): )(.*?)(?=\\n|\n|\"|$)"), rf"\1{REDACTED}"),
    # the lead summary's lines: "**Name:** Jane Doe"
    (
        re.compile(
            r"(\*\*(?:Name|Company|Work email|Email|Phone|Roles|Tech stack|Start|Duration|Budget)"
            r":\*\* )([^\\\n]*)"
        ),
        rf"\1{REDACTED}",
    ),
    # event dicts: {"event": "slot", "name": "email", "value": ...}
    (
        re.compile(
            rf"({_QUOTE}name{_QUOTE}:\s*{_QUOTE}(?:{_SLOTS}){_QUOTE},\s*{_QUOTE}value{_QUOTE}:\s*)"
            rf"({_QUOTE})(.*?)\2"
        ),
        rf"\1\2{REDACTED}\2",
    ),
    (
        re.compile(
            rf"({_QUOTE}name{_QUOTE}:\s*{_QUOTE}(?:{_SLOTS}){_QUOTE},\s*{_QUOTE}value{_QUOTE}:\s*)"
            rf"{_LIST}"
        ),
        rf"\1{REDACTED}",
    ),
    # lists of the visitor's words in dicts and JSON: {"roles": ["Jane's team lead"]}
    (re.compile(rf"({_QUOTE}(?:{_SLOTS}){_QUOTE}:\s*){_LIST}"), rf"\1{REDACTED}"),
    # texts in dicts and JSON: {"text": ...}, {"user_message": ...}
    (
        re.compile(
            rf"({_QUOTE}(?:text|user_message|parse_data_text){_QUOTE}:\s*)({_QUOTE})(.*?)\2"
        ),
        rf"\1\2{REDACTED}\2",
    ),
    # Rasa's warnings about a typed "/command" quote the whole message, and more
    (re.compile(r"(Failed to parse arguments in line ).*", re.S), rf"\1{REDACTED}"),
    # conversation ids in Rasa's lines ("for sender 'a1b2'", "conversation ID 'a1b2'"):
    # knowing one was enough to read a conversation before sessions had tokens
    (
        re.compile(r"((?:for sender|sender id|conversation(?: ID|_id| id)) )(['\"])([^'\"]*)\2"),
        rf"\1\2{REDACTED}\2",
    ),
]
# Values of personal keys in dicts and JSON: {"name": "Jane Doe"}, {"visitor_email": ...}
PERSONAL_VALUE = re.compile(rf"({_QUOTE}(?:visitor_)?(?:{_SLOTS}){_QUOTE}:\s*)({_QUOTE})(.*?)\2")
DIGITS = re.compile(r"\d")
MIN_PHONE_DIGITS = 7
# Where a record shows the value of a person slot (group "value"), to find it elsewhere.
PERSON_VALUES = [
    re.compile(rf"SlotSet\(key: (?:{_PERSON_SLOTS}), value: (?P<value>.*?){_REPR_END}", re.M),
    re.compile(rf"(?:\\t|\t)(?:{_PERSON_SLOTS}): (?P<value>.*?)(?=\\n|\n|\"|$)"),
    re.compile(
        rf"{_QUOTE}name{_QUOTE}:\s*{_QUOTE}(?:{_PERSON_SLOTS}){_QUOTE},\s*{_QUOTE}value{_QUOTE}:\s*"
        rf"(?P<quote>{_QUOTE})(?P<value>.*?)(?P=quote)"
    ),
    re.compile(
        rf"{_QUOTE}(?:visitor_(?:{_PERSON_SLOTS})|company|email|phone){_QUOTE}:\s*"
        rf"(?P<quote>{_QUOTE})(?P<value>.*?)(?P=quote)"
    ),
]
# A plain "name" key holds a person's name in a slots dict, but an intent's or an
# action's elsewhere ("inform"): only a value with a capital or a space counts.
NAME_KEY_VALUE = re.compile(rf"{_QUOTE}name{_QUOTE}:\s*(?P<quote>{_QUOTE})(?P<value>.*?)(?P=quote)")
# A word of a person slot's value that is redacted wherever else the record has it.
VALUE_WORD = re.compile(r"[^\W\d_]{3,}")
NOT_PERSONAL = frozenset({"None", "null", "True", "False"})


def _phones(text: str, region: str | None) -> str:
    if len(DIGITS.findall(text)) < MIN_PHONE_DIGITS:
        return text
    spans = [
        (match.start, match.end) for match in phonenumbers.PhoneNumberMatcher(text, region or "ZZ")
    ]
    for start, end in reversed(spans):
        text = f"{text[:start]}[phone]{text[end:]}"
    return text


def _unless_rasa_name(match: re.Match[str]) -> str:
    if RASA_NAME.fullmatch(match.group(3)):
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{REDACTED}{match.group(2)}"


def _may_be_a_person(name: str) -> bool:
    return " " in name.strip() or not name.islower()


def _person_values(text: str) -> list[str]:
    """The values of person slots that ``text`` shows, and their words, longest first."""
    values = [match.group("value") for pattern in PERSON_VALUES for match in pattern.finditer(text)]
    values += [
        match.group("value")
        for match in NAME_KEY_VALUE.finditer(text)
        if not RASA_NAME.fullmatch(match.group("value")) and _may_be_a_person(match.group("value"))
    ]
    found: set[str] = set()
    for value in values:
        found.add(value.strip())
        found.update(VALUE_WORD.findall(value))
    return sorted(
        (
            value
            for value in found
            if len(value) >= 3
            and "[" not in value
            and value not in NOT_PERSONAL
            and value.lower() not in PLACEHOLDERS
        ),
        key=len,
        reverse=True,
    )


def _everywhere(text: str, values: list[str]) -> str:
    for value in values:
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", REDACTED, text)
    return text


def redact(text: str, region: str | None = None) -> str:
    """``text`` without the personal data this module knows how to find."""
    person_values = _person_values(text)
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    text = PERSONAL_VALUE.sub(_unless_rasa_name, text)
    text = _everywhere(text, person_values)
    text = EMAIL.sub("[email]", text)
    return _phones(text, region)


def install(region: str | None = None) -> None:
    """Makes every log record of this process carry a redacted message, its warnings
    included (Python writes those to stderr, the process's log, as they are)."""
    logging.captureWarnings(True)
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "redacts", False):
        return

    def make_redacted_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: redact what there is
            message = f"{record.msg} {record.args}"
        record.msg, record.args = redact(message, region), None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info), region)
        return record

    make_redacted_record.redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_redacted_record)


def install_for_this_process() -> None:
    """:func:`install` with ``DEFAULT_PHONE_REGION`` (unset or unusable: no region)."""
    from bot.settings import SettingsError, load_settings

    try:
        region = load_settings().default_phone_region
    except SettingsError:
        region = None  # the server reports the bad setting itself
    install(region)
