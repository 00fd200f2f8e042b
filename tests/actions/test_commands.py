"""The ways to a person (actions/commands.py) with real trackers."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.commands import ActionContactUs, ActionHandoverToSales


async def test_how_to_reach_us_is_answered_with_the_agency_email(make_tracker):
    dispatcher = CollectingDispatcher()
    events = await ActionContactUs().run(dispatcher, make_tracker(text="how can I contact you"), {})
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_contact_us"
    assert reply["agency_email"] == "hello@agency.example"
    assert events == []


async def test_a_request_for_a_person_hears_the_agency_email_at_once(make_tracker):
    dispatcher = CollectingDispatcher()
    await ActionHandoverToSales().run(dispatcher, make_tracker(text="call me"), {})
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_handover_to_sales"
    assert reply["agency_email"] == "hello@agency.example"
