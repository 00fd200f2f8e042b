"""Checks of candidate values: clean values pass, refusals carry a reason."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.leads import checks
from bot.leads.parsing.result import Invalid
from bot.leads.parsing.timing import Start


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        (3, 3),
        ("five people", 5),
        (0, Invalid("too_small")),
        (1_000_000, Invalid("too_large")),
        ("a lot", Invalid("vague")),
        (True, Invalid("not_a_number")),
    ],
)
def test_team_size_check(candidate, expected):
    assert checks.check_team_size(candidate) == expected


def test_engagement_model_accepts_canonical_names_and_aliases():
    assert checks.check_engagement_model("offshore_team") == "offshore_team"
    assert checks.check_engagement_model("staff augmentation") == "outstaffing"
    assert checks.check_engagement_model("I don't know") == Invalid("unknown")
    assert checks.check_engagement_model("not sure") == "not_sure"


def test_seniority_check_keeps_known_levels_in_order():
    assert checks.check_seniority(["senior", "junior"]) == ["junior", "senior"]
    assert checks.check_seniority(["mixed"]) == ["mixed"]
    assert checks.check_seniority(["expert"]) == Invalid("unknown")


def test_start_check_returns_words_and_date():
    assert checks.check_start("next month", date(2026, 11, 23)) == Start(
        "next month", date(2026, 12, 23)
    )


def test_a_list_that_only_hedges_is_refused_as_unsure():
    assert checks.check_list("not sure yet") == Invalid("unsure")
    assert checks.check_list(["up to you"]) == Invalid("unsure")
    assert checks.check_list("not sure, probably backend") == ["not sure", "probably backend"]


def test_email_and_phone_checks_say_when_nothing_is_there():
    assert checks.check_email("Initech") == Invalid("missing")
    assert checks.check_phone("none") == Invalid("missing")
    assert checks.check_email("a@b.io") == "a@b.io"


CHECKS_OF_CLEAN_VALUES = [
    (checks.check_team_size, st.integers(1, 200)),
    (checks.check_list, st.lists(st.from_regex(r"[A-Za-z][A-Za-z.#+ ]{0,20}", fullmatch=True))),
    (checks.check_free_text, st.text(max_size=200)),
    (checks.check_name, st.text(max_size=100)),
    (checks.check_company, st.text(max_size=150)),
]


@pytest.mark.parametrize(("check", "values"), CHECKS_OF_CLEAN_VALUES)
@given(data=st.data())
def test_checking_a_checked_value_again_changes_nothing(check, values, data):
    value = check(data.draw(values))
    if not isinstance(value, Invalid):
        assert check(value) == value
