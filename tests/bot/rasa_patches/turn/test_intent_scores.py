"""intent_scores (bot.rasa_patches.turn): the intents and rankings Rasa's own gives on the
trained model, and a model's graph still valid with it installed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import yaml
from rasa.engine.validation import _get_parameter_information, _required_args
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

from bot.rasa_patches.turn.intent_scores import RASAS_PROCESS, is_multinomial, process_directly
from tests.conftest import ROOT


def texts() -> list[str]:
    paraphrases = yaml.safe_load((ROOT / "tests/model/paraphrases.yml").read_text("utf-8"))
    return [*[row["text"] for row in paraphrases][::4], "", "zzz", "hi", "/greet"]


def parse_all(agent: Any, loop: asyncio.AbstractEventLoop, process: Any) -> list[dict]:
    saved = LogisticRegressionClassifier.process
    LogisticRegressionClassifier.process = process
    try:
        parsed = [loop.run_until_complete(agent.parse_message(text)) for text in texts()]
    finally:
        LogisticRegressionClassifier.process = saved
    return [{key: data.get(key) for key in ("intent", "intent_ranking")} for data in parsed]


def test_the_served_model_scores_intents_directly(agent: Any) -> None:
    assert LogisticRegressionClassifier.process is process_directly
    [classifier] = [
        node._component
        for node in agent.processor.graph_runner._instantiated_nodes.values()
        if node._component_class is LogisticRegressionClassifier
    ]
    assert is_multinomial(classifier.clf)  # the direct path, not Rasa's, is what runs


def test_intents_and_rankings_are_rasas_own(
    agent: Any, event_loop_for_model: asyncio.AbstractEventLoop
) -> None:
    ours = parse_all(agent, event_loop_for_model, process_directly)
    rasas = parse_all(agent, event_loop_for_model, RASAS_PROCESS)
    assert len(ours) > 40
    for mine, theirs in zip(ours, rasas, strict=True):
        assert mine["intent"]["name"] == theirs["intent"]["name"]
        assert mine["intent"]["confidence"] == pytest.approx(
            theirs["intent"]["confidence"], abs=1e-12
        )
        assert [entry["name"] for entry in mine["intent_ranking"]] == [
            entry["name"] for entry in theirs["intent_ranking"]
        ]


def required_by_the_graph() -> set[str]:
    parameters, _ = _get_parameter_information(LogisticRegressionClassifier, "process")
    return _required_args(parameters)


def test_the_graph_asks_the_patched_process_for_what_it_asks_rasas(patches):
    rasas = required_by_the_graph()
    patches("turn")
    assert LogisticRegressionClassifier.process is process_directly
    assert required_by_the_graph() == rasas == {"messages"}
    assert RASAS_PROCESS is not process_directly
