"""The FAQ topic catalogue: a button title, canonical question, subjects and
aspects per topic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

TOPICS_FILE = Path(__file__).with_name("topics.yml")
RETRIEVAL_INTENT = "faq"


def answer_response(intent_response_key: str) -> str:
    """The domain response that answers a topic: ``faq/pricing`` -> ``utter_faq_pricing``.

    The names have no ``/`` on purpose: Rasa copies ``utter_<intent>/<topic>``
    responses into the NLU training data, so editing such an answer would
    retrain every NLU component; a plain response only changes the domain.
    """
    return "utter_" + intent_response_key.replace("/", "_")


@dataclass(frozen=True)
class Topic:
    """One FAQ topic: ``faq/<key>`` in the training data."""

    key: str
    title: str
    question: str
    subjects: tuple[str, ...] = ()  # the models it is about: outsourcing, offshoring...
    aspects: tuple[str, ...] = ()  # what it says about them: definition, pros, cons...
    more: tuple[str, ...] = ()  # knowledge sections that tell more, in order

    @property
    def intent(self) -> str:
        """The full retrieval intent name, e.g. ``faq/define_outsourcing``."""
        return f"{RETRIEVAL_INTENT}/{self.key}"

    @property
    def response(self) -> str:
        """The domain response that answers it, e.g. ``utter_faq_define_outsourcing``."""
        return answer_response(self.intent)


class TopicsError(ValueError):
    """The topics file is malformed."""


def _names(key: str, fields: Mapping[str, object], name: str) -> tuple[str, ...]:
    values = fields.get(name, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise TopicsError(f"topic '{key}': {name} must be a list of names")
    return tuple(values)


def parse_topics(content: object) -> dict[str, Topic]:
    """Builds the catalogue from the parsed YAML mapping
    ``key -> {title, question, subjects, aspects, more}``.

    Raises:
        TopicsError: if an entry lacks a non-empty title or question, or its
            subjects, aspects or sections are not lists of names.
    """
    if not isinstance(content, Mapping) or not content:
        raise TopicsError("expected a mapping of topic key to {title, question}")
    topics = {}
    for key, entry in content.items():
        fields = entry if isinstance(entry, Mapping) else {}
        title, question = fields.get("title"), fields.get("question")
        if not (isinstance(title, str) and title.strip()):
            raise TopicsError(f"topic '{key}' needs a title")
        if not (isinstance(question, str) and question.strip()):
            raise TopicsError(f"topic '{key}' needs a question")
        topics[str(key)] = Topic(
            key=str(key),
            title=title.strip(),
            question=question.strip(),
            subjects=_names(key, fields, "subjects"),
            aspects=_names(key, fields, "aspects"),
            more=_names(key, fields, "more"),
        )
    return topics


@cache
def load_topics(path: Path = TOPICS_FILE) -> dict[str, Topic]:
    """Reads the topic catalogue (once per process)."""
    return parse_topics(yaml.safe_load(path.read_text(encoding="utf-8")))
