"""A short answer from a knowledge section: its key sentences and its source."""

from __future__ import annotations

import re

from bot.answers.knowledge.index import Hit
from bot.answers.knowledge.text import stem

MAX_SENTENCES = 2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def sentences(text: str) -> list[str]:
    """The sentences of a section's text."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def key_sentences(hit: Hit, limit: int = MAX_SENTENCES) -> list[str]:
    """Up to ``limit`` sentences sharing the most terms with the question, in order."""
    parts = sentences(hit.section.text)
    if len(parts) <= limit:
        return parts
    wanted = {term for term in hit.matched if not term.startswith("~")}

    def overlap(sentence: str) -> int:
        words = {stem(word) for word in re.findall(r"[a-z]+", sentence.lower())}
        return len(words & wanted)

    best = sorted(range(len(parts)), key=lambda i: (-overlap(parts[i]), i))[:limit]
    return [parts[i] for i in sorted(best)]


def compose_answer(hit: Hit) -> str:
    """The bot's reply: the key sentences, then "From: <article title>"."""
    return " ".join(key_sentences(hit)) + f"\n\nFrom: *{hit.section.article_title}*"
