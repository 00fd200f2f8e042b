"""Actions of the FAQ goal: helping a visitor the bot did not understand."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.faq.suggestions import suggest_topics
from bot.faq.topics import load_topics

TEAM_NEEDS_BUTTON = {"title": "Discuss my team needs", "payload": "/hire_developers"}


class ActionSuggestTopics(Action):
    """Asks the visitor to rephrase and offers the likeliest FAQ topics as buttons."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_suggest_topics"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Utters ``utter_ask_rephrase`` with topic buttons; changes no state."""
        topics = suggest_topics(tracker.latest_message or {}, load_topics())
        buttons = [{"title": topic.title, "payload": topic.question} for topic in topics]
        dispatcher.utter_message(
            response="utter_ask_rephrase", buttons=[*buttons, TEAM_NEEDS_BUTTON]
        )
        return []
