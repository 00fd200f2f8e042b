"""How long to wait before trying a failed delivery again."""

from __future__ import annotations

import random as _random
from collections.abc import Callable

# 2.0 ** 1024 overflows a float; any base reaches any sane maximum well before.
_MAX_EXPONENT = 1023


def retry_delay(
    attempts: int,
    *,
    base: float,
    maximum: float,
    jitter: float = 0.1,
    random: Callable[[], float] = _random.random,
) -> float:
    """Seconds to wait after ``attempts`` failed attempts: exponential, capped, jittered.

    The delay is ``base * 2 ** (attempts - 1)`` capped at ``maximum``, then
    scaled by a random factor in ``[1 - jitter, 1 + jitter)`` so that workers
    retrying together spread out.

    Args:
        attempts: failed attempts so far (values below 1 count as 1).
        base: the delay after the first failure, in seconds (>= 0).
        maximum: the cap before jitter, in seconds (>= 0).
        jitter: the largest relative change, between 0 and 1.
        random: returns a float in ``[0, 1)``; inject a constant in tests.

    Raises:
        ValueError: a negative base or maximum, or jitter outside [0, 1].
    """
    if base < 0 or maximum < 0:
        raise ValueError(f"base and maximum must not be negative, got {base}, {maximum}")
    if not 0 <= jitter <= 1:
        raise ValueError(f"jitter must be between 0 and 1, got {jitter}")
    exponent = min(max(attempts, 1) - 1, _MAX_EXPONENT)
    delay = min(maximum, base * 2.0**exponent)
    spread = min(max(random(), 0.0), 1.0)  # a misbehaving source cannot break the bound
    return max(0.0, delay * (1 + jitter * (2 * spread - 1)))
