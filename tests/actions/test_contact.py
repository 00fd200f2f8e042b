"""The ways to a person (actions/contact.py) with real trackers."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.contact import ActionContactUs, ActionRequestCallback, wants_a_call_instead


async def test_how_to_reach_us_is_answered_with_the_agency_email(make_tracker):
    dispatcher = CollectingDispatcher()
    events = await ActionContactUs().run(dispatcher, make_tracker(text="how can I contact you"), {})
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_contact_us"
    assert reply["agency_email"] == "hello@agency.example"
    assert events == []


async def test_in_the_lead_form_the_email_comes_in_the_short_form(make_tracker):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        text="can I talk to a person", intent="request_human", active_loop="lead_form"
    )
    await ActionContactUs().run(dispatcher, tracker, {})
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_contact_us_in_form"
    assert reply["agency_email"] == "hello@agency.example"


async def test_a_call_back_request_marks_the_kind_and_gives_the_email_too(make_tracker):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="call me", intent="request_callback")
    events = await ActionRequestCallback().run(dispatcher, tracker, {})
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_callback_intro"
    assert reply["agency_email"] == "hello@agency.example"
    assert any(e.get("name") == "lead_kind" and e.get("value") == "callback" for e in events)


def test_a_call_asked_for_turns_a_team_request_into_a_call_back_once(make_tracker):
    asked = make_tracker(text="just call me", intent="request_callback")
    already = make_tracker(
        text="just call me", intent="request_callback", slots={"lead_kind": "callback"}
    )
    other = make_tracker(text="ana@lima.pt", intent="inform")
    assert wants_a_call_instead(asked)
    assert not wants_a_call_instead(already)
    assert not wants_a_call_instead(other)


async def test_another_language_hears_the_english_line_with_the_email(make_tracker):
    from actions.languages import ActionAnswerInEnglish

    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="Hola, necesito ayuda", intent="other_language")
    assert await ActionAnswerInEnglish().run(dispatcher, tracker, {}) == []
    [reply] = dispatcher.messages
    assert (reply["response"], reply["agency_email"]) == (
        "utter_english_only",
        "hello@agency.example",
    )
