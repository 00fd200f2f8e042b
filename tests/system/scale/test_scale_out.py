"""Two Rasa replicas and two action servers behind round-robin fronts, on the
machine's real PostgreSQL (conversations and leads) and Redis (locks).

50 scripted visitors (FAQ, chitchat, knowledge questions, full lead forms from
``bench.load``) talk through a front that sends each visitor's consecutive
messages to alternate Rasa replicas; each replica calls the action servers
through a second front. Then one Rasa replica is killed mid-run. Checked:
every conversation's events are stored complete and in order, no message is
lost or stored twice, every lead form ends confirmed and every lead is stored
exactly once; the conversations of the killed replica go on on the other one.
Throughput with one replica and with two is shown in the run's summary.

A second test sends the first two messages of each of 30 conversations at the
same moment, one to each replica, first with Rasa's own ``RedisLockStore`` and
then with ours, and counts the conversations whose two turns ran at once.

Every visitor first gets a session through whichever replica the front picks,
and its token opens the conversation on the other replica too: the replicas
share ``CHAT_SESSION_SECRET``, as ``bot run``'s processes do.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import create_engine, text

from bench.load import LEAD_STORED, ScriptBook, reply_text
from bot.ops import stack
from bot.settings import load_settings
from tests.bot.leads.conftest import scratch_postgres_database
from tests.conftest import ROOT, free_port, trained_model
from tests.services import require_service
from tests.system.server.rest_visitor import SESSION_PATH, WEBHOOK_PATH, RestVisitor

pytestmark = [pytest.mark.server, pytest.mark.model]

REDIS = "redis://127.0.0.1:6379/13"
SESSION_SECRET = "the-scale-out-test-s-session-secret"
VISITORS = 50
CONVERSATIONS_PER_VISITOR = 2
THROUGHPUT_SECONDS = 10.0
START_TIMEOUT_SECONDS = 240.0
RACE_CONVERSATIONS = 30
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.example")
# The start of utter_nothing_to_send: "Send it" once the lead has been sent.
NOTHING_TO_SEND = "There's no request waiting to be sent"


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    url: str


@dataclass
class Cluster:
    """The replicas and fronts of one test, and the database they share."""

    database_url: str
    folder: Path
    processes: list[Process] = field(default_factory=list)

    def start(self, name: str, command: list[str], url: str, **environment: str) -> Process:
        log = (self.folder / f"{name}.log").open("wb")
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **environment},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process = Process(name, popen, url)
        self.processes.append(process)
        return process

    def wait_until_up(self, process: Process, path: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                log = (self.folder / f"{process.name}.log").read_text()[-3000:]
                pytest.fail(f"{process.name} exited:\n{log}")
            try:
                httpx.get(process.url + path, timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.3)
        pytest.fail(f"{process.name} did not start")

    def environment(self, name: str) -> dict[str, str]:
        return {
            "DATABASE_URL": self.database_url,
            "TRACKER_STORE_URL": self.database_url,
            "LOCK_STORE_URL": REDIS,
            "LOG_DIR": str(self.folder / name),
            "RATE_LIMIT_PER_IP": "0",  # every visitor comes through the front's address
            "CHAT_SESSION_SECRET": SESSION_SECRET,
        }

    def action_server(self, name: str) -> Process:
        port = free_port()
        environment = {**self.environment(name), "ACTIONS_PORT": str(port)}
        service = stack.action_server(load_settings(environment))
        return self.start(name, list(service.command), f"http://127.0.0.1:{port}", **environment)

    def rasa_server(self, name: str, actions_url: str, rasas_lock_store: bool = False) -> Process:
        """A Rasa replica as ``bot run`` starts it; with ``rasas_lock_store``, Rasa's own
        ``RedisLockStore`` instead of ours (its endpoints file rewritten), for comparison."""
        port = free_port()
        environment = {
            **self.environment(name),
            "RASA_PORT": str(port),
            "ACTION_SERVER_URL": f"{actions_url}/webhook",
        }
        settings = load_settings(environment)
        service = stack.rasa_server(settings, trained_model())
        if rasas_lock_store:
            endpoints_file = stack.endpoints_path(settings)
            endpoints = yaml.safe_load(endpoints_file.read_text())
            endpoints["lock_store"] = {**endpoints["lock_store"], "type": "redis"}
            endpoints_file.write_text(yaml.safe_dump(endpoints))
        return self.start(name, list(service.command), f"http://127.0.0.1:{port}", **environment)

    def front(self, name: str, backends: list[Process], per_conversation: bool) -> Process:
        port = free_port()
        command = [sys.executable, "-m", "tests.system.scale.round_robin", "--port", str(port)]
        command += [argument for backend in backends for argument in ("--backend", backend.url)]
        if per_conversation:
            command.append("--per-conversation")
        return self.start(name, command, f"http://127.0.0.1:{port}")

    def stop(self) -> None:
        for process in self.processes:
            if process.popen.poll() is None:
                process.popen.terminate()
        for process in self.processes:
            try:
                process.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.popen.kill()


@dataclass
class Turn:
    sender: str
    text: str
    status: int
    replies: str


@dataclass
class Visit:
    """One scripted conversation as the visitor saw it (its id, once it has a session)."""

    kind: str
    messages: tuple[str, ...]
    goal: str | None
    sender: str = ""
    turns: list[Turn] = field(default_factory=list)
    # Session requests that failed mid-request (their replica died) and were asked again.
    sessions_lost: int = 0


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    require_service("redis", "127.0.0.1", 6379)
    with scratch_postgres_database() as url:
        folder = tmp_path_factory.mktemp("scale-out")
        upgrade = subprocess.run(
            [sys.executable, "-m", "bot", "db", "upgrade"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
        )
        assert upgrade.returncode == 0, upgrade.stderr
        running = Cluster(url, folder)
        try:
            yield running
        finally:
            running.stop()
            create_engine(url).dispose()


async def start_session(client: httpx.AsyncClient) -> tuple[RestVisitor, int]:
    """A session issued through ``client``'s front, asked for again once when the
    replica taking the request died (502); and how many requests were lost so."""
    answer = await client.post(SESSION_PATH)
    lost = int(answer.status_code == 502)
    if lost:
        answer = await client.post(SESSION_PATH)
    answer.raise_for_status()
    return RestVisitor(str(client.base_url), **answer.json()), lost


async def say(client: httpx.AsyncClient, visitor: RestVisitor, message: str) -> Turn:
    answer = await client.post(WEBHOOK_PATH, json=visitor.body(message), headers=visitor.headers)
    replies = reply_text(answer.json()) if answer.status_code == 200 else answer.text
    return Turn(visitor.sender, message, answer.status_code, replies)


async def play(client: httpx.AsyncClient, visit: Visit) -> None:
    """A session, then the visit's messages in turn; a message that failed mid-request
    (its replica died) is sent again once, as a visitor would."""
    visitor, visit.sessions_lost = await start_session(client)
    visit.sender = visitor.sender
    for message in visit.messages:
        turn = await say(client, visitor, message)
        visit.turns.append(turn)
        if turn.status == 502:
            visit.turns.append(await say(client, visitor, message))


async def run_visitors(
    front: str, book: ScriptBook, on_halfway: Callable[[], None] | None = None
) -> list[Visit]:
    """VISITORS visitors, each playing CONVERSATIONS_PER_VISITOR scripts in a row."""
    visits = [
        [
            Visit(s.kind, s.messages, s.goal)
            for s in (book.next() for _ in range(CONVERSATIONS_PER_VISITOR))
        ]
        for _ in range(VISITORS)
    ]
    total = sum(len(visit.messages) for row in visits for visit in row)
    limits = httpx.Limits(max_connections=VISITORS)
    async with httpx.AsyncClient(base_url=front, timeout=120, limits=limits) as client:

        async def visitor(row: list[Visit]) -> None:
            for visit in row:
                await play(client, visit)

        async def watch() -> None:
            while on_halfway is not None:
                sent = sum(len(visit.turns) for row in visits for visit in row)
                if sent >= total // 2:
                    on_halfway()
                    return
                await asyncio.sleep(0.05)

        await asyncio.gather(watch(), *(visitor(row) for row in visits))
    return [visit for row in visits for visit in row]


async def throughput(front: str, book: ScriptBook, seconds: float) -> float:
    """Messages per second that VISITORS visitors get answered through ``front``."""
    answered = 0
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=front, timeout=120) as client:

        async def visitor() -> None:
            nonlocal answered
            while time.monotonic() < deadline:
                script = book.next()
                visitor, _ = await start_session(client)
                for message in script.messages:
                    if time.monotonic() >= deadline:
                        return
                    if (await say(client, visitor, message)).status == 200:
                        answered += 1

        started = time.monotonic()
        await asyncio.gather(*(visitor() for _ in range(VISITORS)))
        return answered / (time.monotonic() - started)


def stored_turns(database_url: str, sender: str) -> list[tuple[str, str]]:
    """The conversation's user messages and actions as stored, in order."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT type_name, coalesce(data::json->>'text', action_name) FROM events"
                " WHERE sender_id = :sender AND type_name IN ('user', 'action') ORDER BY id"
            ),
            {"sender": sender},
        ).all()
    engine.dispose()
    return [(kind, str(value)) for kind, value in rows]


