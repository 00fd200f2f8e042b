"""Which FAQ topics to offer when the bot did not understand a message.

Pure logic over Rasa's parse data: the likeliest topics of the
ResponseSelector's ranking first, then well-known starter topics.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.answers.faq.topics import RETRIEVAL_INTENT, Topic

STARTER_TOPICS = (
    "define_outstaffing",
    "outsourcing_vs_offshoring",
    "outsourcing_vs_outstaffing",
    "how_agency_works",
)
MIN_SUGGESTION_CONFIDENCE = 0.1


def ranked_topic_keys(parse_data: Mapping[str, Any]) -> list[str]:
    """Topic keys from the ResponseSelector's ranking, likeliest first.

    Only topics at or above ``MIN_SUGGESTION_CONFIDENCE`` are kept; a message
    without a ranking gives an empty list.
    """
    selector = (parse_data.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    keys = []
    for entry in selector.get("ranking") or []:
        name = str(entry.get("intent_response_key", ""))
        prefix, _, key = name.partition("/")
        if (
            prefix == RETRIEVAL_INTENT
            and key
            and entry.get("confidence", 0.0) >= MIN_SUGGESTION_CONFIDENCE
        ):
            keys.append(key)
    return keys


def suggest_topics(
    parse_data: Mapping[str, Any],
    topics: Mapping[str, Topic],
    count: int = 3,
    starters: Sequence[str] = STARTER_TOPICS,
) -> list[Topic]:
    """Up to ``count`` distinct known topics: ranked guesses first, then starters."""
    chosen: list[Topic] = []
    for key in [*ranked_topic_keys(parse_data), *starters]:
        topic = topics.get(key)
        if topic is not None and topic not in chosen:
            chosen.append(topic)
        if len(chosen) == count:
            break
    return chosen
