"""What the trained model answers to a message, as one comparable label."""

from __future__ import annotations

from typing import Any

from bot.answers.faq.context import Context, choose_topic, read_question
from bot.answers.faq.topics import load_topics

FALLBACK = "nlu_fallback"
ANSWERING_INTENTS = ("faq", "follow_up", FALLBACK)  # answered by action_answer_question


def predicted_label(parse_data: dict[str, Any]) -> str:
    """The intent, or ``faq/<topic>`` for an FAQ (the topic whose answer is given)."""
    intent = parse_data["intent"]["name"]
    if intent != "faq":
        return str(intent)
    response = parse_data["response_selector"]["faq"]["response"]
    return str(response["intent_response_key"])


def answered_label(parse_data: dict[str, Any]) -> str:
    """What a new visitor is answered: for a question, ``faq/<topic>`` of the
    topic action_answer_question gives (bot.answers.faq.context), else the NLU's label."""
    if parse_data["intent"]["name"] not in ANSWERING_INTENTS:
        return predicted_label(parse_data)
    topic = choose_topic(read_question(parse_data), Context(), load_topics())
    return topic.intent if topic is not None else predicted_label(parse_data)
