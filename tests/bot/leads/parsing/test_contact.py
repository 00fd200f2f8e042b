"""Name, company, email and phone from the visitor's words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.leads.parsing.contact import (
    ContactDetails,
    company_name,
    contact_details,
    email_address,
    person_name,
    phone_number,
)
from bot.leads.parsing.result import Invalid


@pytest.mark.parametrize(
    ("text", "details"),
    [
        (
            "Jane Doe, Acme Ltd, jane@acme.com",
            ContactDetails("Jane Doe", "Acme Ltd", "jane@acme.com"),
        ),
        ("Jane Doe from Acme", ContactDetails("Jane Doe", "Acme")),
        ("Jane at Bank of America", ContactDetails("Jane", "Bank of America")),
        (
            "I'm Jane Doe from Acme Ltd, jane@acme.com, +44 20 7946 0958",
            ContactDetails("Jane Doe", "Acme Ltd", "jane@acme.com", "+44 20 7946 0958"),
        ),
        ("José Álvarez, Globex", ContactDetails("José Álvarez", "Globex")),
    ],
)
def test_a_contact_card_fills_several_fields(text, details):
    assert contact_details(text, asked="name") == details


def test_a_company_answer_is_kept_whole():
    assert contact_details("Bank of America", asked="company").company == "Bank of America"


def test_html_and_sql_in_a_name_are_kept_verbatim():
    assert person_name("<script>alert(1)</script>") == "<script>alert(1)</script>"
    assert person_name("Robert'); DROP TABLE leads;--") == "Robert'); DROP TABLE leads;--"


def test_names_and_companies_have_length_limits():
    assert person_name("x" * 3000) == Invalid("too_long")
    assert person_name("12345") == Invalid("empty")
    assert company_name("y" * 151) == Invalid("too_long")
    assert person_name("my name is Li") == "Li"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jane@acme.com", "jane@acme.com"),
        ("my email is JANE@Acme.COM.", "JANE@acme.com"),
        ("jane@", Invalid("no_domain")),
        ("jane@acme", Invalid("no_domain")),
        ("x@y@z.com", Invalid("malformed")),
        ("no email here", None),
    ],
)
def test_email_is_checked_without_network(text, expected):
    assert email_address(text) == expected


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("+44 20 7946 0958", None, "+44 20 7946 0958"),
        ("call me on +49 30 901820", None, "+49 30 901820"),
        ("020 7946 0958", None, Invalid("needs_country_code")),
        ("020 7946 0958", "GB", "+44 20 7946 0958"),
        ("12345678", "GB", Invalid("invalid")),
        ("no phone", None, None),
    ],
)
def test_phone_numbers_are_validated_with_phonenumbers(text, region, expected):
    assert phone_number(text, region) == expected


@given(st.text(max_size=300))
def test_contact_parsers_never_raise(text):
    contact_details(text, asked="name")
    email_address(text)
    phone_number(text)


@given(st.text(min_size=1, max_size=100).filter(lambda t: any(c.isalpha() for c in t)))
def test_a_valid_name_checks_to_itself(text):
    name = person_name(text)
    if not isinstance(name, Invalid):
        assert person_name(name) == name
