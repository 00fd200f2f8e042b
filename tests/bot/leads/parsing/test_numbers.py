"""Number phrases a visitor types, and the vague quantities that are asked about instead."""

from __future__ import annotations

import pytest

from bot.leads.parsing.numbers import mentions_vague_quantity, number_value


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("3", 3.0),
        ("1,000", 1000.0),
        ("2.5", 2.5),
        ("10k", 10_000.0),
        ("1.5 m", 1_500_000.0),
        ("-2", -2.0),
        ("\u22122", -2.0),
        ("twenty-five", 25.0),
        ("a couple of", 2.0),
        ("a dozen", 12.0),
        ("an", 1.0),
    ],
)
def test_a_number_phrase_has_its_value(phrase, value):
    assert number_value(phrase) == value


@pytest.mark.parametrize("phrase", ["1,00", "ten apples", "k", "", "few"])
def test_what_is_not_a_number_has_no_value(phrase):
    assert number_value(phrase) is None


@pytest.mark.parametrize(
    "text", ["a few developers", "Several engineers", "we need lots", "a handful of QAs"]
)
def test_vague_quantities_are_noticed(text):
    assert mentions_vague_quantity(text)


@pytest.mark.parametrize("text", ["3 developers", "fewer meetings", "somewhere in Europe"])
def test_exact_numbers_and_words_that_merely_contain_one_are_not_vague(text):
    assert not mentions_vague_quantity(text)
