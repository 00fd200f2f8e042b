"""The trained model on held-out paraphrases that are not in data/nlu.yml."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.answers.faq.suggestions import suggest_topics
from bot.answers.faq.topics import load_topics
from tests.conftest import load_yaml
from tests.model.predictions import FALLBACK, answered_label, predicted_label

# What a visitor is answered: the NLU's label, or for a question the topic
# action_answer_question gives (bot.answers.faq.context: named subjects and aspects can
# correct an unsure or off-subject topic). Measured on 2026-12-07 with the
# topic gate at 0.24 (no confident wrong topic; 0.22 gave one) and the intents
# of the conversation issue (follow_up, contact_us, job_seeker, small_talk):
# 0.912 of 239 answered right. Before that issue the NLU's label was all there
# was: 0.952 of the 227 questions then, with the gate at 0.22.
MIN_ACCURACY = 0.91
# An unsure question is not answered but offered its likeliest topics ("Did you
# mean…?"): right, or its topic among those offered. Measured: 0.950 (227 of
# 239; every unsure FAQ question of the table offered its own topic).
MIN_RIGHT_OR_OFFERED = 0.945
# The NLU's own labels, whatever the action makes of them (measured 0.904).
MIN_NLU_ACCURACY = 0.90
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
            offered = [topic.intent for topic in suggest_topics(parse_data, load_topics())]
            results.append(
                {
                    **row,
                    "got": answered_label(parse_data),
                    "nlu": predicted_label(parse_data),
                    "offered": offered,
                }
            )
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


def test_an_unsure_question_is_offered_its_own_topic(predictions):
    def right_or_offered(row: dict) -> bool:
        unsure = row["got"] == FALLBACK
        return row["got"] == row["expect"] or (unsure and row["expect"] in row["offered"])

    share = sum(map(right_or_offered, predictions)) / len(predictions)
    print(f"\nheld-out right or offered {share:.3f} ({len(predictions)} questions)")
    assert share >= MIN_RIGHT_OR_OFFERED


def test_nlu_accuracy_on_held_out_paraphrases(predictions):
    right = sum(row["nlu"] == row["expect"] for row in predictions) / len(predictions)
    print(f"\nheld-out NLU accuracy {right:.3f} ({len(predictions)} questions)")
    assert right >= MIN_NLU_ACCURACY


def test_confident_wrong_topic_answers_do_not_grow(predictions):
    wrong = [
        f"{r['text']!r}: expected {r['expect']}, answered {r['got']}"
        for r in predictions
        if r["expect"].startswith("faq/") and r["got"] not in (r["expect"], FALLBACK)
    ]
    print(f"\nconfident wrong answers: {len(wrong)}\n" + "\n".join(wrong))
    assert len(wrong) <= MAX_CONFIDENT_WRONG_ANSWERS, "\n".join(wrong)