def stored_lead_emails(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        emails = connection.execute(text("SELECT email FROM leads")).scalars().all()
    engine.dispose()
    return list(emails)


def check_conversation(visit: Visit, stored: list[tuple[str, str]]) -> None:
    """Every message stored once, in the order sent, each turn closed by action_listen.

    A message whose replica died while it was being processed may be stored
    once or twice (once by the dead replica, once when sent again).
    """
    said = [value for kind, value in stored if kind == "user"]
    retried = {turn.text for turn in visit.turns if turn.status == 502}
    deduplicated = [
        text
        for index, text in enumerate(said)
        if not (text in retried and said[index - 1 : index] == [text])
    ]
    assert deduplicated == list(visit.messages), visit.sender
    turns = "".join(
        "U" if kind == "user" else "L" if value == "action_listen" else "A"
        for kind, value in stored
    )
    assert re.fullmatch(r"(A*L)?(UA+L)+", turns), f"{visit.sender}: {turns}"


def test_two_replicas_share_conversations_and_survive_the_loss_of_one(
    cluster: Cluster, report_figure: Callable[[str], None]
):
    actions = [cluster.action_server(f"actions-{number}") for number in (1, 2)]
    for server in actions:
        cluster.wait_until_up(server, "/health")
    actions_front = cluster.front("actions-front", actions, per_conversation=False)
    cluster.wait_until_up(actions_front, "/_front")
    replicas = [cluster.rasa_server(f"rasa-{number}", actions_front.url) for number in (1, 2)]
    for replica in replicas:
        cluster.wait_until_up(replica, "/")
    one = cluster.front("front-one-replica", replicas[:1], per_conversation=True)
    both = cluster.front("front-two-replicas", replicas, per_conversation=True)
    for front in (one, both):
        cluster.wait_until_up(front, "/_front")

    single = asyncio.run(throughput(one.url, ScriptBook(1, "one-"), THROUGHPUT_SECONDS))
    double = asyncio.run(throughput(both.url, ScriptBook(2, "two-"), THROUGHPUT_SECONDS))
    report_figure(
        f"throughput, {VISITORS} visitors: one replica {single:.1f} messages/s,"
        f" two replicas {double:.1f} messages/s (x{double / single:.2f})"
    )

    killed: list[float] = []

    def kill_second_replica() -> None:
        replicas[1].popen.send_signal(signal.SIGKILL)
        killed.append(time.monotonic())

    visits = asyncio.run(run_visitors(both.url, ScriptBook(3, "scale-"), kill_second_replica))
    front_counts = httpx.get(both.url + "/_front").json()
    report_figure(f"front of two replicas, one killed mid-run: {front_counts}")

    assert killed, "the second replica was not killed"
    turns = [turn for visit in visits for turn in visit.turns]
    assert all(turn.status in (200, 502) for turn in turns)
    lost_sessions = sum(visit.sessions_lost for visit in visits)
    assert sum(turn.status == 502 for turn in turns) + lost_sessions == front_counts["lost"]
    assert front_counts["lost"] <= VISITORS  # at most the messages in flight at the kill
    assert front_counts["failed_over"] > 0  # the killed replica's visitors went on
    for visit in visits:
        answered = [turn for turn in visit.turns if turn.status == 200]
        assert len(answered) == len(visit.messages), visit.sender
        assert all(turn.replies for turn in answered), (visit.sender, visit.turns)
        check_conversation(visit, stored_turns(cluster.database_url, visit.sender))

    leads = [visit for visit in visits if visit.goal is not None]
    assert leads
    for visit in leads:
        confirmation = visit.turns[-1].replies
        retried = {turn.text for turn in visit.turns if turn.status == 502}
        if retried & set(visit.messages[-2:]):
            # "Send it" (or the contact before it) sent again after its replica died:
            # that replica may have stored the lead before dying, so the bot then says
            # there is nothing left to send. The lead is still stored once (below).
            assert LEAD_STORED in confirmation or NOTHING_TO_SEND in confirmation, visit.sender
        else:
            assert LEAD_STORED in confirmation, visit.sender
    expected = sorted(email for visit in leads for email in EMAIL.findall(visit.messages[1]))
    assert len(expected) == len(leads)
    stored = sorted(
        email for email in stored_lead_emails(cluster.database_url) if ".scale-" in email
    )
    assert stored == expected  # each lead once, none lost


async def double_sends(replicas: list[Process], conversations: int) -> list[str]:
    """Each conversation's first two messages sent at the same moment, one to each
    replica (a visitor who double-clicks), its session from the first; returns the
    conversations' ids."""
    senders = []
    async with httpx.AsyncClient(timeout=120) as client:

        async def send(replica: Process, visitor: RestVisitor, message: str) -> None:
            answer = await client.post(
                replica.url + WEBHOOK_PATH, json=visitor.body(message), headers=visitor.headers
            )
            assert answer.status_code == 200, answer.text  # the token opens it on both

        for _ in range(conversations):
            issued = await client.post(replicas[0].url + SESSION_PATH)
            visitor = RestVisitor(replicas[0].url, **issued.json())
            senders.append(visitor.sender)
            await asyncio.gather(
                send(replicas[0], visitor, "what is outsourcing?"),
                send(replicas[1], visitor, "what is offshoring?"),
            )
    return senders


def raced(stored: list[tuple[str, str]]) -> bool:
    """Whether two turns were processed at once: both replicas then started the
    session and stored their turn on top of the same empty conversation."""
    turns = "".join(
        "U" if kind == "user" else "L" if value == "action_listen" else "A"
        for kind, value in stored
    )
    return not re.fullmatch(r"A*LUA+LUA+L", turns)


def test_races_of_one_conversation_across_replicas_rasas_lock_store_against_ours(
    cluster: Cluster, report_figure: Callable[[str], None]
):
    actions = cluster.action_server("race-actions")
    cluster.wait_until_up(actions, "/health")
    counts = {}
    for label, rasas in (("Rasa's RedisLockStore", True), ("ours", False)):
        replicas = [
            cluster.rasa_server(f"race-{rasas}-{number}", actions.url, rasas_lock_store=rasas)
            for number in (1, 2)
        ]
        for replica in replicas:
            cluster.wait_until_up(replica, "/")
        senders = asyncio.run(double_sends(replicas, RACE_CONVERSATIONS))
        counts[label] = sum(raced(stored_turns(cluster.database_url, s)) for s in senders)
        for replica in replicas:
            replica.popen.terminate()
            replica.popen.wait(timeout=30)
    report_figure(f"races in {RACE_CONVERSATIONS} double-sent conversations: {counts}")
    assert counts["ours"] == 0
