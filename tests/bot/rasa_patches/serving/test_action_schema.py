"""action_schema (bot.rasa_patches.serving): an action server's answer checked as Rasa checks
it, compiled."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.rasa_patches.serving.action_schema import (
    event_validators,
    plainly_valid,
    validate_action_result,
)

VALID = {
    "events": [
        {"event": "slot", "name": "knowledge_question", "value": "who pays?", "timestamp": None},
        {"event": "active_loop", "name": None},
    ],
    "responses": [{"text": "Hello", "buttons": [{"title": "Yes", "payload": "/affirm"}]}],
}
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "slot", "name": 3}]},
    {"events": [{"name": "no event type"}]},
    {"responses": ["not an object"]},
]


def test_a_valid_answer_passes():
    assert validate_action_result(None, VALID) is True
    assert validate_action_result(None, {}) is True


@pytest.mark.parametrize("answer", INVALID)
def test_an_invalid_answer_fails_as_with_rasa(answer):
    schema = RemoteAction.action_response_format_spec()
    with pytest.raises(jsonschema.ValidationError) as rasa_verdict:
        jsonschema.validate(answer, schema)  # what Rasa 3.6 runs
    with pytest.raises(jsonschema.ValidationError) as ours:
        validate_action_result(None, answer)
    assert ours.value.message.startswith(rasa_verdict.value.message)
    assert ours.value.message.endswith("/custom-actions")


EVENTS = [
    {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet", "confidence": 1}}},
    {"event": "user", "text": 3},
    {"event": "user", "parse_data": {"entities": [{"entity": "role"}]}},
    {"event": "action", "name": "utter_greet", "policy": None, "confidence": 0.9},
    {"event": "action", "hide_rule_turn": "yes"},
    {"event": "slot", "name": "team_size", "value": 4},
    {"event": "slot", "name": "team_size"},
    {"event": "entities", "entities": []},
    {"event": "bot", "text": "Hello", "metadata": {"utter_action": "utter_greet"}},
    {"event": "bot", "metadata": "not an object"},
    {"event": "active_loop", "name": "lead_form", "timestamp": 1.5},
    {"event": "active_loop", "timestamp": "noon"},
    {"event": "followup", "name": "action_listen"},
    {"event": "session_started"},
    {"event": "no such event"},
    {"event": 7},
    {"event": ["slot"]},
    {"name": "no event type"},
    "not an object",
]


@pytest.mark.parametrize("event", EVENTS, ids=range(len(EVENTS)))
def test_each_event_gets_rasas_verdict(event):
    answer = {"events": [event], "responses": []}
    try:
        jsonschema.validate(answer, RemoteAction.action_response_format_spec())
        rasa_says_valid = True
    except jsonschema.ValidationError:
        rasa_says_valid = False
    assert plainly_valid(answer) is rasa_says_valid
    if rasa_says_valid:
        assert validate_action_result(None, answer) is True
    else:
        with pytest.raises(jsonschema.ValidationError):
            validate_action_result(None, answer)


def test_every_event_type_of_rasas_schema_is_narrowed():
    from rasa.shared.utils.schemas.events import EVENT_SCHEMA

    assert len(event_validators()) == len(EVENT_SCHEMA["oneOf"])


def test_rasa_uses_the_compiled_check_once_installed(patches):
    patches("serving")
    assert RemoteAction._validate_action_result is validate_action_result


def test_remembered_verdicts_stay_rasas_verdicts():
    def verdicts() -> list[bool]:
        return [plainly_valid({"events": [event], "responses": []}) for event in EVENTS]

    first = verdicts()
    assert verdicts() == first  # the second time from what was remembered
    assert plainly_valid({"events": [{"event": "slot", "name": 5}], "responses": []}) is False
