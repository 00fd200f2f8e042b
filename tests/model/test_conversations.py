"""Whole turns through the trained bot: NLU, policies, responses and actions."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

pytestmark = pytest.mark.model


@pytest.fixture
def chat(agent: Any, event_loop_for_model: asyncio.AbstractEventLoop):
    """Sends messages as one new visitor and returns the bot's replies."""
    sender = f"test-{uuid.uuid4()}"

    def send(text: str) -> list[dict[str, Any]]:
        return event_loop_for_model.run_until_complete(agent.handle_text(text, sender_id=sender))

    return send


def response_text(domain: dict[str, Any], name: str) -> str:
    """The response's plain text (its last variant: conditional variants come first)."""
    return " ".join(domain["responses"][name][-1]["text"].split())


def test_a_question_gets_its_topics_answer_with_next_step_buttons(chat, domain):
    [reply] = chat("so who actually employs an outstaffed developer?")
    assert " ".join(reply["text"].split()) == response_text(domain, "utter_faq_legal_employer")
    assert reply["buttons"]


def test_greeting_then_question_then_goodbye(chat, domain):
    assert chat("hey there")[0]["text"] == domain["responses"]["utter_greet"][0]["text"]
    assert "offshor" in chat("what does offshoring mean")[0]["text"].lower()
    assert chat("bye for now")[0]["text"] == domain["responses"]["utter_goodbye"][0]["text"]


def test_gibberish_gets_a_rephrase_request_with_topic_buttons(chat, domain):
    [reply] = chat("blorf zzkt wibble")
    assert reply["text"] == domain["responses"]["utter_ask_rephrase"][0]["text"]
    titles = [button["title"] for button in reply["buttons"]]
    assert len(titles) == 4
    assert titles[-1] == "Discuss my team needs"


def test_out_of_scope_request_is_declined_politely(chat, domain):
    [reply] = chat("can you recommend a good pizza place nearby?")
    assert reply["text"] == domain["responses"]["utter_out_of_scope"][0]["text"]


def test_team_needs_button_payload_starts_the_lead_form(chat, domain):
    intro, question = chat("/hire_developers")
    assert intro["text"] == " ".join(domain["responses"]["utter_lead_intro"][0]["text"].split())
    assert question["text"] == response_text(domain, "utter_ask_lead_form_roles")
