"""Personal data kept out of the logs: every log record's message is redacted as it
is made, whichever library logs it (Rasa, rasa-sdk, Sanic, ours).

Redacted: email addresses; phone numbers (found by ``phonenumbers``: written
with ``+`` and a country code, or in ``DEFAULT_PHONE_REGION``'s format); the
text of every message, the visitor's (who may write anything, their name
included) and the bot's (which repeats it: the lead summary), wherever Rasa
dumps one (its line per message, the policies' state dumps, event reprs and
dicts); and the values of the personal slots (name, email, phone) in slot
listings and dicts. A lead form through both servers logging at DEBUG leaves
none of them (tests/server/test_log_redaction_server.py). Installed by
:func:`install` in each server process.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import phonenumbers

PERSONAL_SLOTS = ("name", "email", "phone")
REDACTED = "[redacted]"
_SLOTS = "|".join(PERSONAL_SLOTS)
# A quote, perhaps escaped (a dict's repr inside a JSON log line).
_QUOTE = r"""\\?["']"""
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# What else a "name" holds in Rasa's dumps: an action, a form, a response, a slot.
RASA_NAME = re.compile(rf"(?:action|utter|validate)_\w+|\w+_form|{_SLOTS}|[a-z]+(?:_[a-z]+)+")
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
    (re.compile(rf"(SlotSet\(key: (?:{_SLOTS}), value: )(.*?)(\))"), rf"\1{REDACTED}\3"),
    (re.compile(r"((?:Bot|User)Uttered\()(['\"])(.*?)\2(, )", re.S), rf"\1\2{REDACTED}\2\4"),
    (re.compile(r"(UserUttered\(text: )(.*?)(, intent: )", re.S), rf"\1{REDACTED}\3"),
    # slot listings: "\tname: Jane Doe\n"
    (re.compile(rf"((?:\\t|\t)(?:{_SLOTS}): )(.*?)(?=\\n|\n|\"|$)"), rf"\1{REDACTED}"),
    # the lead summary's lines: "**Name:** Jane Doe"
    (re.compile(r"(\*\*(?:Name|Email|Phone):\*\* )([^\\\n]*)"), rf"\1{REDACTED}"),
    # event dicts: {"event": "slot", "name": "email", "value": ...}
    (
        re.compile(
            rf"({_QUOTE}name{_QUOTE}:\s*{_QUOTE}(?:{_SLOTS}){_QUOTE},\s*{_QUOTE}value{_QUOTE}:\s*)"
            rf"({_QUOTE})(.*?)\2"
        ),
        rf"\1\2{REDACTED}\2",
    ),
    # texts in dicts and JSON: {"text": ...}, {"user_message": ...}
    (
        re.compile(
            rf"({_QUOTE}(?:text|user_message|parse_data_text){_QUOTE}:\s*)({_QUOTE})(.*?)\2"
        ),
        rf"\1\2{REDACTED}\2",
    ),
]
# Values of personal keys in dicts and JSON: {"name": "Jane Doe"}, {"visitor_email": ...}
PERSONAL_VALUE = re.compile(rf"({_QUOTE}(?:visitor_)?(?:{_SLOTS}){_QUOTE}:\s*)({_QUOTE})(.*?)\2")
DIGITS = re.compile(r"\d")
MIN_PHONE_DIGITS = 7


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


def redact(text: str, region: str | None = None) -> str:
    """``text`` without the personal data this module knows how to find."""
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    text = PERSONAL_VALUE.sub(_unless_rasa_name, text)
    text = EMAIL.sub("[email]", text)
    return _phones(text, region)


def install(region: str | None = None) -> None:
    """Makes every log record of this process carry a redacted message."""
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
