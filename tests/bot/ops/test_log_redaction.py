"""Personal data is redacted from every log record (bot.ops.log_redaction)."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ops.log_redaction import install, redact


def test_emails_are_redacted():
    assert redact("lead from jane.doe+bot@acme.example stored") == "lead from [email] stored"


def test_phone_numbers_with_a_country_code_are_redacted():
    assert redact("call +44 20 7946 0958 today") == "call [phone] today"


def test_national_phone_numbers_are_redacted_in_the_default_region():
    assert redact("call 020 7946 0958", "GB") == "call [phone]"


def test_rasas_debug_line_of_a_user_message_keeps_no_text():
    line = "Received user message 'I am Jane Doe from Acme' with intent '{\"name\": \"inform\"}'"
    assert "Jane" not in redact(line)
    assert "Received user message '[redacted]' with intent" in redact(line)


@pytest.mark.parametrize(
    "dump",
    [
        "SlotSet(key: name, value: Jane Doe)",
        '{"event": "slot", "timestamp": 1.5, "name": "name", "value": "Jane Doe"}',
        "{'name': 'Jane Doe', 'team_size': 3}",
        '{"event": "user", "text": "I am Jane Doe", "parse_data": {}}',
        '{"event": "bot", "text": "Thanks, Jane Doe!"}',
    ],
)
def test_personal_slot_values_and_message_texts_are_redacted(dump: str):
    assert "Jane" not in redact(dump)


@pytest.mark.parametrize(
    "dump",
    [
        "SlotSet(key: company, value: Jane Doe Consulting)",
        "SlotSet(key: company, value: Jane (UK) Ltd)",
        '["SlotSet(key: company, value: Jane Doe)", "SlotSet(key: requested_slot, value: email)"]',
        '{"slot_values": "\\tcompany: Jane Doe Ltd\\n\\tteam_size: 3"}',
        '{"event": "slot", "name": "company", "value": "Jane Doe Ltd"}',
        '{"slots": {"company": "Jane Doe Ltd", "team_size": 3}}',
        "SlotSet(key: start, value: when Jane is back)",
        '{"event": "slot", "name": "roles", "value": ["a lead like Jane"]}',
        "{'tech_stack': ['whatever Jane uses'], 'team_size': 3}",
        '"\\tstart: after Jane Doe returns\\n"',
    ],
)
def test_company_and_free_text_slot_values_are_redacted(dump: str):
    assert "Jane" not in redact(dump)


@pytest.mark.parametrize(
    "record",
    [
        "SlotSet(key: company, value: Dana Kowalski) after the message of Dana Kowalski",
        '{"event": "slot", "name": "name", "value": "Dana Kowalski"} Kowalski, Dana: 3 devs',
        '{"slots": {"name": "Dana Kowalski"}, "latest": "for Kowalski"}',
        "{'visitor_name': 'Dana Kowalski'} BotUttered text Thank you, Dana!",
    ],
)
def test_a_person_slots_value_is_redacted_wherever_else_the_record_has_it(record: str):
    redacted = redact(record)
    assert "Dana" not in redacted
    assert "Kowalski" not in redacted


def test_names_of_intents_and_slots_are_not_taken_for_a_persons():
    record = (
        "Received user message 'hi' with intent '{\"name\": \"inform\"}'; "
        "SlotSet(key: requested_slot, value: company) inform company"
    )
    assert redact(record).endswith("SlotSet(key: requested_slot, value: company) inform company")


# Words that stand for no value ("None") or for one redacted ("[phone]") are kept.
KEPT_WORDS = {"none", "null", "true", "false", "redacted", "email", "phone"}
NAME_WORD = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=3, max_size=10
).filter(lambda word: word.lower() not in KEPT_WORDS)


@given(
    st.lists(NAME_WORD, min_size=1, max_size=3).map(" ".join), st.sampled_from(["name", "company"])
)
def test_any_person_value_leaves_no_trace_in_its_record(value: str, slot: str):
    record = f"SlotSet(key: {slot}, value: {value}) and later: {value}!"
    redacted = redact(record)
    assert all(word not in redacted for word in value.split()), (value, redacted)


@pytest.mark.parametrize(
    "line",
    [
        "2026-12-02 18:33:29.812409 Starting server on port 5005",
        "conversation 3f1c2a9e-6b7d-4e0a-9c51-2d8f0b7e4a13 predicted action_listen",
        '{"event": "action", "name": "action_listen"} {"name": "lead_form"}',
        "SlotSet(key: team_size, value: 3)",
    ],
)
def test_what_is_not_personal_stays(line: str):
    assert redact(line) == line


@given(st.text(max_size=300))
def test_redact_never_raises_and_is_idempotent(text: str):
    once = redact(text, "GB")
    assert redact(once, "GB") == once


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """A logger of this test's writing to a string, with the redacting record factory."""
    factory = logging.getLogRecordFactory()
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    logger = logging.getLogger("tests.log_redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    install("GB")
    yield output
    logger.removeHandler(handler)
    logging.setLogRecordFactory(factory)
    logging.captureWarnings(False)


def test_installed_every_record_is_redacted(log_output: io.StringIO):
    logger = logging.getLogger("tests.log_redaction")
    logger.info("lead from %s, phone %s", "jane@acme.example", "+44 20 7946 0958")
    try:
        raise ValueError("could not deliver to jane@acme.example")
    except ValueError:
        logger.exception("delivery failed")
    written = log_output.getvalue()
    assert "lead from [email], phone [phone]" in written
    assert "could not deliver to [email]" in written
    assert "jane@acme.example" not in written


@pytest.mark.parametrize(
    "line",
    [
        "Circuit breaker tripped. Stopped predicting more actions for sender '5f2b9c0d4e6a'.",
        "Starting a new session for conversation ID '5f2b9c0d4e6a'.",
        "Could not acquire lock for conversation_id '5f2b9c0d4e6a'.",
        "Failed to retrieve events for sender id '5f2b9c0d4e6a' from SQL storage.",
    ],
)
def test_rasas_lines_name_no_conversation(line: str):
    assert "5f2b9c0d4e6a" not in redact(line)
    assert "[redacted]" in redact(line)


TYPED_COMMAND_WARNING = (
    "Failed to parse arguments in line '/my name is Zelda Pwned, zelda@leak.example'. "
    "Expected the intent to be one of [['affirm', 'deny']] but found my name is Zelda Pwned, "
    "zelda@leak.example.Continuing with given line as user text."
)


def test_rasas_warning_about_a_typed_command_keeps_no_text():
    assert redact(TYPED_COMMAND_WARNING) == "Failed to parse arguments in line [redacted]"


def test_installed_warnings_are_logged_redacted(log_output: io.StringIO):
    handler = logging.StreamHandler(log_output)
    warnings_logger = logging.getLogger("py.warnings")
    warnings_logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn(TYPED_COMMAND_WARNING, UserWarning, stacklevel=1)
    finally:
        warnings_logger.removeHandler(handler)
    written = log_output.getvalue()
    assert "Failed to parse arguments in line [redacted]" in written
    assert "Zelda" not in written
