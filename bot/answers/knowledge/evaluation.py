"""How well the index answers a table of questions: the figures ``make bench`` prints."""

from __future__ import annotations

import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.answers.knowledge.index import KnowledgeIndex


@dataclass(frozen=True)
class Evaluation:
    """Section accuracy on answerable questions, and what off-topic ones got."""

    questions: int
    top1: int
    top3: int
    answered_right: int  # top section right and above the threshold
    off_topic: int
    off_topic_answered: tuple[str, ...]
    misses: tuple[str, ...]
    mean_ms: float
    p95_ms: float

    @property
    def top1_accuracy(self) -> float:
        """Share of questions whose best section answers them."""
        return self.top1 / self.questions

    @property
    def top3_accuracy(self) -> float:
        """Share of questions with an answering section among the best three."""
        return self.top3 / self.questions


def evaluate(index: KnowledgeIndex, table: Mapping[str, Any]) -> Evaluation:
    """Runs every question of ``table`` (``answerable`` and ``off_topic``) once."""
    top1 = top3 = answered_right = 0
    misses, timings = [], []
    for row in table["answerable"]:
        accepted = {row["section"], *row.get("also", [])}
        started = time.perf_counter()
        hits = index.search(row["q"])
        timings.append(time.perf_counter() - started)
        found = [hit.section.id for hit in hits]
        top1 += bool(found) and found[0] in accepted
        top3 += bool(accepted & set(found))
        answered_right += bool(found) and found[0] in accepted and index.is_answer(hits[0])
        if not found or found[0] not in accepted:
            misses.append(f"{row['q']!r} -> {found[0] if found else None}")
    off_topic = [question for question in table["off_topic"] if index.answer(question)]
    return Evaluation(
        questions=len(table["answerable"]),
        top1=top1,
        top3=top3,
        answered_right=answered_right,
        off_topic=len(table["off_topic"]),
        off_topic_answered=tuple(off_topic),
        misses=tuple(misses),
        mean_ms=1000 * statistics.fmean(timings),
        p95_ms=1000 * _percentile(timings, 0.95),
    )


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
