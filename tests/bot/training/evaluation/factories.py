"""Evaluation results made up for the tests (no Rasa, no model)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.training.evaluation.results import (
    EvaluationResults,
    IntentScore,
    Prediction,
    Scores,
    StoryResult,
    Timing,
)


def make_results(
    f1_by_intent: Mapping[str, float],
    *,
    predictions: Sequence[Prediction] = (),
    stories: StoryResult | None = None,
    timings: Sequence[Timing] = (),
) -> EvaluationResults:
    """Results whose intents have the given F1 (precision and recall alike, support 10)."""
    intents = {intent: IntentScore(f1, f1, f1, 10) for intent, f1 in f1_by_intent.items()}
    macro_f1 = sum(f1_by_intent.values()) / max(len(f1_by_intent), 1)
    timings = timings or (Timing("NLU fold 1/5: train and predict", 21.5),)
    average = IntentScore(macro_f1, macro_f1, macro_f1, 10 * len(intents))
    return EvaluationResults(
        model="models/test.tar.gz",
        folds=5,
        seed=42,
        scores=Scores(intents=intents, macro=average, weighted=average, accuracy=macro_f1),
        predictions=tuple(predictions),
        stories=stories or StoryResult(correct=11, total=11),
        timings=tuple(timings),
        total_seconds=sum(timing.seconds for timing in timings) + 1.0,
    )
