"""Lead conversations through the trained bot and the real action server.

Each test is one visitor: the trained model in process (Rasa's Agent), the
project's action server on a free port, and a SQLite lead store of its own.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.model

Reply = dict[str, Any]


class Visitor:
    """One conversation: sends messages, keeps every reply, counts turns."""

    def __init__(self, agent: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.agent, self.loop = agent, loop
        self.sender = f"visitor-{uuid.uuid4()}"
        self.turns = 0

    def say(self, text: str) -> list[Reply]:
        self.turns += 1
        return self.loop.run_until_complete(self.agent.handle_text(text, sender_id=self.sender))

    def slots(self) -> dict[str, Any]:
        tracker = self.loop.run_until_complete(self.agent.tracker_store.retrieve(self.sender))
        return {k: v for k, v in tracker.current_slot_values().items() if v is not None}


@pytest.fixture
def visitor(agent: Any, event_loop_for_model: asyncio.AbstractEventLoop) -> Visitor:
    return Visitor(agent, event_loop_for_model)


@pytest.fixture
def text_of(domain: dict[str, Any]) -> Callable[[str], str]:
    def first_words(response: str) -> str:
        return " ".join(domain["responses"][response][-1]["text"].split())[:40]

    return first_words


def texts(replies: list[Reply]) -> str:
    return "\n".join(" ".join(reply["text"].split()) for reply in replies if reply.get("text"))


def test_a_rich_first_message_reaches_the_summary_asking_only_what_is_missing(visitor, text_of):
    replies = visitor.say("we need 3 senior Python developers for 6 months starting ASAP")
    assert text_of("utter_ask_lead_form_name") in texts(replies)  # the team is there
    slots = visitor.slots()
    assert slots["team_size"] == 3
    assert slots["seniority"] == ["senior"]
    assert slots["tech_stack"] == ["Python"]
    assert slots["duration"] == "6 months"
    assert slots["start"] == "as soon as possible"


def test_a_question_mid_form_is_answered_and_the_form_resumes(visitor, text_of):
    visitor.say("I'd like to hire Python developers")
    replies = visitor.say("wait, what's outstaffing?")
    assert "outstaffing" in texts(replies[:1]).lower()
    assert text_of("utter_ask_lead_form_team_size") in texts(replies[1:])
    assert "team_size" not in visitor.slots()


def test_cancel_leaves_the_form_and_forgets_the_answers(visitor, text_of):
    visitor.say("we need a team of 4 React devs")
    replies = visitor.say("never mind")
    assert text_of("utter_lead_cancelled") in texts(replies)
    assert "team_size" not in visitor.slots()
    assert "active_loop" not in visitor.slots()


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("a lot", "utter_team_size_invalid_vague"),
        ("0", "utter_team_size_invalid_too_small"),
        ("-5", "utter_team_size_invalid_too_small"),
        ("1000000", "utter_team_size_invalid_too_large"),
    ],
)
def test_an_unusable_team_size_is_asked_again_with_the_reason(visitor, text_of, answer, reason):
    visitor.say("I'd like to hire Python developers")
    replies = visitor.say(answer)
    assert text_of(reason) in texts(replies)
    assert text_of("utter_ask_lead_form_team_size") in texts(replies)


def test_bad_contact_details_are_asked_again_with_the_reason(visitor, text_of):
    visitor.say("we need 3 senior Python developers starting next month")
    replies = visitor.say("x" * 3000)
    assert text_of("utter_name_invalid_too_long") in texts(replies)
    visitor.say("<b>Jane</b>, Acme'); DROP TABLE leads;--")
    replies = visitor.say("jane@")
    assert text_of("utter_email_invalid_no_domain") in texts(replies)
    slots = visitor.slots()
    assert slots["name"] == "<b>Jane</b>"
    assert slots["company"] == "Acme'); DROP TABLE leads;--"


def test_a_correction_mid_form_changes_the_value_and_says_so(visitor):
    visitor.say("we need 3 senior Python developers starting next month")
    replies = visitor.say("actually make it 4 developers")
    assert "Got it: a team of 4." in texts(replies)
    assert visitor.slots()["team_size"] == 4


def test_change_my_email_at_the_summary_asks_for_it_and_shows_the_summary_again(visitor):
    for line in [
        "we need 3 senior Python developers starting next month",
        "Jane Doe, Acme Ltd, jane@acme.example",
    ]:
        visitor.say(line)
    replies = visitor.say("change my email")
    assert texts(replies).endswith("What's your work email?")
    replies = visitor.say("jane.doe@acme.example")
    assert "jane.doe@acme.example" in texts(replies)
    assert texts(replies).endswith("We use your details only to answer it.")
    assert visitor.slots()["email"] == "jane.doe@acme.example"


def test_a_phone_given_for_the_name_is_taken_and_the_name_asked_again(visitor, text_of, domain):
    visitor.say("we need 3 senior Python developers starting next month")
    replies = visitor.say("my phone is +44 20 7946 0958")
    assert texts(replies[:1]) == text_of("utter_lead_phone_noted")
    question = domain["responses"]["utter_ask_lead_form_name"][-1]  # a team's, not a call back's
    assert texts(replies[1:]) == " ".join(question["text"].split())
    assert "name" not in visitor.slots()
    replies = visitor.say("I just told you")
    assert text_of("utter_name_invalid_not_a_name") in texts(replies)
    replies = visitor.say("I just told you. Dana Kowalski")
    assert "And your work email?" in texts(replies)
    slots = visitor.slots()
    assert (slots["name"], slots["phone"]) == ("Dana Kowalski", "+44 20 7946 0958")
    assert "company" not in slots


def reach_the_name_question(visitor: Visitor) -> None:
    visitor.say("we need 3 senior Python developers starting in March")


def test_a_refusal_at_the_name_question_hears_why_and_another_way(visitor, text_of):
    reach_the_name_question(visitor)
    replies = visitor.say("I'd prefer not to give my name")
    assert text_of("utter_name_invalid_declined") in texts(replies)
    assert "hello@agency.example" in texts(replies)
    assert text_of("utter_ask_lead_form_name_again") in texts(replies[-1:])
    assert "name" not in visitor.slots()
    replies = visitor.say("nah")
    assert text_of("utter_ask_lead_form_name_explained") in texts(replies)
    assert text_of("utter_name_invalid_declined") not in texts(replies)
    replies = visitor.say("ok, it's Dana")
    assert "And your work email?" in texts(replies)
    assert visitor.slots()["name"] == "Dana"


def test_a_filler_at_the_name_question_gets_a_moment_and_the_question_waits(visitor, text_of):
    reach_the_name_question(visitor)
    replies = visitor.say("one moment please")
    assert texts(replies) == "Sure, take your time."
    assert "name" not in visitor.slots()
    replies = visitor.say("Dana Kowalski")
    assert "And your work email?" in texts(replies)
    assert visitor.slots()["name"] == "Dana Kowalski"


def test_timing_at_the_name_question_is_said_back_and_never_taken_as_the_name(visitor, text_of):
    reach_the_name_question(visitor)
    assert visitor.slots()["start"] == "March"
    replies = visitor.say("it's urgent")
    assert "Got it: start as soon as possible." in texts(replies)
    assert text_of("utter_ask_lead_form_name_again") in texts(replies)
    slots = visitor.slots()
    assert slots["start"] == "as soon as possible"
    assert "name" not in slots


def test_the_name_question_is_never_put_the_same_way_three_times(visitor):
    reach_the_name_question(visitor)
    said: list[str] = []
    for answer in ["no thank you", "dunno", "asdf", "pass"]:
        said += [reply["text"] for reply in visitor.say(answer) if reply.get("text")]
    assert max(said.count(text) for text in said) <= 2
    assert "name" not in visitor.slots()


def reach_the_company_question(visitor: Visitor) -> None:
    """The company is optional: the form asks for it when a visitor changes it."""
    reach_the_name_question(visitor)
    visitor.say("Dana Kowalski, dana@kowalski.example")
    visitor.say("change my company")


def test_a_company_called_next_is_stored_at_once(visitor, text_of):
    reach_the_company_question(visitor)
    replies = visitor.say("Next")
    assert text_of("utter_lead_summary") in texts(replies)
    assert visitor.slots()["company"] == "Next"


def test_a_company_declined_is_left_out_and_the_summary_shown(visitor, text_of):
    reach_the_company_question(visitor)
    replies = visitor.say("rather not say")
    assert text_of("utter_company_invalid_declined") in texts(replies)
    assert text_of("utter_lead_summary") in texts(replies)
    assert "company" not in visitor.slots()


def test_skip_before_a_company_at_the_name_question_never_names_the_visitor(visitor, text_of):
    reach_the_name_question(visitor)
    replies = visitor.say("skip, Acme Ltd")
    assert "Got it: your company is Acme Ltd." in texts(replies)
    assert text_of("utter_ask_lead_form_name_again") in texts(replies[-1:])
    slots = visitor.slots()
    assert slots["company"] == "Acme Ltd"
    assert "name" not in slots
    replies = visitor.say("Dana")
    assert "And your work email?" in texts(replies)
    assert (visitor.slots()["name"], visitor.slots()["company"]) == ("Dana", "Acme Ltd")


def test_five_unusable_names_never_get_the_same_prompt_three_times(visitor, text_of):
    reach_the_name_question(visitor)
    turns = [visitor.say(answer) for answer in ["nah", "idk", "asdf", "n/a", "dunno", "nope"]]
    last_prompts = [texts(replies[-1:]) for replies in turns]
    assert all(len(set(last_prompts[i : i + 3])) > 1 for i in range(len(last_prompts) - 2))
    assert text_of("utter_ask_lead_form_name_offer") in last_prompts[3]
    assert "hello@agency.example" in last_prompts[3]
    assert [b["title"] for b in turns[3][-1]["buttons"]] == ["Talk to a person", "Cancel"]
    assert "name" not in visitor.slots()


def test_talk_to_a_person_at_the_name_question_says_how_and_moves_on(visitor, text_of):
    reach_the_name_question(visitor)
    replies = visitor.say("nah")
    assert "Talk to a person" in [b["title"] for b in replies[-1].get("buttons", [])]
    replies = visitor.say("/request_human")
    assert "write to our sales team at hello@agency.example" in texts(replies)
    assert "Call me instead" in [b["title"] for b in replies[0].get("buttons", [])]
    assert text_of("utter_ask_lead_form_name_explained") in texts(replies[-1:])
    assert "hello@agency.example" in texts(replies)


def test_developers_alone_are_asked_which_roles(visitor, text_of):
    replies = visitor.say("We're looking to hire a few developers")
    assert text_of("utter_ask_lead_form_roles") in texts(replies)
    assert "team_size" not in visitor.slots()  # "a few" is no number
    assert "roles" not in visitor.slots()


def test_a_developer_looking_for_work_gets_the_candidate_path_not_the_lead_form(visitor):
    replies = visitor.say("I'm a Java developer looking for a job")
    assert "Send your CV" in texts(replies)
    assert "active_loop" not in visitor.slots()
    assert "roles" not in visitor.slots()


def test_a_job_seeker_in_the_middle_of_the_lead_form_leaves_it(visitor):
    visitor.say("I'd like to hire developers")
    replies = visitor.say("actually I'm a developer myself, do you have vacancies")
    assert "Send your CV" in texts(replies)
    assert visitor.slots().get("requested_slot") is None


def test_a_question_or_thanks_at_the_summary_is_answered_and_a_yes_still_sends(visitor, text_of):
    visitor.say("we need 2 senior Python developers")
    replies = visitor.say("Olena Petrenko, olena@brightpixel.io")
    assert text_of("utter_lead_consent") in texts(replies)
    for interruption in ["what's the difference between outstaffing and outsourcing?", "thanks!"]:
        replies = visitor.say(interruption)
        assert text_of("utter_lead_consent") in texts(replies[-1:])  # the summary is back
    replies = visitor.say("ok, send it")
    assert "within one business day" in texts(replies)
