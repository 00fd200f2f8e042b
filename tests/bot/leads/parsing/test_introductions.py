"""Names and companies a visitor gives before they are asked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.leads.parsing.introductions import Introduction, introduction


@pytest.mark.parametrize(
    ("text", "name", "company"),
    [
        (
            "Hi, I'm Olena Petrenko from Brightpixel. We need two QA engineers",
            "Olena Petrenko",
            "Brightpixel",
        ),
        ("this is Sam Okafor at Northwind and we need devs", "Sam Okafor", "Northwind"),
        (
            "Need a designer. Contact: Lea Wong, Pixel Farm, lea@pixelfarm.io",
            "Lea Wong",
            "Pixel Farm",
        ),
        ("Karl Sander here, we want React developers", "Karl Sander", None),
        ("my name is dana", "dana", None),
        ("I'm Anna, CTO of a fintech", "Anna", None),
        ("im Alex from Stripe", "Alex", "Stripe"),
        ("3 React devs from May. Ola Nordmann, Fjord AS, ola@fjord.no", "Ola Nordmann", "Fjord AS"),
    ],
)
def test_a_clear_introduction_gives_the_name_and_company(text, name, company):
    assert introduction(text) == Introduction(name, company)


@pytest.mark.parametrize(
    "text",
    [
        "I'm looking for developers",
        "I'm a Java developer",
        "I'm CTO at Acme",
        "I'm Senior Developer at Initech",
        "I'm Marketing Director",
        "This is urgent",
        "This is Kotlin",
        "I'm in Berlin",
        "I'm not sure",
        "we need 3 senior Python developers",
        "React Native here please",
        "Thanks, jane@acme.example",
        "we need React devs, jane@acme.example",
    ],
)
def test_words_that_only_look_like_an_introduction_give_nothing(text):
    assert introduction(text) == Introduction()


@given(st.text(max_size=200))
def test_any_text_is_read_without_error_and_names_at_most_three_words(text):
    found = introduction(text)
    assert found.name is None or 1 <= len(found.name.split()) <= 3


@pytest.mark.parametrize(
    ("text", "name", "company"),
    [
        ("Jo from Acme", "Jo", "Acme"),
        ("Marta Nowak at Fieldwise.", "Marta Nowak", "Fieldwise"),
    ],
)
def test_a_message_of_only_a_name_and_a_company_introduces(text, name, company):
    assert introduction(text) == Introduction(name, company)


@pytest.mark.parametrize(
    "text",
    [
        "Teams from Ukraine",
        "Developers from Ukraine",
        "Senior team from Poland",
        "Python from scratch",
    ],
)
def test_a_team_from_a_country_is_no_introduction(text):
    assert introduction(text) == Introduction()
