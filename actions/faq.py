"""Actions of the FAQ goal: answering questions, in the conversation's context.

A question gets the FAQ topic that answers it where the conversation stands
(:mod:`bot.answers.faq.context`: "and the cons?" after offshoring is offshoring's
cons). When no topic fits, the knowledge base is searched
(:mod:`bot.answers.knowledge`): a section that answers the question is given with its
source; otherwise the bot says it does not know and offers the likeliest
topics and the team. A typed command it does not know ("/xyz") is said not to
be understood.
"""

from __future__ import annotations

import asyncio
import threading
from functools import cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.answers.faq.aspects import section_names_aspect
from bot.answers.faq.context import (
    DEFAULT_ASPECT,
    Context,
    Question,
    choose_topic,
    is_comparison,
    next_context,
    read_question,
    subjects_asked,
    topics_about,
)
from bot.answers.faq.suggestions import suggest_topics
from bot.answers.faq.topics import Topic, load_topics
from bot.answers.knowledge.answer import compose_answer
from bot.answers.knowledge.index import Hit, KnowledgeIndex
from bot.leads.parsing.cues import typed_command

TEAM_NEEDS_BUTTON = {"title": "Discuss my team needs", "payload": "/hire_developers"}
MORE_BUTTON = {"title": "Tell me more", "payload": "/more_info"}
QUESTION_SLOT = "knowledge_question"
SHOWN_SLOT = "knowledge_shown"
# What the conversation is about (bot.answers.faq.context.Context).
SUBJECTS_SLOT, ASPECT_SLOT = "conversation_subjects", "conversation_aspect"
TOPIC_SLOT = "last_topic"
INFORM_INTENT, LEAD_FORM = "inform", "lead_form"
TEAM_ENTITIES = ("role", "tech_stack", "seniority")


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


def describes_a_team(message: dict[str, Any]) -> bool:
    """True for an answer-like message (inform) outside the lead form that names
    roles, technologies or seniority: a team need, for the lead form."""
    if (message.get("intent") or {}).get("name") != INFORM_INTENT:
        return False
    return any(entity.get("entity") in TEAM_ENTITIES for entity in message.get("entities") or [])


def read_context(tracker: Tracker) -> Context:
    """What the conversation was about, from its slots."""
    aspect, topic = tracker.get_slot(ASPECT_SLOT), tracker.get_slot(TOPIC_SLOT)
    return Context(
        subjects=tuple(tracker.get_slot(SUBJECTS_SLOT) or ()),
        aspect=str(aspect) if aspect else None,
        last_topic=str(topic) if topic else None,
    )


def context_events(context: Context) -> list[EventType]:
    """The slot events that keep ``context`` for the next question."""
    return [
        SlotSet(SUBJECTS_SLOT, list(context.subjects) or None),
        SlotSet(ASPECT_SLOT, context.aspect),
        SlotSet(TOPIC_SLOT, context.last_topic),
    ]


def search_terms(text: str, question: Question, context: Context) -> str:
    """The knowledge query: the message, plus the conversation's subjects when it
    names none ("is it risky?" after offshoring searches offshoring's risk)."""
    if question.subjects or not context.subjects:
        return text
    return " ".join([text, *context.subjects])


class ActionAnswerQuestion(Action):
    """Answers a question, or a follow-up, for the subject of the conversation."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utters the topic's answer, else the articles' answer, else an honest line."""
        message = tracker.latest_message or {}
        text = str(message.get("text") or "")
        if typed_command(text) is not None:  # "/xyz": no question for the articles
            dispatcher.utter_message(response="utter_unknown_command")
            return [SlotSet(QUESTION_SLOT, None), SlotSet(SHOWN_SLOT, None)]
        if describes_a_team(message):  # "we need 5 developers: 3 senior React…"
            dispatcher.utter_message(response="utter_lead_intro")
            return [FollowupAction(LEAD_FORM)]
        question, context = read_question(message), read_context(tracker)
        topics = load_topics()
        topic = choose_topic(question, context, topics)
        leans_on_last = not question.subjects and (question.follow_up or bool(question.aspects))
        if topic is not None and topic.key == context.last_topic and leans_on_last:
            shown = list(tracker.get_slot(SHOWN_SLOT) or [])
            # "why?" after the advantages: more about them, not the same answer again
            return await tell_more_about(dispatcher, topic, shown, question.aspects)
        if topic is not None:
            dispatcher.utter_message(response=topic.response)
            return [
                SlotSet(QUESTION_SLOT, None),
                SlotSet(SHOWN_SLOT, None),
                *context_events(next_context(question, context, topic)),
            ]
        compared = subjects_asked(question, context)
        if is_comparison(question, compared):  # a comparison no topic makes
            return offer_each_side(dispatcher, question, context, compared, topics)
        if question.follow_up and not (question.subjects or context.subjects):
            dispatcher.utter_message(response="utter_ask_which_model")
            aspect = question.aspects[0] if question.aspects else context.aspect
            return context_events(Context(aspect=aspect))
        if leans_on_last and context.last_topic in topics:
            shown = list(tracker.get_slot(SHOWN_SLOT) or [])
            last = topics[context.last_topic]
            return await tell_more_about(dispatcher, last, shown, question.aspects)
        return await answer_from_articles(dispatcher, message, text, question, context)


