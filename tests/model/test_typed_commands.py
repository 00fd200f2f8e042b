"""Chat commands typed as text (/restart, /session_start, /back, /anything) through
the trained bot and the real action server: each gets a reply, none an apology."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.model.test_lead_conversations import Visitor, texts

pytestmark = pytest.mark.model

LEAD_REQUEST = "we need 3 senior Python developers starting next month"


@pytest.fixture
def visitor(agent: Any, event_loop_for_model: Any) -> Visitor:
    return Visitor(agent, event_loop_for_model)


@pytest.fixture
def text_of(domain: dict[str, Any]) -> Callable[[str], str]:
    def whole_text(response: str) -> str:
        return " ".join(domain["responses"][response][-1]["text"].split())

    return whole_text


def titles(reply: dict[str, Any]) -> list[str]:
    return [button["title"] for button in reply.get("buttons") or []]


def test_restart_starts_over_with_the_way_on_and_a_person(visitor, text_of):
    visitor.say(LEAD_REQUEST)
    [reply] = visitor.say("/restart")
    assert texts([reply]) == text_of("utter_restart")
    assert texts([reply]).startswith("Let's start over.")
    assert titles(reply) == ["What is outstaffing?", "Discuss my team needs", "Talk to a person"]
    assert visitor.slots() == {}  # the lead in progress is forgotten


def test_talk_to_a_person_after_an_unknown_command_gives_the_email_and_offers_a_call(
    visitor, text_of
):
    [reply] = visitor.say("/xyz")
    assert "Talk to a person" in titles(reply)
    [reply] = visitor.say("/request_human")
    expected = text_of("utter_contact_us").replace("{agency_email}", "hello@agency.example")
    assert texts([reply]) == expected  # with the agency's email, at once
    assert "Call me back" in titles(reply)


def test_session_start_is_greeted_as_a_new_conversation(visitor, domain):
    [reply] = visitor.say("/session_start")
    assert reply["text"] == domain["responses"]["utter_greet"][0]["text"]
    assert titles(reply)


def test_back_with_nothing_to_go_back_to_says_so_and_offers_the_way_on(visitor, text_of):
    visitor.say("hello")
    [reply] = visitor.say("/back")
    assert texts([reply]) == text_of("utter_back_nothing")
    assert titles(reply) == ["What can you do?", "Discuss my team needs", "Talk to a person"]


def test_back_in_the_lead_form_keeps_the_answers_and_asks_the_question_again(visitor, text_of):
    visitor.say(LEAD_REQUEST)
    before = visitor.slots()
    replies = visitor.say("/back")
    assert texts(replies[:1]) == text_of("utter_back_in_form")
    assert texts(replies[1:]) == text_of("utter_ask_lead_form_name")
    assert visitor.slots() == before
    visitor.say("Dana Kowalski")
    assert visitor.slots()["name"] == "Dana Kowalski"


@pytest.mark.parametrize("command", ["/xyz", "/reset", "/undo"])
def test_an_unknown_command_is_not_understood_politely(visitor, text_of, command):
    [reply] = visitor.say(command)
    assert texts([reply]) == text_of("utter_unknown_command")
    assert "Discuss my team needs" in titles(reply)


def test_an_unknown_command_in_the_lead_form_is_no_answer(visitor, text_of):
    visitor.say(LEAD_REQUEST)
    replies = visitor.say("/xyz")
    assert texts(replies[:1]) == text_of("utter_unknown_command")
    assert texts(replies[1:]).startswith("Who should our sales team reply to?")
    assert "name" not in visitor.slots()
    visitor.say("Dana Kowalski, Brightpixel")
    assert (visitor.slots()["name"], visitor.slots()["company"]) == ("Dana Kowalski", "Brightpixel")
