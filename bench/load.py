"""The load generator: scripted visitors on the REST channel, closed loop.

Each of N visitors plays one conversation after another, each a script drawn
from a seeded mix (FAQ questions from the held-out paraphrases, chitchat, a
knowledge question, a lead form from first message to a stored lead) under
a sender id of its own, and sends its next message as soon as the previous
reply arrives. Every message's latency is recorded, with non-200 answers and
empty replies counted apart.

Each conversation is a new visitor: it opens a connection of its own and keeps
it alive to its last message, as a browser does, and first asks for a session
(its id and token; not timed), as the widget does. The client is aiohttp's: it
took about a quarter of httpx's CPU per message here (0.8 against 3.0 ms),
and the load generator shares the machine's two cores with the bot it measures.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from bench.retraining import ROOT

WEBHOOK = "/webhooks/rest/webhook"
SESSION = "/webhooks/rest/session"
REQUEST_TIMEOUT_SECONDS = 60.0
OK, EMPTY, ERROR = "ok", "empty", "error"
# The lead's confirmation (utter_lead_submitted, or utter_lead_resubmitted).
LEAD_STORED = "within one business day"
CHITCHAT = ("are you a bot?", "what can you do?", "are you a real person?")
# How often each kind of conversation starts: about 40 % of the messages are
# FAQ questions, 40 % lead form turns, the rest chitchat and knowledge questions.
KIND_WEIGHTS = {"faq": 0.45, "chitchat": 0.15, "knowledge": 0.15, "lead": 0.25}
PEOPLE = ("Jane Doe", "Ann Lee", "Li Wei", "Mei Chen", "Omar Haddad", "Lucia Gomez")
COMPANIES = ("Acme Ltd", "Umbrella Corp", "Globex", "Hooli", "Initech")
STACKS = ("Python", "Go", "React", "Java")


@dataclass(frozen=True)
class Script:
    """One conversation: its kind, the visitor's messages, and for a lead form
    the words its last reply must contain."""

    kind: str
    messages: tuple[str, ...]
    goal: str | None = None


class ScriptBook:
    """Draws conversations from a seeded mix of realistic messages."""

    def __init__(self, seed: int = 0, tag: str = "", root: Path = ROOT) -> None:
        """``tag`` goes into the visitors' emails: each email must be new to the lead
        store, or the lead would update an earlier one (docs/leads.md: the 30-minute window)."""
        self.random = random.Random(seed)
        self.tag = tag
        paraphrases = yaml.safe_load((root / "tests/model/paraphrases.yml").read_text("utf-8"))
        self.faq = [row["text"] for row in paraphrases if row["expect"].startswith("faq/")]
        table = yaml.safe_load((root / "tests/knowledge/questions.yml").read_text("utf-8"))
        self.knowledge = [row["q"] for row in table["answerable"]]
        self.leads = itertools.count(1)

    def next(self) -> Script:
        """The next conversation of the mix."""
        kinds, weights = zip(*KIND_WEIGHTS.items(), strict=True)
        kind = self.random.choices(kinds, weights)[0]
        draws = {
            "faq": self.faq_visit,
            "chitchat": self.chitchat,
            "knowledge": self.knowledge_visit,
            "lead": self.lead,
        }
        return draws[kind]()

    def _maybe(self, text: str, probability: float) -> list[str]:
        return [text] if self.random.random() < probability else []

    def faq_visit(self) -> Script:
        """One to three FAQ questions, perhaps after a greeting and before thanks."""
        questions = self.random.sample(self.faq, self.random.randint(1, 3))
        messages = [*self._maybe("hello", 0.5), *questions, *self._maybe("thanks", 0.5)]
        return Script("faq", (*messages, *self._maybe("bye", 0.3)))

    def chitchat(self) -> Script:
        """A greeting, a question about the bot, thanks or goodbye."""
        closing = self.random.choice(["thanks!", "bye"])
        return Script("chitchat", ("hello", self.random.choice(CHITCHAT), closing))

    def knowledge_visit(self) -> Script:
        """A question only the articles answer, perhaps "tell me more"."""
        question = self.random.choice(self.knowledge)
        return Script("knowledge", (question, *self._maybe("tell me more", 0.5)))

    def lead(self) -> Script:
        """A rich first message with the engagement model, contact details (the
        summary follows), then the summary's "Yes, send it" button."""
        number = next(self.leads)
        size, stack = self.random.randint(2, 8), self.random.choice(STACKS)
        timing = self.random.choice(["for 6 months starting ASAP", "starting next month"])
        model = self.random.choice(["outstaffing", "outsourcing"])
        person, company = self.random.choice(PEOPLE), self.random.choice(COMPANIES)
        domain = company.split()[0].lower()
        email = f"{person.split()[0].lower()}.{self.tag}{number}@{domain}.example"
        messages = (
            f"we need {size} senior {stack} developers {timing}, {model}",
            f"{person}, {company}, {email}",
            "/confirm_lead",
        )
        return Script("lead", messages, goal=LEAD_STORED)


