"""Counts of the bot's conversations for the team (``bot stats``, ``GET /api/stats``).

The counts come from the events Rasa's SQL tracker store kept in the period
(read by :mod:`bot.conversations.events`); the leads per day come from the
lead store, the sales team's truth. A period is whole UTC days, both ends
included. :func:`count_stats` counts without any I/O; :func:`gather_stats`
reads the two stores.

The definitions (Rasa's event types in brackets). The *turn* of a user
message is every event after it, up to the conversation's next user message.

conversations
    Distinct sender ids with at least one user message (``user``).
messages
    User messages (``user``), typed or sent by a button. A message Rasa
    reverts after ``action_default_fallback`` still counts.
fallbacks, fallback rate
    User messages the bot could not answer: their turn ran Rasa's
    ``action_default_fallback``, or ran ``action_answer_from_knowledge`` (the
    rule for ``nlu_fallback``) and the search found nothing, which that action
    says by setting the slot ``knowledge_question`` to null (``slot``).
    The rate is fallbacks / messages (null without messages).
knowledge answers, knowledge-answer rate
    User messages whose turn ran ``action_answer_from_knowledge`` and found a
    section: the action then sets ``knowledge_question`` to the question.
    Such a message is not also a fallback. "Tell me more"
    (``action_tell_more``) is not counted: it extends an answer already
    counted. The rate is knowledge answers / messages (null without messages).
forms started
    Activations of ``lead_form`` (``active_loop`` named ``lead_form``) while no
    lead is in progress in the conversation. A lead is in progress from then
    until it is completed or cancelled, or the conversation restarts
    (``restart``); re-activating the form for the same lead (to change a detail
    after the summary, or to ask what it lacks) is not a new start.
forms completed
    Runs of ``action_submit_lead`` that stored the lead (created, updated or
    unchanged): only then does the action clear the lead's slots (``slot``
    events after it). A store failure, an incomplete lead or a second
    "Send it" sets no slot.
forms cancelled
    Runs of ``action_cancel_lead`` while a lead was in progress, as the action
    itself judged it: it answers ``utter_lead_cancelled`` (the ``utter_action``
    of its ``bot`` event), not ``utter_nothing_to_cancel``.
leads per day
    Leads created in the lead store on each UTC day of the period, days
    without a lead included; a resubmission that updates a lead adds none.

Only the events of the period are read: a lead whose form started before the
period can count as completed in it but not as started.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

from bot.conversations.events import StoredEvent, read_events, tracker_store_engine
from bot.conversations.names import (
    CANCEL_ACTION,
    CANCELLED_RESPONSE,
    DEFAULT_FALLBACK_ACTION,
    KNOWLEDGE_ACTION,
    KNOWLEDGE_QUESTION_SLOT,
    LEAD_FORM,
    SUBMIT_ACTION,
)
from bot.conversations.period import Period
from bot.leads.fields import ALL_LEAD_SLOTS

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from bot.leads.store import LeadRepository
    from bot.settings import Settings


_UNANSWERED, _KNOWLEDGE = "unanswered", "knowledge"


@dataclass(frozen=True)
class DayCount:
    """How many leads were created on one UTC day."""

    day: date
    count: int


@dataclass(frozen=True)
class ConversationStats:
    """The counts of one period; see the module's docstring for what each one counts."""

    period: Period
    conversations: int = 0
    messages: int = 0
    fallbacks: int = 0
    knowledge_answers: int = 0
    forms_started: int = 0
    forms_completed: int = 0
    forms_cancelled: int = 0
    leads_per_day: tuple[DayCount, ...] = ()

    @property
    def fallback_rate(self) -> float | None:
        """Fallbacks per user message; None without messages."""
        return self.fallbacks / self.messages if self.messages else None

    @property
    def knowledge_answer_rate(self) -> float | None:
        """Knowledge answers per user message; None without messages."""
        return self.knowledge_answers / self.messages if self.messages else None

    @property
    def leads(self) -> int:
        """The leads created in the period."""
        return sum(day.count for day in self.leads_per_day)

    def to_dict(self) -> dict[str, Any]:
        """The counts as a JSON object (dates as ISO strings, rates rounded to 4 places)."""
        return {
            "since": self.period.since.isoformat(),
            "until": self.period.until.isoformat(),
            "conversations": self.conversations,
            "messages": self.messages,
            "fallbacks": self.fallbacks,
            "fallback_rate": _rounded(self.fallback_rate),
            "knowledge_answers": self.knowledge_answers,
            "knowledge_answer_rate": _rounded(self.knowledge_answer_rate),
            "forms_started": self.forms_started,
            "forms_completed": self.forms_completed,
            "forms_cancelled": self.forms_cancelled,
            "leads": self.leads,
            "leads_per_day": [
                {"date": day.day.isoformat(), "count": day.count} for day in self.leads_per_day
            ],
        }


