"""bot.leads.candidates: how the form reads a developer's profile."""

from __future__ import annotations

from bot.leads.candidates import as_profile_answer, field_answered, profile_only
from bot.leads.extraction import Message


def test_a_job_seekers_words_answer_the_profile():
    message = Message("I'm a QA engineer looking for work", intent="job_seeker")
    assert as_profile_answer(message).intent == "inform"
    assert as_profile_answer(Message("stop", intent="stop")).intent == "stop"


def test_roles_or_technologies_at_the_name_question_are_profile_not_a_name():
    profile = Message("manual QA, Selenium", entities=(("tech_stack", "Selenium"),))
    assert field_answered(profile, "name") is None
    assert field_answered(Message("Petra Novak"), "name") == "name"


def test_a_profile_keeps_only_its_own_fields():
    found = {"tech_stack": ["Selenium"], "team_size": 5, "company": "Selenium", "name": "Petra"}
    assert profile_only(found) == {"tech_stack": ["Selenium"], "name": "Petra"}
