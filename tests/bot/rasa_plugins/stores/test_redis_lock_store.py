"""The atomic Redis lock store, against the real Redis on 127.0.0.1:6379."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore, RedisLockStore
from rasa.core.utils import number_of_sanic_workers
from rasa.utils.endpoints import read_endpoint_config

from bot.rasa_plugins.stores.redis_lock_store import AtomicRedisLockStore
from tests.conftest import free_port
from tests.services import require_service

HOST, PORT, DB = "127.0.0.1", 6379, 1
CONVERSATION = "visitor-42"
LIFETIME = 60.0
WORKERS, TICKETS_PER_WORKER = 8, 25
RASA_RACE_ROUNDS = 5


@pytest.fixture
def key_prefix() -> Iterator[str]:
    """A key prefix of this test alone; its keys are deleted afterwards."""
    require_service("redis", HOST, PORT)
    prefix = "test" + uuid.uuid4().hex
    yield prefix
    client = redis.Redis(host=HOST, port=PORT, db=DB)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def make_store(
    key_prefix: str, store_class: type[RedisLockStore] = AtomicRedisLockStore, **settings
):
    return store_class(host=HOST, port=PORT, db=DB, key_prefix=key_prefix, **settings)


def stored_numbers(store: RedisLockStore, conversation_id: str = CONVERSATION) -> list[int]:
    """The numbers of every ticket in the stored lock, expired ones too."""
    serialised = store.red.get(store.key_prefix + conversation_id)
    if serialised is None:
        return []
    return [json.loads(ticket)["number"] for ticket in json.loads(serialised)["tickets"]]


def _issue_tickets(store_class, key_prefix, release_every_other, barrier, results):
    """One process of the race: issues its tickets as soon as every process is ready."""
    store = make_store(key_prefix, store_class)
    held = []
    barrier.wait(timeout=60)
    for index in range(TICKETS_PER_WORKER):
        number = store.issue_ticket(CONVERSATION, LIFETIME)
        if release_every_other and index % 2:
            store.cleanup(CONVERSATION, number)
        else:
            held.append(number)
    results.put(held)


def issue_concurrently(store_class, key_prefix, release_every_other=False) -> list[int]:
    """Tickets still held after WORKERS processes issued theirs for one conversation at once."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    arguments = (store_class, key_prefix, release_every_other, barrier, results)
    processes = [context.Process(target=_issue_tickets, args=arguments) for _ in range(WORKERS)]
    for process in processes:
        process.start()
    held = [number for _ in processes for number in results.get(timeout=120)]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return held


def test_tickets_are_numbered_in_order_and_stored_in_rasas_format(key_prefix):
    store = make_store(key_prefix)
    assert [store.issue_ticket(CONVERSATION, LIFETIME) for _ in range(3)] == [0, 1, 2]
    lock = store.get_lock(CONVERSATION)
    assert [ticket.number for ticket in lock.tickets] == [0, 1, 2]
    assert store.red.get(store.key_prefix + CONVERSATION).decode() == lock.dumps()
    assert store.key_prefix == f"{key_prefix}:lock:"


def test_the_key_lives_as_long_as_the_newest_ticket(key_prefix):
    store = make_store(key_prefix)
    store.issue_ticket(CONVERSATION, LIFETIME)
    store.issue_ticket(CONVERSATION, 2 * LIFETIME)
    store.issue_ticket(CONVERSATION, 1.0)
    assert LIFETIME * 1000 < store.red.pttl(store.key_prefix + CONVERSATION) <= 2 * LIFETIME * 1000


def test_expired_tickets_are_dropped_and_their_numbers_not_reissued(key_prefix):
    store = make_store(key_prefix)
    store.issue_ticket(CONVERSATION, LIFETIME)
    store.issue_ticket(CONVERSATION, 0.05)
    time.sleep(0.1)
    assert store.issue_ticket(CONVERSATION, LIFETIME) == 2
    assert stored_numbers(store) == [0, 2]


