"""An NLU component that marks a message clearly written in another language.

The classifiers were trained on English: a message in Spanish or Russian gets
whatever intent its few shared words suggest. This gate, last in the
pipeline, gives such a message the intent ``other_language`` and the entity
``language`` (its ISO 639-1 code, which fills the slot ``visitor_language``),
so that the bot says in that language that it answers in English
(:mod:`bot.languages` decides; English and unclear messages pass untouched).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.languages import visitor_language

OTHER_LANGUAGE_INTENT = "other_language"
LANGUAGE_ENTITY = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OtherLanguageGate(GraphComponent, IntentClassifier):
    """Gives a message clearly not in English the intent ``other_language``."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Runs after the intent classifier."""
        return [IntentClassifier]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> OtherLanguageGate:
        """Creates the gate; the language model loads on the first message."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Marks each message in another language with its intent and entity."""
        for message in messages:
            text = str(message.get(TEXT) or "")
            language = visitor_language(text) if text and not text.startswith("/") else None
            if language is None:
                continue
            intent = {"name": OTHER_LANGUAGE_INTENT, "confidence": 1.0}
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [dict(intent)], add_to_output=True)
            entity = {
                "entity": LANGUAGE_ENTITY,
                "value": language,
                "start": 0,
                "end": len(text),
                "extractor": type(self).__name__,
            }
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages
