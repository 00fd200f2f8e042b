"""Name, company, email and phone from the visitor's words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.leads.parsing.asides import is_aside
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
    # (No digits: a name never holds them, "alert(1)" included.)
    assert person_name('<script>alert("x")</script>') == '<script>alert("x")</script>'
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


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("my phone is +44 20 7946 0958", "not_a_name"),
        ("my phone is", "not_a_name"),
        ("I just told you", "not_a_name"),
        ("I already gave it to you!", "not_a_name"),
        ("it is me", "not_a_name"),
        ("Dana, jane@acme.com", "not_a_name"),
        ("see www.acme.com", "not_a_name"),
        ("why do you need it?", "asked_why"),
        ("what for", "asked_why"),
    ],
)
def test_a_sentence_about_something_else_is_no_name(text, reason):
    assert person_name(text) == Invalid(reason)


@pytest.mark.parametrize(
    "text",
    [
        "I just told you. Dana Kowalski",
        "I already told you: Dana Kowalski",
        "my name is Dana Kowalski",
        "I'm Dana Kowalski",
        "it's Dana Kowalski",
        "Sure. It's Dana Kowalski.",
        "Hi! My name is Dana Kowalski",
    ],
)
def test_lead_ins_before_a_name_are_left_out(text):
    assert person_name(text) == "Dana Kowalski"
    assert contact_details(text, asked="name").name == "Dana Kowalski"


@pytest.mark.parametrize(
    "name",
    ["Lily You", "My Linh Nguyen", "I Made Wirawan", "Nguyễn Thị Minh Khai", "李小龙", "O'Brien"],
)
def test_names_with_words_that_sentences_have_are_still_names(name):
    assert person_name(name) == name
    assert contact_details(name, asked="name").name == name


def test_a_phone_number_given_for_the_name_is_taken_without_a_name():
    details = contact_details("my phone is +44 20 7946 0958", asked="name")
    assert details == ContactDetails(phone="+44 20 7946 0958")


@pytest.mark.parametrize(
    "text", ["Dana, my phone is +44 20 7946 0958", "Dana my phone is +44 20 7946 0958"]
)
def test_a_name_before_a_phone_sentence_is_kept(text):
    assert contact_details(text, asked="name") == ContactDetails(
        name="Dana", phone="+44 20 7946 0958"
    )


def test_a_question_before_the_name_leaves_the_name():
    assert contact_details("why do you need it? Dana Kowalski", asked="name").name == (
        "Dana Kowalski"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I just told you", Invalid("not_a_company")),
        ("why do you need it", Invalid("asked_why")),
        ("my company is Acme Ltd", "Acme Ltd"),
        ("The Phone House", "The Phone House"),
        ("acme.io", "acme.io"),
    ],
)
def test_a_company_is_no_aside_and_loses_its_lead_in(text, expected):
    assert company_name(text) == expected


NAME_WORDS = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Lo")), min_size=2, max_size=12
)
NAMES = st.lists(NAME_WORDS, min_size=1, max_size=3).map(" ".join)
LEAD_INS = st.sampled_from(
    [
        "my name is",
        "My name's",
        "it's",
        "It is",
        "I just told you.",
        "I already told you:",
        "Sure, my name is",
        "Hi! My name is",
    ]
)
PHONES = st.sampled_from(["+44 20 7946 0958", "+49 30 901820", "+1 202 555 0143"])


@given(NAMES, LEAD_INS)
def test_a_lead_in_before_any_name_is_left_out(name, lead_in):
    if person_name(name) == name:
        assert person_name(f"{lead_in} {name}") == name


@given(st.text(max_size=100), PHONES)
def test_a_phone_number_is_never_part_of_a_name(text, phone):
    with_phone = f"{text} my phone is {phone}"
    assert isinstance(person_name(with_phone), Invalid)
    name = contact_details(with_phone, asked="name").name
    assert name is None or ("my phone is" not in name.lower() and phone not in name)


@given(st.text(max_size=200))
def test_contact_details_never_give_an_aside_as_name_or_company(text):
    details = contact_details(text, asked="name")
    for value in (details.name, details.company):
        assert value is None or not is_aside(value)
