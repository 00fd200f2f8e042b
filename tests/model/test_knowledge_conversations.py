"""Knowledge answers through the trained bot and the real action server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.model.test_lead_conversations import Visitor

pytestmark = pytest.mark.model


@pytest.fixture
def visitor(agent: Any, event_loop_for_model: Any) -> Visitor:
    return Visitor(agent, event_loop_for_model)


def test_a_question_only_the_articles_answer_gets_its_section_with_the_source(visitor):
    [reply] = visitor.say("what does Apple have to do with gardeners in Seattle?")
    assert "Apple" in reply["text"]
    assert "From: *Offshoring vs outsourcing, with pros, cons and examples*" in reply["text"]
    assert [button["title"] for button in reply["buttons"]] == [
        "Tell me more",
        "Discuss my team needs",
    ]


def test_tell_me_more_gives_another_section(visitor):
    [first] = visitor.say("can you send us specialists for a temporary assignment?")
    [more] = visitor.say("tell me more")
    assert more["text"] != first["text"]
    assert "From:" in more["text"] or "That's all I have on it here" in more["text"]


def test_an_off_topic_question_gets_the_honest_fallback(visitor, domain):
    [reply] = visitor.say("explain the rules of chess")
    assert reply["text"] == " ".join(domain["responses"]["utter_ask_rephrase"][0]["text"].split())
    assert reply["buttons"][-1]["title"] == "Discuss my team needs"


def test_a_confident_faq_wins_over_the_articles(visitor, domain):
    [reply] = visitor.say("who is the legal employer of an outstaffed developer?")
    expected = " ".join(domain["responses"]["utter_faq_legal_employer"][0]["text"].split())
    assert " ".join(reply["text"].split()) == expected


def test_how_to_reach_us_gives_the_agency_email_at_once(visitor):
    [reply] = visitor.say("how can I contact you?")
    assert "hello@agency.example" in reply["text"]
    assert [button["title"] for button in reply["buttons"]] == [
        "Call me back",
        "Discuss my team needs",
    ]


def test_a_follow_up_keeps_the_subject_through_the_real_bot(visitor, domain):
    visitor.say("what is offshoring?")
    [reply] = visitor.say("and the cons?")
    expected = domain["responses"]["utter_faq_offshoring_pros_cons"][0]["text"]
    assert " ".join(reply["text"].split()) == " ".join(expected.split())
