"""Rasa's check of an action server's answer, with its JSON schema compiled once.

Rasa 3.6 checks every answer against a JSON schema with ``jsonschema.validate``,
which first validates the schema itself against its metaschema, on every custom
action call. The same schema, checked once and compiled, validates an answer
with the same errors; a valid answer's events are checked each against its own
event type only (the schema's ``oneOf`` tries all 23 types for every event),
the same verdict, and an event already found valid (most are the same few
slot and loop events, again and again) is known by its JSON text.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.protocols import Validator


@cache
def action_response_validator() -> Validator:
    """Rasa's schema of an action server's answer, checked once and compiled."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@cache
def event_validators() -> dict[str, Validator]:
    """Per event type, Rasa's event schema narrowed to that type's ``oneOf`` branch.

    Every branch pins ``event`` to its own constant, so an event is valid under
    the ``oneOf`` exactly when it is valid under the branch its ``event`` names.
    Empty (nothing narrowed) if a future schema stops pinning them that way.
    """
    from jsonschema.validators import validator_for
    from rasa.shared.utils.schemas.events import EVENT_SCHEMA

    common = {key: value for key, value in EVENT_SCHEMA.items() if key != "oneOf"}
    validators = {}
    for branch in EVENT_SCHEMA["oneOf"]:
        event_type = branch.get("properties", {}).get("event", {}).get("const")
        if not isinstance(event_type, str) or event_type in validators:
            return {}
        schema = {"allOf": [common, branch]}
        validators[event_type] = validator_for(schema)(schema)
    return validators


# Events whose verdict is remembered, by their JSON text: a few hundred distinct ones
# make up most of what a project's actions return.
REMEMBERED_EVENTS = 4096


@lru_cache(maxsize=REMEMBERED_EVENTS)
def _event_is_valid(event_type: str, encoded_event: str) -> bool:
    validator = event_validators().get(event_type)
    return validator is not None and validator.is_valid(json.loads(encoded_event))


def event_is_valid(event: Any) -> bool:
    """Whether ``event`` is valid under the branch of its own type (False if none)."""
    event_type = event.get("event") if isinstance(event, dict) else None
    if not isinstance(event_type, str):
        return False
    try:
        encoded = json.dumps(event, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):  # not JSON (the schema would say why)
        return False
    return _event_is_valid(event_type, encoded)


def plainly_valid(result: Any) -> bool:
    """True if the answer is valid, found with one branch per event; False if undecided."""
    if not isinstance(result, dict):
        return False
    responses = result.get("responses", [])
    if not (isinstance(responses, list) and all(isinstance(item, dict) for item in responses)):
        return False
    events = result.get("events", [])
    if not isinstance(events, list):
        return False
    return all(event_is_valid(event) for event in events)


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the compiled schema.

    Raises:
        jsonschema.ValidationError: as Rasa's own does, with Rasa's message.
    """
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    if plainly_valid(result):
        return True
    error = best_match(action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error
