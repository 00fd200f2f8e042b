"""The ways out to a person and the candidate path, through the trained bot:
the held-out table exits.yml (issue 22, item 5)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from bot.settings import load_settings
from tests.conftest import load_yaml
from tests.model.test_form_partials import Run, run_visitor

pytestmark = pytest.mark.model

TABLE = load_yaml("tests/model/exits.yml")
MIN_RIGHT = 0.90


async def first_turn(agent: Any, text: str) -> dict[str, Any]:
    """What one message in a new conversation gets: the reply and the state after it."""
    sender = f"exit-{uuid.uuid4()}"
    replies = await agent.handle_text(text, sender_id=sender)
    tracker = await agent.tracker_store.retrieve(sender)
    return {
        "text": " ".join(str(reply.get("text") or "") for reply in replies),
        "buttons": [
            button.get("title") for reply in replies for button in reply.get("buttons") or []
        ],
        "asked": tracker.get_slot("requested_slot"),
        "kind": tracker.get_slot("lead_kind"),
    }


def outcome(turn: dict[str, Any], agency_email: str) -> str:
    """Which path the reply took: contact, callback, candidate or something else."""
    gives_email = agency_email in turn["text"]
    if turn["kind"] == "callback" and turn["asked"] in ("name", "phone") and gives_email:
        return "callback"
    offers_call = any("call" in str(title).lower() for title in turn["buttons"])
    if gives_email and offers_call and turn["asked"] is None:
        return "contact"
    if gives_email and turn["asked"] is None and "develop" in turn["text"].lower():
        return "candidate"
    return "other"


@pytest.fixture(scope="module")
def first_turns(agent: Any, event_loop_for_model: asyncio.AbstractEventLoop) -> list[dict]:
    async def run_all() -> list[dict]:
        return [await first_turn(agent, case["say"]) for case in TABLE["first_turns"]]

    return event_loop_for_model.run_until_complete(run_all())


@pytest.fixture(scope="module")
def conversations(agent: Any, event_loop_for_model: asyncio.AbstractEventLoop) -> list[Run]:
    async def run_all() -> list[Run]:
        return [await run_visitor(agent, case) for case in TABLE["conversations"]]

    return event_loop_for_model.run_until_complete(run_all())


def test_a_person_a_call_back_or_the_candidate_path_from_the_first_message(first_turns):
    email = load_settings().agency_email
    wrong = [
        (case["say"], case["expect"], outcome(turn, email), turn["text"])
        for case, turn in zip(TABLE["first_turns"], first_turns, strict=True)
        if outcome(turn, email) != case["expect"]
    ]
    right = 1 - len(wrong) / len(first_turns)
    print(f"\nfirst turns right: {right:.3f} ({len(first_turns) - len(wrong)}/{len(first_turns)})")
    for say, want, got, text in wrong:
        print(f"  {say!r}: expected {want}, got {got}: {text[:160]!r}")
    assert right >= MIN_RIGHT


def digits(text: Any) -> str:
    return "".join(character for character in str(text) if character.isdigit())


def problems_of(run: Run) -> list[str]:
    """The runner's problems, but for the consent (given by the yes to the
    summary) and the phone number's spacing (stored in international format)."""
    phone = run.case["expect"].get("phone")
    stored_phone = run.summary_slots.get("phone")
    return [
        problem
        for problem in run.problems()
        if not problem.startswith("consent:")
        and not (problem.startswith("phone:") and digits(phone) == digits(stored_phone))
    ]


def test_call_backs_and_candidates_are_stored_of_their_kind_with_what_was_said(conversations):
    failed = {}
    for run in conversations:
        problems = problems_of(run)
        kind = run.summary_slots.get("lead_kind")
        if kind != run.case["kind"]:
            problems.append(f"stored as {kind!r}, expected {run.case['kind']!r}")
        if problems:
            failed[run.case["id"]] = problems
            print(f"\n{run.case['id']}: " + "; ".join(problems) + "\n" + "\n".join(run.transcript))
    print(f"\nconversations right: {len(conversations) - len(failed)}/{len(conversations)}")
    assert not failed
