"""Per-intent precision, recall and F1 from the cross-validation predictions."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from bot.training.evaluation.results import IntentScore, Prediction, Scores


def score(predictions: Sequence[Prediction]) -> Scores:
    """Scores every expected full intent over all folds' predictions.

    Uses Rasa's own metrics (``rasa test nlu`` computes the same), over the
    expected labels only: ``nlu_fallback`` is never expected, so a message that
    falls back counts against the recall of its true intent and adds no class.

    Raises:
        ValueError: when there is no prediction to score.
    """
    if not predictions:
        raise ValueError("no predictions to score")
    from rasa.model_testing import get_evaluation_metrics
    from sklearn.exceptions import UndefinedMetricWarning

    expected = [prediction.expected for prediction in predictions]
    predicted = [prediction.predicted for prediction in predictions]
    with warnings.catch_warnings():
        # An intent never predicted has an undefined precision, reported as 0.
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        report, _, _, accuracy = get_evaluation_metrics(expected, predicted, output_dict=True)
    if not isinstance(report, dict):  # always a dict with output_dict=True
        raise TypeError(f"unexpected metrics report {report!r}")
    return Scores(
        intents={label: _intent_score(report[label]) for label in sorted(set(expected))},
        macro=_intent_score(report["macro avg"]),
        weighted=_intent_score(report["weighted avg"]),
        accuracy=float(accuracy),
    )


def _intent_score(row: Mapping[str, Any]) -> IntentScore:
    return IntentScore(
        precision=float(row["precision"]),
        recall=float(row["recall"]),
        f1=float(row["f1-score"]),
        support=int(row["support"]),
    )
