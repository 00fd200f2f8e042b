"""How many messages a visitor needs to get a lead to sales: the held-out
table form_lengths.yml, played through the trained bot (issue 22: median at
most 6 one thing at a time, at most 3 all at once)."""

from __future__ import annotations

import asyncio
import statistics
from typing import Any

import pytest

from tests.conftest import load_yaml
from tests.model.test_form_partials import Run, matches, run_visitor

pytestmark = pytest.mark.model

MAX_MEDIAN_TURNS = {"one_at_a_time": 6, "all_at_once": 3}


@pytest.fixture(scope="module")
def runs(agent: Any, event_loop_for_model: asyncio.AbstractEventLoop) -> list[Run]:
    cases = load_yaml("tests/model/form_lengths.yml")["cases"]

    async def run_all() -> list[Run]:
        return [await run_visitor(agent, case) for case in cases]

    return event_loop_for_model.run_until_complete(run_all())


def missing_values(run: Run) -> list[str]:
    """The expected values the stored lead lacks (other values may be there too)."""
    return [
        f"{slot}: expected {want!r}, stored {run.summary_slots.get(slot)!r}"
        for slot, want in run.case["expect"].items()
        if not matches(run.summary_slots.get(slot), want)
    ]


def test_every_visitor_gets_a_lead_stored_with_what_they_said(runs):
    failed = {
        run.case["id"]: (missing_values(run) if run.stored else ["no lead stored"])
        for run in runs
        if missing_values(run) or not run.stored
    }
    for run in runs:
        if run.case["id"] in failed:
            print(f"\n{run.case['id']}: {failed[run.case['id']]}\n" + "\n".join(run.transcript))
    assert not failed


@pytest.mark.parametrize("kind", sorted(MAX_MEDIAN_TURNS))
def test_median_messages_to_a_stored_lead(runs, kind):
    turns = [run.turns for run in runs if run.case["kind"] == kind]
    median = statistics.median(turns)
    print(f"\n{kind}: messages to a stored lead {sorted(turns)}, median {median}")
    assert median <= MAX_MEDIAN_TURNS[kind]
