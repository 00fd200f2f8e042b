"""Custom action calls with a timeout, their failures recorded for the turn.

Rasa catches the error of an action it could not run (the action server is
down or answered an error), logs it and carries on with the turn, so the
visitor may get part of an answer, or nothing, and no sign of it. It also
waits up to 5 minutes for an action server that does not answer. With
:func:`watching` in place of ``RemoteAction.run``, an action call that takes
longer than :func:`set_timeout_seconds` fails, and each failure is recorded
for the turn that :func:`recording_failed_actions` surrounds (a context
variable: each turn's task sees its own). Once an action of a turn has failed,
the turn's later actions fail at once instead of waiting for the same action
server again, so a turn takes at most about one timeout.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection
from rasa.shared.exceptions import RasaException

# Until a chat channel sets it from ACTION_TIMEOUT_SECONDS (bot.settings' default).
_timeout_seconds = 4.0
_failed_actions: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "failed_actions", default=None
)


def set_timeout_seconds(seconds: float) -> None:
    """How long a custom action call may take from now on."""
    global _timeout_seconds
    _timeout_seconds = seconds


@contextmanager
def recording_failed_actions() -> Iterator[list[str]]:
    """The names of the custom actions that fail inside the ``with`` block."""
    failed: list[str] = []
    token = _failed_actions.set(failed)
    try:
        yield failed
    finally:
        _failed_actions.reset(token)


def _record(action_name: str) -> None:
    failed = _failed_actions.get()
    if failed is not None:
        failed.append(action_name)


def watching(run: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """``RemoteAction.run`` with the timeout, recording failures and raising them as
    before. A form's rejection of a slot (``ActionExecutionRejection``) is part of
    its flow, not a failure."""

    async def run_and_record(self: Any, *args: Any, **kwargs: Any) -> Any:
        timeout_seconds = _timeout_seconds
        if _failed_actions.get():
            _record(self.name())
            raise RasaException(f"'{self.name()}' not run: an earlier action of its turn failed")
        try:
            return await asyncio.wait_for(run(self, *args, **kwargs), timeout_seconds)
        except ActionExecutionRejection:
            raise
        except asyncio.TimeoutError:
            _record(self.name())
            raise RasaException(
                f"The action server did not run '{self.name()}' within {timeout_seconds} s"
            ) from None
        except Exception:
            _record(self.name())
            raise

    return run_and_record
