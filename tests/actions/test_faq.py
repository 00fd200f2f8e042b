from rasa_sdk.executor import CollectingDispatcher

from actions.faq import TEAM_NEEDS_BUTTON, ActionSuggestTopics
from bot.faq.topics import load_topics


async def test_suggest_topics_offers_the_likeliest_topic_first_and_the_team_button_last(
    make_tracker,
):
    message = {
        "text": "what are the costs",
        "intent": {"name": "nlu_fallback", "confidence": 0.5},
        "response_selector": {
            "faq": {"ranking": [{"intent_response_key": "faq/setup_costs", "confidence": 0.42}]}
        },
    }
    dispatcher = CollectingDispatcher()

    events = await ActionSuggestTopics().run(dispatcher, make_tracker(latest_message=message), {})

    assert events == []
    [message_out] = dispatcher.messages
    assert message_out["response"] == "utter_ask_rephrase"
    buttons = message_out["buttons"]
    assert buttons[0] == {"title": "Set-up costs", "payload": load_topics()["setup_costs"].question}
    assert buttons[-1] == TEAM_NEEDS_BUTTON
    assert len(buttons) == 4


async def test_suggest_topics_works_without_any_parse_data(make_tracker):
    dispatcher = CollectingDispatcher()
    await ActionSuggestTopics().run(dispatcher, make_tracker(latest_message={"text": ""}), {})
    assert len(dispatcher.messages[0]["buttons"]) == 4
