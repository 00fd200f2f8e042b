"""What a conversation is about, and the FAQ topic a question asks for in it.

A visitor who asked "what is offshoring?" and then "and the cons?" means the
cons of offshoring. The conversation keeps its subjects (the models, or the
agency) and the aspect it last answered; a question that names only an aspect
takes the conversation's subjects, and one that names only a subject takes
its aspect. Each topic of the catalogue says what it is about (its subjects
and aspects, bot/answers/faq/topics.yml), so a (subjects, aspect) pair finds a topic.

Pure logic: the action (actions/faq.py) reads the slots; the message's parse
data gives the question (:func:`read_question`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.answers.faq.aspects import ASPECT_ENTITY, aspect_named
from bot.answers.faq.topics import RETRIEVAL_INTENT, Topic

AGENCY = "agency"
SUBJECTS = ("outsourcing", "offshoring", "outstaffing", AGENCY)
DEFAULT_ASPECT = "definition"
BARE_WORDS = 3  # at most this many words beside the named subjects: "what about X then"
FOLLOW_UP_INTENT = "follow_up"
SUBJECT_ENTITIES = ("engagement_model", "subject")  # "subject": set by buttons only
AGENCY_ENTITY = "agency"

# The engagement-model words that name a subject (bot/training/nlp/entity_patterns.yml).
_SUBJECT_STEMS = {"outsourc": "outsourcing", "offshor": "offshoring", "outstaff": "outstaffing"}
_SUBJECT_PHRASES = {"staff augmentation": ("outstaffing",)}
# Words that weigh one thing against another: "is it cheaper than outstaffing?"
_COMPARISON = re.compile(r"\b(?:than|vs|versus|compared?|comparison|differ|differences?)\b")


@dataclass(frozen=True)
class Context:
    """What the conversation was about before this message."""

    subjects: tuple[str, ...] = ()
    aspect: str | None = None
    last_topic: str | None = None


@dataclass(frozen=True)
class Question:
    """What this message says: the topic the NLU chose (when it was sure), and
    the subjects and aspects it names."""

    predicted: str | None = None
    subjects: tuple[str, ...] = ()
    aspects: tuple[str, ...] = ()
    follow_up: bool = False  # classified as leaning on the conversation
    bare: bool = False  # hardly a word beside what it names: "and of outsourcing?"
    compares: bool = False  # weighs subjects against each other: "cheaper than", "vs"


def subjects_named(engagement_words: Iterable[str], names_agency: bool = False) -> tuple[str, ...]:
    """The subjects that a message's engagement-model words name, in order,
    without repeats; the agency when it names no model ("what does your
    company do?", but "outstaffing with your agency" is about outstaffing)."""
    found: list[str] = []
    for words in engagement_words:
        text = " ".join(words.lower().split())
        named = _SUBJECT_PHRASES.get(text) or tuple(
            subject for stem, subject in _SUBJECT_STEMS.items() if stem in text
        )
        found += [subject for subject in named if subject not in found]
    if names_agency and not found:
        found.append(AGENCY)
    return tuple(found)


def read_question(parse_data: Mapping[str, Any]) -> Question:
    """The question a message asks, from Rasa's parse data: the topic the NLU
    chose (for the intent ``faq``) and the subjects and aspects it names."""
    intent = (parse_data.get("intent") or {}).get("name")
    entities = parse_data.get("entities") or []
    predicted = None
    if intent == RETRIEVAL_INTENT:
        selected = (parse_data.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
        key = str((selected.get("response") or {}).get("intent_response_key") or "")
        predicted = key.removeprefix(f"{RETRIEVAL_INTENT}/") or None
    words = [str(e.get("value")) for e in entities if e.get("entity") in SUBJECT_ENTITIES]
    aspects = [
        aspect_named(str(e.get("value"))) for e in entities if e.get("entity") == ASPECT_ENTITY
    ]
    named = {word for e in entities for word in _words(str(e.get("value", "")))}
    other_words = [word for word in _words(str(parse_data.get("text") or "")) if word not in named]
    return Question(
        predicted=predicted,
        subjects=subjects_named(words, any(e.get("entity") == AGENCY_ENTITY for e in entities)),
        aspects=tuple(dict.fromkeys(aspect for aspect in aspects if aspect)),
        follow_up=intent == FOLLOW_UP_INTENT,
        bare=len(other_words) <= BARE_WORDS,
        compares=bool(_COMPARISON.search(str(parse_data.get("text") or "").lower())),
    )


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


COVERS = 2  # a subject match of 2 or more: the topic is about every subject asked


def _subject_match(topic: Topic, subjects: Sequence[str]) -> int:
    """3: the same subjects; 2: the topic covers them all; 1: some; 0: none."""
    wanted, covered = set(subjects), set(topic.subjects)
    if wanted == covered:
        return 3
    if wanted <= covered:
        return 2
    return 1 if wanted & covered else 0


def topics_about(topics: Mapping[str, Topic], subjects: Sequence[str], aspect: str) -> list[Topic]:
    """The topics with ``aspect`` about every one of ``subjects``: the closest
    subjects first, then the topics mainly about ``aspect`` (named earlier in
    their aspects), then in catalogue order."""
    scored = [
        (-_subject_match(topic, subjects), topic.aspects.index(aspect), order, topic)
        for order, topic in enumerate(topics.values())
        if aspect in topic.aspects
    ]
    return [entry[-1] for entry in sorted(scored, key=lambda e: e[:3]) if -entry[0] >= COVERS]


def _first_about(
    topics: Mapping[str, Topic], subjects: Sequence[str], aspects: Sequence[str]
) -> Topic | None:
    for aspect in aspects:
        found = topics_about(topics, subjects, aspect)
        if found:
            return found[0]
    return None


def subjects_asked(question: Question, context: Context) -> tuple[str, ...]:
    """The subjects a message asks about: the ones it names, else the conversation's.
    A comparison that names one subject weighs it against the conversation's ("is it
    cheaper than outstaffing?" after offshoring is about both)."""
    if not question.subjects:
        return context.subjects
    if question.compares and len(question.subjects) == 1:
        return tuple(dict.fromkeys([*context.subjects, *question.subjects]))
    return question.subjects


def choose_topic(question: Question, context: Context, topics: Mapping[str, Topic]) -> Topic | None:
    """The topic that answers ``question`` in ``context``, or None when no topic
    does (then the articles are searched, or the visitor is asked which model).

    The subjects are the ones the message names, else the conversation's; the
    aspects the ones it names, else (when it names only a subject: "and
    outsourcing?") the conversation's. A topic the NLU chose stands when it
    is about all those subjects; otherwise a topic about those subjects and
    aspects that fits them better is given
    ("benefits of outstaffing" taken for offshoring's; "and what are its
    downsides?" after offshoring). A comparison no topic makes gets none, not
    one side of it. The topic may be the one just given: the caller then tells
    more about it rather than repeating it.
    """
    predicted = topics.get(question.predicted) if question.predicted else None
    subjects = subjects_asked(question, context)
    # "what is the cost of…" asks about costs: the definition counts last
    aspects = sorted(question.aspects, key=lambda aspect: aspect == DEFAULT_ASPECT)
    switched = (
        not aspects
        and bool(question.subjects)
        and _names_only_a_subject(question, predicted, context)
    )
    if switched:
        aspects = [context.aspect or DEFAULT_ASPECT]  # "and outsourcing?": same aspect
    found = _first_about(topics, subjects, aspects) if subjects else None
    if found is None and is_comparison(question, subjects):
        covers = predicted is not None and _subject_match(predicted, subjects) >= COVERS
        return predicted if covers else None
    if predicted is None or question.follow_up or (switched and found is not None):
        return found
    if found is None or _subject_match(predicted, subjects) >= COVERS:
        return predicted
    return (
        found
        if _subject_match(found, subjects) > _subject_match(predicted, subjects)
        else predicted
    )


def is_comparison(question: Question, subjects: Sequence[str]) -> bool:
    """Whether the message weighs two or more subjects against each other."""
    return question.compares and len(subjects) > 1


def _names_only_a_subject(question: Question, predicted: Topic | None, context: Context) -> bool:
    """True for "and outsourcing?": a follow-up, a message of hardly more than
    the subject, one the NLU found no topic for in a conversation with an
    aspect, or one it took for the definition of the subjects it names."""
    if question.follow_up or question.bare or (predicted is None and context.aspect):
        return True
    if predicted is None:
        return False  # a new question the NLU is unsure of: the articles may answer it
    return predicted.aspects[:1] == (DEFAULT_ASPECT,) and set(predicted.subjects) == set(
        question.subjects
    )


def next_context(question: Question, context: Context, topic: Topic) -> Context:
    """The context after ``topic`` answered ``question``."""
    aspect = next((a for a in question.aspects if a in topic.aspects), None)
    if aspect is None and context.aspect in topic.aspects:
        aspect = context.aspect
    return Context(
        subjects=topic.subjects,
        aspect=aspect or (topic.aspects[0] if topic.aspects else None),
        last_topic=topic.key,
    )
