"""``bot stats``: every count, from trackers saved by Rasa's SQLTrackerStore (SQLite, PostgreSQL).

The fixture conversations and what each count must be are in ``conftest.py``;
the tests below each take one definition of :mod:`bot.conversations.stats`
apart with a conversation of their own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.conversations.events import TrackerStoreError, read_events, tracker_store_engine
from bot.conversations.period import MAX_PERIOD_DAYS, Period, PeriodError, parse_period
from bot.conversations.stats import (
    ConversationStats,
    DayCount,
    count_stats,
    format_table,
    gather_stats,
    leads_per_day,
)
from bot.leads.store import LeadStoreError
from bot.settings import Settings
from tests.bot.conversations.conftest import (
    DAY,
    EXPECTED,
    PERIOD,
    Script,
    cleared_lead,
    fill_lead_form,
    loop,
    save_conversations,
    seed_leads,
    slot,
    start_lead_form,
)
from tests.conftest import ROOT

UTC = timezone.utc


def counted(tmp_path: Path, *scripts: Script, period: Period = PERIOD) -> ConversationStats:
    """The counts of ``scripts`` once saved by Rasa's SQLTrackerStore and read back."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    save_conversations(url, list(scripts))
    engine = tracker_store_engine(url)
    try:
        return count_stats(read_events(engine, period.start, period.end), [], period)
    finally:
        engine.dispose()


def settings_for(stores: tuple[str, str]) -> Settings:
    tracker_url, lead_url = stores
    return Settings(database_url=lead_url, tracker_store_url=tracker_url)


# Every count of the fixture, on both backends.


def test_every_count_of_the_fixture_conversations(stores: tuple[str, str]) -> None:
    stats = gather_stats(settings_for(stores), PERIOD)

    assert stats.to_dict() == EXPECTED
    assert stats.fallback_rate == 2 / 15
    assert stats.knowledge_answer_rate == 1 / 15


def test_the_counts_are_json(stores: tuple[str, str]) -> None:
    document = gather_stats(settings_for(stores), PERIOD).to_dict()

    assert json.loads(json.dumps(document)) == EXPECTED


# One definition at a time.


def test_a_conversation_is_a_sender_with_a_message_and_messages_are_user_messages(tmp_path):
    talks = Script("talks").user("hi", "greet").action("utter_greet", "utter_greet").listen()
    button = Script("button").user("/hire_developers", "hire_developers")
    silent = Script("silent")  # the widget opened: a session started, nothing said

    stats = counted(tmp_path, talks, button, silent, talks_again(talks))

    assert (stats.conversations, stats.messages) == (2, 3)


def talks_again(script: Script) -> Script:
    return script.user("what can you do?", "what_can_you_do").listen()


def test_a_knowledge_hit_is_a_knowledge_answer_and_a_miss_a_fallback(tmp_path):
    hit = Script("hit").user("cheaper to get started?", "nlu_fallback")
    hit.says(
        "action_answer_from_knowledge",
        "Lower upfront costs ...",
        returns=(
            slot("knowledge_question", "cheaper to get started?"),
            slot("knowledge_shown", ["a"]),
        ),
    )
    miss = Script("miss").user("capital of Canada?", "nlu_fallback")
    miss.action(
        "action_answer_from_knowledge",
        "utter_ask_rephrase",
        returns=(slot("knowledge_question", None), slot("knowledge_shown", None)),
    )

    stats = counted(tmp_path, hit.listen(), miss.listen())

    assert (stats.messages, stats.knowledge_answers, stats.fallbacks) == (2, 1, 1)
    assert (stats.knowledge_answer_rate, stats.fallback_rate) == (0.5, 0.5)


def test_tell_me_more_is_not_another_knowledge_answer(tmp_path):
    script = Script("more").user("tell me more", "more_info")
    script.says("action_tell_more", "More ...", returns=(slot("knowledge_shown", ["a", "b"]),))

    stats = counted(tmp_path, script.listen())

    assert (stats.messages, stats.knowledge_answers, stats.fallbacks) == (1, 0, 0)