class ActionAnswerFromKnowledge(ActionAnswerQuestion):
    """The same answer when no intent fits (nlu_fallback): context, then the articles."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_answer_from_knowledge"


def offer_each_side(
    dispatcher: CollectingDispatcher,
    question: Question,
    context: Context,
    subjects: tuple[str, ...],
    topics: dict[str, Topic],
) -> list[EventType]:
    """Says there is no side-by-side answer for ``subjects`` and offers, as buttons,
    what there is on each of them for the aspect asked, and how they differ."""
    aspect = (question.aspects or (context.aspect or DEFAULT_ASPECT,))[0]
    offered: list[Topic] = []
    for subject in subjects:
        about = topics_about(topics, (subject,), aspect) or topics_about(
            topics, (subject,), DEFAULT_ASPECT
        )
        offered += about[:1]
    offered += topics_about(topics, subjects, "difference")[:1]
    unique = list({topic.key: topic for topic in offered}.values())[:3]
    dispatcher.utter_message(
        response="utter_no_side_by_side",
        subjects=" and ".join(subjects),
        buttons=[{"title": topic.title, "payload": topic.question} for topic in unique],
    )
    return [
        SlotSet(QUESTION_SLOT, None),
        SlotSet(SHOWN_SLOT, None),
        *context_events(Context(subjects=subjects, aspect=aspect)),
    ]


async def answer_from_articles(
    dispatcher: CollectingDispatcher,
    message: dict[str, Any],
    text: str,
    question: Question,
    context: Context,
) -> list[EventType]:
    """Utters the best section for the question, or admits there is none."""
    index = await knowledge_index()
    hit = index.answer(search_terms(text, question, context)) if text else None
    if hit is None:
        dispatcher.utter_message(response="utter_ask_rephrase", buttons=topic_buttons(message))
        return [SlotSet(QUESTION_SLOT, None), SlotSet(SHOWN_SLOT, None)]
    utter_hit(dispatcher, hit)
    kept = Context(
        subjects=question.subjects or context.subjects,
        aspect=question.aspects[0] if question.aspects else context.aspect,
    )
    return [
        SlotSet(QUESTION_SLOT, search_terms(text, question, context)),
        SlotSet(SHOWN_SLOT, [hit.section.id]),
        *context_events(kept),
    ]


async def tell_more_about(
    dispatcher: CollectingDispatcher,
    topic: Topic,
    shown: list[str],
    aspects: tuple[str, ...] = (),
) -> list[EventType]:
    """Utters the next knowledge section the topic lists as more (not yet
    shown; one about an asked aspect first), or says there is no more to tell."""
    index = await knowledge_index()
    sections = {section.id: section for section in index.sections}
    unseen = [sid for sid in topic.more if sid not in shown and sid in sections]
    unseen.sort(key=lambda sid: not any(section_names_aspect(sid, a) for a in aspects))
    if not unseen:
        dispatcher.utter_message(response="utter_knowledge_no_more", buttons=[TEAM_NEEDS_BUTTON])
        return []
    utter_hit(dispatcher, Hit(sections[unseen[0]], score=0.0, matched=frozenset()))
    return [SlotSet(QUESTION_SLOT, None), SlotSet(SHOWN_SLOT, [*shown, unseen[0]])]


class ActionTellMore(Action):
    """Gives the next best section for the last question answered."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_tell_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utters the next section, or says there is no more to tell."""
        question = tracker.get_slot(QUESTION_SLOT)
        shown = list(tracker.get_slot(SHOWN_SLOT) or [])
        topic = load_topics().get(str(tracker.get_slot(TOPIC_SLOT)))
        if not question and topic is not None:  # after an FAQ answer: more on its topic
            return await tell_more_about(dispatcher, topic, shown)
        index = await knowledge_index()
        hit = index.answer(str(question), exclude=shown) if question else None
        if hit is None:
            dispatcher.utter_message(
                response="utter_knowledge_no_more", buttons=[TEAM_NEEDS_BUTTON]
            )
            return []
        utter_hit(dispatcher, hit)
        return [SlotSet(SHOWN_SLOT, [*shown, hit.section.id])]
