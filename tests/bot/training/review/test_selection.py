"""bot review's selection: which logged messages are worth a maintainer's look, and why."""

from __future__ import annotations

from bot.conversations.events import StoredEvent
from bot.training.review.selection import (
    FALLBACK,
    KNOWLEDGE,
    LOW_CONFIDENCE,
    Suggestion,
    select_candidates,
    suggest,
)


def user(text: str, intent: str, confidence: float, topic: tuple[str, float] | None = None):
    parse_data: dict = {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
    }
    if topic:
        parse_data["response_selector"] = {
            "faq": {"response": {"intent_response_key": topic[0], "confidence": topic[1]}}
        }
    data = {"event": "user", "text": text, "parse_data": parse_data}
    return StoredEvent("s", "user", 0.0, intent, None, data)


def action(name: str) -> StoredEvent:
    return StoredEvent("s", "action", 0.0, None, name, {"event": "action", "name": name})


def slot(name: str, value: object) -> StoredEvent:
    return StoredEvent("s", "slot", 0.0, None, None, {"name": name, "value": value})


def loop(name: str | None) -> StoredEvent:
    return StoredEvent("s", "active_loop", 0.0, None, None, {"name": name})


def reasons(*events: StoredEvent) -> list[tuple[str, str]]:
    return [(c.text, c.reason) for c in select_candidates({"s": list(events)})]


def test_a_confident_answer_is_not_reviewed():
    assert reasons(user("hello", "greet", 0.95), action("utter_greet")) == []


def test_a_knowledge_hit_and_a_miss_are_told_apart():
    hit = [user("apple gardeners", "nlu_fallback", 0.45), action("action_answer_from_knowledge")]
    miss = [user("vetting", "nlu_fallback", 0.45), action("action_answer_from_knowledge")]
    events = [*hit, slot("knowledge_question", "apple gardeners"), *miss]
    events.append(slot("knowledge_question", None))
    assert reasons(*events) == [("apple gardeners", KNOWLEDGE), ("vetting", FALLBACK)]


def test_the_core_fallback_counts_as_fallback():
    assert reasons(user("zzz", "greet", 0.9), action("action_default_fallback")) == [
        ("zzz", FALLBACK)
    ]


def test_an_faq_is_as_sure_as_its_intent_times_its_topic():
    sure = user("what is outstaffing", "faq", 0.9, ("faq/define_outstaffing", 0.9))
    unsure = user("do you audit code", "faq", 0.9, ("faq/service_contract", 0.5))
    assert reasons(sure, unsure) == [("do you audit code", LOW_CONFIDENCE)]


def test_form_answers_personal_data_and_buttons_are_never_picked():
    events = [
        user("i want developers", "hire_developers", 0.9),
        loop("lead_form"),
        user("Jane from some place", "inform", 0.2),
        loop(None),
        user("mail me at jane@acme.example", "inform", 0.2),
        user("call +44 20 7946 0958", "inform", 0.2),
        user("/affirm", "affirm", 0.2),
        user("something odd", "inform", 0.2),
    ]
    assert reasons(*events) == [("something odd", LOW_CONFIDENCE)]


def test_the_suggestion_passes_over_nlu_fallback_and_names_the_topic():
    parse_data = {
        "intent": {"name": "nlu_fallback", "confidence": 0.45},
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.45},
            {"name": "faq", "confidence": 0.4},
        ],
        "response_selector": {
            "faq": {"response": {"intent_response_key": "faq/legal_employer", "confidence": 0.5}}
        },
    }
    assert suggest(parse_data) == Suggestion("faq/legal_employer", 0.2)
    assert suggest({"intent": {"name": "nlu_fallback", "confidence": 0.4}}) is None
