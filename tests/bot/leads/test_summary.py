"""The summary a visitor confirms."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.leads.summary import details_to_offer, escape_markdown, render_summary

SLOTS = {
    "roles": ["backend developer", "QA engineer"],
    "team_size": 4,
    "seniority": ["senior"],
    "tech_stack": ["Python"],
    "engagement_model": "outstaffing",
    "start": "next month",
    "start_date": "2026-12-23",
    "name": "Jane *Doe*",
    "company": "[Acme](javascript:alert(1))",
    "email": "jane@acme.com",
    "consent": True,
}


def test_summary_lists_every_field_given_with_labels_and_readable_values():
    summary = render_summary(SLOTS)
    assert "- **Roles:** backend developer, QA engineer" in summary
    assert "- **Engagement model:** Outstaffing" in summary
    assert "- **Start:** next month (from 23 Dec 2026)" in summary


def test_summary_leaves_out_details_not_given_and_the_consent_it_asks_for():
    summary = render_summary({"roles": ["QA engineer"], "team_size": 2, "consent": True})
    assert "Budget" not in summary
    assert "Seniority" not in summary
    assert "Consent" not in summary
    assert "- **Name:** not given" in summary  # asked, so its absence shows


def test_the_details_offered_are_those_missing_at_most_four():
    assert details_to_offer(SLOTS) == "budget"
    assert details_to_offer({}) == "seniority, tech stack, start date or company"
    assert details_to_offer({**SLOTS, "budget": "$20k"}) is None


def test_visitor_text_cannot_format_or_link():
    summary = render_summary(SLOTS)
    assert r"Jane \*Doe\*" in summary
    assert r"\[Acme\](javascript:alert(1))" in summary
    assert escape_markdown("<b>x</b>") == r"\<b\>x\</b\>"


@given(st.text(max_size=200))
def test_escaped_text_is_one_line_and_has_no_bare_markdown(text):
    escaped = escape_markdown(text)
    assert "\n" not in escaped
    unescaped = escaped.replace("\\\\", "")
    for special in "*_[]<>`":
        assert special not in unescaped.replace("\\" + special, "")


def test_a_call_back_summary_shows_what_was_given_and_nothing_not_asked():
    summary = render_summary({"lead_kind": "callback", "name": "Tom", "phone": "+44 20 7946 0958"})
    assert summary == "- **Name:** Tom\n- **Phone:** +44 20 7946 0958"


def test_a_candidate_profile_reads_in_the_developers_terms():
    summary = render_summary(
        {"lead_kind": "candidate", "roles": ["developer"], "name": "Ivan", "email": "i@x.io"}
    )
    assert "- **Your work:** developer" in summary
    assert "- **Email:** i@x.io" in summary
    assert "Team size" not in summary
