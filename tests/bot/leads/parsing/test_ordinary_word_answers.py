"""The held-out table ordinary_word_answers.yml: companies and names made of ordinary
words are kept, short non-answers still refused, a refusal before a company never
names the visitor; and the way past a refusal the visitor insists on."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.leads.checks import check_company, check_name
from bot.leads.extraction import Message, extract
from bot.leads.parsing.asides import without_lead_ins
from bot.leads.parsing.contact import company_name, contact_details, person_name
from bot.leads.parsing.non_answer_words import (
    DECLINING,
    HEDGING,
    PAUSING,
    PAUSING_ALONE,
    PLACEHOLDERS,
    REFERRING,
    REFERRING_ALONE,
    REFUSING_ALONE,
    TIMING,
    TIMING_ALONE,
    VOCABULARY,
)
from bot.leads.parsing.non_answers import may_be_meant, non_answer
from bot.leads.parsing.result import Invalid
from tests.bot.leads.parsing.test_name_phrases import INTENTS, TODAY, as_kept, expected_codes, rows

TABLE = yaml.safe_load(
    (Path(__file__).parent / "ordinary_word_answers.yml").read_text(encoding="utf-8")
)


def test_every_row_is_made_of_the_vocabularies_words():
    """Else a row would pass for a word the lists do not know, not for the rule."""
    texts = [*TABLE["companies"], *(without_lead_ins(name) for name in TABLE["names"])]
    for text in texts:
        assert set(text.lower().split()) <= VOCABULARY, text


@pytest.mark.parametrize("company", TABLE["companies"])
def test_a_company_called_by_ordinary_words_is_kept_as_typed(company):
    assert company_name(company) == as_kept(company)
    assert contact_details(company, asked="company").company == as_kept(company)
    found = extract(Message(company, "inform", 0.9), requested="company", current={}, today=TODAY)
    assert check_company(found["company"]) == company


@pytest.mark.parametrize("name", TABLE["names"])
def test_a_name_made_of_ordinary_words_is_kept(name):
    kept = as_kept(without_lead_ins(name))
    assert person_name(name) == kept
    assert contact_details(name, asked="name").name == kept


@pytest.mark.parametrize(("kind", "phrase"), rows(TABLE["not_companies"]))
def test_a_short_non_answer_is_still_no_company_nor_name(kind, phrase):
    for refused, code in ((company_name(phrase), "not_a_company"), (person_name(phrase), None)):
        assert isinstance(refused, Invalid), phrase
        assert refused.code in expected_codes(kind, code or "not_a_name")


@pytest.mark.parametrize("intent", INTENTS)
@pytest.mark.parametrize(("kind", "phrase"), rows(TABLE["not_companies"]))
def test_no_short_non_answer_reaches_the_company_slot(kind, phrase, intent):
    found = extract(Message(phrase, intent, 0.9), requested="company", current={}, today=TODAY)
    assert isinstance(check_company(found.get("company", "")), Invalid)


@pytest.mark.parametrize("row", TABLE["refusal_then_company"], ids=lambda row: row["text"])
def test_a_refusal_before_a_company_never_names_the_visitor(row):
    details = contact_details(row["text"], asked="name")
    assert details.name is None
    assert details.company == row["company"]
    found = extract(Message(row["text"], "inform", 0.9), requested="name", current={}, today=TODAY)
    assert check_name(found["name"]) == Invalid("declined")
    assert found.get("company") == row["company"]


@pytest.mark.parametrize("row", TABLE["name_after_a_no"], ids=lambda row: row["text"])
def test_a_no_before_a_name_is_no_refusal_of_it(row):
    assert contact_details(row["text"], asked="name").name == row["name"]


def test_the_words_alone_are_words_of_the_lists():
    assert REFUSING_ALONE <= DECLINING | HEDGING | PLACEHOLDERS
    assert TIMING_ALONE <= TIMING
    assert REFERRING_ALONE <= REFERRING
    assert PAUSING_ALONE <= PAUSING


# Properties. A word of the lists that refuses only in a phrase may be a
# company on its own; a refused answer given again may be meant, a refusal
# in so many words never.
PHRASE_ONLY = sorted(
    (DECLINING | HEDGING | PLACEHOLDERS)
    - REFUSING_ALONE
    - {"sure", "fine", "ahead", "without", "tell", "know", "prefer"}  # lead-ins, sentence words
    - {"not", "nope", "nah"}  # no company starts with them
)


@given(st.sampled_from(PHRASE_ONLY))
def test_a_word_that_refuses_only_in_a_phrase_may_be_a_company(word):
    assert company_name(word.capitalize()) == word.capitalize()


@given(st.text(max_size=80), st.sampled_from(["name", "company"]))
def test_insisting_never_refuses_what_was_taken_and_never_raises(text, asked):
    check = check_name if asked == "name" else check_company
    taken = check(text)
    insisted = check(text, insisted=True)
    if not isinstance(taken, Invalid):
        assert insisted == taken
    elif isinstance(insisted, str):
        assert may_be_meant(text, asked)
        assert check(insisted, insisted=True) == insisted


@pytest.mark.parametrize("asked", ["name", "company"])
@pytest.mark.parametrize(
    "text", ["no thanks", "I won't say", "hang on", "rather not", "not telling", "one sec"]
)
def test_a_refusal_in_so_many_words_is_never_taken_however_often(text, asked):
    check = check_name if asked == "name" else check_company
    assert isinstance(check(text, insisted=True), Invalid)


@pytest.mark.parametrize("text", ["Skip", "Private", "Unknown", "Later", "Nobody", "Same"])
def test_a_word_that_refuses_is_taken_when_the_visitor_insists(text):
    assert non_answer(text, "company") is not None
    assert check_company(text, insisted=True) == text
    assert check_name(text, insisted=True) == text


def test_insisting_keeps_the_other_checks():
    assert check_name("agent 47", insisted=True) == Invalid("not_a_name")
    assert check_name("x" * 200, insisted=True) == Invalid("too_long")
    assert check_name("why?", insisted=True) == Invalid("asked_why")


@pytest.mark.parametrize("text", ["on Monday", "from June", "by Friday", "in the spring"])
def test_a_day_or_month_after_a_preposition_is_a_time_not_a_company(text):
    assert company_name(text) == Invalid("not_a_company")
    assert person_name(text) == Invalid("not_a_name")


@pytest.mark.parametrize("text", ["at Next", "from Zip", "I work at Open"])
def test_a_company_after_its_lead_in_is_kept(text):
    assert company_name(text) == text.split()[-1]
