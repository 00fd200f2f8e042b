"""The name and company questions follow up unusable answers (real trackers and domain)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.lead_questions import (
    ActionAskLeadFormCompany,
    ActionAskLeadFormEmail,
    ActionAskLeadFormName,
    ActionAskLeadFormPhone,
)


async def ask(action, tracker, domain):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    return events, dispatcher.messages


@pytest.mark.parametrize(
    ("unusable", "response"),
    [
        (None, "utter_ask_lead_form_name"),
        (1, "utter_ask_lead_form_name_again"),
        (2, "utter_ask_lead_form_name_explained"),
        (3, "utter_ask_lead_form_name_open"),
        (4, "utter_ask_lead_form_name_offer"),
        (5, "utter_ask_lead_form_name_offer_again"),
        (6, "utter_ask_lead_form_name_offer"),
    ],
)
async def test_the_name_question_changes_with_each_unusable_answer(
    make_tracker, domain, unusable, response
):
    tracker = make_tracker(slots={"requested_slot": "name", "unusable_answers": unusable})
    events, [said] = await ask(ActionAskLeadFormName(), tracker, domain)
    assert events == []
    assert said["response"] == response
    assert said["agency_email"]


def test_no_two_forms_of_a_question_say_the_same():
    from tests.conftest import load_yaml

    responses = load_yaml("domain.yml")["responses"]
    for action in (ActionAskLeadFormName(), ActionAskLeadFormCompany(), ActionAskLeadFormEmail()):
        texts = [responses[name][-1]["text"] for name in action.responses.values()]
        assert len(set(texts)) == len(texts)


def test_the_explanation_gives_an_example_and_other_ways():
    from tests.conftest import load_yaml

    responses = load_yaml("domain.yml")["responses"]
    for slot in ("name", "company"):
        text = responses[f"utter_ask_lead_form_{slot}_explained"][0]["text"]
        assert '"' in text  # an example in quotes
        assert "{agency_email}" in text
        # a way on without it: "cancel" the request, or "skip" the optional company
        assert ('"skip"' if slot == "company" else '"cancel"') in text


async def test_after_a_filler_the_company_question_is_not_asked_and_waits_once(
    make_tracker, domain
):
    tracker = make_tracker(slots={"requested_slot": "company", "waiting_for_answer": True})
    events, said = await ask(ActionAskLeadFormCompany(), tracker, domain)
    assert said == []
    assert events == [
        {"event": "slot", "timestamp": None, "name": "waiting_for_answer", "value": None}
    ]


def exits(variant) -> set[str]:
    """The ways to a person a reply offers: the agency's email, a person (or their call)."""
    found = {"email"} if "{agency_email}" in variant["text"] else set()
    payloads = {button["payload"] for button in variant.get("buttons", [])}
    person = {"/request_human", "/request_callback"} & payloads
    return found | ({"person"} if person else set())


def test_every_follow_up_offers_a_way_to_a_person_with_three_buttons_at_most():
    from tests.conftest import load_yaml

    responses = load_yaml("domain.yml")["responses"]
    asks = (
        ActionAskLeadFormName(),
        ActionAskLeadFormCompany(),
        ActionAskLeadFormEmail(),
        ActionAskLeadFormPhone(),
    )
    for action in asks:
        for step, name in action.responses.items():
            for variant in responses[name] if step != "first" else responses[name][-1:]:
                assert len(variant.get("buttons", [])) <= 3, name
                if step != "first":
                    assert exits(variant), name


def test_after_the_open_invitation_the_question_offers_the_email_and_a_person():
    from tests.conftest import load_yaml

    responses = load_yaml("domain.yml")["responses"]
    for slot in ("name", "company", "email"):
        for step in ("offer", "offer_again"):
            [variant] = responses[f"utter_ask_lead_form_{slot}_{step}"]
            assert exits(variant) == {"email", "person"}
            if slot == "company":  # optional: leaving it out is the way on
                assert '"skip"' in variant["text"]
            else:
                assert "/stop" in {button["payload"] for button in variant["buttons"]}


async def test_a_call_back_asks_for_the_name_with_thanks_for_the_number(make_tracker, domain):
    tracker = make_tracker(slots={"lead_kind": "callback", "phone": "+44 20 7946 0958"})
    _, [said] = await ask(ActionAskLeadFormName(), tracker, domain)
    assert said["response"] == "utter_ask_lead_form_name_after_phone"


async def test_the_number_is_asked_by_name_once_the_name_is_given(make_tracker, domain):
    tracker = make_tracker(
        slots={"lead_kind": "callback", "name": "Tom", "requested_slot": "phone"}
    )
    _, [said] = await ask(ActionAskLeadFormPhone(), tracker, domain)
    assert said["response"] == "utter_ask_lead_form_phone_after_name"
    assert said["visitor_name"] == "Tom"


async def test_asking_for_a_person_instead_moves_the_question_on_a_step(make_tracker, domain):
    tracker = make_tracker(
        text="/request_human",
        intent="request_human",
        slots={"requested_slot": "name", "unusable_answers": 3},
    )
    events, [said] = await ask(ActionAskLeadFormName(), tracker, domain)
    assert said["response"] == "utter_ask_lead_form_name_offer"
    assert events == [{"event": "slot", "timestamp": None, "name": "unusable_answers", "value": 4}]


async def test_a_person_asked_for_again_and_again_never_hears_one_form_three_times(
    make_tracker, domain
):
    count, said = 1, []
    for _ in range(6):
        tracker = make_tracker(
            text="talk to a person",
            intent="request_human",
            slots={"requested_slot": "company", "unusable_answers": count},
        )
        events, [message] = await ask(ActionAskLeadFormCompany(), tracker, domain)
        said.append(message["response"])
        count = events[-1]["value"]
    assert all(len(set(said[index : index + 3])) > 1 for index in range(len(said) - 2))


@pytest.mark.parametrize(
    ("given", "response"),
    [
        ({"email": "olena@brightpixel.io"}, "utter_ask_lead_form_name_after_email"),
        ({"company": "Brightpixel"}, "utter_ask_lead_form_name_only"),
        ({}, "utter_ask_lead_form_name"),
    ],
)
async def test_the_contact_question_asks_only_for_what_is_missing(
    make_tracker, domain, given, response
):
    tracker = make_tracker(slots={"requested_slot": "name", **given})
    _, [said] = await ask(ActionAskLeadFormName(), tracker, domain)
    assert said["response"] == response


async def test_the_company_question_thanks_the_visitor_by_name(make_tracker, domain):
    tracker = make_tracker(slots={"requested_slot": "company", "name": "Olena"})
    _, [said] = await ask(ActionAskLeadFormCompany(), tracker, domain)
    assert said["response"] == "utter_ask_lead_form_company_after_name"
    assert said["visitor_name"] == "Olena"


async def test_the_email_question_thanks_the_visitor_by_name(make_tracker, domain):
    tracker = make_tracker(slots={"requested_slot": "email", "name": "Olena"})
    _, [said] = await ask(ActionAskLeadFormEmail(), tracker, domain)
    assert said["response"] == "utter_ask_lead_form_email_after_name"
    assert said["visitor_name"] == "Olena"


async def test_the_email_question_follows_up_unusable_answers_too(make_tracker, domain):
    tracker = make_tracker(slots={"requested_slot": "email", "unusable_answers": 2})
    _, [said] = await ask(ActionAskLeadFormEmail(), tracker, domain)
    assert said["response"] == "utter_ask_lead_form_email_explained"
