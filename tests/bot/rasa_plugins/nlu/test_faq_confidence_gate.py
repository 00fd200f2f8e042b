"""FaqConfidenceGate: an FAQ whose topic is unsure becomes nlu_fallback; the rest pass."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.nlu.faq_confidence_gate import FaqConfidenceGate


def classified(intent: str, topic_confidence: float | None) -> Message:
    message = Message(data={"text": "what are the benefits of outstaffing?"})
    message.set("intent", {"name": intent, "confidence": 0.9}, add_to_output=True)
    message.set("intent_ranking", [{"name": intent, "confidence": 0.9}], add_to_output=True)
    if topic_confidence is not None:
        response = {"intent_response_key": "faq/outstaffing_benefits"}
        selection = {"faq": {"response": {**response, "confidence": topic_confidence}}}
        message.set("response_selector", selection, add_to_output=True)
    return message


def gate(threshold: float = 0.24) -> FaqConfidenceGate:
    return FaqConfidenceGate({**FaqConfidenceGate.get_default_config(), "threshold": threshold})


def test_an_unsure_topic_turns_the_faq_into_a_fallback_ranked_first():
    [message] = gate().process([classified("faq", 0.23)])

    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 0.24}
    assert [entry["name"] for entry in message.get("intent_ranking")] == ["nlu_fallback", "faq"]


def test_an_faq_without_any_topic_is_unsure():
    [message] = gate().process([classified("faq", None)])

    assert message.get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize(("intent", "topic"), [("faq", 0.24), ("faq", 0.9), ("greet", 0.01)])
def test_a_sure_topic_or_another_intent_passes_unchanged(intent, topic):
    [message] = gate().process([classified(intent, topic)])

    assert message.get("intent") == {"name": intent, "confidence": 0.9}


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_a_threshold_outside_zero_to_one_is_refused(threshold):
    with pytest.raises(ValueError, match=r"within 0\.\.1"):
        FaqConfidenceGate.validate_config({"threshold": threshold})
