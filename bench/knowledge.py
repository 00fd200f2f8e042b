"""Knowledge search figures: accuracy on the question table, and search time
at the real corpus size and on a synthetic corpus 100 times larger.

Run with ``make bench``.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

import yaml

from bot.answers.knowledge.corpus import Section, load_sections
from bot.answers.knowledge.evaluation import evaluate
from bot.answers.knowledge.index import KnowledgeIndex, spacy_tokenizer
from bot.answers.knowledge.text import load_synonyms

TABLE = Path("tests/knowledge/questions.yml")
GROWTH = 100


def synthetic(sections: list[Section], times: int, seed: int = 0) -> list[Section]:
    """``times`` as many sections, each a shuffle of the real sections' words."""
    generator = random.Random(seed)
    words = [word for section in sections for word in section.text.split()]
    corpus = list(sections)
    for number in range(len(sections) * (times - 1)):
        text = " ".join(generator.choices(words, k=60))
        corpus.append(Section(f"synthetic#{number}", f"Synthetic {number}", text, "Synthetic"))
    return corpus


def time_search(index: KnowledgeIndex, questions: list[str]) -> tuple[float, float]:
    """Mean and 95th-percentile milliseconds per search over ``questions`` (after one warm-up)."""
    index.search(questions[0])
    timings = []
    for question in questions:
        started = time.perf_counter()
        index.search(question)
        timings.append(1000 * (time.perf_counter() - started))
    timings.sort()
    return statistics.fmean(timings), timings[int(0.95 * (len(timings) - 1))]


def main() -> None:
    """Prints the figures."""
    table = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    sections = load_sections()
    tokenize, synonyms = spacy_tokenizer(), load_synonyms()
    started = time.perf_counter()
    index = KnowledgeIndex(sections, tokenize, synonyms)
    build_ms = 1000 * (time.perf_counter() - started)
    result = evaluate(index, table)
    questions = [row["q"] for row in table["answerable"]] + list(table["off_topic"])

    print(f"Knowledge search ({len(sections)} sections, {result.questions} questions)")
    print(
        f"  top-1 section accuracy  {result.top1_accuracy:.3f} ({result.top1}/{result.questions})"
    )
    print(
        f"  top-3 section accuracy  {result.top3_accuracy:.3f} ({result.top3}/{result.questions})"
    )
    print(f"  answered right above the threshold  {result.answered_right}/{result.questions}")
    print(
        f"  off-topic answered      {len(result.off_topic_answered)}/{result.off_topic}"
        f" {list(result.off_topic_answered)}"
    )
    for miss in result.misses:
        print(f"    miss: {miss}")
    mean, p95 = time_search(index, questions * 5)
    print(f"  index build {build_ms:.1f} ms; search {mean:.2f} ms mean, {p95:.2f} ms p95")

    large = synthetic(sections, GROWTH)
    started = time.perf_counter()
    big_index = KnowledgeIndex(large, tokenize, synonyms)
    big_build_ms = 1000 * (time.perf_counter() - started)
    mean, p95 = time_search(big_index, questions)
    print(
        f"  {GROWTH}x corpus ({len(large)} sections): build {big_build_ms:.0f} ms;"
        f" search {mean:.2f} ms mean, {p95:.2f} ms p95"
    )


if __name__ == "__main__":
    main()
