"""The lead actions with real trackers, the real domain and a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import lead_support
from actions.lead import (
    ActionCancelLead,
    ActionChangeLeadField,
    ActionShowLeadSummary,
    ActionSubmitLead,
)
from bot.leads.intake import intake_for
from bot.leads.spool import LeadSpool
from bot.leads.store import LeadRepository, create_engine_for

COMPLETE = {
    "roles": ["developer"],
    "team_size": 3,
    "seniority": ["senior"],
    "tech_stack": ["Python"],
    "engagement_model": "outstaffing",
    "start": "next month",
    "start_date": "2026-12-23",
    "name": "<b>Jane</b>",
    "company": "Acme",
    "email": "jane@acme.example",
    "consent": True,
    "consent_text": "May we contact you?",
    "consent_given_at": "2026-11-23T10:00:00+00:00",
    "lead_request_id": "run-1",
}


@pytest.fixture
def fresh_settings(tmp_path, monkeypatch) -> Iterator[None]:
    """Re-reads the action server's settings; the lead spool is in ``tmp_path``."""
    monkeypatch.setenv("LEAD_SPOOL_PATH", str(tmp_path / "spool" / "leads.jsonl"))
    lead_support.settings.cache_clear()
    intake_for.cache_clear()
    yield
    lead_support.settings.cache_clear()
    intake_for.cache_clear()


@pytest.fixture
def store_url(tmp_path, monkeypatch, fresh_settings) -> str:
    """Points the action server's settings at a fresh SQLite store."""
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    lead_support.settings.cache_clear()
    return url


def slot_events(events):
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


async def test_submit_stores_the_lead_before_confirming(make_tracker, domain, store_url):
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitLead().run(dispatcher, make_tracker(slots=COMPLETE), domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_lead_submitted"
    assert message["visitor_name"] == r"\<b\>Jane\</b\>"
    assert all(value is None for value in slot_events(events).values())
    [lead] = LeadRepository(create_engine_for(store_url)).list()
    assert lead.submission.name == "<b>Jane</b>"


async def test_submitting_the_same_run_again_keeps_one_lead(make_tracker, domain, store_url):
    for _ in range(2):
        await ActionSubmitLead().run(CollectingDispatcher(), make_tracker(slots=COMPLETE), domain)
    assert len(LeadRepository(create_engine_for(store_url)).list()) == 1


async def test_another_visitor_with_the_same_email_hears_nothing_of_the_first_lead(
    make_tracker, domain, store_url
):
    first = make_tracker(slots=COMPLETE, sender_id="visitor-1")
    await ActionSubmitLead().run(CollectingDispatcher(), first, domain)
    someone_else = make_tracker(
        slots={**COMPLETE, "name": "Mallory", "lead_request_id": "run-9"}, sender_id="visitor-2"
    )

    dispatcher = CollectingDispatcher()
    await ActionSubmitLead().run(dispatcher, someone_else, domain)

    [message] = dispatcher.messages
    assert message["response"] == "utter_lead_submitted"
    assert message["visitor_name"] == "Mallory"
    second, stored_first = LeadRepository(create_engine_for(store_url)).list()
    assert stored_first.submission.name == "<b>Jane</b>"
    assert stored_first.version == 1
    assert second.possible_duplicate_of == stored_first.id


async def test_the_same_visitor_confirming_a_new_run_hears_their_request_was_updated(
    make_tracker, domain, store_url
):
    await ActionSubmitLead().run(CollectingDispatcher(), make_tracker(slots=COMPLETE), domain)
    again = make_tracker(slots={**COMPLETE, "team_size": 5, "lead_request_id": "run-2"})

    dispatcher = CollectingDispatcher()
    await ActionSubmitLead().run(dispatcher, again, domain)

    [message] = dispatcher.messages
    assert message["response"] == "utter_lead_resubmitted"
    [lead] = LeadRepository(create_engine_for(store_url)).list()
    assert lead.submission.team_size == 5


async def test_a_lead_confirmed_while_the_store_is_away_is_kept_and_confirmed(
    make_tracker, domain, monkeypatch, tmp_path, fresh_settings
):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/unreachable")
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitLead().run(dispatcher, make_tracker(slots=COMPLETE), domain)
    assert dispatcher.messages[0]["response"] == "utter_lead_submitted"
    assert all(value is None for value in slot_events(events).values())
    [kept] = LeadSpool(tmp_path / "spool" / "leads.jsonl").pending()
    assert (kept.email, kept.name) == ("jane@acme.example", "<b>Jane</b>")


async def test_a_lead_neither_stored_nor_kept_is_admitted_and_keeps_the_answers(
    make_tracker, domain, monkeypatch, tmp_path, fresh_settings
):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("LEAD_SPOOL_PATH", str(tmp_path / "file" / "leads.jsonl"))
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/unreachable")
    monkeypatch.setenv("AGENCY_EMAIL", "sales@agency.example")
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitLead().run(dispatcher, make_tracker(slots=COMPLETE), domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_lead_store_failed"
    assert message["agency_email"] == "sales@agency.example"
    assert events == []  # the answers stay for "Try again"


async def test_submit_without_a_request_in_progress_says_so(make_tracker, domain, store_url):
    dispatcher = CollectingDispatcher()
    assert await ActionSubmitLead().run(dispatcher, make_tracker(), domain) == []
    assert dispatcher.messages[0]["response"] == "utter_nothing_to_send"


async def test_submit_of_an_incomplete_lead_goes_back_to_the_form(make_tracker, domain):
    dispatcher = CollectingDispatcher()
    slots = {**COMPLETE, "email": None}
    events = await ActionSubmitLead().run(dispatcher, make_tracker(slots=slots), domain)
    assert dispatcher.messages[0]["response"] == "utter_lead_incomplete"
    assert events == [{"event": "followup", "name": "lead_form", "timestamp": None}]


async def test_cancel_clears_every_field_and_the_form(make_tracker, domain):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="stop", intent="stop", slots=COMPLETE, active_loop="lead_form")
    events = await ActionCancelLead().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_lead_cancelled"
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert all(value is None for value in slot_events(events).values())


async def test_cancel_with_nothing_in_progress(make_tracker, domain):
    dispatcher = CollectingDispatcher()
    await ActionCancelLead().run(dispatcher, make_tracker(text="stop", intent="stop"), domain)
    assert dispatcher.messages[0]["response"] == "utter_nothing_to_cancel"


async def test_change_names_the_field_clears_it_and_asks_again(make_tracker, domain):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="change my email", intent="change_lead_field", slots=COMPLETE)
    events = await ActionChangeLeadField().run(dispatcher, tracker, domain)
    assert slot_events(events) == {"email": None, "lead_field_to_change": "email"}
    assert events[-1]["event"] == "followup"


