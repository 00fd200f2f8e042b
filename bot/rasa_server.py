"""Rasa's server (``rasa run``), with two slow paths of Rasa 3.6 fixed.

Both were found by profiling the server under load (py-spy):

- Rasa checks every answer of the action server against a JSON schema with
  ``jsonschema.validate``, which first validates the schema itself against
  its metaschema: about 20 ms of CPU per custom action call on this
  machine, more than the rest of a turn. The same schema, checked once and
  compiled, validates an answer in about 0.6 ms, with the same errors.
- Loading a conversation turns each stored event back into its class by
  scanning every subclass of ``Event`` (``Event.resolve_by_type``): 7 % of
  the server's time. The classes found are remembered by type name.

``python -m bot.rasa_server run ...`` takes ``rasa``'s own arguments.
"""

from __future__ import annotations

from functools import cache
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


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the compiled schema.

    Raises:
        jsonschema.ValidationError: as Rasa's own does, with Rasa's message.
    """
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def remember_event_types() -> None:
    """Makes ``Event.resolve_by_type`` remember each class it finds, by type name."""
    from rasa.shared.core.events import Event

    scan = Event.resolve_by_type
    if getattr(scan, "remembers", False):
        return
    classes: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        found = classes.get(type_name)
        if found is None:
            found = scan(type_name, default)
            if found is not None and getattr(found, "type_name", None) == type_name:
                classes[type_name] = found
        return found

    resolve_by_type.remembers = True  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)


def use_compiled_action_schema() -> None:
    """Makes Rasa validate action server answers with the compiled schema."""
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = validate_action_result


def main() -> None:
    """Runs the ``rasa`` command line with the fixes in place."""
    use_compiled_action_schema()
    remember_event_types()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