def test_rasas_fallback_counts_although_it_reverts_the_message(tmp_path):
    from rasa.shared.core.events import UserUtteranceReverted

    script = Script("lost").user("hmm", "affirm")
    script.action("action_default_fallback", "utter_default", returns=(UserUtteranceReverted(),))

    stats = counted(tmp_path, script.listen())

    assert (stats.messages, stats.fallbacks, stats.fallback_rate) == (1, 1, 1.0)


def test_a_knowledge_slot_set_by_another_action_is_not_an_answer(tmp_path):
    script = Script("form").user("/hire_developers", "hire_developers")
    script.action("action_show_lead_summary", returns=(slot("knowledge_question", None),))

    stats = counted(tmp_path, script.listen())

    assert (stats.knowledge_answers, stats.fallbacks) == (0, 0)


def test_reopening_the_form_for_the_same_lead_is_not_a_new_start(tmp_path):
    script = Script("lead").user("I'd like to hire developers", "hire_developers")
    start_lead_form(script).listen().user("Python, 3, Jane", "inform")
    fill_lead_form(script).listen().user("make it 4", "change_lead_field")
    fill_lead_form(script.action("lead_form", returns=(loop("lead_form"),))).listen()

    assert counted(tmp_path, script).forms_started == 1


def test_a_new_lead_after_a_completed_one_is_a_new_start(tmp_path):
    script = Script("two-leads").user("I'd like to hire developers", "hire_developers")
    fill_lead_form(start_lead_form(script)).user("/confirm_lead", "confirm_lead")
    script.action("action_submit_lead", "utter_lead_submitted", returns=cleared_lead())
    start_lead_form(script.listen().user("one more team please", "hire_developers"))

    stats = counted(tmp_path, script.listen())

    assert (stats.forms_started, stats.forms_completed) == (2, 1)


def test_a_restart_ends_the_lead_in_progress(tmp_path):
    from rasa.shared.core.events import Restarted

    script = Script("restarted").user("I'd like to hire developers", "hire_developers")
    start_lead_form(script).listen().user("/restart", "restart").add(Restarted())
    start_lead_form(script.listen().user("I'd like to hire developers", "hire_developers"))

    assert counted(tmp_path, script.listen()).forms_started == 2


def test_only_a_stored_lead_completes_a_form(tmp_path):
    script = Script("store-failed").user("I'd like to hire developers", "hire_developers")
    fill_lead_form(start_lead_form(script)).listen().user("/confirm_lead", "confirm_lead")
    script.action("action_submit_lead", "utter_lead_store_failed").listen()
    script.user("/confirm_lead", "confirm_lead")
    script.action("action_submit_lead", "utter_lead_resubmitted", returns=cleared_lead()).listen()
    incomplete = Script("incomplete").user("/confirm_lead", "confirm_lead")
    incomplete.action("action_submit_lead", "utter_lead_incomplete", returns=(loop("lead_form"),))

    stats = counted(tmp_path, script, incomplete.listen())

    assert stats.forms_completed == 1  # the retry that stored it, not the failure


def test_only_cancelling_a_lead_in_progress_is_a_cancelled_form(tmp_path):
    cancel = (loop(None), slot("requested_slot", None), *cleared_lead())
    nothing = Script("nothing").user("cancel", "stop")
    nothing.action("action_cancel_lead", "utter_nothing_to_cancel", returns=cancel)
    after_summary = Script("after-summary").user("I'd like to hire developers", "hire_developers")
    fill_lead_form(start_lead_form(after_summary)).listen().user("cancel", "stop")
    after_summary.action("action_cancel_lead", "utter_lead_cancelled", returns=cancel)

    stats = counted(tmp_path, nothing.listen(), after_summary.listen())

    assert (stats.forms_started, stats.forms_cancelled, stats.forms_completed) == (1, 1, 0)