async def test_change_without_a_field_offers_the_fields_the_summary_shows(make_tracker, domain):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="/change_lead_field", intent="change_lead_field", slots=COMPLETE)
    assert await ActionChangeLeadField().run(dispatcher, tracker, domain) == []
    buttons = dispatcher.messages[0]["buttons"]
    assert buttons[0] == {"title": "Roles", "payload": '/change_lead_field{"lead_field": "roles"}'}
    assert len(buttons) == 9  # the given ones; duration, budget and phone are not there


async def test_a_call_back_offers_its_name_and_number_to_change(make_tracker, domain):
    dispatcher = CollectingDispatcher()
    slots = {"lead_kind": "callback", "name": "Tom", "phone": "+44 20 7946 0958"}
    tracker = make_tracker(text="/change_lead_field", intent="change_lead_field", slots=slots)
    await ActionChangeLeadField().run(dispatcher, tracker, domain)
    assert [button["title"] for button in dispatcher.messages[0]["buttons"]] == ["Name", "Phone"]


async def test_summary_escapes_what_the_visitor_typed(make_tracker, domain):
    dispatcher = CollectingDispatcher()
    await ActionShowLeadSummary().run(dispatcher, make_tracker(slots=COMPLETE), domain)
    assert r"\<b\>Jane\</b\>" in dispatcher.messages[0]["summary"]


MINIMAL = {
    "roles": ["QA engineer"],
    "team_size": 2,
    "name": "Dana",
    "email": "dana@acme.example",
}


async def test_summary_offers_missing_details_and_asks_the_consent_it_keeps(make_tracker, domain):
    dispatcher = CollectingDispatcher()
    events = await ActionShowLeadSummary().run(dispatcher, make_tracker(slots=MINIMAL), domain)
    responses = [message["response"] for message in dispatcher.messages]
    assert responses == ["utter_lead_summary", "utter_lead_details_offer", "utter_lead_consent"]
    assert dispatcher.messages[1]["details"] == "seniority, tech stack, start date or company"
    kept = slot_events(events)
    assert kept["consent_text"].startswith("May our sales team contact you")
    assert kept["lead_request_id"]


async def test_confirming_the_summary_gives_the_consent_and_stores_the_lead(
    make_tracker, domain, store_url
):
    shown = {**MINIMAL, "consent_text": "May we contact you?", "lead_request_id": "run-7"}
    dispatcher = CollectingDispatcher()
    await ActionSubmitLead().run(dispatcher, make_tracker(slots=shown), domain)
    assert dispatcher.messages[0]["response"] == "utter_lead_submitted"
    [lead] = LeadRepository(create_engine_for(store_url)).list()
    assert lead.submission.consent_text == "May we contact you?"
    assert lead.submission.company is None
    assert lead.submission.seniority == ()
    assert lead.submission.engagement_model is None
    assert lead.submission.start_text is None


async def test_a_confirmation_before_any_summary_goes_back_to_the_form(make_tracker, domain):
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitLead().run(dispatcher, make_tracker(slots=MINIMAL), domain)
    assert dispatcher.messages[0]["response"] == "utter_lead_incomplete"
    assert events == [{"event": "followup", "name": "lead_form", "timestamp": None}]
