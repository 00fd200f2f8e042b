"""Which custom actions failed during the current turn, and how long one may take.

Rasa catches the error of an action it could not run (the action server is
down or answered an error), logs it and carries on with the turn, so the
visitor may get part of an answer, or nothing, and no sign of it. It also
waits up to 5 minutes for an action server that does not answer. With
:func:`watch_remote_actions` installed, an action call that takes longer than
its timeout fails, and each failure is recorded for the turn that
:func:`recording_failed_actions` surrounds (a context variable: each turn's
task sees its own). Once an action of a turn has failed, the turn's later
actions fail at once instead of waiting for the same action server again, so
a turn takes at most about one timeout.
"""

from __future__ import annotations

import asyncio
import contextvars
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_failed_messages = 0
_failed_actions: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "failed_actions", default=None
)


def failure_report(error: BaseException, sender: str, fingerprint: str) -> str:
    """The traceback of ``error`` with conversation ``sender``'s id, which exception
    messages may hold (a lock store's "Could not acquire lock for ..."), replaced
    by its log ``fingerprint``."""
    report = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return report.replace(sender, f"<conversation {fingerprint}>").rstrip()


def count_failed_message() -> None:
    """Counts one visitor message that got an apology instead of an answer."""
    global _failed_messages
    _failed_messages += 1


def failed_message_count() -> int:
    """Visitor messages of this process that got an apology, on every channel."""
    return _failed_messages


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


def watch_remote_actions(timeout_seconds: float) -> None:
    """Makes Rasa's ``RemoteAction.run`` give up after ``timeout_seconds`` and
    record its failures, then raise them as before (the latest call sets the timeout).

    A form's rejection of a slot (``ActionExecutionRejection``) is part of its
    flow, not a failure.
    """
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
    from rasa.shared.exceptions import RasaException

    run = RemoteAction.run
    if getattr(run, "records_failures", False):
        run.timeout_seconds = timeout_seconds
        return

    async def run_and_record(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
        timeout_seconds = run_and_record.timeout_seconds  # type: ignore[attr-defined]
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

    run_and_record.records_failures = True  # type: ignore[attr-defined]
    run_and_record.timeout_seconds = timeout_seconds  # type: ignore[attr-defined]
    RemoteAction.run = run_and_record
