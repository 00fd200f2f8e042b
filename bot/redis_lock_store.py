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
trips per message (issue, read, release: about 11 % of a Rasa server's CPU
samples under load). Here ``lock()`` is asynchronous: one script issues the
ticket and tells whether it is first in line, one releases it; waiting reads
the lock again after ``wait_time_in_seconds`` as Rasa's does.

Time is Python's ``time.time()`` of the issuing process, passed to the scripts,
never Redis's ``TIME``: Rasa decides whether a ticket has expired with
``time.time()`` in every process (``Ticket.has_expired``), so expiries must be
written on that clock. The key's TTL is relative (``PX``), which keeps it
independent of the Redis server's clock.
"""

from __future__ import annotations

import asyncio
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

logger = logging.getLogger(__name__)

# The keys of the `lock_store` section of endpoints.yml besides `type` and `url` (the host):
# RedisLockStore's arguments (Rasa 3.6: host, port, db, username, password, use_ssl,
# ssl_certfile, ssl_keyfile, ssl_ca_certs, key_prefix, socket_timeout).
ENDPOINT_KEYS = frozenset(inspect.signature(RedisLockStore.__init__).parameters) - {"self"}

# KEYS[1]: the lock. ARGV[1]: now; ARGV[2]: the conversation id as JSON.
_LOCK_FUNCTIONS = """
local function read_live_tickets(now)
  local live, highest = {}, -1
  local stored = redis.call('GET', KEYS[1])
  if stored then
    for _, encoded in ipairs(cjson.decode(stored)['tickets']) do
      local ticket = cjson.decode(encoded)
      highest = math.max(highest, ticket['number'])
      if ticket['expires'] >= now then
        table.insert(live, {encoded = encoded, number = ticket['number'],
                            expires = ticket['expires']})
      end
    end
  end
  return live, highest
end

local function write_lock(tickets, now)
  if #tickets == 0 then
    redis.call('DEL', KEYS[1])
    return 0
  end
  local encoded, newest = {}, now
  for index, ticket in ipairs(tickets) do
    encoded[index] = cjson.encode(ticket.encoded)
    newest = math.max(newest, ticket.expires)
  end
  local lock = '{"conversation_id": ' .. ARGV[2] .. ', "tickets": ['
    .. table.concat(encoded, ', ') .. ']}'
  redis.call('SET', KEYS[1], lock, 'PX', math.max(1, math.ceil((newest - now) * 1000)))
  return #tickets
end
"""

# ARGV[3]: the new ticket's expiry, written as Python's json writes it.
# Returns the new ticket's number, the number now served (the first live ticket's)
# and the lock as stored.
ISSUE_SCRIPT = (
    _LOCK_FUNCTIONS
    + """
local now = tonumber(ARGV[1])
local tickets, highest = read_live_tickets(now)
local number = highest + 1
table.insert(tickets, {number = number, expires = tonumber(ARGV[3]),
  encoded = '{"number": ' .. number .. ', "expires": ' .. ARGV[3] .. '}'})
write_lock(tickets, now)
return {number, tickets[1].number, redis.call('GET', KEYS[1])}
"""
)

# Drops expired tickets. Returns the number now served and the lock, or nothing if it is gone.
PEEK_SCRIPT = (
    _LOCK_FUNCTIONS
    + """
local live = read_live_tickets(tonumber(ARGV[1]))
if write_lock(live, tonumber(ARGV[1])) == 0 then
  return false
end
return {live[1].number, redis.call('GET', KEYS[1])}
"""
)

# ARGV[3]: the number of the ticket to remove (-1: none); ARGV[4]: its expiry, '' if unknown.
# Returns how many live tickets remain.
RELEASE_SCRIPT = (
    _LOCK_FUNCTIONS
    + """
local now = tonumber(ARGV[1])
local live = read_live_tickets(now)
local remaining = {}
for _, ticket in ipairs(live) do
  local ours = ticket.number == tonumber(ARGV[3])
    and (ARGV[4] == '' or ticket.expires == tonumber(ARGV[4]))
  if not ours then
    table.insert(remaining, ticket)
  end
end
return write_lock(remaining, now)
"""
)


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


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's ``RedisLockStore`` whose tickets are issued and released atomically.

    endpoints.yml: ``lock_store: {type: bot.redis_lock_store.AtomicRedisLockStore,
    url: ..., port: ..., db: ..., password: ..., key_prefix: ...}``.
    """

    def __init__(self, *, endpoint_config: EndpointConfig | None = None, **settings: Any) -> None:
        """Connects to Redis (lazily: the first command opens the connection).

        Args:
            endpoint_config: the ``lock_store`` section of endpoints.yml, which is
                how Rasa creates a lock store named by its module path.
            **settings: ``RedisLockStore``'s own arguments (``host``, ``port``,
                ``db``, ...); they take precedence over the endpoint's.
        """
        if endpoint_config is not None:
            settings = {**redis_settings(endpoint_config), **settings}
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
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        """Holds the conversation's lock, waiting for the tickets issued before this one.

        Args:
            conversation_id: the conversation.
            lock_lifetime: seconds after which the ticket expires.
            wait_time_in_seconds: the pause between two looks at a busy lock.

        Yields:
            The lock as stored when it was acquired.

        Raises:
            LockError: Redis failed, or the ticket expired while waiting.
        """
        scripts = self._scripts_of_this_loop()
        expires = json.dumps(time.time() + lock_lifetime)
        number, serving, stored = await self._run_async(
            scripts.issue, conversation_id, time.time(), expires
        )
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
            yield TicketLock.from_dict(json.loads(stored))
        finally:
            await self._run_async(scripts.release, conversation_id, time.time(), number, expires)

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
            )
        return self._async_scripts
