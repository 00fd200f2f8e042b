from pathlib import Path
from typing import Any

import pytest

from bot.training.evaluation.cross_validation import (
    evaluate_fold,
    fold_number,
    isolated_training_cache,
    load_training_data,
    make_folds,
    prediction_from,
)
from bot.training.evaluation.metrics import score
from bot.training.evaluation.results import Prediction
from tests.conftest import ROOT

SELECTOR = {
    "all_retrieval_intents": ["faq"],
    "faq": {"response": {"intent_response_key": "faq/setup_costs", "confidence": 0.61}},
}


def parse_result(intent: str, confidence: float, *ranking: tuple[str, float]) -> dict[str, Any]:
    """A Rasa parse result as the project's pipeline gives it."""
    return {
        "text": "what does it cost to start?",
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": name, "confidence": value} for name, value in ranking],
        "response_selector": SELECTOR,
    }


def test_an_faq_prediction_is_its_full_intent_with_the_topic_confidence():
    prediction = prediction_from(parse_result("faq", 0.97), "faq/setup_costs", fold=3)
    assert prediction == Prediction(
        "what does it cost to start?", "faq/setup_costs", "faq/setup_costs", 0.61, None, 3
    )


def test_a_fallback_prediction_keeps_the_guess_it_overruled():
    parse = parse_result("nlu_fallback", 0.45, ("nlu_fallback", 0.45), ("greet", 0.3))
    prediction = prediction_from(parse, "greet", fold=1)
    assert (prediction.predicted, prediction.guess, prediction.confidence) == (
        "nlu_fallback",
        "greet",
        0.3,
    )
    assert not prediction.correct


def test_a_gated_faq_falls_back_with_its_topic_as_the_guess():
    parse = parse_result("nlu_fallback", 0.22, ("nlu_fallback", 0.22), ("faq", 0.95))
    prediction = prediction_from(parse, "faq/setup_costs", fold=1)
    assert (prediction.predicted, prediction.guess) == ("nlu_fallback", "faq/setup_costs")


def test_a_fallback_counts_against_its_intent_and_adds_no_class():
    scores = score(
        [
            Prediction("hi", "greet", "greet", 0.9),
            Prediction("yo", "greet", "nlu_fallback", 0.3, "greet"),
            Prediction("bye", "goodbye", "goodbye", 0.8),
        ]
    )
    assert set(scores.intents) == {"goodbye", "greet"}
    assert scores.intents["greet"].recall == 0.5
    assert scores.intents["greet"].precision == 1.0
    assert scores.accuracy == pytest.approx(2 / 3)


def test_the_same_seed_draws_the_same_folds(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(ROOT)
    data = load_training_data(Path("data"), Path("domain.yml"))

    def held_out(seed: int) -> list[list[str]]:
        return [
            [m.get("text") for m in fold.test.intent_examples] for fold in make_folds(data, 3, seed)
        ]

    assert held_out(42) == held_out(42)
    assert held_out(42) != held_out(7)


def test_each_example_is_held_out_once_and_trained_on_in_the_other_folds(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.chdir(ROOT)
    data = load_training_data(Path("data"), Path("domain.yml"))
    folds = make_folds(data, 5, seed=42)
    everything = sorted(example.get("text") for example in data.intent_examples)
    held_out = sorted(m.get("text") for fold in folds for m in fold.test.intent_examples)
    assert held_out == everything
    for fold in folds:
        trained = {m.get("text") for m in fold.train.intent_examples}
        assert trained.isdisjoint(m.get("text") for m in fold.test.intent_examples)
        assert len(trained) + len(fold.test.intent_examples) == len(everything)


def test_a_new_example_moves_no_other_example_to_another_fold():
    texts = [f"example {number}" for number in range(40)]
    before = {text: fold_number("greet", text, 5, 42) for text in texts}
    after = {text: fold_number("greet", text, 5, 42) for text in [*texts, "a new one"]}
    assert {text: after[text] for text in texts} == before
    assert set(before.values()) == {1, 2, 3, 4, 5}


@pytest.mark.model
def test_two_folds_on_a_slice_predict_every_example_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.chdir(ROOT)  # the pipeline loads build/spacy relative to the project
    intents = {"greet", "goodbye", "faq/define_outsourcing", "faq/define_offshoring"}
    data = load_training_data(Path("data"), Path("domain.yml")).filter_training_examples(
        lambda example: example.get_full_intent() in intents
    )
    with isolated_training_cache():
        predictions = [
            prediction
            for fold in make_folds(data, 2, seed=42)
            for prediction in evaluate_fold(fold, Path("config.yml"), tmp_path)
        ]
    texts = sorted(example.get("text") for example in data.intent_examples)
    assert sorted(prediction.text for prediction in predictions) == texts
    assert {prediction.expected for prediction in predictions} == intents
    assert {prediction.fold for prediction in predictions} == {1, 2}
    assert sum(prediction.correct for prediction in predictions) > len(predictions) / 2