def test_only_the_periods_events_are_counted(tmp_path):
    def greeting(sender: str, at: datetime) -> Script:
        return Script(sender, at).user("hi", "greet").action("utter_greet", "utter_greet")

    last_second = datetime(2024, 5, 7, 23, 59, 50, tzinfo=UTC)
    scripts = [
        greeting("first-day", datetime(2024, 5, 1, 0, 0, tzinfo=UTC)),
        greeting("last-day", last_second),
        greeting("the-day-after", datetime(2024, 5, 8, 0, 0, tzinfo=UTC)),
        greeting("the-day-before", datetime(2024, 4, 30, 23, 0, tzinfo=UTC)),
    ]

    stats = counted(tmp_path, *scripts)

    assert (stats.conversations, stats.messages) == (2, 2)


def test_leads_per_day_counts_every_utc_day_of_the_period():
    late_in_new_york = datetime(2024, 5, 2, 22, 0, tzinfo=timezone(timedelta(hours=-4)))
    created = [late_in_new_york, datetime(2024, 5, 1, 0, 0, tzinfo=UTC)]

    days = leads_per_day(created, Period(date(2024, 5, 1), date(2024, 5, 3)))

    assert days == (
        DayCount(date(2024, 5, 1), 1),
        DayCount(date(2024, 5, 2), 0),
        DayCount(date(2024, 5, 3), 1),  # 02:00 UTC on the 3rd
    )


def test_without_messages_the_rates_are_null():
    stats = count_stats([], [], PERIOD)

    assert (stats.fallback_rate, stats.knowledge_answer_rate) == (None, None)
    document = stats.to_dict()
    assert document["fallback_rate"] is None
    assert document["leads_per_day"][0] == {"date": "2024-05-01", "count": 0}
    assert "no messages" in format_table(stats)


# The period.


def test_the_default_period_is_the_30_days_up_to_today():
    today = date(2024, 5, 30)

    assert parse_period(None, None, today) == Period(date(2024, 5, 1), today)
    assert parse_period("2024-05-20", None, today) == Period(date(2024, 5, 20), today)
    assert parse_period(None, "2024-03-31", today) == Period(date(2024, 3, 2), date(2024, 3, 31))
    assert len(parse_period(None, None, today).days()) == 30


def test_a_period_is_whole_utc_days_with_both_ends_included():
    period = Period(date(2024, 5, 1), date(2024, 5, 1))

    assert period.start == datetime(2024, 5, 1, tzinfo=UTC)
    assert period.end == datetime(2024, 5, 2, tzinfo=UTC)
    assert period.days() == [date(2024, 5, 1)]


