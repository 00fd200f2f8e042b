"""Rasa's Redis lock store with tickets issued and released atomically by Lua scripts.

Rasa 3.6's ``RedisLockStore`` issues a ticket by reading the conversation's lock
(GET), adding the ticket in Python and writing the whole lock back (SET). Two Rasa
processes (``SANIC_WORKERS`` > 1, or several servers behind a load balancer) that
take a message of one conversation at the same moment can therefore both read
the same lock: one ticket is lost or two get the same number, and both messages
are processed at once (RasaHQ/rasa#9213). Releasing a ticket has the same race,
and its "delete the lock if no one waits" step can delete a ticket issued in
between. Here every change of a lock is one Lua script, which Redis runs
without interleaving any other command.

The lock keeps Rasa's key (``key_prefix + conversation_id``) and Rasa's JSON
(``TicketLock.dumps()``), so Rasa's own reading of it (``get_lock``, waiting in
``LockStore.lock()``) is unchanged. Expired tickets are dropped whenever the lock
changes, an empty lock is deleted, and the key's TTL ends with its newest
ticket. A new ticket's number is one more than the highest number in the key,
expired tickets included, so numbers only grow while the key exists; like
Rasa's, they start again at 0 once it is gone. ``save_lock`` stays Rasa's plain
SET, which none of this store's own steps use.

Rasa's ``lock()`` waits with the synchronous Redis client, which holds up the
server's event loop, and every other conversation with it, for three round
trips per message (issue, read, release). Here ``lock()`` is asynchronous: one script issues the
ticket and tells whether it is first in line, one releases it; waiting reads
the lock again every ``wait_time_in_seconds`` (50 ms unless told; Rasa's is 1 s).

A ticket taken by ``lock()`` is a lease: it expires ``lease_seconds`` (10 s)
after its last renewal, and the process renews it every third of that while
the message waits or is processed, up to ``lock_lifetime`` of processing. With
Rasa's plain 60 s tickets, a replica killed mid-message blocked its
conversations for a minute, and the next message's ticket, issued a moment
later, expired while it waited, so it failed too (found by the scale-out
test); now they wait at most ``lease_seconds``.

Time is Python's ``time.time()`` of the issuing process, passed to the scripts,
never Redis's ``TIME``: Rasa decides whether a ticket has expired with
``time.time()`` in every process (``Ticket.has_expired``), so expiries must be
written on that clock. The key's TTL is relative (``PX``), which keeps it
independent of the Redis server's clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import redis
import redis.asyncio
from rasa.core.lock import NO_TICKET_ISSUED, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.commands.core import AsyncScript, Script

from bot.rasa_plugins.stores.redis_lock_scripts import (
    ISSUE_SCRIPT,
    PEEK_SCRIPT,
    RELEASE_SCRIPT,
    RENEW_SCRIPT,
)

logger = logging.getLogger(__name__)

# How long a ticket taken by lock() lives after its last renewal (a third of it apart).
LEASE_SECONDS = 10.0
# Pause between two looks at a busy lock. Rasa's default is 1 s, and Rasa's agent
# passes none: a visitor's second message waited a whole second behind the first.
WAIT_SECONDS = 0.05

# The keys of the `lock_store` section of endpoints.yml besides `type` and `url` (the host):
# RedisLockStore's arguments (Rasa 3.6: host, port, db, username, password, use_ssl,
# ssl_certfile, ssl_keyfile, ssl_ca_certs, key_prefix, socket_timeout).
# Plus this store's own lease_seconds.
ENDPOINT_KEYS = frozenset(inspect.signature(RedisLockStore.__init__).parameters) - {"self"} | {
    "lease_seconds"
}


def redis_settings(endpoint_config: EndpointConfig) -> dict[str, Any]:
    """``RedisLockStore``'s arguments from the ``lock_store`` section of endpoints.yml.

    Args:
        endpoint_config: the section as Rasa reads it; ``url`` is the Redis host
            (``host`` works too; ``url`` wins), the other keys are ``ENDPOINT_KEYS``.

    Returns:
        The keyword arguments of ``RedisLockStore.__init__``.

    Raises:
        ValueError: a key the store does not know (a typo would fail later, less clearly).
    """
    unknown = sorted(set(endpoint_config.kwargs) - ENDPOINT_KEYS)
    if unknown:
        accepted = ", ".join(sorted(ENDPOINT_KEYS | {"url"}))
        raise ValueError(f"lock_store: unknown key(s) {unknown}; accepted: {accepted}")
    settings = dict(endpoint_config.kwargs)
    if endpoint_config.url:
        settings["host"] = endpoint_config.url
    return settings


def async_client_like(client: redis.Redis) -> redis.asyncio.Redis:
    """An asyncio client to the server, database and credentials of ``client``."""
    pool = client.connection_pool
    settings = pool.connection_kwargs
    names = ("host", "port", "db", "username", "password", "socket_timeout")
    ssl_names = ("ssl_keyfile", "ssl_certfile", "ssl_cert_reqs", "ssl_ca_certs")
    uses_ssl = issubclass(pool.connection_class, redis.SSLConnection)
    wanted = names + ssl_names if uses_ssl else names
    chosen = {name: settings[name] for name in wanted if name in settings}
    return redis.asyncio.Redis(ssl=uses_ssl, **chosen)


@dataclass(frozen=True)
class _AsyncScripts:
    """The scripts, on an asyncio client of one event loop (its connections are that loop's)."""

    loop: asyncio.AbstractEventLoop
    issue: AsyncScript
    peek: AsyncScript
    release: AsyncScript
    renew: AsyncScript


@dataclass
class _Lease:
    """A ticket taken by ``lock()``: its number, its expiry as stored, how long each
    renewal extends it, when it was served."""

    conversation_id: str
    number: int
    expires: str
    seconds: float
    served_at: float | None = None


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's ``RedisLockStore`` whose tickets are issued and released atomically.

    endpoints.yml: ``lock_store: {type:
    bot.rasa_plugins.stores.redis_lock_store.AtomicRedisLockStore, url: ..., port: ...,
    db: ..., password: ..., key_prefix: ...}``.
    """

    def __init__(
        self,
        *,
        endpoint_config: EndpointConfig | None = None,
        lease_seconds: float = LEASE_SECONDS,
        **settings: Any,
    ) -> None:
        """Connects to Redis (lazily: the first command opens the connection).

        Args:
            endpoint_config: the ``lock_store`` section of endpoints.yml, which is
                how Rasa creates a lock store named by its module path.
            lease_seconds: how long a ticket of ``lock()`` outlives its last renewal.
            **settings: ``RedisLockStore``'s own arguments (``host``, ``port``,
                ``db``, ...); they take precedence over the endpoint's.
        """
        if endpoint_config is not None:
            settings = {**redis_settings(endpoint_config), **settings}
        self.lease_seconds = float(settings.pop("lease_seconds", lease_seconds))
        super().__init__(**settings)
        self._issue = self.red.register_script(ISSUE_SCRIPT)
        self._release = self.red.register_script(RELEASE_SCRIPT)
        # Expiry of each ticket this store issued: a holder whose ticket expired
        # then releases nothing, even when the number was issued again since.
        self._expiry_of_issued: dict[tuple[str, int], str] = {}
        self._async_scripts: _AsyncScripts | None = None

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = WAIT_SECONDS,
    ) -> AsyncIterator[TicketLock]:
        """Holds the conversation's lock, waiting for the tickets issued before this one.

        Args:
            conversation_id: the conversation.
            lock_lifetime: the longest a message may hold the conversation; the
                ticket stops being renewed then, as Rasa's would expire.
            wait_time_in_seconds: the pause between two looks at a busy lock.

        Yields:
            The lock as stored when it was acquired.

        Raises:
            LockError: Redis failed, or the ticket expired while waiting.
        """
        scripts = self._scripts_of_this_loop()
        lease = min(float(lock_lifetime), self.lease_seconds)
        expires = json.dumps(time.time() + lease)
        number, serving, stored = await self._run_async(
            scripts.issue, conversation_id, time.time(), expires
        )
        ticket = _Lease(conversation_id, number, expires, lease)
        done = asyncio.Event()
        renewing = asyncio.create_task(self._keep_renewing(scripts, ticket, lock_lifetime, done))
        try:
            while serving != number:
                await asyncio.sleep(wait_time_in_seconds)
                peeked = await self._run_async(scripts.peek, conversation_id, time.time())
                # Gone, or serving a higher number (numbers grow): our ticket expired.
                if not peeked or peeked[0] > number:
                    raise LockError(
                        f"Could not acquire lock for conversation_id '{conversation_id}'."
                    )
                serving, stored = peeked
            ticket.served_at = time.monotonic()
            yield TicketLock.from_dict(json.loads(stored))
        finally:
            done.set()  # the renewal in flight, if any, ends first: the release sees its expiry
            await renewing
            await self._run_async(
                scripts.release, conversation_id, time.time(), number, ticket.expires
            )

    async def _keep_renewing(
        self, scripts: _AsyncScripts, ticket: _Lease, lock_lifetime: float, done: asyncio.Event
    ) -> None:
        """Renews ``ticket`` every third of its lease until ``done``, or until it has been
        served for ``lock_lifetime`` (then it expires, as Rasa's would)."""
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(done.wait(), timeout=ticket.seconds / 3)
                return
            served = ticket.served_at
            if served is not None and time.monotonic() - served > lock_lifetime:
                return
            renewed = json.dumps(time.time() + ticket.seconds)
            try:
                kept = await self._run_async(
                    scripts.renew, ticket.conversation_id, time.time(),
                    ticket.number, ticket.expires, renewed,
                )  # fmt: skip
            except LockError as error:
                logger.warning(f"Could not renew a lock ticket, it may expire: {error}")
                continue
            if not kept:
                logger.warning(
                    f"The lock ticket {ticket.number} of conversation"
                    f" '{ticket.conversation_id}' expired before its renewal."
                )
                return
            ticket.expires = renewed

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Adds a ticket valid for ``lock_lifetime`` seconds to the conversation's lock.

        Returns:
            The ticket's number: one more than the highest in the lock, 0 for a new lock.

        Raises:
            LockError: Redis failed.
        """
        now = time.time()
        expires = json.dumps(now + lock_lifetime)
        number = int(self._run(self._issue, conversation_id, now, expires)[0])
        self._expiry_of_issued[(conversation_id, number)] = expires
        logger.debug(f"Issued ticket {number} for conversation '{conversation_id}'.")
        return number

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Removes the ticket, and the lock once no live ticket is left in it.

        Raises:
            LockError: Redis failed.
        """
        expires = self._expiry_of_issued.pop((conversation_id, ticket_number), "")
        self._run(self._release, conversation_id, time.time(), ticket_number, expires)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Releases the ticket; the lock goes with its last ticket, in the same step."""
        self.finish_serving(conversation_id, ticket_number)

    def update_lock(self, conversation_id: str) -> None:
        """Drops the lock's expired tickets, keeping any ticket issued meanwhile."""
        self._run(self._release, conversation_id, time.time(), NO_TICKET_ISSUED, "")

    def delete_lock(self, conversation_id: str) -> None:
        """Deletes the lock unless it still holds a live ticket (one issued meanwhile)."""
        remaining = self._run(self._release, conversation_id, time.time(), NO_TICKET_ISSUED, "")
        self._log_deletion(conversation_id, deletion_successful=remaining == 0)

    def _run(self, script: Script, conversation_id: str, now: float, *args: Any) -> Any:
        keys = [self.key_prefix + conversation_id]
        try:
            return script(keys=keys, args=[json.dumps(now), json.dumps(conversation_id), *args])
        except redis.RedisError as error:
            raise LockError(f"Lock of conversation '{conversation_id}': {error}") from error

    async def _run_async(
        self, script: AsyncScript, conversation_id: str, now: float, *args: Any
    ) -> Any:
        keys = [self.key_prefix + conversation_id]
        try:
            return await script(
                keys=keys, args=[json.dumps(now), json.dumps(conversation_id), *args]
            )
        except redis.RedisError as error:
            raise LockError(f"Lock of conversation '{conversation_id}': {error}") from error

    def _scripts_of_this_loop(self) -> _AsyncScripts:
        loop = asyncio.get_running_loop()
        if self._async_scripts is None or self._async_scripts.loop is not loop:
            client = async_client_like(self.red)
            self._async_scripts = _AsyncScripts(
                loop,
                client.register_script(ISSUE_SCRIPT),
                client.register_script(PEEK_SCRIPT),
                client.register_script(RELEASE_SCRIPT),
                client.register_script(RENEW_SCRIPT),
            )
        return self._async_scripts
