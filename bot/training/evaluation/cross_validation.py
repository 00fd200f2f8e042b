"""K-fold cross-validation of the NLU pipeline, with Rasa's own parts.

Rasa's ``cross_validate`` reports ``faq`` as one intent, reverts fallback
predictions to the intent they overruled, runs every fold's model on its
training part too, and reshuffles its folds whenever the data changes. This
loop trains and predicts with the same pieces (``train_nlu``, ``Agent``) on
folds that stay put (:func:`make_folds`), and keeps, for each held-out
example, the full intent the bot would act on: ``faq/<topic>`` from the
response selector, and ``nlu_fallback`` when the bot would fall back.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import os
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.rasa_patches.training.faq_warning_filter import NO_RESPONSE_WARNING
from bot.training.evaluation.results import FALLBACK, EvaluationError, Prediction

if TYPE_CHECKING:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.training_data import TrainingData

CACHE_DIRECTORY_VARIABLE = "RASA_CACHE_DIRECTORY"


@dataclass(frozen=True)
class Fold:
    """One split of the training data: train on ``train``, predict ``test``."""

    number: int
    train: TrainingData
    test: TrainingData


def load_training_data(data: Path, domain: Path) -> TrainingData:
    """The project's NLU examples (with the domain's responses), as Rasa loads them."""
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_dict(
        training_data_paths=[str(data)], domain_path=str(domain)
    )
    return importer.get_nlu_data()


def fold_number(intent: str, text: str, folds: int, seed: int) -> int:
    """The fold (1..``folds``) an example is tested in: a hash of seed, intent and text."""
    digest = hashlib.sha256(f"{seed}\0{intent}\0{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % folds + 1


def make_folds(data: TrainingData, folds: int, seed: int) -> list[Fold]:
    """Splits the examples into ``folds`` folds, the same ones for a seed.

    Each example's fold comes from a hash of its text, so adding or changing
    examples moves no other example to another fold: a later evaluation
    tests the same examples as the baseline's did, and a change in F1 is the
    model's, not the split's. (With a reshuffled split, 7 of 48 intents
    moved by more than 0.05 F1 with the data unchanged.) Intents with fewer
    examples than folds are left out, as ``rasa test nlu`` does.
    """
    from rasa.nlu.test import drop_intents_below_freq
    from rasa.shared.nlu.training_data.training_data import TrainingData

    data = drop_intents_below_freq(data, cutoff=folds)
    examples = data.intent_examples
    assigned = [
        fold_number(example.get_full_intent(), example.get("text"), folds, seed)
        for example in examples
    ]

    def part(fold: int, held_out: bool) -> TrainingData:
        return TrainingData(
            training_examples=[
                example
                for example, number in zip(examples, assigned, strict=True)
                if (number == fold) == held_out
            ],
            entity_synonyms=data.entity_synonyms,
            regex_features=data.regex_features,
            lookup_tables=data.lookup_tables,
            responses=data.responses,
        )

    return [Fold(number, part(number, False), part(number, True)) for number in range(1, folds + 1)]


def evaluate_fold(fold: Fold, config: Path, workdir: Path) -> list[Prediction]:
    """Trains an NLU model on the fold's training part and predicts its test part.

    Raises:
        EvaluationError: when Rasa trains no model.
    """
    import rasa.model_training
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    directory = workdir / f"fold-{fold.number}"
    directory.mkdir(parents=True, exist_ok=True)
    training_file = directory / "train.yml"
    RasaYAMLWriter().dump(training_file, fold.train)
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        # Explained in bot/training/validation.py: FaqTopicSelector does the response selection.
        warnings.filterwarnings("ignore", message=".*does not include a response selector")
        # The FAQ answers are plain responses (bot.answers.faq.topics.answer_response).
        warnings.filterwarnings("ignore", message=NO_RESPONSE_WARNING, category=UserWarning)
        model = rasa.model_training.train_nlu(
            str(config), str(training_file), str(directory), fixed_model_name="nlu"
        )
    if model is None:
        raise EvaluationError(f"Rasa trained no NLU model for fold {fold.number}")
    return asyncio.run(_predict(Agent.load(model), fold))


async def _predict(agent: Agent, fold: Fold) -> list[Prediction]:
    predictions = []
    for example in fold.test.intent_examples:
        parse_data = await agent.parse_message(example.get("text"))
        predictions.append(prediction_from(parse_data, example.get_full_intent(), fold.number))
    return predictions


def prediction_from(parse_data: Mapping[str, Any], expected: str, fold: int) -> Prediction:
    """The full intent that a Rasa parse result answers with, as a :class:`Prediction`."""
    intent = parse_data.get("intent") or {}
    name = str(intent.get("name"))
    if name != FALLBACK:
        label, confidence = _full_intent(parse_data, name, intent.get("confidence"))
        return Prediction(parse_data["text"], expected, label, confidence, fold=fold)
    ranking = parse_data.get("intent_ranking") or []
    overruled = next((entry for entry in ranking if entry.get("name") != FALLBACK), None)
    if overruled is None:
        return Prediction(parse_data["text"], expected, FALLBACK, 0.0, fold=fold)
    guess, confidence = _full_intent(parse_data, overruled["name"], overruled.get("confidence"))
    return Prediction(parse_data["text"], expected, FALLBACK, confidence, guess, fold)


def _full_intent(
    parse_data: Mapping[str, Any], intent: str, confidence: float | None
) -> tuple[str, float]:
    """``faq/<topic>`` and the topic's confidence for a retrieval intent, else as is."""
    selection = (parse_data.get("response_selector") or {}).get(intent)
    if not isinstance(selection, Mapping):
        return intent, float(confidence or 0.0)
    response = selection["response"]
    return str(response["intent_response_key"]), float(response["confidence"])


@contextlib.contextmanager
def isolated_training_cache() -> Iterator[Path]:
    """Points Rasa's training cache at a temporary directory while the folds train.

    The folds' models stay out of the project's cache (``.rasa/cache``): they
    would crowd out the served model's entries, and Rasa's cache keys do not
    cover the project's own component code, so a cached fold could outlive a
    change to ``bot/rasa_plugins/nlu``.
    """
    previous = os.environ.get(CACHE_DIRECTORY_VARIABLE)
    with tempfile.TemporaryDirectory(prefix="rasa-cache-") as directory:
        os.environ[CACHE_DIRECTORY_VARIABLE] = directory
        try:
            yield Path(directory)
        finally:
            if previous is None:
                del os.environ[CACHE_DIRECTORY_VARIABLE]
            else:
                os.environ[CACHE_DIRECTORY_VARIABLE] = previous
