"""The trained model on held-out paraphrases that are not in data/nlu.yml."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.conftest import load_yaml
from tests.model.predictions import FALLBACK, predicted_label

# The goal of the FAQ issue. Measured: 0.971 over all 207 questions; the second
# independent block (33 FAQ questions) got 31 topics right before any data edit.
MIN_ACCURACY = 0.95
# No FAQ question may get another topic's answer above the fallback threshold:
# an unsure topic must become a rephrase request instead.
MAX_CONFIDENT_WRONG_ANSWERS = 0

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def predictions(agent: Any, event_loop_for_model: asyncio.AbstractEventLoop) -> list[dict]:
    rows = load_yaml("tests/model/paraphrases.yml")

    async def predict_all() -> list[dict]:
        results = []
        for row in rows:
            parse_data = await agent.parse_message(row["text"])
            results.append({**row, "got": predicted_label(parse_data)})
        return results

    return event_loop_for_model.run_until_complete(predict_all())


def test_table_has_at_least_sixty_questions(predictions):
    assert len(predictions) >= 60


def test_accuracy_on_held_out_paraphrases(predictions):
    misses = [f"{r['text']!r}: expected {r['expect']}, got {r['got']}" for r in predictions]
    misses = [m for m, r in zip(misses, predictions, strict=True) if r["got"] != r["expect"]]
    accuracy = 1 - len(misses) / len(predictions)
    print(f"\nheld-out accuracy {accuracy:.3f} ({len(predictions)} questions)")
    print("\n".join(misses))
    assert accuracy >= MIN_ACCURACY, "\n".join(misses)


def test_confident_wrong_topic_answers_do_not_grow(predictions):
    wrong = [
        f"{r['text']!r}: expected {r['expect']}, answered {r['got']}"
        for r in predictions
        if r["expect"].startswith("faq/") and r["got"] not in (r["expect"], FALLBACK)
    ]
    print(f"\nconfident wrong answers: {len(wrong)}\n" + "\n".join(wrong))
    assert len(wrong) <= MAX_CONFIDENT_WRONG_ANSWERS, "\n".join(wrong)