@dataclass(frozen=True)
class Sample:
    """One message: when its reply came (seconds into the level), how long it took,
    and what was sent (the script's kind and the message)."""

    done_at: float
    seconds: float
    outcome: str
    kind: str = ""
    message: str = ""


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0-1) percentile of ``values``, interpolated between ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class LevelResult:
    """What N concurrent visitors measured after the warm-up."""

    concurrency: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    leads_finished: int = 0
    leads_stored: int = 0
    # Cores each process used over the level (warm-up included), and the rest
    # of the machine (bench.serving measures it around run_level).
    cores: dict[str, float] = field(default_factory=dict)

    @property
    def latencies(self) -> list[float]:
        """Seconds per answered message (a 200, empty or not)."""
        return [sample.seconds for sample in self.samples if sample.outcome != ERROR]

    def latency_ms(self, share: float) -> float:
        """A percentile of the latency, in milliseconds."""
        return 1000 * percentile(self.latencies, share)

    def count(self, outcome: str) -> int:
        """How many messages had ``outcome`` (OK, EMPTY or ERROR)."""
        return sum(1 for sample in self.samples if sample.outcome == outcome)

    @property
    def throughput(self) -> float:
        """Messages answered per second."""
        return len(self.latencies) / self.seconds


@dataclass(frozen=True)
class Conversation:
    """One conversation on the REST channel: its id, and the headers (the session's
    token) each of its messages carries."""

    sender: str
    headers: dict[str, str] = field(default_factory=dict)


async def open_conversation(session: aiohttp.ClientSession, prefix: str) -> Conversation | None:
    """A conversation the server issues (``POST /webhooks/rest/session``); from a
    server without sessions (the peer: Rasa's own REST channel answers 404), one
    with a made-up id ``<prefix>-<hex>``; None when the server gives neither."""
    try:
        async with session.post(SESSION) as response:
            if response.status == 404:
                return Conversation(f"{prefix}-{uuid.uuid4().hex}")
            issued = await response.json() if response.status == 200 else None
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return None
    if not isinstance(issued, dict):
        return None
    sender, token = issued.get("sender"), issued.get("token")
    if not isinstance(sender, str) or not isinstance(token, str):
        return None
    return Conversation(sender, {"Authorization": f"Bearer {token}"})


def visitor_session(
    base_url: str, timeout: float = REQUEST_TIMEOUT_SECONDS
) -> aiohttp.ClientSession:
    """An HTTP client for one visitor: one connection, kept alive between its messages."""
    return aiohttp.ClientSession(
        base_url,
        connector=aiohttp.TCPConnector(limit=1),
        timeout=aiohttp.ClientTimeout(total=timeout),
    )


async def send(
    session: aiohttp.ClientSession, conversation: Conversation, text: str
) -> tuple[str, list[Any]]:
    """One message of ``conversation`` to the REST channel: its outcome and the
    bot's replies."""
    body = {"sender": conversation.sender, "message": text}
    try:
        async with session.post(WEBHOOK, json=body, headers=conversation.headers) as response:
            replies = await response.json() if response.status == 200 else None
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return ERROR, []
    if not isinstance(replies, list):
        return ERROR, []
    return (OK if replies else EMPTY), replies


def reply_text(replies: list[Any]) -> str:
    """The texts of the bot's replies, one line each."""
    return "\n".join(str(reply.get("text", "")) for reply in replies if isinstance(reply, dict))


class _Level:
    def __init__(self, result: LevelResult, book: ScriptBook, base_url: str, warmup: float) -> None:
        self.result, self.book, self.base_url = result, book, base_url
        self.started = time.monotonic()
        self.window = (warmup, warmup + result.seconds)

    def now(self) -> float:
        return time.monotonic() - self.started

    def record(self, sample: Sample) -> None:
        if self.window[0] <= sample.done_at < self.window[1]:
            self.result.samples.append(sample)

    async def visitor(self) -> None:
        while self.now() < self.window[1]:
            async with visitor_session(self.base_url) as session:
                await self.converse(session, self.book.next())

    async def converse(self, session: aiohttp.ClientSession, script: Script) -> None:
        conversation = await open_conversation(session, "bench")
        if conversation is None:  # its first message cannot be sent: an error
            self.record(Sample(self.now(), 0.0, ERROR, script.kind, script.messages[0]))
            return
        replies: list[Any] = []
        for text in script.messages:
            if self.now() >= self.window[1]:
                return
            sent = time.perf_counter()
            outcome, replies = await send(session, conversation, text)
            seconds = time.perf_counter() - sent
            self.record(Sample(self.now(), seconds, outcome, script.kind, text))
        if script.goal is not None and self.now() >= self.window[0]:
            self.result.leads_finished += 1
            self.result.leads_stored += script.goal in reply_text(replies)


async def run_level(
    base_url: str, concurrency: int, book: ScriptBook, warmup: float, seconds: float
) -> LevelResult:
    """``concurrency`` visitors for ``warmup + seconds``; only the last ``seconds`` count."""
    result = LevelResult(concurrency, seconds)
    level = _Level(result, book, base_url, warmup)
    await asyncio.gather(*(level.visitor() for _ in range(concurrency)))
    return result


async def walk(base_url: str, script: Script) -> list[tuple[str, str]]:
    """Plays one script alone: each message with the bot's reply texts."""
    transcript = []
    async with visitor_session(base_url) as session:
        conversation = await open_conversation(session, "bench-check")
        for text in script.messages:
            if conversation is None:
                transcript.append((text, "<error: no session>"))
                continue
            outcome, replies = await send(session, conversation, text)
            transcript.append((text, reply_text(replies) if outcome != ERROR else "<error>"))
    return transcript
