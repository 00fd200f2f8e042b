"""Hypothesis strategies for leads: any text a visitor could type, any moment."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import strategies as st

from bot.leads.model import LeadStatus, LeadSubmission, StoredLead, TranscriptTurn

# Every character a database stores as is: no NUL, no lone surrogate.
storable_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))
optional_text = st.none() | storable_text
# A detail the visitor may leave out: None when not given, never "" (the form
# stores no empty answer; the store keeps "not given" as "" in these columns).
detail_text = st.none() | storable_text.filter(bool)
texts = st.lists(storable_text, max_size=4).map(tuple)
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=offsets
)
turns = st.builds(
    TranscriptTurn, speaker=st.sampled_from(["visitor", "bot"]), text=storable_text, at=moments
)

submissions = st.builds(
    LeadSubmission,
    conversation_id=storable_text,
    request_key=storable_text,
    roles=texts,
    team_size=st.integers(min_value=1, max_value=10_000),
    seniority=texts,
    tech_stack=texts,
    engagement_model=detail_text,
    start_text=detail_text,
    name=storable_text,
    email=storable_text,
    company=detail_text,
    consent_text=storable_text,
    consent_given_at=moments,
    start_date=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    duration=optional_text,
    budget=optional_text,
    phone=optional_text,
    page_url=optional_text,
    transcript=st.lists(turns, max_size=5).map(tuple),
)

stored_leads = st.builds(
    StoredLead,
    id=st.integers(min_value=1, max_value=2**31 - 1),
    submission=submissions,
    status=st.sampled_from(LeadStatus),
    notes=storable_text,
    version=st.integers(min_value=1, max_value=1000),
    created_at=moments,
    updated_at=moments,
    possible_duplicate_of=st.none() | st.integers(min_value=1, max_value=2**31 - 1),
)
