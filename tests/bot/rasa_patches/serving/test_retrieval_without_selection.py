"""bot.rasa_patches.serving.retrieval_without_selection: a typed /faq says nothing."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.actions.action import ActionRetrieveResponse
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_patches.serving.retrieval_without_selection import answering_only_a_selection


def test_a_retrieval_intent_without_a_selection_is_answered_with_nothing():
    typed = UserUttered("/faq", intent={"name": "faq", "confidence": 1.0})
    tracker = DialogueStateTracker.from_events("visitor", [typed])
    action = ActionRetrieveResponse("utter_faq")
    arguments = (CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker)
    rasas_run = ActionRetrieveResponse.__dict__["run"]

    with pytest.raises(KeyError):  # Rasa 3.6 as it is
        asyncio.run(rasas_run(action, *arguments, Domain.empty()))
    run = answering_only_a_selection(rasas_run)
    assert asyncio.run(run(action, *arguments, Domain.empty())) == []
