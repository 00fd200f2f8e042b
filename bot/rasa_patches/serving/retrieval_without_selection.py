"""A typed ``/faq`` answered with silence instead of a traceback.

Rasa's response action of a retrieval intent (``utter_faq``) reads the
response selector's choice from the message. A typed ``/faq`` (Rasa's command
syntax skips the NLU) carries none, and the action raised ``KeyError`` with a
traceback in the log. It says nothing instead, as Rasa means it to; the chat
channel then tells the visitor the command was not understood.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME


def answering_only_a_selection(
    run: Callable[..., Awaitable[Any]],
) -> Callable[..., Awaitable[Any]]:
    """``ActionRetrieveResponse.run`` that returns no events without a selection."""

    async def run_with_a_selection(
        self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> Any:
        latest = tracker.latest_message
        if latest is not None and RESPONSE_SELECTOR_PROPERTY_NAME not in latest.parse_data:
            return []
        return await run(self, output_channel, nlg, tracker, domain)

    return run_with_a_selection
