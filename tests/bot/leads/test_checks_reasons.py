"""Every refusal a check gives is one of the reasons listed in REASONS."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.leads import checks
from bot.leads.parsing.result import Invalid

CHECKS = {
    "roles": checks.check_list,
    "tech_stack": checks.check_list,
    "team_size": checks.check_team_size,
    "seniority": checks.check_seniority,
    "engagement_model": checks.check_engagement_model,
    "start": lambda value: checks.check_start(value, date(2026, 11, 23)),
    "duration": checks.check_free_text,
    "budget": checks.check_free_text,
    "name": checks.check_name,
    "company": checks.check_company,
    "email": checks.check_email,
    "phone": checks.check_phone,
}
CANDIDATES = st.one_of(
    st.text(max_size=300),
    st.integers(-(10**7), 10**7),
    st.lists(st.text(max_size=70), max_size=20),
    st.booleans(),
    st.sampled_from(["0", "-5", "1000000", "a lot", "jane@", "1 Jan 2020", "x" * 3000]),
    st.sampled_from(["my phone is +44 20 7946 0958", "I just told you", "why do you need it?"]),
)


def test_every_field_has_a_check():
    assert set(CHECKS) == set(checks.REASONS)


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(sorted(CHECKS)), candidate=CANDIDATES)
def test_checks_refuse_only_with_listed_reasons(field, candidate):
    result = CHECKS[field](candidate)
    if isinstance(result, Invalid):
        assert result.code in checks.REASONS[field]