def test_the_lock_disappears_when_its_last_ticket_expires(key_prefix):
    store = make_store(key_prefix)
    store.issue_ticket(CONVERSATION, 0.05)
    time.sleep(0.1)
    assert store.get_lock(CONVERSATION) is None
    assert store.issue_ticket(CONVERSATION, LIFETIME) == 0


def test_releasing_a_ticket_keeps_the_others(key_prefix):
    store = make_store(key_prefix)
    for _ in range(3):
        store.issue_ticket(CONVERSATION, LIFETIME)
    store.finish_serving(CONVERSATION, 1)
    assert stored_numbers(store) == [0, 2]
    store.cleanup(CONVERSATION, 0)
    assert stored_numbers(store) == [2]
    store.cleanup(CONVERSATION, 2)
    assert store.red.exists(store.key_prefix + CONVERSATION) == 0


def test_deleting_the_lock_keeps_a_live_ticket(key_prefix):
    store = make_store(key_prefix)
    store.issue_ticket(CONVERSATION, LIFETIME)
    store.delete_lock(CONVERSATION)
    assert stored_numbers(store) == [0]


def test_a_holder_whose_ticket_expired_releases_nothing(key_prefix):
    slow, other = make_store(key_prefix), make_store(key_prefix)
    assert slow.issue_ticket(CONVERSATION, 0.05) == 0
    time.sleep(0.1)
    assert other.issue_ticket(CONVERSATION, LIFETIME) == 0
    slow.cleanup(CONVERSATION, 0)
    assert stored_numbers(other) == [0]


async def test_the_lock_lets_one_task_in_at_a_time(key_prefix):
    events = []
    first_is_in = asyncio.Event()

    async def handle_message(name, store):
        async with store.lock(CONVERSATION, LIFETIME, wait_time_in_seconds=0.01):
            events.append(f"{name} in")
            first_is_in.set()
            await asyncio.sleep(0.1)
            events.append(f"{name} out")

    async def handle_message_once_first_is_in(name, store):
        # Each store has its own Redis connection, so two tickets asked for at
        # once may be issued in either order: the second asks once the first holds.
        await first_is_in.wait()
        await handle_message(name, store)

    first, second = make_store(key_prefix), make_store(key_prefix)
    await asyncio.gather(
        handle_message("first", first), handle_message_once_first_is_in("second", second)
    )
    assert events == ["first in", "first out", "second in", "second out"]
    assert first.get_lock(CONVERSATION) is None


async def test_the_lock_yields_the_stored_lock_serving_its_ticket(key_prefix):
    store = make_store(key_prefix)
    async with store.lock(CONVERSATION, LIFETIME) as held:
        assert held.conversation_id == CONVERSATION
        assert held.now_serving == 0
        assert stored_numbers(store) == [0]
    assert stored_numbers(store) == []


async def test_a_holder_that_outlives_its_lease_keeps_the_lock_and_its_waiter_waits(key_prefix):
    events = []

    async def handle_message(name, store, seconds, delay=0.0):
        await asyncio.sleep(delay)
        async with store.lock(CONVERSATION, LIFETIME, wait_time_in_seconds=0.05):
            events.append(f"{name} in")
            await asyncio.sleep(seconds)
            events.append(f"{name} out")

    holder, waiter = (
        make_store(key_prefix, lease_seconds=0.3),
        make_store(key_prefix, lease_seconds=0.3),
    )
    await asyncio.gather(
        handle_message("holder", holder, 1.2), handle_message("waiter", waiter, 0, delay=0.1)
    )
    assert events == ["holder in", "holder out", "waiter in", "waiter out"]
    assert stored_numbers(holder) == []


async def test_a_dead_holders_ticket_blocks_only_until_its_lease_ends(key_prefix):
    dead = make_store(key_prefix)
    started = time.monotonic()  # before the ticket: its lease counts from its issue
    dead.issue_ticket(CONVERSATION, 0.5)  # a replica killed holding it: never renewed or released

    async def take_the_lock() -> float:
        async with make_store(key_prefix).lock(CONVERSATION, LIFETIME, wait_time_in_seconds=0.05):
            return time.monotonic() - started

    # Blocked until the lease ends (never sooner), not for good: a guard against a hang.
    assert await asyncio.wait_for(take_the_lock(), timeout=30) > 0.4


