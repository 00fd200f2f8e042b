"""bot.rasa_server: Rasa's check of action server answers, compiled once, same verdicts."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.rasa_server import (
    remember_event_types,
    use_compiled_action_schema,
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


def test_rasa_uses_the_compiled_check_once_installed(monkeypatch):
    original = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)  # restored afterwards
    use_compiled_action_schema()
    assert RemoteAction._validate_action_result is validate_action_result


def test_remembered_event_types_resolve_as_rasas_scan(monkeypatch):
    from rasa.shared.core.events import Event, UserUttered
    from rasa.shared.utils.common import all_subclasses

    original = Event.__dict__["resolve_by_type"]
    monkeypatch.setattr(Event, "resolve_by_type", original)  # restored afterwards
    scan = Event.resolve_by_type
    remember_event_types()
    remember_event_types()  # twice is once
    assert Event.resolve_by_type is not scan
    for event_class in all_subclasses(Event):
        name = event_class.type_name
        assert Event.resolve_by_type(name) is scan(name)
        assert Event.resolve_by_type(name) is scan(name)  # now from memory
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no such event", UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name 'no such event'"):
        Event.resolve_by_type("no such event")
