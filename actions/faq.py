"""Actions of the FAQ goal: answering from the articles when no topic fits.

When NLU falls back, the knowledge base is searched (:mod:`bot.knowledge`):
a section that answers the question is given with its source; otherwise the
bot says it does not know and offers the likeliest topics and the team. A
typed command it does not know ("/xyz") is said not to be understood.
"""

from __future__ import annotations

import asyncio
import threading
from functools import cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.faq.suggestions import suggest_topics
from bot.faq.topics import load_topics
from bot.knowledge.answer import compose_answer
from bot.knowledge.index import Hit, KnowledgeIndex
from bot.leads.parsing.cues import typed_command

TEAM_NEEDS_BUTTON = {"title": "Discuss my team needs", "payload": "/hire_developers"}
MORE_BUTTON = {"title": "Tell me more", "payload": "/more_info"}
QUESTION_SLOT = "knowledge_question"
SHOWN_SLOT = "knowledge_shown"


_INDEX_BUILD = threading.Lock()


@cache
def _built_index() -> KnowledgeIndex:
    return KnowledgeIndex.from_directory()


def _index() -> KnowledgeIndex:
    with _INDEX_BUILD:  # the first questions arrive together: build once, not once each
        return _built_index()


async def knowledge_index() -> KnowledgeIndex:
    """The index of data/knowledge, built once, in a worker thread, on first use."""
    return await asyncio.to_thread(_index)


def topic_buttons(parse_data: dict[str, Any]) -> list[dict[str, str]]:
    """The likeliest FAQ topics as buttons, then the team button."""
    topics = suggest_topics(parse_data, load_topics())
    return [
        *({"title": topic.title, "payload": topic.question} for topic in topics),
        TEAM_NEEDS_BUTTON,
    ]


def utter_hit(dispatcher: CollectingDispatcher, hit: Hit) -> None:
    """Sends a knowledge answer with its source and the next-step buttons."""
    dispatcher.utter_message(text=compose_answer(hit), buttons=[MORE_BUTTON, TEAM_NEEDS_BUTTON])


class ActionAnswerFromKnowledge(Action):
    """Answers from the best knowledge section, or admits it does not know."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_answer_from_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utters the section and remembers the question for "tell me more"."""
        message = tracker.latest_message or {}
        question = str(message.get("text") or "")
        if typed_command(question) is not None:  # "/xyz": no question for the articles
            dispatcher.utter_message(response="utter_unknown_command")
            return [SlotSet(QUESTION_SLOT, None), SlotSet(SHOWN_SLOT, None)]
        index = await knowledge_index()
        hit = index.answer(question) if question else None
        if hit is None:
            dispatcher.utter_message(response="utter_ask_rephrase", buttons=topic_buttons(message))
            return [SlotSet(QUESTION_SLOT, None), SlotSet(SHOWN_SLOT, None)]
        utter_hit(dispatcher, hit)
        return [SlotSet(QUESTION_SLOT, question), SlotSet(SHOWN_SLOT, [hit.section.id])]


class ActionTellMore(Action):
    """Gives the next best section for the last question the knowledge base answered."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_tell_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utters the next section, or says there is no more to tell."""
        question = tracker.get_slot(QUESTION_SLOT)
        shown = list(tracker.get_slot(SHOWN_SLOT) or [])
        index = await knowledge_index()
        hit = index.answer(str(question), exclude=shown) if question else None
        if hit is None:
            dispatcher.utter_message(
                response="utter_knowledge_no_more", buttons=[TEAM_NEEDS_BUTTON]
            )
            return []
        utter_hit(dispatcher, hit)
        return [SlotSet(SHOWN_SLOT, [*shown, hit.section.id])]
