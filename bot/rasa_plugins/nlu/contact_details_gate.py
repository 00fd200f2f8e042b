"""An NLU component that reads a message holding an email address as contact details.

The intent classifier scores a message by its words and character n-grams, so
contact details can sound like something else: "Lucia Gomez, Umbrella Corp,
lucia@umbrella.example" came out as ``goodbye`` (0.75; "Lucia" shares "cia"
with "ciao"), and the goodbye rule then interrupted the lead form. A valid
email address is not said in passing by someone leaving, thanking or greeting:
this gate, after the classifier, turns those intents into ``inform`` when the
message holds one.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.leads.parsing.contact import email_address

INTENT = "intent"
OVERRIDDEN = "overridden_intents"
ANSWER_INTENT = "answer_intent"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ContactDetailsGate(GraphComponent, IntentClassifier):
    """Replaces small-talk intents by ``inform`` for a message with an email address."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Runs after the intent classifier."""
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The intents that never carry contact details, and the answer intent."""
        return {
            OVERRIDDEN: [
                "goodbye",
                "thank",
                "greet",
                "affirm",
                "deny",
                "bot_challenge",
                "what_can_you_do",
                "out_of_scope",
                # "Mei Chen, Hooli, mei@hooli.example" read as "call me" (0.52):
                # someone giving an email address is not asking for a call
                "request_callback",
            ],
            ANSWER_INTENT: "inform",
        }

    def __init__(self, config: dict[str, Any]) -> None:
        """Keeps the component's configuration."""
        self.overridden = frozenset(config[OVERRIDDEN])
        self.answer_intent = str(config[ANSWER_INTENT])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ContactDetailsGate:
        """Creates the gate from its configuration."""
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: list[Message]) -> list[Message]:
        """Marks messages with an email address and a small-talk intent as answers."""
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get("name") not in self.overridden:
                continue
            if not isinstance(email_address(str(message.get(TEXT) or "")), str):
                continue
            answer = {"name": self.answer_intent, "confidence": 1.0}
            message.set(INTENT, answer, add_to_output=True)
            ranking = [
                item
                for item in message.get("intent_ranking") or []
                if item.get("name") != self.answer_intent
            ]
            message.set("intent_ranking", [dict(answer), *ranking], add_to_output=True)
        return messages