def _rounded(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


@dataclass
class _Conversation:
    """What counting remembers of one conversation while reading its events."""

    last_action: str | None = None
    action_counted: bool = False  # the last action's outcome is already counted
    turn: set[str] | None = None  # outcomes of the current user message's turn
    lead_in_progress: bool = False


@dataclass
class _Tally:
    """The running counts; :meth:`add` takes one event at a time."""

    senders: set[str] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)
    conversations: dict[str, _Conversation] = field(default_factory=dict)

    def add(self, event: StoredEvent) -> None:
        conversation = self.conversations.setdefault(event.sender_id, _Conversation())
        handler = _HANDLERS.get(event.type_name)
        if handler is not None:
            handler(self, event, conversation)

    def close(self) -> None:
        for conversation in self.conversations.values():
            self._close_turn(conversation)

    def _close_turn(self, conversation: _Conversation) -> None:
        outcomes = conversation.turn or set()
        if _KNOWLEDGE in outcomes:
            self.counts["knowledge_answers"] += 1
        elif _UNANSWERED in outcomes:
            self.counts["fallbacks"] += 1
        conversation.turn = None

    def _on_user(self, event: StoredEvent, conversation: _Conversation) -> None:
        self._close_turn(conversation)
        self.senders.add(event.sender_id)
        self.counts["messages"] += 1
        conversation.turn = set()

    def _on_action(self, event: StoredEvent, conversation: _Conversation) -> None:
        conversation.last_action = event.action_name or event.data.get("name")
        conversation.action_counted = False
        if conversation.last_action == DEFAULT_FALLBACK_ACTION and conversation.turn is not None:
            conversation.turn.add(_UNANSWERED)
        if conversation.last_action == CANCEL_ACTION:
            conversation.lead_in_progress = False

    def _on_slot(self, event: StoredEvent, conversation: _Conversation) -> None:
        slot = event.data.get("name")
        if conversation.last_action == KNOWLEDGE_ACTION and slot == KNOWLEDGE_QUESTION_SLOT:
            if conversation.turn is not None:
                found = event.data.get("value") is not None
                conversation.turn.add(_KNOWLEDGE if found else _UNANSWERED)
        elif conversation.last_action == SUBMIT_ACTION and slot in ALL_LEAD_SLOTS:
            self._count_once(conversation, "forms_completed")
            conversation.lead_in_progress = False

    def _on_bot(self, event: StoredEvent, conversation: _Conversation) -> None:
        response = (event.data.get("metadata") or {}).get("utter_action")
        if conversation.last_action == CANCEL_ACTION and response == CANCELLED_RESPONSE:
            self._count_once(conversation, "forms_cancelled")

    def _on_active_loop(self, event: StoredEvent, conversation: _Conversation) -> None:
        if event.data.get("name") == LEAD_FORM and not conversation.lead_in_progress:
            self.counts["forms_started"] += 1
            conversation.lead_in_progress = True

    def _on_restart(self, event: StoredEvent, conversation: _Conversation) -> None:
        conversation.lead_in_progress = False

    def _count_once(self, conversation: _Conversation, name: str) -> None:
        if not conversation.action_counted:
            self.counts[name] += 1
            conversation.action_counted = True


_HANDLERS: dict[str, Callable[[_Tally, StoredEvent, _Conversation], None]] = {
    "user": _Tally._on_user,
    "action": _Tally._on_action,
    "slot": _Tally._on_slot,
    "bot": _Tally._on_bot,
    "active_loop": _Tally._on_active_loop,
    "restart": _Tally._on_restart,
}


