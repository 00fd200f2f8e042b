"""Rasa's ``LogisticRegressionClassifier`` scoring a message straight from its features.

For every message Rasa 3.6's classifier combines the message's sparse
features into one matrix (``get_sparse_features`` also stacks the per-token
features it then ignores), stacks that with an empty dense matrix, stacks the
rows of all messages, and lets scikit-learn check the result again before a
product with a few dozen non-zero entries: most of the classifier's time goes to
building and checking sparse matrices.

:func:`process_directly` computes the same multinomial probabilities from the
non-zero entries of the message's sentence features and the fitted weights,
and ranks them as Rasa does. A model it was not written for (one-vs-rest
scores, dense features) goes through Rasa's own ``process``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression

RASAS_PROCESS = LogisticRegressionClassifier.process


def sentence_entries(message: Message) -> tuple[np.ndarray, np.ndarray] | None:
    """Columns and values of the message's sparse sentence features, side by side in
    the order Rasa combines them; None if it has dense sentence features too."""
    sentence = [
        features
        for features in message.features
        if features.attribute == TEXT and features.type == FEATURE_TYPE_SENTENCE
    ]
    if any(features.is_dense() for features in sentence):
        return None
    columns, values, offset = [], [], 0
    for features in sentence:
        matrix = features.features.tocoo()
        columns.append(matrix.col + offset)
        values.append(matrix.data)
        offset += matrix.shape[1]
    if not columns:
        return np.empty(0, dtype=np.intp), np.empty(0)
    return np.concatenate(columns), np.concatenate(values).astype(np.float64)


def is_multinomial(classifier: LogisticRegression) -> bool:
    """Whether scikit-learn's ``predict_proba`` is the softmax of the linear scores."""
    one_vs_rest = classifier.multi_class in ("ovr", "warn") or (
        classifier.multi_class == "auto"
        and (classifier.classes_.size <= 2 or classifier.solver == "liblinear")
    )
    return not one_vs_rest


def process_directly(self: LogisticRegressionClassifier, messages: list[Message]) -> list[Message]:
    """Rasa's ``process``: each message's intent and ranking, scored without matrices."""
    entries = [sentence_entries(message) for message in messages]
    if not is_multinomial(self.clf) or any(entry is None for entry in entries):
        return RASAS_PROCESS(self, messages)
    weights, intercepts = self.clf.coef_, self.clf.intercept_
    for message, entry in zip(messages, entries, strict=True):
        assert entry is not None
        columns, values = entry
        probabilities = softmax(weights[:, columns] @ values + intercepts)
        _set_intent(self, message, probabilities)
    return messages


# Rasa validates a model's graph from the type hints of each component's process():
# an annotated ``self`` would read as a parameter the graph must provide.
del process_directly.__annotations__["self"]


def _set_intent(
    self: LogisticRegressionClassifier, message: Message, probabilities: np.ndarray
) -> None:
    # As Rasa's process() does, from its ranking to the message's fields.
    ranking: list[dict[str, Any]] = [
        {"name": name, "confidence": confidence}
        for name, confidence in zip(self.clf.classes_, probabilities, strict=True)
    ]
    ranking.sort(key=lambda entry: -entry["confidence"])
    intent = ranking[0]
    if self.config[RANKING_LENGTH] > 0:
        ranking = ranking[: self.config[RANKING_LENGTH]]
    message.set(INTENT, intent, add_to_output=True)
    message.set("intent_ranking", ranking, add_to_output=True)
