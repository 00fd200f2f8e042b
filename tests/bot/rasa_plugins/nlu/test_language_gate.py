"""OtherLanguageGate: a message clearly in another language gets its intent and entity."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.nlu.language_gate import OtherLanguageGate


def classified(text: str, intent: str = "faq") -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.6}, add_to_output=True)
    message.set("intent_ranking", [{"name": intent, "confidence": 0.6}], add_to_output=True)
    message.set("entities", [{"entity": "role", "value": "developer"}], add_to_output=True)
    return message


def test_a_spanish_message_is_marked_with_its_language():
    [message] = OtherLanguageGate().process([classified("Hola, necesito tres programadores ya")])
    assert message.get("intent") == {"name": "other_language", "confidence": 1.0}
    assert [item["name"] for item in message.get("intent_ranking")] == ["other_language"]
    entities = message.get("entities")
    assert entities[0] == {"entity": "role", "value": "developer"}  # kept
    assert (entities[1]["entity"], entities[1]["value"]) == ("language", "es")


def test_english_and_commands_keep_their_intent():
    english, command = OtherLanguageGate().process(
        [classified("what is outstaffing?"), classified("/hire_developers", "hire_developers")]
    )
    assert english.get("intent")["name"] == "faq"
    assert command.get("intent")["name"] == "hire_developers"
    assert len(english.get("entities")) == 1