@pytest.mark.parametrize(
    ("since", "until", "reason"),
    [
        ("2024-13-01", None, "since must be a date such as 2024-05-02, got '2024-13-01'"),
        ("yesterday", None, "since must be a date"),
        (None, "2024-05-02T10:00:00", "until must be a date"),
        ("", None, "since must be a date"),
        ("2024-05-03", "2024-05-02", "until (2024-05-02) must not be before since (2024-05-03)"),
        ("2023-01-01", "2024-05-02", f"the period must be at most {MAX_PERIOD_DAYS} days"),
        (None, "9999-12-31", "until must be before 9999-12-31"),
    ],
)
def test_an_unusable_period_says_why(since: str | None, until: str | None, reason: str) -> None:
    with pytest.raises(PeriodError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_period(since, until, date(2024, 5, 30))


def test_the_longest_period_is_366_days_and_the_earliest_day_works():
    assert len(Period(date(2024, 1, 1), date(2024, 12, 31)).days()) == MAX_PERIOD_DAYS
    assert parse_period(None, "0001-01-05", date(2024, 5, 30)).since == date(1, 1, 1)


# The command.


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The fixture in SQLite stores that ``bot stats`` finds through its environment."""
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    lead_url = f"sqlite:///{tmp_path / 'leads.db'}"
    from tests.bot.conversations.conftest import fixture_conversations

    save_conversations(tracker_url, fixture_conversations())
    seed_leads(lead_url)
    monkeypatch.setenv("TRACKER_STORE_URL", tracker_url)
    monkeypatch.setenv("DATABASE_URL", lead_url)
    return tracker_url, lead_url


PERIOD_ARGUMENTS = ["--since", "2024-05-01", "--until", "2024-05-07"]


def test_bot_stats_prints_the_counts_as_a_table(environment, capsys) -> None:
    assert main(["stats", *PERIOD_ARGUMENTS]) == 0

    lines = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    assert lines == [
        "Conversations from 2024-05-01 to 2024-05-07 (UTC)",
        "conversations 5",
        "messages 15",
        "fallback rate 13.3% (2 of 15 messages)",
        "knowledge-answer rate 6.7% (1 of 15 messages)",
        "forms started 2",
        "forms completed 1",
        "forms cancelled 1",
        "leads 3",
        "2024-05-02 2",
        "2024-05-04 1",
    ]


def test_bot_stats_json_prints_what_the_api_serves(environment, capsys) -> None:
    assert main(["stats", *PERIOD_ARGUMENTS, "--json"]) == 0

    assert json.loads(capsys.readouterr().out) == EXPECTED


def test_bot_stats_defaults_to_the_last_30_days(environment, capsys) -> None:
    assert main(["stats", "--json"]) == 0

    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    today = datetime.now(UTC).date()
    assert document["until"] == today.isoformat()
    assert document["since"] == (today - timedelta(days=29)).isoformat()
    assert len(document["leads_per_day"]) == 30


def test_bot_stats_refuses_a_bad_date(environment, capsys) -> None:
    assert main(["stats", "--since", "2024-02-30"]) == 1

    assert capsys.readouterr().err == (
        "error: since must be a date such as 2024-05-02, got '2024-02-30'\n"
    )


def run_bot_stats(**environment: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "stats"],
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_bot_stats_on_a_memory_tracker_store_says_so_without_a_traceback() -> None:
    result = run_bot_stats(TRACKER_STORE_URL="memory")

    assert result.returncode == 1
    assert result.stderr == "error: TRACKER_STORE_URL is 'memory': no conversation is kept\n"
    assert result.stdout == ""


def test_bot_stats_before_rasa_kept_a_conversation_says_so(tmp_path: Path) -> None:
    missing = tmp_path / "tracker.db"

    result = run_bot_stats(TRACKER_STORE_URL=f"sqlite:///{missing}")

    assert result.returncode == 1
    assert "no tracker store at" in result.stderr
    assert "Traceback" not in result.stderr
    assert not missing.exists()


def test_bot_stats_without_a_lead_store_says_so(tmp_path: Path, monkeypatch, capsys) -> None:
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    save_conversations(tracker_url, [Script("someone").user("hi", "greet")])
    monkeypatch.setenv("TRACKER_STORE_URL", tracker_url)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'leads.db'}")

    assert main(["stats"]) == 1

    assert "no lead store at" in capsys.readouterr().err
    assert not (tmp_path / "leads.db").exists()


def test_an_unreadable_tracker_store_is_a_tracker_store_error(tmp_path: Path) -> None:
    (tmp_path / "tracker.db").write_bytes(b"not a database")
    settings = Settings(
        tracker_store_url=f"sqlite:///{tmp_path / 'tracker.db'}",
        database_url=f"sqlite:///{tmp_path / 'leads.db'}",
    )
    seed_leads(settings.database_url, ())

    with pytest.raises(TrackerStoreError, match="cannot read the tracker store"):
        gather_stats(settings, PERIOD)


def test_a_broken_lead_store_is_a_lead_store_error(tmp_path: Path) -> None:
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    save_conversations(tracker_url, [Script("someone", DAY).user("hi", "greet")])
    (tmp_path / "leads.db").write_bytes(b"")  # exists, never migrated
    settings = Settings(
        tracker_store_url=tracker_url, database_url=f"sqlite:///{tmp_path / 'leads.db'}"
    )

    with pytest.raises(LeadStoreError):
        gather_stats(settings, PERIOD)
