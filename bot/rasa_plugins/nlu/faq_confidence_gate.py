"""An NLU component that never lets an unsure FAQ topic answer with confidence.

Rasa's ``FallbackClassifier`` looks only at the intent. For the retrieval
intent ``faq`` that is not enough: DIET can be sure a message is *an* FAQ
while the ResponseSelector is unsure *which* one, and ``utter_faq`` would then
give another topic's answer. This gate runs after both and turns such a
message into ``nlu_fallback``, which the fallback rule answers by suggesting
the likeliest topics.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.training_data.message import Message

THRESHOLD = "threshold"
RETRIEVAL_INTENT = "retrieval_intent"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FaqConfidenceGate(GraphComponent, IntentClassifier):
    """Replaces a retrieval intent by ``nlu_fallback`` when its topic is unsure."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Runs after the intent classifiers (and so after the ResponseSelector)."""
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Minimum topic confidence, and the retrieval intent it guards."""
        return {THRESHOLD: 0.5, RETRIEVAL_INTENT: "faq"}

    def __init__(self, config: dict[str, Any]) -> None:
        """Keeps the component's configuration."""
        self.threshold = float(config[THRESHOLD])
        self.retrieval_intent = str(config[RETRIEVAL_INTENT])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FaqConfidenceGate:
        """Creates the gate from its configuration."""
        return cls({**cls.get_default_config(), **config})

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Rejects a threshold outside 0..1."""
        threshold = config.get(THRESHOLD, cls.get_default_config()[THRESHOLD])
        if not 0.0 <= float(threshold) <= 1.0:
            raise ValueError(f"FaqConfidenceGate threshold must be within 0..1, got {threshold}")

    def process(self, messages: list[Message]) -> list[Message]:
        """Marks messages whose FAQ topic is below the threshold as nlu_fallback."""
        for message in messages:
            if self._topic_is_unsure(message):
                fallback = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": self.threshold}
                message.data["intent"] = fallback
                message.data.setdefault("intent_ranking", []).insert(0, dict(fallback))
        return messages

    def _topic_is_unsure(self, message: Message) -> bool:
        intent = message.data.get("intent") or {}
        if intent.get("name") != self.retrieval_intent:
            return False
        selection = (message.data.get("response_selector") or {}).get(self.retrieval_intent)
        if not selection:
            return True
        return float(selection["response"]["confidence"]) < self.threshold
