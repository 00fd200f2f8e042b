"""How long a client may take, in all, to send a request's head and its body.

Sanic 21.12's ``REQUEST_TIMEOUT`` (60 s) and ``RESPONSE_TIMEOUT`` count from
the last byte received, so a client sending one byte every few seconds holds a
connection, and its slot in the server, for as long as it likes: the outside
sweep kept a head open for 150 s with 30 bytes, unanswered. The framing guard
(:mod:`bot.http_framing`) adds deadlines that each byte does not move, as
Apache's ``mod_reqtimeout`` does (``header=20-40,MinRate=500 body=20,MinRate=500``):

- a request's head must be whole :data:`DEFAULT_HEAD_SECONDS` after its first
  byte came;
- its body :data:`DEFAULT_BODY_SECONDS` after the head, plus one second for
  every :data:`BODY_MIN_BYTES_PER_SECOND` bytes of it received, so that a large
  body sent at a reasonable rate is never cut off.

A client missing one is answered 408 and the connection is closed. Each
deadline is read from the app's config (:data:`HEAD_SECONDS_SETTING`,
:data:`BODY_SECONDS_SETTING`), which Sanic fills from ``SANIC_``-prefixed
environment variables, e.g. ``SANIC_REQUEST_HEAD_DEADLINE=5``.

Plain Python: no Sanic here.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

HEAD_SECONDS_SETTING = "REQUEST_HEAD_DEADLINE"
BODY_SECONDS_SETTING = "REQUEST_BODY_DEADLINE"
# A head is a few hundred bytes, sent in one packet by every real client.
DEFAULT_HEAD_SECONDS = 30.0
DEFAULT_BODY_SECONDS = 30.0
BODY_MIN_BYTES_PER_SECOND = 500


@dataclass
class ReceiveDeadline:
    """When the bytes still awaited must have come.

    Attributes:
        start: when the wait began, on the clock of ``remaining``.
        seconds: how long it may last.
        reason: what the client is told when it ends.
        bytes_per_second: if set, each such number of bytes received adds a second.
        received: how many bytes came so far.
    """

    start: float
    seconds: float
    reason: str
    bytes_per_second: float | None = None
    received: int = 0

    def note_received(self, count: int) -> None:
        """Counts ``count`` more bytes received."""
        self.received += count

    def remaining(self, now: float) -> float:
        """Seconds left at ``now`` (zero or less: the deadline has passed)."""
        allowed = self.seconds
        if self.bytes_per_second:
            allowed += self.received / self.bytes_per_second
        return self.start + allowed - now


def head_deadline(config: Mapping[str, Any], now: float) -> ReceiveDeadline:
    """The deadline of a head whose first byte came at ``now``, as ``config`` sets it."""
    seconds = configured_seconds(config, HEAD_SECONDS_SETTING, DEFAULT_HEAD_SECONDS)
    reason = f"the request head must be sent within {seconds:g} s of its first byte"
    return ReceiveDeadline(now, seconds, reason)


def body_deadline(config: Mapping[str, Any], now: float) -> ReceiveDeadline:
    """The deadline of a body whose head ended at ``now``, as ``config`` sets it."""
    seconds = configured_seconds(config, BODY_SECONDS_SETTING, DEFAULT_BODY_SECONDS)
    reason = (
        f"the request body must be sent within {seconds:g} s of the head, plus a second "
        f"for every {BODY_MIN_BYTES_PER_SECOND} bytes"
    )
    return ReceiveDeadline(now, seconds, reason, BODY_MIN_BYTES_PER_SECOND)


def configured_seconds(config: Mapping[str, Any], name: str, default: float) -> float:
    """``config[name]`` if it is a positive number of seconds, else ``default``.

    A value that is not (``SANIC_REQUEST_HEAD_DEADLINE=soon``, ``0``) is
    warned about once and the default is used: a server never stops answering
    for a mistyped setting.
    """
    value = config.get(name, default)
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if is_number and 0 < value < math.inf:
        return float(value)
    _warn_once(name, repr(value), default)
    return default


@functools.cache
def _warn_once(name: str, value: str, default: float) -> None:
    logger.warning("%s is %s, not a positive number of seconds: %g s is used", name, value, default)
