"""Conversations stored the way the running bot stores them: Rasa's own SQLTrackerStore.

A :class:`Script` writes one conversation's events in the order Rasa's
processor logs them (the action, then what it uttered, then the events it
returned, then ``action_listen``), one second apart. :func:`save_conversations`
saves them as real trackers with Rasa's ``SQLTrackerStore``, on SQLite or
PostgreSQL. :func:`fixture_conversations` is the set every stats test counts:
an FAQ, a knowledge hit, a knowledge miss and Rasa's fallback, a lead form
completed and one cancelled, plus two that must not count.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bot.conversations.period import Period
from bot.leads.fields import ALL_LEAD_SLOTS
from bot.leads.store import LeadRepository, create_engine_for, upgrade_database
from tests.bot.leads.conftest import Clock, default_submission, scratch_postgres_database
from tests.conftest import ROOT

DAY = datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc)
PERIOD = Period(date(2024, 5, 1), date(2024, 5, 7))
# When the leads of the fixture were created: two on 2 May (one at 23:30 UTC),
# one on 4 May, and one before the period.
LEAD_TIMES = (
    datetime(2024, 5, 2, 10, 0, tzinfo=timezone.utc),
    datetime(2024, 5, 2, 23, 30, tzinfo=timezone.utc),
    datetime(2024, 5, 4, 8, 0, tzinfo=timezone.utc),
    datetime(2024, 4, 20, 12, 0, tzinfo=timezone.utc),
)
# What every count of the fixture is, over PERIOD (see fixture_conversations).
EXPECTED = {
    "since": "2024-05-01",
    "until": "2024-05-07",
    "conversations": 5,
    "messages": 15,
    "fallbacks": 2,
    "fallback_rate": round(2 / 15, 4),
    "knowledge_answers": 1,
    "knowledge_answer_rate": round(1 / 15, 4),
    "forms_started": 2,
    "forms_completed": 1,
    "forms_cancelled": 1,
    "leads": 3,
    "leads_per_day": [
        {"date": "2024-05-01", "count": 0},
        {"date": "2024-05-02", "count": 2},
        {"date": "2024-05-03", "count": 0},
        {"date": "2024-05-04", "count": 1},
        {"date": "2024-05-05", "count": 0},
        {"date": "2024-05-06", "count": 0},
        {"date": "2024-05-07", "count": 0},
    ],
}


@cache
def _domain() -> Any:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain.yml"))


class Script:
    """One conversation's events, as Rasa's processor logs them, one second apart."""

    def __init__(self, sender_id: str, start: datetime = DAY) -> None:
        from rasa.shared.core.events import ActionExecuted, SessionStarted

        self.sender_id = sender_id
        self.events: list[Any] = []
        self._clock = start.timestamp()
        self._log(ActionExecuted("action_session_start"), SessionStarted())
        self.listen()

    def _log(self, *events: Any) -> Script:
        for event in events:
            event.timestamp = self._clock
            self._clock += 1
            self.events.append(event)
        return self

    def user(self, text: str, intent: str) -> Script:
        """The visitor's message, with the intent NLU gave it."""
        from rasa.shared.core.events import UserUttered

        return self._log(UserUttered(text, intent={"name": intent, "confidence": 0.9}))

    def action(self, name: str, *responses: str, returns: tuple[Any, ...] = ()) -> Script:
        """Action ``name`` ran, uttered these domain responses, and returned ``returns``."""
        from rasa.shared.core.events import ActionExecuted, BotUttered

        utterances = [
            BotUttered(_text_of(response), metadata={"utter_action": response})
            for response in responses
        ]
        return self._log(ActionExecuted(name), *utterances, *returns)

    def says(self, name: str, text: str, returns: tuple[Any, ...] = ()) -> Script:
        """Action ``name`` uttered ``text`` of its own, and returned ``returns``."""
        from rasa.shared.core.events import ActionExecuted, BotUttered

        return self._log(ActionExecuted(name), BotUttered(text), *returns)

    def listen(self) -> Script:
        """The bot waits for the visitor."""
        from rasa.shared.core.events import ActionExecuted

        return self._log(ActionExecuted("action_listen"))

    def add(self, *events: Any) -> Script:
        """Any other events (a restart, a reverted message)."""
        return self._log(*events)


def _text_of(response: str) -> str:
    variations = _domain().responses.get(response) or [{"text": response}]
    return str(variations[0].get("text") or response)


def slot(name: str, value: Any) -> Any:
    """Rasa's SlotSet event."""
    from rasa.shared.core.events import SlotSet

    return SlotSet(name, value)


def loop(name: str | None) -> Any:
    """Rasa's ActiveLoop event."""
    from rasa.shared.core.events import ActiveLoop

    return ActiveLoop(name)


def cleared_lead() -> tuple[Any, ...]:
    """What action_submit_lead returns once the lead is stored (actions/lead_support.py)."""
    return tuple(slot(name, None) for name in ALL_LEAD_SLOTS)


def start_lead_form(script: Script) -> Script:
    """The form activates and asks its first question (what Rasa's form action logs)."""
    return script.action(
        "lead_form",
        "utter_ask_lead_form_roles",
        returns=(loop("lead_form"), slot("requested_slot", "roles")),
    )


def fill_lead_form(script: Script) -> Script:
    """The visitor's answers complete the form: it deactivates and the summary is shown."""
    return script.action(
        "lead_form",
        returns=(
            slot("roles", ["Python developer"]),
            slot("team_size", 3),
            slot("consent", True),
            slot("lead_request_id", "run-1"),
            loop(None),
            slot("requested_slot", None),
        ),
    ).action("action_show_lead_summary", "utter_lead_summary", returns=(slot(FIELD, None),))


