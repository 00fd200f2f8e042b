"""What one message tells the lead form."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.leads.extraction import Message, extract, is_interruption

TODAY = date(2026, 11, 23)


def message(text: str, intent: str = "inform", confidence: float = 0.9, **entities) -> Message:
    pairs = tuple((name, value) for name, values in entities.items() for value in values)
    return Message(text=text, intent=intent, confidence=confidence, entities=pairs)


def test_a_rich_first_message_fills_five_fields_at_once():
    found = extract(
        message(
            "we need 3 senior Python developers for 6 months starting ASAP",
            "hire_developers",
            seniority=["senior"],
            tech_stack=["Python"],
            role=["developers"],
        ),
        requested=None,
        current={},
        today=TODAY,
    )
    assert found == {
        "team_size": 3,
        "roles": ["developer"],
        "seniority": ["senior"],
        "tech_stack": ["Python"],
        "start": "as soon as possible",
        "duration": "6 months",
    }


def test_the_asked_field_takes_the_answer_in_the_visitors_words():
    found = extract(message("Initech"), requested="company", current={}, today=TODAY)
    assert found == {"company": "Initech"}


def test_an_answer_stating_other_values_is_not_taken_as_the_asked_field():
    found = extract(
        message("we need 2 seniors", seniority=["seniors"]),
        requested="roles",
        current={},
        today=TODAY,
    )
    assert found == {"team_size": 2, "seniority": ["senior"]}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("wait, what's outstaffing?", "faq"),
        ("what is the weather like?", "out_of_scope"),
        ("stop", "stop"),
        ("are you a bot", "bot_challenge"),
        ("thanks", "thank"),
    ],
)
def test_questions_and_stops_fill_nothing(text, intent):
    found = extract(
        message(text, intent, engagement_model=["outstaffing"]),
        requested="company",
        current={},
        today=TODAY,
    )
    assert found == {}


def test_a_model_named_as_an_answer_counts_even_if_nlu_saw_an_faq():
    answer = message("outstaffing", "faq", engagement_model=["outstaffing"])
    assert not is_interruption(answer, "engagement_model")
    found = extract(answer, requested="engagement_model", current={}, today=TODAY)
    assert found == {"engagement_model": "outstaffing"}


def test_devs_beside_named_roles_add_no_role_of_their_own():
    found = extract(
        message("5 devs: 3 backend and 2 frontend", role=["devs", "backend", "frontend"]),
        requested="roles",
        current={},
        today=TODAY,
    )
    assert found["roles"] == ["backend developer", "frontend developer"]


def test_a_model_typed_at_the_name_question_is_the_model_not_a_name():
    found = extract(message("outstaffing"), requested="name", current={}, today=TODAY)
    assert found == {"engagement_model": "outstaffing"}


def test_a_name_given_unasked_in_the_first_message_is_taken():
    text = "Hi, I'm Olena Petrenko from Brightpixel. We need 2 QA engineers"
    found = extract(
        message(text, "hire_developers", role=["QA engineers"]),
        requested=None,
        current={},
        today=TODAY,
    )
    assert (found["name"], found["company"], found["team_size"]) == (
        "Olena Petrenko",
        "Brightpixel",
        2,
    )


def test_a_correction_changes_the_value_it_states_but_answers_nothing_else():
    found = extract(
        message("actually make it 4 developers", "change_lead_field", role=["developers"]),
        requested="name",
        current={"roles": ["backend developer"]},
        today=TODAY,
    )
    assert found == {"team_size": 4}


def test_consent_reads_yes_and_no():
    yes = extract(message("yes", "affirm"), requested="consent", current={}, today=TODAY)
    no = extract(message("nope", "deny"), requested="consent", current={}, today=TODAY)
    assert yes == {"consent": True}
    assert no == {"consent": False}


def test_contact_card_fills_name_company_email_and_phone():
    found = extract(
        message("Ann Lee from Umbrella, ann@umbrella.com, +44 20 7946 0958"),
        requested="name",
        current={},
        today=TODAY,
    )
    assert found == {
        "name": "Ann Lee",
        "company": "Umbrella",
        "email": "Ann Lee from Umbrella, ann@umbrella.com, +44 20 7946 0958",
        "phone": "Ann Lee from Umbrella, ann@umbrella.com, +44 20 7946 0958",
    }


def test_message_reads_rasa_parse_data():
    parsed = Message.from_parse_data(
        {
            "text": "3 React devs",
            "intent": {"name": "hire_developers", "confidence": 0.98},
            "entities": [{"entity": "tech_stack", "value": "React"}, {"entity": "role"}],
        }
    )
    assert parsed == Message("3 React devs", "hire_developers", 0.98, (("tech_stack", "React"),))


@given(
    st.text(max_size=200),
    st.sampled_from(["inform", "faq", "nlu_fallback", "change_lead_field", None]),
    st.sampled_from([None, "roles", "team_size", "start", "name", "company", "consent"]),
)
def test_extraction_never_raises(text, intent, requested):
    extract(message(text, intent or "inform"), requested=requested, current={}, today=TODAY)


@pytest.mark.parametrize(
    ("text", "intent", "requested"),
    [
        ("/xyz", "nlu_fallback", "name"),
        ("/start", "inform", "name"),
        ("/back", "back", "team_size"),
        ("/session_start", "session_start", "company"),
        ("/more_info", "more_info", "start"),
        ("/affirm", "affirm", "name"),
    ],
)
def test_a_typed_command_answers_no_question(text, intent, requested):
    assert is_interruption(message(text, intent), requested)
    assert extract(message(text, intent), requested=requested, current={}, today=TODAY) == {}


def test_the_consent_buttons_still_answer_the_consent():
    for text, intent, consent in [("/affirm", "affirm", True), ("/deny", "deny", False)]:
        found = extract(message(text, intent), requested="consent", current={}, today=TODAY)
        assert found == {"consent": consent}


def test_a_button_with_values_is_an_answer():
    button = message("/inform", "inform", engagement_model=["outstaffing"])
    found = extract(button, requested="engagement_model", current={}, today=TODAY)
    assert found == {"engagement_model": "outstaffing"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [("I'd prefer not to give my name", "deny"), ("no thank you", "thank"), ("later", "stop")],
)
def test_a_refusal_at_the_name_question_is_the_names_candidate_whatever_the_intent(text, intent):
    found = extract(message(text, intent), requested="name", current={}, today=TODAY)
    assert found == {"name": text}  # its check refuses it as "declined"


@pytest.mark.parametrize("text", ["one moment please", "brb"])
def test_a_filler_at_the_company_question_is_its_candidate(text):
    found = extract(message(text, "nlu_fallback"), requested="company", current={}, today=TODAY)
    assert found == {"company": text}  # its check refuses it as "paused"


@pytest.mark.parametrize(
    ("text", "intent", "start"),
    [("it's urgent", "stop", "as soon as possible"), ("in two weeks", "inform", "in two weeks")],
)
def test_timing_at_the_name_question_is_taken_as_timing_not_as_a_name(text, intent, start):
    current = {"start": "in March", "requested_slot": "name"}
    found = extract(message(text, intent), requested="name", current=current, today=TODAY)
    assert found["start"] == start
    assert "name" not in found


@pytest.mark.parametrize("text", ["cancel", "never mind", "let's not do this now"])
def test_asking_to_stop_at_the_name_question_still_stops(text):
    assert is_interruption(message(text, "stop"), "name")


def test_a_name_with_a_word_of_the_refusal_lists_is_still_a_name():
    found = extract(message("Skip Bayless, Nothing Technology"), "name", {}, TODAY)
    assert found == {"name": "Skip Bayless", "company": "Nothing Technology"}


def test_developers_alone_leave_the_roles_to_be_asked():
    found = extract(
        message("We're looking to hire a few developers", role=["developers"]), None, {}, TODAY
    )
    assert "roles" not in found
    assert "team_size" not in found


def test_developers_with_a_stack_are_the_roles():
    text = "we need Python developers"
    found = extract(message(text, role=["developers"], tech_stack=["Python"]), None, {}, TODAY)
    assert found["roles"] == ["developer"]


def test_a_season_answering_the_start_is_no_framework():
    found = extract(
        message("maybe spring?", tech_stack=["spring"]), "start", {"tech_stack": ["Go"]}, TODAY
    )
    assert "tech_stack" not in found
    assert found["start"] == "maybe spring?"


def test_technologies_in_passing_add_to_the_stack():
    text = "outstaffing, and they should know Kubernetes too"
    current = {"tech_stack": ["Go"]}
    found = extract(message(text, tech_stack=["Kubernetes"]), "engagement_model", current, TODAY)
    assert found["tech_stack"] == ["Go", "Kubernetes"]


def test_the_answer_to_the_stack_question_replaces_it():
    found = extract(
        message("Rust", tech_stack=["Rust"]), "tech_stack", {"tech_stack": ["Go"]}, TODAY
    )
    assert found["tech_stack"] == ["Rust"]


def test_a_yes_to_a_question_with_options_is_an_answer_to_check():
    found = extract(message("yes", intent="affirm"), "engagement_model", {}, TODAY)
    assert found == {"engagement_model": "yes"}


@pytest.mark.parametrize(
    ("text", "intent", "entities"),
    [
        ("I'm a Java developer looking for a job", "job_seeker", {}),
        ("how can I contact you?", "contact_us", {}),
        ("how are you?", "small_talk", {}),
        ("and the cons?", "follow_up", {"aspect": ["cons"]}),
    ],
)
def test_other_goals_interrupt_the_form(text, intent, entities):
    assert is_interruption(message(text, intent, **entities), "start")


def test_a_short_answer_read_as_a_follow_up_still_answers_the_form():
    assert not is_interruption(message("maybe spring?", "follow_up"), "start")


def test_a_role_refused_in_passing_is_taken_away():
    text = "make it 4 react devs and no QA"
    refused = message(text, "change_lead_field", role=["devs", "QA"], tech_stack=["react"])
    current = {"roles": ["backend developer", "QA engineer"]}
    found = extract(refused, None, current, TODAY)
    assert found["roles"] == ["developer"]
    assert found["team_size"] == 4


def test_a_technology_refused_while_another_question_is_asked_leaves_the_rest():
    found = extract(
        message("without PHP please", tech_stack=["PHP"]),
        "start",
        {"tech_stack": ["PHP", "Laravel"]},
        TODAY,
    )
    assert found["tech_stack"] == ["Laravel"]


def test_a_named_technology_is_not_refused_by_a_no_elsewhere():
    found = extract(
        message("no, Python and Django", tech_stack=["Python", "Django"]), "tech_stack", {}, TODAY
    )
    assert found["tech_stack"] == ["Python", "Django"]
