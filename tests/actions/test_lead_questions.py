"""The name and company questions follow up unusable answers (real trackers and domain)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.lead_questions import ActionAskLeadFormCompany, ActionAskLeadFormName


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
    for action in (ActionAskLeadFormName(), ActionAskLeadFormCompany()):
        texts = [responses[name][-1]["text"] for name in action.responses.values()]
        assert len(set(texts)) == len(texts)


def test_the_explanation_gives_an_example_and_other_ways():
    from tests.conftest import load_yaml

    responses = load_yaml("domain.yml")["responses"]
    for slot in ("name", "company"):
        text = responses[f"utter_ask_lead_form_{slot}_explained"][0]["text"]
        assert '"' in text  # an example in quotes
        assert "{agency_email}" in text
        assert '"cancel"' in text


async def test_after_a_filler_the_company_question_is_not_asked_and_waits_once(
    make_tracker, domain
):
    tracker = make_tracker(slots={"requested_slot": "company", "waiting_for_answer": True})
    events, said = await ask(ActionAskLeadFormCompany(), tracker, domain)
    assert said == []
    assert events == [
        {"event": "slot", "timestamp": None, "name": "waiting_for_answer", "value": None}
    ]
