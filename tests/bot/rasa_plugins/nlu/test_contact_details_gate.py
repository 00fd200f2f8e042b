"""ContactDetailsGate: a message holding an email address is an answer, not small talk."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.nlu.contact_details_gate import ContactDetailsGate


def classified(text: str, intent: str, confidence: float = 0.75) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence}, add_to_output=True)
    ranking = [{"name": intent, "confidence": confidence}, {"name": "inform", "confidence": 0.2}]
    message.set("intent_ranking", ranking, add_to_output=True)
    return message


def gate() -> ContactDetailsGate:
    return ContactDetailsGate(ContactDetailsGate.get_default_config())


def test_contact_details_that_sound_like_goodbye_are_an_answer():
    [message] = gate().process(
        [classified("Lucia Gomez, Umbrella Corp, lucia@umbrella.io", "goodbye")]
    )
    assert message.get("intent") == {"name": "inform", "confidence": 1.0}
    assert [item["name"] for item in message.get("intent_ranking")] == ["inform", "goodbye"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ciao", "goodbye"),  # no email address
        ("bye, write to me at jane@", "goodbye"),  # not an address
        ("change my email to jane@acme.com", "change_lead_field"),  # not small talk
        ("what does outstaffing cost? jane@acme.com", "faq"),
    ],
)
def test_other_messages_keep_their_intent(text, intent):
    [message] = gate().process([classified(text, intent)])
    assert message.get("intent")["name"] == intent


def test_contact_details_that_sound_like_call_me_are_an_answer():
    [message] = gate().process(
        [classified("Mei Chen, Hooli, mei@hooli.example", "request_callback", 0.52)]
    )
    assert message.get("intent") == {"name": "inform", "confidence": 1.0}
