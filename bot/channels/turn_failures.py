"""Which custom actions failed during the current turn.

Rasa catches the error of an action it could not run (the action server is
down or answered an error), logs it and carries on with the turn, so the
visitor may get part of an answer, or nothing, and no sign of it. With
:func:`watch_remote_actions` installed, each such failure is recorded for the
turn that :func:`recording_failed_actions` surrounds (a context variable:
each turn's task sees its own).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_failed_actions: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "failed_actions", default=None
)


@contextmanager
def recording_failed_actions() -> Iterator[list[str]]:
    """The names of the custom actions that fail inside the ``with`` block."""
    failed: list[str] = []
    token = _failed_actions.set(failed)
    try:
        yield failed
    finally:
        _failed_actions.reset(token)


def watch_remote_actions() -> None:
    """Makes Rasa's ``RemoteAction.run`` record its failures, then raise them as before.

    A form's rejection of a slot (``ActionExecutionRejection``) is part of its
    flow, not a failure.
    """
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction

    run = RemoteAction.run
    if getattr(run, "records_failures", False):
        return

    async def run_and_record(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
        try:
            return await run(self, *args, **kwargs)
        except ActionExecutionRejection:
            raise
        except Exception:
            failed = _failed_actions.get()
            if failed is not None:
                failed.append(self.name())
            raise

    run_and_record.records_failures = True  # type: ignore[attr-defined]
    RemoteAction.run = run_and_record
