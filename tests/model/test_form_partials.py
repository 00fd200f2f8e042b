"""Scripted lead-form visitors through the trained bot: the held-out table
form_partials.yml (visitors who answer part of a question, vaguely, or by
typing where buttons were offered)."""

from __future__ import annotations

import asyncio
import statistics
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from rasa.shared.core.events import BotUttered, UserUttered

from bot.leads.fields import FIELDS
from tests.conftest import load_yaml

pytestmark = pytest.mark.model

LEAD_FIELDS = tuple(lead_field.slot for lead_field in FIELDS)
MAX_TURNS = 30
MIN_RIGHT = 0.90


@dataclass
class Run:
    """What happened to one scripted visitor."""

    case: dict[str, Any]
    turns: int = 0
    stored: bool = False
    prompts: list[str] = field(default_factory=list)  # the bot's last message of each turn
    summary_slots: dict[str, Any] = field(default_factory=dict)
    transcript: list[str] = field(default_factory=list)
    said_yes_to_summary: bool = False
    unsaid: str = ""  # the scripted answers to questions the form never put
    asked: set[str] = field(default_factory=set)  # the slots the form asked for

    def judged(self) -> dict[str, Any]:
        """The expected values the visitor got to say: every one but those
        only in answers to questions never put (the form asks only for the
        team and the contact; this visitor says the rest only when asked)."""
        judged: dict[str, Any] = {}
        never_asked = set(self.case.get("when_asked", {})) - self.asked - {"consent"}
        for slot, want in self.case["expect"].items():
            if slot in never_asked:
                continue
            if isinstance(want, list):
                said = [item for item in want if str(item).lower() not in self.unsaid]
                if said:
                    judged[slot] = said
            elif isinstance(want, bool) or str(want).lower() not in self.unsaid:
                judged[slot] = want
        return judged

    def thrice_in_a_row(self) -> list[str]:
        """The prompts the bot sent three times in a row."""
        triples = zip(self.prompts, self.prompts[1:], self.prompts[2:], strict=False)
        return sorted({first for first, second, third in triples if first == second == third})

    def wrong_values(self) -> list[str]:
        """Expected values missing from the summary, and values nobody gave."""
        expected = self.case["expect"]
        stored = {**self.summary_slots, "consent": self.stored}  # "Yes, send it" consents
        problems = [
            f"{slot}: expected {want!r}, stored {stored.get(slot)!r}"
            for slot, want in self.judged().items()
            if not matches(stored.get(slot), want)
        ]
        problems += [
            f"{slot}: {value!r} stored, never given"
            for slot, value in stored.items()
            if slot in LEAD_FIELDS and value not in (None, False) and slot not in expected
        ]
        return problems

    def problems(self) -> list[str]:
        found = self.wrong_values() + [f"sent three times: {p!r}" for p in self.thrice_in_a_row()]
        return found if self.stored else ["no lead stored", *found]


def matches(stored: Any, want: Any) -> bool:
    """A stored slot value is the expected one (texts: found case-insensitively)."""
    if isinstance(want, (bool, int)):
        return stored == want
    values = stored if isinstance(stored, list) else [stored]
    text = " | ".join(str(value).lower() for value in values if value is not None)
    wanted = want if isinstance(want, list) else [want]
    return bool(text) and all(str(item).lower() in text for item in wanted)


async def run_visitor(agent: Any, case: dict[str, Any]) -> Run:
    """Plays one case through the bot until the lead is stored or MAX_TURNS."""
    sender = f"form-partial-{uuid.uuid4()}"
    run = Run(case)
    answers = {slot: list(messages) for slot, messages in case.get("when_asked", {}).items()}
    queue = list(case["say"])
    tracker = None
    while run.turns < MAX_TURNS:
        message = queue.pop(0) if queue else next_answer(run, answers, tracker)
        if message is None:
            break
        run.turns += 1
        replies = await agent.handle_text(message, sender_id=sender)
        tracker = await agent.tracker_store.retrieve(sender)
        texts = [reply.get("text") or "" for reply in replies]
        run.transcript += [f"> {message}", *(f"< {' '.join(text.split())}" for text in texts)]
        run.prompts.append(texts[-1] if texts else "")
        events = list(tracker.events)
        last_user = max(i for i, event in enumerate(events) if isinstance(event, UserUttered))
        responses = [
            (event.metadata or {}).get("utter_action")
            for event in events[last_user + 1 :]
            if isinstance(event, BotUttered)
        ]
        if "utter_lead_summary" in responses:
            run.summary_slots = dict(tracker.current_slot_values())
        if "utter_lead_submitted" in responses:
            run.stored = True
            break
    run.unsaid = " | ".join(text for texts in answers.values() for text in texts).lower()
    return run


def next_answer(run: Run, answers: dict[str, list[str]], tracker: Any) -> str | None:
    """What the scripted visitor says now: the next answer to the slot asked,
    "skip" when they have none, "yes" to the summary."""
    asked = tracker.get_slot("requested_slot")
    if asked is None:
        if not run.summary_slots or run.said_yes_to_summary:
            return None
        run.said_yes_to_summary = True
        return "yes"
    run.asked.add(asked)
    queued = answers.get(asked) or []
    return queued.pop(0) if queued else "skip"


@pytest.fixture(scope="module")
def runs(agent: Any, event_loop_for_model: asyncio.AbstractEventLoop) -> list[Run]:
    cases = load_yaml("tests/model/form_partials.yml")["cases"]

    async def run_all() -> list[Run]:
        return [await run_visitor(agent, case) for case in cases]

    return event_loop_for_model.run_until_complete(run_all())


def test_the_table_has_at_least_twenty_conversations(runs):
    assert len(runs) >= 20


def test_partial_answers_reach_a_lead_with_only_what_the_visitor_said(runs):
    failed = {run.case["id"]: run.problems() for run in runs if run.problems()}
    right = 1 - len(failed) / len(runs)
    turns = [run.turns for run in runs if run.stored]
    print(
        f"\nform conversations right: {right:.3f} ({len(runs) - len(failed)}/{len(runs)}), "
        f"median turns to a stored lead {statistics.median(turns) if turns else '-'}"
    )
    for run in runs:
        if run.problems():
            print(f"\n{run.case['id']}: " + "; ".join(run.problems()))
            print("\n".join(run.transcript))
    assert right >= MIN_RIGHT, failed


def test_no_prompt_is_sent_three_times_in_a_row(runs):
    repeated = {run.case["id"]: run.thrice_in_a_row() for run in runs if run.thrice_in_a_row()}
    print(f"\nprompts sent three times in a row: {sum(map(len, repeated.values()))}")
    assert not repeated


def test_no_value_is_stored_that_the_visitor_did_not_give(runs):
    guessed = {
        run.case["id"]: [problem for problem in run.wrong_values() if "never given" in problem]
        for run in runs
    }
    guessed = {case_id: problems for case_id, problems in guessed.items() if problems}
    print(f"\nvalues stored that nobody gave: {sum(map(len, guessed.values()))}")
    assert not guessed
