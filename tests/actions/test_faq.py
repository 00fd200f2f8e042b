"""The knowledge actions with real trackers and the real knowledge base."""

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions import faq
from actions.faq import (
    MORE_BUTTON,
    TEAM_NEEDS_BUTTON,
    ActionAnswerFromKnowledge,
    ActionTellMore,
)
from bot.faq.topics import load_topics


def slots_of(events):
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


async def test_a_question_the_articles_answer_gets_the_section_and_its_source(make_tracker):
    dispatcher = CollectingDispatcher()
    question = "can you send us specialists for a temporary assignment?"
    tracker = make_tracker(text=question, intent="nlu_fallback")
    events = await ActionAnswerFromKnowledge().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert "temporary work" in message["text"]
    assert "From: *How to benefit from outstaffing" in message["text"]
    assert message["buttons"] == [MORE_BUTTON, TEAM_NEEDS_BUTTON]
    shown = "outstaffing-vs-outsourcing#outstaffing-scheme-two-the-agency-provides-the-people"
    assert slots_of(events) == {"knowledge_question": question, "knowledge_shown": [shown]}


async def test_an_unanswerable_question_is_admitted_with_topics_and_the_team(make_tracker):
    message = {
        "text": "explain the rules of chess",
        "intent": {"name": "nlu_fallback", "confidence": 0.22},
        "response_selector": {
            "faq": {"ranking": [{"intent_response_key": "faq/setup_costs", "confidence": 0.42}]}
        },
    }
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerFromKnowledge().run(
        dispatcher, make_tracker(latest_message=message), {}
    )
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_ask_rephrase"
    assert reply["buttons"][0] == {
        "title": "Set-up costs",
        "payload": load_topics()["setup_costs"].question,
    }
    assert reply["buttons"][-1] == TEAM_NEEDS_BUTTON
    assert len(reply["buttons"]) == 4
    assert slots_of(events) == {"knowledge_question": None, "knowledge_shown": None}


async def test_tell_more_gives_the_next_section_then_says_there_is_no_more(make_tracker):
    question = "how do the costs of offshoring add up"
    shown: list[str] = []
    texts = []
    for _ in range(10):
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(
            text="tell me more",
            intent="more_info",
            slots={"knowledge_question": question, "knowledge_shown": shown},
        )
        events = await ActionTellMore().run(dispatcher, tracker, {})
        texts.append(dispatcher.messages[0].get("text") or dispatcher.messages[0]["response"])
        if not events:
            break
        shown = slots_of(events)["knowledge_shown"]
    assert len(set(shown)) == len(shown) >= 2
    assert texts[-1] == "utter_knowledge_no_more"


async def test_tell_more_without_an_earlier_answer_says_there_is_no_more(make_tracker):
    dispatcher = CollectingDispatcher()
    await ActionTellMore().run(dispatcher, make_tracker(text="tell me more"), {})
    assert dispatcher.messages[0]["response"] == "utter_knowledge_no_more"


async def test_questions_arriving_together_build_the_knowledge_index_once():
    faq._built_index.cache_clear()
    indexes = await asyncio.gather(*(faq.knowledge_index() for _ in range(6)))
    assert all(index is indexes[0] for index in indexes)
    assert faq._built_index.cache_info().misses == 1
