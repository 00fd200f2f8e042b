"""The FAQ topic selector trained, saved and loaded through Rasa's model storage."""

from __future__ import annotations

import datetime
import logging
from pathlib import Path
from typing import Any

import pytest
import skops.io
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_plugins.nlu.faq_topic_selector import EXAMPLES_FILE, MODEL_FILE, FaqTopicSelector
from tests.bot.answers.faq.test_topic_model import EXAMPLES

QUESTIONS = ["what does outsourcing mean", "is offshoring risky for us"]
RESOURCE = Resource("faq_topic_selector")


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def train(storage: LocalModelStorage) -> FaqTopicSelector:
    messages = [
        Message(data={TEXT: text, INTENT: "faq", INTENT_RESPONSE_KEY: label})
        for text, label in EXAMPLES
    ]
    selector = FaqTopicSelector.create({}, storage, RESOURCE, context())
    selector.train(TrainingData(training_examples=messages))
    return selector


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test-model")


def load(storage: LocalModelStorage) -> FaqTopicSelector:
    return FaqTopicSelector.load({}, storage, RESOURCE, context())


def selections(selector: FaqTopicSelector) -> list[Any]:
    messages = selector.process([Message(data={TEXT: text}) for text in QUESTIONS])
    return [message.get("response_selector") for message in messages]


def stored(storage: LocalModelStorage, name: str) -> Path:
    with storage.read_from(RESOURCE) as directory:
        return directory / name


def test_a_loaded_selector_picks_as_the_trained_one_from_the_saved_model(storage):
    trained = train(storage)
    stored(storage, EXAMPLES_FILE).unlink()  # so the loaded model can only be the saved one
    loaded = load(storage)
    assert selections(loaded) == selections(trained)
    assert selections(loaded)[0]["faq"]["response"]["intent_response_key"] == (
        "faq/define_outsourcing"
    )


def test_a_model_saved_without_the_pipeline_is_trained_again_from_its_examples(storage):
    trained = train(storage)
    stored(storage, MODEL_FILE).unlink()  # as models trained before it was saved
    assert selections(load(storage)) == selections(trained)


def test_a_saved_file_with_unexpected_types_is_not_loaded(storage, caplog):
    trained = train(storage)
    skops.io.dump({"trained": datetime.date(2026, 1, 1)}, stored(storage, MODEL_FILE))
    with caplog.at_level(logging.WARNING):
        loaded = load(storage)
    assert selections(loaded) == selections(trained)
    assert "trained again from its examples" in caplog.text


def test_a_selector_trained_without_faq_examples_selects_nothing(storage):
    selector = FaqTopicSelector.create({}, storage, RESOURCE, context())
    selector.train(TrainingData(training_examples=[Message(data={TEXT: "hi", INTENT: "greet"})]))
    loaded = load(storage)
    assert loaded.model is None
    assert selections(loaded) == [None, None]
