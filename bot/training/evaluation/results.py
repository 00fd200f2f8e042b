"""The results of one evaluation run, and their JSON form (``results.json``).

``bot baseline update`` reruns nothing: it reads the ``results.json`` that the
latest ``bot evaluate`` wrote. Nothing here imports Rasa.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FALLBACK = "nlu_fallback"
RESULTS_FILE = "results.json"


class ResultsError(Exception):
    """No results to read, or a results file this version cannot read."""


class EvaluationError(Exception):
    """Rasa did not produce what the evaluation needs (a model, a report)."""


@dataclass(frozen=True)
class Prediction:
    """What the model of one fold answered to one held-out training example.

    Attributes:
        text: the example's text.
        expected: its full intent (``faq/<topic>`` for an FAQ).
        predicted: the full intent predicted, or ``nlu_fallback``.
        confidence: the confidence of ``predicted`` (of the topic for an FAQ);
            for ``nlu_fallback``, of the best guess the fallback overruled.
        guess: for ``nlu_fallback``, the full intent the fallback overruled.
        fold: the fold (1-based) that held the example out.
    """

    text: str
    expected: str
    predicted: str
    confidence: float
    guess: str | None = None
    fold: int = 0

    @property
    def correct(self) -> bool:
        """Whether the predicted full intent is the expected one."""
        return self.predicted == self.expected


@dataclass(frozen=True)
class IntentScore:
    """Precision, recall and F1 of one intent (or an average), with its support."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Scores:
    """Per-intent scores over all folds, their macro and weighted averages."""

    intents: dict[str, IntentScore]
    macro: IntentScore
    weighted: IntentScore
    accuracy: float


@dataclass(frozen=True)
class StoryResult:
    """How many test stories the trained model got right, and which failed."""

    correct: int
    total: int
    failed: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether every test story passed."""
        return self.correct == self.total


@dataclass(frozen=True)
class Timing:
    """How long one step of the evaluation took."""

    step: str
    seconds: float


@dataclass(frozen=True)
class EvaluationResults:
    """Everything one ``bot evaluate`` run measured."""

    model: str
    folds: int
    seed: int
    scores: Scores
    predictions: tuple[Prediction, ...]
    stories: StoryResult
    timings: tuple[Timing, ...]
    total_seconds: float

    @property
    def slowest(self) -> Timing | None:
        """The step that took longest."""
        return max(self.timings, key=lambda timing: timing.seconds, default=None)

    def f1_by_intent(self) -> dict[str, float]:
        """Each intent's F1."""
        return {intent: score.f1 for intent, score in self.scores.intents.items()}


def results_to_json(results: EvaluationResults) -> dict[str, Any]:
    """The results as JSON-serialisable data."""
    return asdict(results)


def results_from_json(data: dict[str, Any]) -> EvaluationResults:
    """Reads results written by :func:`results_to_json`.

    Raises:
        ResultsError: when a field is missing or has the wrong shape.
    """
    try:
        scores = data["scores"]
        return EvaluationResults(
            model=str(data["model"]),
            folds=int(data["folds"]),
            seed=int(data["seed"]),
            scores=Scores(
                intents={name: IntentScore(**score) for name, score in scores["intents"].items()},
                macro=IntentScore(**scores["macro"]),
                weighted=IntentScore(**scores["weighted"]),
                accuracy=float(scores["accuracy"]),
            ),
            predictions=tuple(Prediction(**item) for item in data["predictions"]),
            stories=StoryResult(**{**data["stories"], "failed": tuple(data["stories"]["failed"])}),
            timings=tuple(Timing(**item) for item in data["timings"]),
            total_seconds=float(data["total_seconds"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ResultsError(f"unreadable evaluation results ({error!r})") from error


def save_results(results: EvaluationResults, path: Path) -> None:
    """Writes the results as JSON to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results_to_json(results), indent=2) + "\n", encoding="utf-8")


def load_results(path: Path) -> EvaluationResults:
    """Reads the results that ``bot evaluate`` wrote to ``path``.

    Raises:
        ResultsError: when there is no such file or it cannot be read.
    """
    if not path.is_file():
        raise ResultsError(f"no evaluation results at {path}: run `make evaluate` first")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ResultsError(f"{path} is not valid JSON ({error})") from error
    if not isinstance(data, dict):
        raise ResultsError(f"{path} does not hold evaluation results")
    return results_from_json(data)
