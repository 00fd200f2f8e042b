"""The candidate path (actions/candidates.py) with a real tracker."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.candidates import ActionJobSeeker


async def test_a_developer_looking_for_work_hears_where_to_apply(make_tracker):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="I'm a Java developer looking for a job", intent="job_seeker")
    events = await ActionJobSeeker().run(dispatcher, tracker, {})
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_job_seeker"
    assert reply["agency_email"] == "hello@agency.example"
    assert events == []  # no lead slot is touched