def count_stats(
    events: Iterable[StoredEvent], lead_created_at: Iterable[datetime], period: Period
) -> ConversationStats:
    """Counts the period's conversations and leads (no I/O).

    Args:
        events: the tracker store's events of the period, each conversation's in order.
        lead_created_at: when each lead was created (timezone-aware); those
            outside the period are left out.
        period: the days to count.
    """
    tally = _Tally()
    for event in events:
        tally.add(event)
    tally.close()
    return ConversationStats(
        period=period,
        conversations=len(tally.senders),
        messages=tally.counts["messages"],
        fallbacks=tally.counts["fallbacks"],
        knowledge_answers=tally.counts["knowledge_answers"],
        forms_started=tally.counts["forms_started"],
        forms_completed=tally.counts["forms_completed"],
        forms_cancelled=tally.counts["forms_cancelled"],
        leads_per_day=leads_per_day(lead_created_at, period),
    )


def leads_per_day(created_at: Iterable[datetime], period: Period) -> tuple[DayCount, ...]:
    """How many of the leads were created on each UTC day of the period."""
    days = Counter(moment.astimezone(timezone.utc).date() for moment in created_at)
    return tuple(DayCount(day, days[day]) for day in period.days())


def collect_stats(
    tracker_engine: Engine, repository: LeadRepository, period: Period
) -> ConversationStats:
    """Reads the period's events and lead creation times, and counts them (blocking).

    Raises:
        TrackerStoreError: the tracker store cannot be read.
        LeadStoreError: the lead store failed.
    """
    created_at = repository.creation_times(created_from=period.start, created_to=period.end)
    return count_stats(read_events(tracker_engine, period.start, period.end), created_at, period)


def gather_stats(settings: Settings, period: Period) -> ConversationStats:
    """The period's counts from the stores the settings name (opened and closed here).

    Raises:
        TrackerStoreError: no SQL tracker store (``memory``, or no SQLite file yet),
            or it cannot be read.
        LeadStoreError: the lead store is missing or failed.
        SettingsError: the tracker store's URL cannot be opened.
    """
    from bot.leads.store import LeadRepository, LeadStoreError, create_engine_for
    from bot.settings import sqlite_path

    with ExitStack() as cleanup:
        tracker_engine = tracker_store_engine(settings.tracker_store_url)
        cleanup.callback(tracker_engine.dispose)
        lead_file = sqlite_path(settings.database_url)
        if lead_file is not None and not lead_file.exists():  # not created by reading it
            raise LeadStoreError(f"no lead store at {lead_file} (`bot db upgrade` creates it)")
        lead_engine = create_engine_for(settings.database_url)
        cleanup.callback(lead_engine.dispose)
        return collect_stats(tracker_engine, LeadRepository(lead_engine), period)


def format_table(stats: ConversationStats) -> str:
    """The counts as a plain-text table for the terminal (days without leads left out)."""
    rows = [
        ("conversations", str(stats.conversations)),
        ("messages", str(stats.messages)),
        ("fallback rate", _rate(stats.fallback_rate, stats.fallbacks, stats.messages)),
        (
            "knowledge-answer rate",
            _rate(stats.knowledge_answer_rate, stats.knowledge_answers, stats.messages),
        ),
        ("forms started", str(stats.forms_started)),
        ("forms completed", str(stats.forms_completed)),
        ("forms cancelled", str(stats.forms_cancelled)),
        ("leads", str(stats.leads)),
    ]
    rows += [
        (f"  {day.day.isoformat()}", str(day.count)) for day in stats.leads_per_day if day.count
    ]
    width = max(len(label) for label, _ in rows)
    title = f"Conversations from {stats.period.since} to {stats.period.until} (UTC)"
    return "\n".join([title, *(f"{label:<{width}}  {value}" for label, value in rows)])


def _rate(rate: float | None, part: int, whole: int) -> str:
    if rate is None:
        return "- (no messages)"
    return f"{rate:.1%} ({part} of {whole} messages)"
