"""How many turns one Rasa process runs at once.

Rasa starts a turn for every request the moment it arrives. Under more load
than the process can serve, hundreds of turns interleave on its one event
loop: each waits behind all the others at every step (the tracker, each
action call), so a turn with several steps (a lead form's) takes tens of
seconds, its action calls time out although the action server answered, and
clients give up. Admitted a few at a time, in arrival order, each turn runs
at full speed and the others wait their turn in a queue: the same throughput,
waits shared fairly. A message that would wait longer than the limit gets
"busy, try again" at once instead of a timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Busy(Exception):  # noqa: N818  (a state, not an error of the caller)
    """The message waited ``max_wait_seconds`` without a free turn."""


class TurnAdmission:
    """At most ``limit`` turns at once; the others wait, first come first served.

    Args:
        limit: turns run at once.
        max_wait_seconds: how long a message may wait for a turn before :class:`Busy`.
    """

    def __init__(self, limit: int, max_wait_seconds: float) -> None:
        self.limit = limit
        self.max_wait_seconds = max_wait_seconds
        self._slots = asyncio.Semaphore(limit)

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """A turn's slot for the ``async with`` block.

        Raises:
            Busy: no slot came free within ``max_wait_seconds``.
        """
        try:
            await asyncio.wait_for(self._slots.acquire(), self.max_wait_seconds)
        except asyncio.TimeoutError:
            raise Busy from None
        try:
            yield
        finally:
            self._slots.release()


_admissions: dict[tuple[int, float], TurnAdmission] = {}


def shared_admission(limit: int, max_wait_seconds: float) -> TurnAdmission:
    """The process's admission for these limits, shared by its channels."""
    key = (limit, max_wait_seconds)
    if key not in _admissions:
        _admissions[key] = TurnAdmission(limit, max_wait_seconds)
    return _admissions[key]
