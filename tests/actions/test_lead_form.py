"""The lead form's validation action with real trackers and the real domain."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lead_form import ValidateLeadForm, previous_value


def slot_events(events):
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


async def run_form(tracker, domain):
    dispatcher = CollectingDispatcher()
    events = await ValidateLeadForm().run(dispatcher, tracker, domain)
    return slot_events(events), [m.get("response") for m in dispatcher.messages]


async def test_a_rich_first_message_fills_the_team_and_asks_for_the_contact(make_tracker, domain):
    tracker = make_tracker(
        text="we need 3 senior Python developers for 6 months starting ASAP",
        intent="hire_developers",
        entities=[
            {"entity": "seniority", "value": "senior"},
            {"entity": "tech_stack", "value": "Python"},
            {"entity": "role", "value": "developers"},
        ],
    )
    slots, responses = await run_form(tracker, domain)
    assert slots["team_size"] == 3
    assert slots["seniority"] == ["senior"]
    assert slots["tech_stack"] == ["Python"]
    assert slots["roles"] == ["developer"]
    assert slots["duration"] == "6 months"
    assert slots["start"] == "as soon as possible"
    assert slots["start_date"]
    assert slots["requested_slot"] == "name"
    assert responses == []


async def test_an_invalid_team_size_is_refused_with_its_reason(make_tracker, domain):
    tracker = make_tracker(text="0", slots={"requested_slot": "team_size", "roles": ["dev"]})
    slots, responses = await run_form(tracker, domain)
    assert slots["team_size"] is None
    assert slots["requested_slot"] == "team_size"
    assert responses == ["utter_team_size_invalid_too_small"]


async def test_not_sure_of_the_roles_is_no_role_and_asks_what_the_team_would_do(
    make_tracker, domain
):
    tracker = make_tracker(
        text="not sure yet", intent="nlu_fallback", slots={"requested_slot": "roles"}
    )
    slots, responses = await run_form(tracker, domain)
    assert slots["roles"] is None
    assert slots["requested_slot"] == "roles"
    assert responses == ["utter_roles_invalid_unsure"]


async def test_a_refused_change_keeps_the_earlier_value(make_tracker, domain):
    history = [
        {"event": "slot", "name": "team_size", "value": 4},
        {"event": "user", "text": "make it 1000000 developers"},
    ]
    tracker = make_tracker(
        text="make it 1000000 developers",
        intent="change_lead_field",
        slots={"team_size": 4, "requested_slot": "name"},
        events=history,
    )
    slots, responses = await run_form(tracker, domain)
    assert slots["team_size"] == 4
    assert responses == ["utter_team_size_invalid_too_large"]


async def test_a_correction_is_acknowledged_in_the_fields_own_words(make_tracker, domain):
    history = [
        {"event": "slot", "name": "team_size", "value": 3},
        {"event": "user", "text": "actually make it 4 developers"},
    ]
    tracker = make_tracker(
        text="actually make it 4 developers",
        intent="change_lead_field",
        slots={"team_size": 3, "requested_slot": "name"},
        events=history,
    )
    dispatcher = CollectingDispatcher()
    slots = slot_events(await ValidateLeadForm().run(dispatcher, tracker, domain))
    assert slots["team_size"] == 4
    [said] = dispatcher.messages
    assert (said["response"], said["field_change"]) == ("utter_lead_field_updated", "a team of 4")


async def test_not_sure_explains_the_models_and_asks_again(make_tracker, domain):
    tracker = make_tracker(text="not sure", slots={"requested_slot": "engagement_model"})
    slots, responses = await run_form(tracker, domain)
    assert slots["engagement_model"] is None
    assert slots["engagement_advice_given"] is True
    assert responses == ["utter_engagement_models_explained"]


async def test_not_sure_after_the_explanation_is_kept_for_sales(make_tracker, domain):
    tracker = make_tracker(
        text="/inform",
        entities=[{"entity": "engagement_model", "value": "not_sure"}],
        slots={"requested_slot": "engagement_model", "engagement_advice_given": True},
    )
    slots, _ = await run_form(tracker, domain)
    assert slots["engagement_model"] == "not_sure"


async def test_a_question_mid_form_fills_nothing_so_the_form_steps_aside(make_tracker, domain):
    tracker = make_tracker(
        text="wait, what's outstaffing?",
        intent="faq",
        entities=[{"entity": "engagement_model", "value": "outstaffing"}],
        slots={"requested_slot": "company"},
    )
    slots, responses = await run_form(tracker, domain)
    assert set(slots) == {"requested_slot"}
    assert responses == []


async def test_html_in_a_name_is_stored_verbatim(make_tracker, domain):
    tracker = make_tracker(text="<b>Jane</b>", slots={"requested_slot": "name"})
    slots, _ = await run_form(tracker, domain)
    assert slots["name"] == "<b>Jane</b>"


TEAM = {
    "roles": ["developer"],
    "team_size": 3,
    "seniority": ["senior"],
    "tech_stack": ["Python"],
    "engagement_model": "outstaffing",
    "start": "next month",
}


async def test_a_phone_given_for_the_name_is_taken_and_the_name_asked_again(make_tracker, domain):
    tracker = make_tracker(
        text="my phone is +44 20 7946 0958", slots={**TEAM, "requested_slot": "name"}
    )
    slots, responses = await run_form(tracker, domain)
    assert slots["phone"] == "+44 20 7946 0958"
    assert slots.get("name") is None
    assert slots["requested_slot"] == "name"
    assert responses == ["utter_lead_phone_noted"]


async def test_the_name_after_a_phone_first_answer_is_the_name_not_the_company(
    make_tracker, domain
):
    taken = {**TEAM, "phone": "+44 20 7946 0958", "requested_slot": "name"}
    slots, responses = await run_form(make_tracker(text="Dana Kowalski", slots=taken), domain)
    assert slots["name"] == "Dana Kowalski"
    assert slots.get("company") is None
    assert slots["requested_slot"] == "email"
    assert responses == []


async def test_a_complaint_before_the_name_is_left_out_of_it(make_tracker, domain):
    tracker = make_tracker(
        text="I just told you. Dana Kowalski", slots={**TEAM, "requested_slot": "name"}
    )
    slots, _ = await run_form(tracker, domain)
    assert slots["name"] == "Dana Kowalski"


async def test_a_sentence_without_a_name_is_refused_and_the_name_asked_again(make_tracker, domain):
    tracker = make_tracker(text="I just told you", slots={**TEAM, "requested_slot": "name"})
    slots, responses = await run_form(tracker, domain)
    assert slots["name"] is None
    assert slots["requested_slot"] == "name"
    assert responses == ["utter_name_invalid_not_a_name"]


async def test_why_instead_of_a_company_is_answered_and_the_company_asked_again(
    make_tracker, domain
):
    tracker = make_tracker(text="why do you need it", slots=ASKING_COMPANY)
    slots, responses = await run_form(tracker, domain)
    assert slots["company"] is None
    assert slots["requested_slot"] == "company"
    assert responses == ["utter_company_invalid_asked_why"]


def test_previous_value_skips_this_turns_candidates(make_tracker):
    tracker = make_tracker(
        events=[
            {"event": "slot", "name": "team_size", "value": 3},
            {"event": "user", "text": "4"},
            SlotSet("team_size", 4),
        ]
    )
    assert previous_value(tracker, "team_size") == 3


ASKING_NAME = {**TEAM, "requested_slot": "name"}
# The company is optional: the form asks for it when a visitor changes it.
ASKING_COMPANY = {
    **TEAM,
    "name": "Dana Kowalski",
    "email": "dana@acme.example",
    "lead_field_to_change": "company",
    "requested_slot": "company",
}


async def test_a_refusal_of_the_name_hears_why_and_another_way(make_tracker, domain):
    tracker = make_tracker(text="I'd prefer not to give my name", intent="deny", slots=ASKING_NAME)
    slots, responses = await run_form(tracker, domain)
    assert slots["name"] is None
    assert slots["requested_slot"] == "name"
    assert slots["unusable_answers"] == 1
    assert responses == ["utter_name_invalid_declined"]
    declined = domain["responses"]["utter_name_invalid_declined"][0]["text"]
    assert "{agency_email}" in declined
    assert "first name" in declined


async def test_a_filler_is_answered_and_the_question_waits(make_tracker, domain):
    tracker = make_tracker(text="give me a minute", intent="nlu_fallback", slots=ASKING_NAME)
    slots, responses = await run_form(tracker, domain)
    assert slots["name"] is None
    assert slots["waiting_for_answer"] is True
    assert "unusable_answers" not in slots
    assert responses == ["utter_name_invalid_paused"]


async def test_the_second_unusable_answer_is_explained_by_the_question_alone(make_tracker, domain):
    taken = {**ASKING_NAME, "unusable_answers": 1}
    slots, responses = await run_form(make_tracker(text="pass", slots=taken), domain)
    assert slots["unusable_answers"] == 2
    assert responses == []  # action_ask_lead_form_name explains, with an example


async def test_a_yes_that_answers_nothing_counts_and_the_form_asks_again(make_tracker, domain):
    tracker = make_tracker(text="yes", intent="affirm", slots=ASKING_NAME)
    slots, responses = await run_form(tracker, domain)
    assert slots == {"requested_slot": "name", "unusable_answers": 1}
    assert responses == []


async def test_timing_at_the_name_question_is_said_back_and_the_name_asked_again(
    make_tracker, domain
):
    history = [
        {"event": "slot", "name": "start", "value": "next month"},
        {"event": "user", "text": "it's urgent"},
    ]
    tracker = make_tracker(text="it's urgent", intent="stop", slots=ASKING_NAME, events=history)
    dispatcher = CollectingDispatcher()
    events = await ValidateLeadForm().run(dispatcher, tracker, domain)
    slots = slot_events(events)
    assert slots["start"] == "as soon as possible"
    assert slots.get("name") is None
    assert slots["unusable_answers"] == 1
    [said] = dispatcher.messages
    assert said["response"] == "utter_lead_field_updated"
    assert said["field_change"] == "start as soon as possible"
    assert domain["responses"]["utter_lead_field_updated"][0]["text"] == "Got it: {field_change}."


async def test_a_name_after_unusable_answers_resets_the_count(make_tracker, domain):
    taken = {**ASKING_NAME, "unusable_answers": 2}
    slots, responses = await run_form(make_tracker(text="Sunday Adeyemi", slots=taken), domain)
    assert slots["name"] == "Sunday Adeyemi"
    assert slots["requested_slot"] == "email"
    assert slots["unusable_answers"] is None
    assert responses == []


async def test_a_question_at_the_name_question_fills_nothing_so_rasa_can_answer_it(
    make_tracker, domain
):
    taken = {**ASKING_NAME, "unusable_answers": 1}
    tracker = make_tracker(text="what is outstaffing?", intent="faq", slots=taken)
    slots, responses = await run_form(tracker, domain)
    assert slots == {"requested_slot": "name"}
    assert responses == []


async def test_the_form_back_after_an_answered_question_counts_nothing(make_tracker, domain):
    events = [
        {"event": "user", "text": "yes", "parse_data": {"intent": {"name": "affirm"}}},
        {"event": "action", "name": "utter_faq"},
        {"event": "action", "name": "lead_form"},
    ]
    tracker = make_tracker(text="yes", intent="affirm", slots=ASKING_NAME, events=events)
    slots, _ = await run_form(tracker, domain)
    assert "unusable_answers" not in slots


async def test_a_new_email_is_said_back_as_the_visitors_email_now(make_tracker, domain):
    history = [
        {"event": "slot", "name": "email", "value": "jane@acme.example"},
        {"event": "user", "text": "use jane.doe@acme.example instead"},
    ]
    tracker = make_tracker(
        text="use jane.doe@acme.example instead",
        intent="change_lead_field",
        slots={**TEAM, "name": "Jane", "company": "Acme", "email": "jane@acme.example"},
        events=history,
    )
    dispatcher = CollectingDispatcher()
    slots = slot_events(await ValidateLeadForm().run(dispatcher, tracker, domain))
    assert slots["email"] == "jane.doe@acme.example"
    [said] = dispatcher.messages
    assert said["field_change"] == "your email is jane.doe@acme.example now"


def typed_twice(text: str, slots: dict, intent: str = "inform") -> dict:
    """The tracker of ``text`` given again right after the same answer."""
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    return {
        "text": text,
        "intent": intent,
        "slots": slots,
        "events": [
            {"event": "user", "text": text, "parse_data": parse},
            {"event": "action", "name": "action_ask_lead_form_company"},
            {"event": "user", "text": text, "parse_data": parse},
        ],
    }


@pytest.mark.parametrize("company", ["Next", "Zip", "Nothing", "Open", "Anything", "Fast Company"])
async def test_a_company_called_by_an_ordinary_word_is_taken_at_once(make_tracker, domain, company):
    slots, responses = await run_form(make_tracker(text=company, slots=ASKING_COMPANY), domain)
    assert slots["company"] == company
    assert slots["requested_slot"] is None
    assert responses == []


@pytest.mark.parametrize("name", ["Said", "Summer Day", "Tuesday", "Tuesday Weld"])
async def test_a_name_made_of_ordinary_words_is_taken_at_once(make_tracker, domain, name):
    slots, _ = await run_form(make_tracker(text=name, slots=ASKING_NAME), domain)
    assert slots["name"] == name
    assert slots["requested_slot"] == "email"


async def test_a_company_skipped_is_left_out_and_the_form_goes_on(make_tracker, domain):
    tracker = make_tracker(**typed_twice("Skip", {**ASKING_COMPANY, "unusable_answers": 1}))
    slots, responses = await run_form(tracker, domain)
    assert slots["company"] is None
    assert slots["requested_slot"] is None
    assert responses == ["utter_company_invalid_declined"]


async def test_skip_said_twice_is_no_name(make_tracker, domain):
    tracker = make_tracker(**typed_twice("skip", {**ASKING_NAME, "unusable_answers": 1}))
    slots, _ = await run_form(tracker, domain)
    assert slots["name"] is None
    assert slots["requested_slot"] == "name"


async def test_a_refused_name_given_again_right_away_is_taken(make_tracker, domain):
    tracker = make_tracker(**typed_twice("nobody", {**ASKING_NAME, "unusable_answers": 1}))
    slots, responses = await run_form(tracker, domain)
    assert slots["name"] == "nobody"
    assert responses == ["utter_lead_field_updated"]


@pytest.mark.parametrize("answer", ["no thanks", "I won't say", "one sec", "rather not"])
async def test_a_refusal_said_twice_is_still_no_company(make_tracker, domain, answer):
    tracker = make_tracker(**typed_twice(answer, {**ASKING_COMPANY, "unusable_answers": 1}))
    slots, _ = await run_form(tracker, domain)
    assert slots["company"] is None


async def test_only_an_answer_given_right_after_its_refusal_is_taken(make_tracker, domain):
    fresh = make_tracker(text="Skip", slots=ASKING_COMPANY)  # first time: refused
    slots, responses = await run_form(fresh, domain)
    assert slots["company"] is None
    assert responses == ["utter_company_invalid_declined"]
    other = typed_twice("Skip", {**ASKING_COMPANY, "unusable_answers": 1})
    other["events"][0] = {"event": "user", "text": "pass"}  # the refused answer was another
    slots, _ = await run_form(make_tracker(**other), domain)
    assert slots["company"] is None


async def test_a_refusal_before_a_company_at_the_name_question_never_names_the_visitor(
    make_tracker, domain
):
    tracker = make_tracker(text="skip, Acme Ltd", slots=ASKING_NAME)
    dispatcher = CollectingDispatcher()
    slots = slot_events(await ValidateLeadForm().run(dispatcher, tracker, domain))
    assert slots["name"] is None
    assert slots["company"] == "Acme Ltd"
    assert slots["requested_slot"] == "name"
    assert slots["unusable_answers"] == 1  # the name question goes on, shorter
    said = [(m["response"], m.get("field_change")) for m in dispatcher.messages]
    assert said == [
        ("utter_name_invalid_declined", None),
        ("utter_lead_field_updated", "your company is Acme Ltd"),
    ]


async def test_no_before_a_name_is_no_refusal_of_it(make_tracker, domain):
    slots, _ = await run_form(make_tracker(text="no, it's Dana", slots=ASKING_NAME), domain)
    assert slots["name"] == "Dana"


async def test_call_me_instead_at_the_email_question_asks_for_the_number(make_tracker, domain):
    tracker = make_tracker(
        text="I'd rather not give my email, call me",
        intent="request_callback",
        slots={
            "roles": ["QA engineer"],
            "team_size": 2,
            "name": "Ana Lima",
            "requested_slot": "email",
        },
    )
    slots, responses = await run_form(tracker, domain)
    assert slots["lead_kind"] == "callback"
    assert slots["requested_slot"] == "phone"
    assert "email" not in slots  # refused nothing: the question just changed
    assert responses == ["utter_callback_instead"]


async def test_a_call_back_ends_the_form_with_a_name_and_a_number(make_tracker, domain):
    tracker = make_tracker(
        text="+44 20 7946 0958",
        slots={"lead_kind": "callback", "name": "Tom Baker", "requested_slot": "phone"},
    )
    slots, responses = await run_form(tracker, domain)
    assert slots["phone"] == "+44 20 7946 0958"
    assert slots["requested_slot"] is None  # no roles, team size nor email asked
    assert responses == []


async def test_a_candidates_work_at_the_name_question_is_no_name(make_tracker, domain):
    tracker = make_tracker(
        text="manual and automation QA, 5 years, Selenium",
        entities=[{"entity": "role", "value": "QA"}, {"entity": "tech_stack", "value": "Selenium"}],
        slots={"lead_kind": "candidate", "roles": ["QA engineer"], "requested_slot": "name"},
    )
    slots, _ = await run_form(tracker, domain)
    assert slots["tech_stack"] == ["Selenium"]
    assert not {"name", "company", "team_size", "duration"} & {k for k, v in slots.items() if v}
    assert slots["requested_slot"] == "name"


async def test_a_name_given_for_the_roles_is_taken_said_back_and_the_roles_asked_again(
    make_tracker, domain
):
    tracker = make_tracker(text="Jo from Acme", slots={"team_size": 4, "requested_slot": "roles"})
    dispatcher = CollectingDispatcher()
    events = await ValidateLeadForm().run(dispatcher, tracker, domain)
    slots = slot_events(events)
    assert (slots["name"], slots["company"]) == ("Jo", "Acme")
    assert slots.get("roles") is None
    assert slots["requested_slot"] == "roles"
    said = [message["field_change"] for message in dispatcher.messages]
    assert said == ["I'll call you Jo", "your company is Acme"]
