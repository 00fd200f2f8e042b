"""The names bot review and bot stats read events by are the domain's own."""

from __future__ import annotations

import yaml

from bot.conversations import names
from tests.conftest import ROOT


def test_every_action_slot_form_and_response_named_is_in_the_domain():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))

    assert names.KNOWLEDGE_ACTION in domain["actions"]
    assert names.SUBMIT_ACTION in domain["actions"]
    assert names.CANCEL_ACTION in domain["actions"]
    assert names.KNOWLEDGE_QUESTION_SLOT in domain["slots"]
    assert names.LEAD_FORM in domain["forms"]
    assert names.CANCELLED_RESPONSE in domain["responses"]
