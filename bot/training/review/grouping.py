"""Folding near-duplicate messages into one group, with one suggested intent.

Two messages are near-duplicates when their content words, stemmed, overlap
enough (Jaccard similarity): "Do you audit smart contracts?" and "do you
audit smart contract" land in one group, which the maintainer judges once.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import snowballstemmer

from bot.training.review.selection import Candidate, Suggestion

DEFAULT_SIMILARITY = 0.6
# Function words that say nothing about a message's topic (spaCy's full list
# would cost its three-second import here).
# fmt: off
STOP_WORDS = frozenset({
    "a", "about", "an", "and", "are", "as", "at", "be", "can", "could", "do", "does",
    "for", "from", "have", "how", "i", "i'm", "if", "in", "is", "it", "its", "me", "my",
    "of", "on", "or", "our", "so", "than", "that", "the", "their", "them", "there",
    "this", "to", "us", "was", "we", "what", "when", "where", "which", "who", "why",
    "will", "with", "would", "you", "your",
})
# fmt: on
_STEMMER = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass
class Group:
    """Near-duplicate messages: the most frequent text first, then the variants."""

    members: list[Candidate] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The group's most frequent text (the earliest on a tie)."""
        counts = Counter(candidate.text for candidate in self.members)
        return max(counts, key=lambda text: (counts[text], -self._first_index(text)))

    @property
    def variants(self) -> list[str]:
        """The other distinct texts, in the order they were first seen."""
        texts = dict.fromkeys(candidate.text for candidate in self.members)
        return [text for text in texts if text != self.text]

    @property
    def reason(self) -> str:
        """The most frequent reason the members were picked for."""
        return Counter(candidate.reason for candidate in self.members).most_common(1)[0][0]

    @property
    def conversations(self) -> list[str]:
        """The conversations the members come from, first seen first."""
        return list(dict.fromkeys(candidate.sender_id for candidate in self.members))

    def suggestion(self) -> Suggestion | None:
        """The intent with the highest summed confidence over the members, and its mean."""
        scores: dict[str, list[float]] = defaultdict(list)
        for candidate in self.members:
            if candidate.suggestion is not None:
                scores[candidate.suggestion.intent].append(candidate.suggestion.confidence)
        if not scores:
            return None
        intent = max(scores, key=lambda name: (sum(scores[name]), name))
        return Suggestion(intent, round(sum(scores[intent]) / len(scores[intent]), 3))

    def _first_index(self, text: str) -> int:
        return next(i for i, candidate in enumerate(self.members) if candidate.text == text)


def content_words(text: str) -> frozenset[str]:
    """The stemmed words of a text that are not stop words (all words if none is left)."""
    words = _WORD.findall(text.lower())
    content = [word for word in words if word not in STOP_WORDS] or words
    return frozenset(_STEMMER.stemWord(word) for word in content)


def similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """Jaccard similarity of two word sets (1.0 for two empty sets)."""
    if not first and not second:
        return 1.0
    return len(first & second) / len(first | second)


def group_candidates(
    candidates: Iterable[Candidate], threshold: float = DEFAULT_SIMILARITY
) -> list[Group]:
    """Groups near-duplicates, the largest groups first (then the earliest seen)."""
    groups: list[tuple[frozenset[str], Group]] = []
    for candidate in candidates:
        words = content_words(candidate.text)
        best = max(groups, key=lambda entry: similarity(words, entry[0]), default=None)
        if best is not None and similarity(words, best[0]) >= threshold:
            best[1].members.append(candidate)
        else:
            groups.append((words, Group([candidate])))
    ordered = [group for _, group in groups]
    return sorted(ordered, key=lambda group: -len(group.members))  # stable: first seen first
