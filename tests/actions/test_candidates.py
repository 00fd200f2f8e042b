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


async def test_a_profile_keeps_the_work_first_named_and_forgets_a_client_request(make_tracker):
    from actions.candidates import ActionStartCandidateProfile

    said = {
        "text": "I'm a Java developer looking for a job",
        "intent": {"name": "job_seeker", "confidence": 0.9},
        "entities": [
            {"entity": "tech_stack", "value": "Java"},
            {"entity": "role", "value": "developer"},
        ],
    }
    history = [
        {"event": "user", "text": said["text"], "parse_data": said},
        {"event": "action", "name": "action_job_seeker"},
        {"event": "user", "text": "yes", "parse_data": {"intent": {"name": "affirm"}}},
    ]
    tracker = make_tracker(text="yes", intent="affirm", events=history, slots={"team_size": 3})
    dispatcher = CollectingDispatcher()
    events = await ActionStartCandidateProfile().run(dispatcher, tracker, {})
    slots = {event["name"]: event["value"] for event in events}  # the last set wins
    assert slots["lead_kind"] == "candidate"
    assert (slots["tech_stack"], slots["roles"]) == (["Java"], ["developer"])
    assert slots["team_size"] is None
    assert dispatcher.messages[0]["response"] == "utter_candidate_intro"
