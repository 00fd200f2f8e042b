"""The knowledge actions with real trackers and the real knowledge base."""

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions import faq
from actions.faq import (
    MORE_BUTTON,
    TEAM_NEEDS_BUTTON,
    ActionAnswerFromKnowledge,
    ActionAnswerQuestion,
    ActionTellMore,
)
from bot.answers.faq.topics import load_topics

NO_CONTEXT = {"conversation_subjects": None, "conversation_aspect": None, "last_topic": None}
AFTER_OFFSHORING = {
    "conversation_subjects": ["offshoring"],
    "conversation_aspect": "definition",
    "last_topic": "define_offshoring",
}


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
    assert slots_of(events) == {
        "knowledge_question": question,
        "knowledge_shown": [shown],
        **NO_CONTEXT,
    }


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


def follow_up(text: str, *entities: tuple[str, str], intent: str = "follow_up") -> dict:
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [{"entity": entity, "value": value} for entity, value in entities],
    }


async def test_a_follow_up_is_answered_for_the_subject_of_the_conversation(make_tracker):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        latest_message=follow_up("and the downsides?", ("aspect", "downsides")),
        slots=AFTER_OFFSHORING,
    )
    events = await ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_offshoring_pros_cons"]
    assert slots_of(events) == {
        "knowledge_question": None,
        "knowledge_shown": None,
        "conversation_subjects": ["offshoring"],
        "conversation_aspect": "cons",
        "last_topic": "offshoring_pros_cons",
    }


async def test_a_model_named_alone_is_answered_for_the_aspect_of_the_conversation(make_tracker):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        latest_message=follow_up(
            "and outstaffing?", ("engagement_model", "outstaffing"), intent="inform"
        ),
        slots=AFTER_OFFSHORING,
    )
    await ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_define_outstaffing"]


async def test_a_follow_up_about_what_was_just_answered_tells_more_instead(make_tracker):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        latest_message=follow_up("why?", ("aspect", "why")),
        slots={
            "conversation_subjects": ["offshoring"],
            "conversation_aspect": "pros",
            "last_topic": "offshoring_advantages",
        },
    )
    events = await ActionAnswerQuestion().run(dispatcher, tracker, {})
    [reply] = dispatcher.messages
    assert reply["text"].endswith("From: *Offshoring vs outsourcing, with pros, cons and examples*")
    more = load_topics()["offshoring_advantages"].more
    assert slots_of(events) == {"knowledge_question": None, "knowledge_shown": [more[0]]}


async def test_a_follow_up_with_no_subject_yet_asks_which_model_and_keeps_the_aspect(make_tracker):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(latest_message=follow_up("and the cons?", ("aspect", "cons")))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_which_model"]
    assert slots_of(events) == {**NO_CONTEXT, "conversation_aspect": "cons"}


async def test_tell_me_more_after_a_topic_gives_its_sections_in_order(make_tracker):
    shown: list[str] = []
    for section in load_topics()["define_outstaffing"].more:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(
            text="tell me more",
            intent="more_info",
            slots={"last_topic": "define_outstaffing", "knowledge_shown": shown},
        )
        events = await ActionTellMore().run(dispatcher, tracker, {})
        shown = slots_of(events)["knowledge_shown"]
        assert shown[-1] == section
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        text="tell me more", slots={"last_topic": "define_outstaffing", "knowledge_shown": shown}
    )
    await ActionTellMore().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_knowledge_no_more"


async def test_a_comparison_no_topic_makes_offers_what_there_is_on_each_side(make_tracker):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        latest_message=follow_up(
            "is it cheaper than outstaffing?",
            ("engagement_model", "outstaffing"),
            ("aspect", "cheaper"),
            intent="faq",
        ),
        slots=AFTER_OFFSHORING,
    )

    events = await ActionAnswerQuestion().run(dispatcher, tracker, {})

    [message] = dispatcher.messages
    assert message["response"] == "utter_no_side_by_side"
    assert message["subjects"] == "offshoring and outstaffing"
    titles = [button["title"] for button in message["buttons"]]
    assert len(titles) == len(set(titles)) <= 3
    assert slots_of(events)["conversation_subjects"] == ["offshoring", "outstaffing"]
    assert slots_of(events)["conversation_aspect"] == "costs"