FIELD = "lead_field_to_change"


def fixture_conversations() -> list[Script]:
    """Five conversations in PERIOD, one before it, one without a message (see EXPECTED)."""
    question = "what does Apple have to do with gardeners in Seattle?"
    faq = (
        Script("faq")
        .user("who is the legal employer of an outstaffed developer?", "faq")
        .action("utter_faq", "utter_faq_legal_employer")
        .listen()
        .user("thanks", "thank")
        .action("utter_thank", "utter_thank")
        .listen()
    )
    knowledge_hit = (
        Script("knowledge-hit")
        .user(question, "nlu_fallback")
        .says(
            "action_answer_from_knowledge",
            "Apple outsources ... From: *Offshoring vs outsourcing*",
            returns=(slot("knowledge_question", question), slot("knowledge_shown", ["s1"])),
        )
        .listen()
        .user("tell me more", "more_info")
        .says("action_tell_more", "More ...", returns=(slot("knowledge_shown", ["s1", "s2"]),))
        .listen()
    )
    knowledge_miss = (
        Script("knowledge-miss")
        .user("explain the rules of chess", "nlu_fallback")
        .action(
            "action_answer_from_knowledge",
            "utter_ask_rephrase",
            returns=(slot("knowledge_question", None), slot("knowledge_shown", None)),
        )
        .listen()
        .user("zzz qqq", "greet")
        .action("action_default_fallback", "utter_default", returns=(reverted(),))
        .listen()
    )
    return [
        faq,
        knowledge_hit,
        knowledge_miss,
        lead_completed(),
        lead_cancelled(),
        Script("before-the-period", DAY - timedelta(days=12))
        .user("hi", "greet")
        .action("utter_greet", "utter_greet")
        .listen(),
        Script("opened-the-widget-only"),
    ]


def reverted() -> Any:
    """Rasa's UserUtteranceReverted (what action_default_fallback returns)."""
    from rasa.shared.core.events import UserUtteranceReverted

    return UserUtteranceReverted()


def lead_completed() -> Script:
    """A lead form started, changed after the summary (re-activated), sent, then "Send it" again.

    Six messages; one form started and completed.
    """
    script = Script("lead-completed").user("I'd like to hire developers", "hire_developers")
    start_lead_form(script.action("utter_lead_intro", "utter_lead_intro")).listen()
    fill_lead_form(script.user("3 senior Python devs, Jane, Acme, yes", "inform")).listen()
    script.user("no", "deny").action("action_change_lead_field", "utter_choose_lead_field")
    script.listen().user("make it 4 developers", "change_lead_field")
    script.action("action_change_lead_field", returns=(followup("lead_form"),))
    script.action("lead_form", returns=(loop("lead_form"), slot("team_size", 4)))
    fill_lead_form(script).listen()
    script.user("/confirm_lead", "confirm_lead")
    script.action("action_submit_lead", "utter_lead_submitted", returns=cleared_lead()).listen()
    script.user("/confirm_lead", "confirm_lead")
    return script.action("action_submit_lead", "utter_nothing_to_send").listen()


def lead_cancelled() -> Script:
    """A price question starts the form; "cancel" stops it; "stop" again has nothing to stop.

    Three messages; one form started and cancelled.
    """
    script = Script("lead-cancelled").user("how much would it cost?", "ask_price")
    start_lead_form(script.action("utter_pricing_depends", "utter_pricing_depends")).listen()
    cancel = (loop(None), slot("requested_slot", None), *cleared_lead())
    script.user("cancel", "stop").action(
        "action_cancel_lead", "utter_lead_cancelled", returns=cancel
    )
    script.listen().user("stop", "stop")
    return script.action("action_cancel_lead", "utter_nothing_to_cancel", returns=cancel).listen()


def followup(name: str) -> Any:
    """Rasa's FollowupAction event."""
    from rasa.shared.core.events import FollowupAction

    return FollowupAction(name)


def save_conversations(database_url: str, scripts: list[Script]) -> None:
    """Saves each script as a tracker with Rasa's SQLTrackerStore at ``database_url``."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(_domain(), **_rasa_store_settings(database_url))
    try:
        for script in scripts:
            tracker = DialogueStateTracker.from_events(
                script.sender_id, script.events, slots=_domain().slots
            )
            asyncio.run(store.save(tracker))
    finally:
        store.engine.dispose()


def _rasa_store_settings(database_url: str) -> dict[str, Any]:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return {"dialect": "sqlite", "db": url.database}
    return {
        "dialect": "postgresql",
        "host": url.host,
        "port": url.port,
        "db": url.database,
        "username": url.username,
    }


def seed_leads(database_url: str, times: tuple[datetime, ...] = LEAD_TIMES) -> None:
    """Migrates the lead store at ``database_url`` and stores one lead created at each time."""
    engine = create_engine_for(database_url)
    try:
        upgrade_database(engine)
        for number, moment in enumerate(times):
            repository = LeadRepository(engine, clock=Clock(moment))
            repository.submit(
                default_submission(
                    conversation_id=f"stats-conversation-{number}",
                    request_key=f"stats-request-{number}",
                    email=f"stats{number}@example.com",
                )
            )
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(tracker store URL, lead store URL) holding the fixture, on each backend in turn.

    PostgreSQL keeps both in one scratch database of the test's own.
    """
    if request.param == "sqlite":
        tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
        lead_url = f"sqlite:///{tmp_path / 'leads.db'}"
        _fill(tracker_url, lead_url)
        yield tracker_url, lead_url
        return
    with scratch_postgres_database() as url:
        _fill(url, url)
        yield url, url


def _fill(tracker_url: str, lead_url: str) -> None:
    save_conversations(tracker_url, fixture_conversations())
    seed_leads(lead_url)
