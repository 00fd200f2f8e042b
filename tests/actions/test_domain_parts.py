"""The actions Rasa sends only part of the domain (DOMAIN_PARTS) act exactly as with all
of it: the same events and the same messages, on the project's real domain."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk.executor import CollectingDispatcher

from actions.lead import ActionShowLeadSummary
from actions.lead_form import ValidateLeadForm
from bot.rasa_patches.serving.action_connections import domain_part
from bot.rasa_plugins.endpoints import DOMAIN_PARTS
from tests.actions.conftest import build_tracker
from tests.conftest import ROOT

# Rasa's own dictionary of the domain, as it sends it.
WHOLE = Domain.load(str(ROOT / "domain.yml")).as_dict()

FORM_TURNS = [
    build_tracker(
        text="we need 3 senior Python developers for 6 months",
        intent="hire_developers",
        entities=[
            {"entity": "seniority", "value": "senior"},
            {"entity": "tech_stack", "value": "Python"},
            {"entity": "role", "value": "developers"},
        ],
        active_loop="lead_form",
    ),
    build_tracker(text="0", slots={"requested_slot": "team_size", "roles": ["dev"]}),
    build_tracker(text="olena@brightpixel.io", slots={"requested_slot": "name"}),
    build_tracker(text="not sure yet", intent="nlu_fallback", slots={"requested_slot": "roles"}),
]
SUMMARIES = [
    {"roles": ["QA engineer"], "team_size": 2, "name": "Jane", "email": "jane@acme.example"},
    {"lead_kind": "callback", "name": "Jane", "phone": "+44 20 7946 0958"},
]


async def acted(action, tracker, domain):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    kept = [event for event in events if event.get("name") != "lead_request_id"]  # a new uuid
    return kept, dispatcher.messages


@pytest.mark.parametrize("tracker", FORM_TURNS)
async def test_the_form_validation_acts_alike_with_its_part_of_the_domain(tracker):
    part = domain_part(WHOLE, DOMAIN_PARTS["validate_lead_form"])

    assert await acted(ValidateLeadForm(), tracker, part) == await acted(
        ValidateLeadForm(), tracker, WHOLE
    )


@pytest.mark.parametrize("slots", SUMMARIES)
async def test_the_summary_acts_alike_with_its_part_of_the_domain(slots):
    part = domain_part(WHOLE, DOMAIN_PARTS["action_show_lead_summary"])
    tracker = build_tracker(slots=slots)

    with_part = await acted(ActionShowLeadSummary(), tracker, part)

    assert with_part == await acted(ActionShowLeadSummary(), tracker, WHOLE)
    assert any(event.get("name") == "consent_text" and event["value"] for event in with_part[0])