async def test_a_lock_deleted_while_waiting_is_a_lock_error(key_prefix):
    holder, waiter = make_store(key_prefix), make_store(key_prefix)

    async def hold():
        async with holder.lock(CONVERSATION, LIFETIME):
            await asyncio.sleep(0.2)
            holder.red.delete(holder.key_prefix + CONVERSATION)  # e.g. Redis flushed
            await asyncio.sleep(0.3)

    async def wait():
        await asyncio.sleep(0.05)
        async with waiter.lock(CONVERSATION, LIFETIME, wait_time_in_seconds=0.05):
            pytest.fail("a ticket that is gone must not get the lock")

    results = await asyncio.gather(hold(), wait(), return_exceptions=True)
    assert results[0] is None
    assert isinstance(results[1], LockError)


def test_the_lease_comes_from_the_endpoint():
    from rasa.utils.endpoints import EndpointConfig

    config = EndpointConfig(url=HOST, port=PORT, db=DB, lease_seconds=2.5)
    assert AtomicRedisLockStore(endpoint_config=config).lease_seconds == 2.5


async def test_redis_out_of_reach_is_a_lock_error():
    store = AtomicRedisLockStore(host=HOST, port=free_port(), socket_timeout=1)
    with pytest.raises(LockError):
        async with store.lock(CONVERSATION, LIFETIME):
            pytest.fail("no lock without Redis")


def test_concurrent_processes_get_distinct_tickets_and_keep_them_all(key_prefix):
    held = issue_concurrently(AtomicRedisLockStore, key_prefix)
    assert sorted(held) == list(range(WORKERS * TICKETS_PER_WORKER))
    assert stored_numbers(make_store(key_prefix)) == sorted(held)


def test_concurrent_releases_remove_only_their_own_tickets(key_prefix):
    held = issue_concurrently(AtomicRedisLockStore, key_prefix, release_every_other=True)
    assert len(held) == WORKERS * ((TICKETS_PER_WORKER + 1) // 2)
    assert len(set(held)) == len(held)
    assert stored_numbers(make_store(key_prefix)) == sorted(held)


def test_rasas_own_store_loses_or_duplicates_tickets_under_the_same_load(key_prefix):
    """The race this module exists for (RasaHQ/rasa#9213); rounds only make it certain."""
    store, anomalies = make_store(key_prefix, RedisLockStore), 0
    for _ in range(RASA_RACE_ROUNDS):
        held = issue_concurrently(RedisLockStore, key_prefix)
        duplicated = len(held) - len(set(held))
        lost = len(held) - len(stored_numbers(store))
        anomalies += duplicated + lost
        store.red.delete(store.key_prefix + CONVERSATION)
        if anomalies:
            break
    assert anomalies > 0


def test_endpoints_yml_creates_the_store(key_prefix, tmp_path, monkeypatch):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "lock_store:\n"
        "  type: bot.rasa_plugins.stores.redis_lock_store.AtomicRedisLockStore\n"
        f"  url: {HOST}\n  port: {PORT}\n  db: 3\n  username: bot\n  password: secret\n"
        f"  use_ssl: false\n  key_prefix: {key_prefix}\n  socket_timeout: 2.5\n",
        encoding="utf-8",
    )
    store = LockStore.create(read_endpoint_config(str(endpoints), "lock_store"))
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix == f"{key_prefix}:lock:"
    connection = store.red.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == (HOST, PORT, 3)
    assert (connection["username"], connection["password"]) == ("bot", "secret")
    assert connection["socket_timeout"] == 2.5
    monkeypatch.setenv("SANIC_WORKERS", "4")
    assert number_of_sanic_workers(store) == 4


def test_an_unknown_endpoint_key_is_refused(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "lock_store:\n  type: bot.rasa_plugins.stores.redis_lock_store.AtomicRedisLockStore\n"
        "  hots: redis\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="hots"):
        LockStore.create(read_endpoint_config(str(endpoints), "lock_store"))
