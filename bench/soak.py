"""Soak test: many concurrent visitors for minutes against the ``make run`` stack.

Starts ``bot run --dev`` as a laptop runs it (Rasa server, action server, web
app, delivery worker; SQLite stores, the default rate limits) in a scratch
folder, then keeps N scripted conversations going at once (bench.load's mix:
FAQ, chitchat, knowledge questions, whole lead forms), each a new visitor from
an address of its own (``X-Forwarded-For`` behind one trusted proxy), each
sending its next message as soon as the reply arrives (or after ``--think``
seconds). It counts every
answer by HTTP status, the apologies of failed turns, and compares the leads
the bot confirmed with the leads in the lead store: lost or doubled. Writes
reports/soak.md.

Run with ``make soak`` (200 visitors, 5 minutes); ``--visitors``, ``--seconds``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import os
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.load import (
    REQUEST_TIMEOUT_SECONDS,
    WEBHOOK,
    Conversation,
    ScriptBook,
    open_conversation,
    percentile,
)
from bench.processes import (
    Running,
    cpu_seconds,
    cpu_seconds_by_process,
    first_answer,
    free_port,
    machine_cpu_seconds,
    resident_memory,
    spawn,
    stop,
)
from bench.retraining import ROOT
from bench.serving import ENVIRONMENT
from bot.leads.spool import LeadSpool
from bot.leads.store import LeadRepository, create_engine_for
from bot.rasa_plugins.channels.inbound import apology
from bot.settings import load_settings

REPORT = ROOT / "reports/soak.md"
MEMORY_SAMPLE_SECONDS = 5.0
# A process using this much of a core is its only core's limit.
SATURATED_CORES = 0.9
CORES = os.cpu_count() or 1
TRANSPORT_ERROR = 0  # the status of a request that got no HTTP answer
# Each conversation is a new visitor, from an address of its own.
ADDRESSES = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))


@dataclass
class SoakResult:
    """What the visitors saw, and what the stack used."""

    visitors: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    empty_replies: int = 0
    apologies: int = 0
    confirmed_emails: list[str] = field(default_factory=list)
    unconfirmed_lead_forms: int = 0
    peak_memory_bytes: int = 0
    cores: float = 0.0
    machine_cores: float = 0.0
    cores_by_service: dict[str, float] = field(default_factory=dict)
    rasa_processes: int = 1  # RASA_WORKERS

    @property
    def messages(self) -> int:
        """Messages sent, whatever their answer."""
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        """5xx answers and requests with no HTTP answer at all."""
        return sum(n for status, n in self.statuses.items() if status >= 500 or status == 0)


class _Visitor:
    def __init__(self, result: SoakResult, book: ScriptBook, base_url: str, think: float) -> None:
        self.result, self.book, self.base_url, self.think = result, book, base_url, think

    async def run(self, until: float) -> None:
        while time.monotonic() < until:
            async with aiohttp.ClientSession(
                self.base_url,
                headers={"X-Forwarded-For": next(ADDRESSES)},
                connector=aiohttp.TCPConnector(limit=1),
                timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS),
            ) as session:
                await self.converse(session, until)

    async def converse(self, session: aiohttp.ClientSession, until: float) -> None:
        script = self.book.next()
        conversation = await open_conversation(session, "soak")
        if conversation is None:  # no session: its first message cannot be sent
            self.result.statuses[TRANSPORT_ERROR] += 1
            return
        texts: list[str] = []
        for message in script.messages:
            if time.monotonic() >= until:
                return
            texts = await self.send(session, conversation, message)
            await asyncio.sleep(self.think)
        if script.goal is not None:
            if any(script.goal in text for text in texts):
                self.result.confirmed_emails.append(script.messages[1].rsplit(", ", 1)[-1])
            else:
                self.result.unconfirmed_lead_forms += 1

    async def send(
        self, session: aiohttp.ClientSession, conversation: Conversation, text: str
    ) -> list[str]:
        started = time.perf_counter()
        status, replies = await _post(session, conversation, text)
        self.result.statuses[status] += 1
        if status != 200:
            return []
        self.result.latencies.append(time.perf_counter() - started)
        texts = [str(reply.get("text", "")) for reply in replies if isinstance(reply, dict)]
        self.result.empty_replies += not texts
        self.result.apologies += any(text == APOLOGY for text in texts)
        return texts


APOLOGY = apology(load_settings({}).agency_email)


async def _post(
    session: aiohttp.ClientSession, conversation: Conversation, text: str
) -> tuple[int, list[Any]]:
    body = {"sender": conversation.sender, "message": text}
    try:
        async with session.post(WEBHOOK, json=body, headers=conversation.headers) as response:
            body = await response.json(content_type=None)
            return response.status, body if isinstance(body, list) else []
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return TRANSPORT_ERROR, []


async def _sample_memory(stack: Running, result: SoakResult, until: float) -> None:
    while time.monotonic() < until:
        result.peak_memory_bytes = max(result.peak_memory_bytes, resident_memory(stack))
        await asyncio.sleep(MEMORY_SAMPLE_SECONDS)


async def soak(
    base_url: str, stack: Running, visitors: int, seconds: float, think: float
) -> SoakResult:
    """``visitors`` concurrent visitors for ``seconds`` against the stack at ``base_url``."""
    result = SoakResult(visitors, seconds)
    book = ScriptBook(seed=7, tag=f"soak{uuid.uuid4().hex[:6]}")
    until = time.monotonic() + seconds
    cpu_before, machine_before = cpu_seconds(stack), machine_cpu_seconds()
    processes_before = cpu_seconds_by_process(stack)
    players = [_Visitor(result, book, base_url, think).run(until) for _ in range(visitors)]
    await asyncio.gather(_sample_memory(stack, result, until), *players)
    result.cores = (cpu_seconds(stack) - cpu_before) / seconds
    result.machine_cores = (machine_cpu_seconds() - machine_before) / seconds
    processes = cpu_seconds_by_process(stack)
    services = collections.Counter(_service(command) for command, _ in processes.values())
    numbers: collections.Counter[str] = collections.Counter()
    for pid, (command, spent) in sorted(processes.items()):
        service = _service(command)
        numbers[service] += 1
        if services[service] > 1:  # several Rasa servers (RASA_WORKERS): one row each
            service = f"{service} {numbers[service]}"
        used = (spent - processes_before.get(pid, (command, 0.0))[1]) / seconds
        result.cores_by_service[service] = result.cores_by_service.get(service, 0.0) + used
    return result


SERVICES = {
    "bot.ops.rasa_server": "Rasa server",
    "bot.ops.action_server": "action server",
    "web-server": "web app",
    "deliver": "delivery worker",
}


def _service(command: str) -> str:
    return next((name for part, name in SERVICES.items() if part in command), "bot run")


def stored_lead_emails(database_url: str, spool: Path, timeout: float = 60) -> list[str]:
    """The emails of every stored lead, once the lead spool is empty."""
    deadline = time.monotonic() + timeout
    while not LeadSpool(spool).is_empty() and time.monotonic() < deadline:
        time.sleep(1)
    engine = create_engine_for(database_url)
    try:
        repository = LeadRepository(engine)
        leads, offset = [], 0
        while page := repository.list(limit=500, offset=offset):
            leads.extend(page)
            offset += len(page)
        return [lead.submission.email for lead in leads]
    finally:
        engine.dispose()


def write_report(result: SoakResult, stored: list[str], path: Path) -> str:
    """The record as markdown, written to ``path``."""
    confirmed, counts = set(result.confirmed_emails), collections.Counter(stored)
    lost = sorted(confirmed - set(counts))
    doubled = sorted(email for email, n in counts.items() if n > 1)
    latencies = result.latencies
    statuses = ", ".join(
        f"{status or 'no answer'}: {n}" for status, n in sorted(result.statuses.items())
    )
    rows = [
        ("visitors, seconds", f"{result.visitors}, {result.seconds:.0f}"),
        (
            "messages (answered per second)",
            f"{result.messages} ({len(latencies) / result.seconds:.1f}/s)",
        ),
        ("answers by HTTP status", statuses),
        ("server errors (5xx or no answer)", str(result.server_errors)),
        ("apologies (failed turns)", str(result.apologies)),
        ("empty replies", str(result.empty_replies)),
        (
            "latency p50 / p95 / p99",
            " / ".join(f"{1000 * percentile(latencies, q):,.0f} ms" for q in (0.5, 0.95, 0.99)),
        ),
        ("latency max", f"{1000 * max(latencies, default=0):,.0f} ms"),
        ("leads confirmed / stored", f"{len(confirmed)} / {len(counts)}"),
        ("leads lost / doubled", f"{len(lost)} / {len(doubled)}"),
        ("lead forms played to the end, not confirmed", str(result.unconfirmed_lead_forms)),
        ("peak resident memory of the stack", f"{result.peak_memory_bytes / 2**20:,.0f} MiB"),
        ("cores used: the stack / the machine", f"{result.cores:.2f} / {result.machine_cores:.2f}"),
        *(
            (f"cores used: {service}", f"{cores:.2f}")
            for service, cores in sorted(result.cores_by_service.items(), key=lambda item: -item[1])
        ),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    text = (
        "# Soak test: `make soak`\n\n"
        f"`bot run --dev` (SQLite stores, default rate limits, {_rasa_processes(result)}) and "
        f"{result.visitors} conversations at once, each a new visitor from an address of its"
        " own, each sending its next message as soon as the reply arrives.\n\n"
        f"| figure | value |\n|---|---|\n{table}\n"
    )
    busiest, cores = max(result.cores_by_service.items(), key=lambda item: item[1], default=("", 0))
    if cores >= SATURATED_CORES:
        text += (
            f"\nThe first limit reached: the {busiest}, one Python process on one core"
            f" ({cores:.2f} cores), while the machine had {CORES - result.machine_cores:.2f} of"
            f" its {CORES} cores idle. Messages beyond its pace wait their turn in its queue"
            " (bot/rasa_plugins/channels/admission.py), which the latency shows.\n"
        )
    elif result.machine_cores >= SATURATED_CORES * CORES:
        text += (
            f"\nThe first limit reached: the machine, {result.machine_cores:.2f} of its {CORES}"
            " cores busy. Messages beyond the stack's pace wait their turn in the Rasa"
            " servers' queues (bot/rasa_plugins/channels/admission.py), which the latency shows.\n"
        )
    if lost or doubled:
        text += f"\nLost: {lost}\nDoubled: {doubled}\n"
    path.write_text(text, encoding="utf-8")
    return text


def _rasa_processes(result: SoakResult) -> str:
    if result.rasa_processes == 1:
        return "one Rasa process"
    return f"{result.rasa_processes} Rasa processes on one port, locks in Redis"


def main(argv: Sequence[str] | None = None) -> None:
    """Runs the soak test and writes reports/soak.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument(
        "--think", type=float, default=0.0, help="seconds between a visitor's messages"
    )
    parser.add_argument("--output", type=Path, default=REPORT)
    options = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="soak-", dir=ROOT / "build"))
    rasa_port = free_port()
    environment = {
        **ENVIRONMENT,
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTIONS_PORT": str(free_port()),
        "WEB_PORT": str(free_port()),
        "DATABASE_URL": f"sqlite:///{scratch / 'leads.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{scratch / 'tracker.db'}",
        "LEAD_SPOOL_PATH": str(scratch / "lead-spool.jsonl"),
        "LOG_DIR": str(scratch / "logs"),
        "TRUSTED_PROXIES": "1",
    }
    stack = spawn(
        "bot run",
        [str(ROOT / ".venv/bin/bot"), "run", "--dev"],
        scratch / "bot-run.log",
        environment,
        ROOT,
    )
    base_url = f"http://127.0.0.1:{rasa_port}"
    try:
        started = asyncio.run(first_answer(base_url, stack))
        print(f"the stack answered {started:.1f} s after start", flush=True)
        result = asyncio.run(
            soak(base_url, stack, options.visitors, options.seconds, options.think)
        )
        result.rasa_processes = load_settings(environment).rasa_workers
        # The action server hands any spooled lead to the store before it stops.
        stored = stored_lead_emails(environment["DATABASE_URL"], scratch / "lead-spool.jsonl")
    finally:
        stop(stack)
    print(write_report(result, stored, options.output))


if __name__ == "__main__":
    main()
