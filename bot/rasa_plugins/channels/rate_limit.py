"""Rate limits of the chat channel: a token bucket per key (a sender, an IP address).

Pure logic: no Rasa, no Sanic. Each Rasa process keeps its own buckets, so with
N replicas a visitor who reaches all of them gets up to N times the rate.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

# Buckets kept before the full ones (idle keys, the same as no bucket) are dropped.
MAX_KEYS = 100_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allows ``per_minute`` messages a minute per key, up to ``burst`` at once."""

    def __init__(
        self,
        per_minute: int,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_KEYS,
    ) -> None:
        self.refill_per_second = per_minute / 60
        self.burst = burst
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}

    def wait_seconds(self, key: str) -> float:
        """Takes a token for ``key``: 0 if there was one, else the seconds until
        there will be (nothing is taken then)."""
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            self._forget_idle(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(
            self.burst, bucket.tokens + (now - bucket.updated) * self.refill_per_second
        )
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.refill_per_second

    def _forget_idle(self, now: float) -> None:
        if len(self._buckets) < self.max_keys:
            return
        full_after = self.burst / self.refill_per_second
        self._buckets = {
            key: bucket
            for key, bucket in self._buckets.items()
            if now - bucket.updated < full_after
        }


def client_address(peer: str, forwarded_for: str | None, trusted_proxies: int) -> str:
    """The visitor's IP address: ``peer``'s, or with ``trusted_proxies`` proxies in
    front, the address the outermost of them saw (``X-Forwarded-For``)."""
    if trusted_proxies <= 0 or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    return hops[-trusted_proxies] if len(hops) >= trusted_proxies else (hops[0] if hops else peer)


def per_minute_limiter(per_minute: int) -> RateLimiter | None:
    """A limiter of ``per_minute`` messages with bursts of a quarter of that (at least
    5), or None for no limit."""
    return RateLimiter(per_minute, burst=max(5, per_minute // 4)) if per_minute > 0 else None
