"""Rasa's server (``rasa run``), with one slow path of Rasa 3.6 fixed.

Rasa checks every answer of the action server against a JSON schema with
``jsonschema.validate``, which first validates the schema itself against
its metaschema: about 20 ms of CPU per custom action call on this machine,
more than the rest of a turn. The same schema, checked once and compiled,
validates an answer in about 0.6 ms, with the same errors. Measured by
profiling a knowledge answer in process (see README, "Speed").

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


def use_compiled_action_schema() -> None:
    """Makes Rasa validate action server answers with the compiled schema."""
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = validate_action_result


def main() -> None:
    """Runs the ``rasa`` command line with the fix in place."""
    use_compiled_action_schema()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
