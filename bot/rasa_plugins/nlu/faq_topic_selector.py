"""An NLU component that picks the FAQ topic, in Rasa's ResponseSelector format.

It fills ``response_selector.faq`` as Rasa's ResponseSelector does, so the rule
``intent: faq -> utter_faq`` and Rasa's evaluation work unchanged; the model
behind it differs (``bot.answers.faq.topic_model``), and the answer it names is the
plain response ``utter_faq_<topic>`` (``bot.answers.faq.topics.answer_response``), so
that editing an answer retrains no NLU component. Its weights are
not pickled: the trained pipeline is saved with skops, which loads it in a
fraction of the time that training it again at each server start took. The training
examples are kept as JSON too: a model saved without the pipeline, or with
types the topic model does not write, is trained again from them.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.answers.faq.topic_model import TopicModel, TopicScore, UnexpectedSavedTypesError
from bot.answers.faq.topics import answer_response

logger = logging.getLogger(__name__)

EXAMPLES_FILE = "examples.json"
MODEL_FILE = "topic_model.skops"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqTopicSelector(GraphComponent):
    """Chooses the ``faq/<topic>`` answer for a message classified as ``faq``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The retrieval intent, the model's regularisation and the ranking length."""
        return {"retrieval_intent": "faq", "regularisation": 10.0, "ranking_length": 5}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: TopicModel | None = None,
    ) -> None:
        """Keeps the configuration and, once trained or loaded, the model."""
        self.config = {**self.get_default_config(), **config}
        self.retrieval_intent = str(self.config["retrieval_intent"])
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FaqTopicSelector:
        """Creates an untrained selector."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Trains on the retrieval intent's examples and stores them with the model."""
        examples = [
            (str(message.get(TEXT)), str(message.get(INTENT_RESPONSE_KEY)))
            for message in training_data.intent_examples
            if message.get(INTENT) == self.retrieval_intent and message.get(TEXT)
        ]
        if not examples:
            return self._resource
        self.model = self._fit(examples)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / EXAMPLES_FILE).write_text(json.dumps(examples), encoding="utf-8")
            self.model.save(directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> FaqTopicSelector:
        """Loads the saved model, or trains it again from the stored examples."""
        selector = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                selector.model = selector._saved_model(directory / MODEL_FILE)
                if selector.model is None:
                    examples = json.loads((directory / EXAMPLES_FILE).read_text("utf-8"))
                    selector.model = selector._fit([(text, label) for text, label in examples])
        except (ValueError, FileNotFoundError):
            pass  # trained without any FAQ example
        return selector

    def _saved_model(self, path: Path) -> TopicModel | None:
        if not path.is_file():
            return None
        try:
            return TopicModel.load(path, regularisation=float(self.config["regularisation"]))
        except UnexpectedSavedTypesError as error:
            logger.warning("The FAQ topic model is trained again from its examples: %s", error)
            return None

    def _fit(self, examples: list[tuple[str, str]]) -> TopicModel:
        texts, labels = zip(*examples, strict=True)
        return TopicModel(regularisation=float(self.config["regularisation"])).fit(texts, labels)

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds the likeliest topic and a ranking under ``response_selector``."""
        if self.model is None:
            return messages
        rankings = self.model.rank([str(message.get(TEXT) or "") for message in messages])
        for message, ranking in zip(messages, rankings, strict=True):
            selector = message.get("response_selector") or {}
            selector["all_retrieval_intents"] = [self.retrieval_intent]
            selector[self.retrieval_intent] = self._prediction(ranking)
            message.set("response_selector", selector, add_to_output=True)
        return messages

    def _prediction(self, ranking: list[TopicScore]) -> dict[str, Any]:
        best = ranking[0]
        return {
            "response": {
                "intent_response_key": best.label,
                "utter_action": answer_response(best.label),
                "confidence": best.confidence,
            },
            "ranking": [
                {"intent_response_key": score.label, "confidence": score.confidence}
                for score in ranking[: int(self.config["ranking_length"])]
            ],
        }
