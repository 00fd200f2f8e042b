"""intent_scores (bot.rasa_patches.turn): installed, a model's graph still validates.

(tests/model/test_intent_scores.py compares its scores with Rasa's on the trained model.)
"""

from __future__ import annotations

from rasa.engine.validation import _get_parameter_information, _required_args
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

from bot.rasa_patches.turn.intent_scores import RASAS_PROCESS, process_directly


def required_by_the_graph() -> set[str]:
    parameters, _ = _get_parameter_information(LogisticRegressionClassifier, "process")
    return _required_args(parameters)


def test_the_graph_asks_the_patched_process_for_what_it_asks_rasas(patches):
    rasas = required_by_the_graph()
    patches("turn")
    assert LogisticRegressionClassifier.process is process_directly
    assert required_by_the_graph() == rasas == {"messages"}
    assert RASAS_PROCESS is not process_directly
