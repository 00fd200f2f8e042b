"""The chat channels' record of turns that failed: the report logged, the count.

Which custom actions failed in a turn is recorded by
``bot.rasa_patches.serving.remote_action_watch``.
"""

from __future__ import annotations

import traceback

_failed_messages = 0


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
