"""The held-out table (name_phrases.yml): names and companies kept, non-answers refused,
by the checks and by extraction whatever intent the NLU gives them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.leads.checks import check_company, check_name
from bot.leads.extraction import Message, extract
from bot.leads.parsing.asides import without_lead_ins
from bot.leads.parsing.contact import company_name, contact_details, person_name
from bot.leads.parsing.non_answer_words import (
    DECLINING,
    HEDGING,
    PAUSE_COMPANIONS,
    PAUSING,
    PAUSING_ALONE,
    PLACEHOLDERS,
    REFUSING_ALONE,
    VOCABULARY,
)
from bot.leads.parsing.non_answers import non_answer
from bot.leads.parsing.result import Invalid

TABLE = yaml.safe_load((Path(__file__).parent / "name_phrases.yml").read_text(encoding="utf-8"))
TODAY = date(2026, 11, 23)
# What the NLU gave such phrases at the name question, or may give them.
INTENTS = ["inform", "deny", "affirm", "nlu_fallback", "out_of_scope", "stop", "thank"]


def rows(section: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(kind, phrase) for kind, phrases in section.items() for phrase in phrases]


def as_kept(text: str) -> str:
    return " ".join(text.split()).strip(" ,.;:!")


@pytest.mark.parametrize("name", TABLE["names"])
def test_a_real_name_is_kept_as_typed(name):
    assert person_name(name) == as_kept(name)
    assert contact_details(name, asked="name").name == as_kept(name)


@pytest.mark.parametrize("company", TABLE["companies"])
def test_a_real_company_is_kept_as_typed(company):
    assert company_name(company) == as_kept(company)
    assert contact_details(company, asked="company").company == as_kept(company)


def expected_codes(kind: str, refused: str) -> set[str]:
    if kind in ("declined", "paused"):
        return {kind}
    return {refused, "declined", "asked_why", "empty"}  # "other": anything but a pause


@pytest.mark.parametrize(("kind", "phrase"), rows(TABLE["not_names"]))
def test_a_non_name_is_refused_with_the_reply_it_needs(kind, phrase):
    refused = person_name(phrase)
    assert isinstance(refused, Invalid)
    assert refused.code in expected_codes(kind, "not_a_name")


@pytest.mark.parametrize(("kind", "phrase"), rows(TABLE["not_companies"]))
def test_a_non_company_is_refused_with_the_reply_it_needs(kind, phrase):
    refused = company_name(phrase)
    assert isinstance(refused, Invalid)
    assert refused.code in expected_codes(kind, "not_a_company")


@pytest.mark.parametrize("intent", INTENTS)
@pytest.mark.parametrize(("kind", "phrase"), rows(TABLE["not_names"]))
def test_no_non_name_reaches_the_name_slot_whatever_the_intent(kind, phrase, intent):
    found = extract(Message(phrase, intent, 0.9), requested="name", current={}, today=TODAY)
    assert isinstance(check_name(found.get("name", "")), Invalid)
    assert isinstance(check_company(found.get("company", "")), Invalid)


@pytest.mark.parametrize("intent", ["deny", "stop", "nlu_fallback", "out_of_scope", "thank"])
@pytest.mark.parametrize(("kind", "phrase"), rows(TABLE["not_names"]))
def test_a_refusal_or_a_filler_is_answered_whatever_the_intent(kind, phrase, intent):
    """ "no thank you" may read as thanks and "it's urgent" as a stop: asked for a
    name, both get the form's reply, not a goodbye or a cancelled form."""
    if kind not in ("declined", "paused"):
        return
    found = extract(Message(phrase, intent, 0.9), requested="name", current={}, today=TODAY)
    assert check_name(found["name"]) == Invalid(kind)


@pytest.mark.parametrize("text", ["cancel", "never mind, forget it", "stop asking, not now"])
def test_asking_to_stop_is_still_a_stop(text):
    assert extract(Message(text, "stop", 0.9), requested="name", current={}, today=TODAY) == {}


def test_the_table_is_large_enough_and_held_out():
    sweep = {"I'd rather not say", "no thanks", "nope", "not now", "skip", "n/a", "idk"}
    sweep |= {"whatever", "test", "anonymous", "hold on", "brb", "one sec", "wait"}
    sweep |= {"6 months", "as above", "the same as before", "I'm not sure"}
    sweep |= {"it's complicated", "call me later", "this is urgent", "next week", "ASAP"}
    not_names = [phrase for _, phrase in rows(TABLE["not_names"])]
    assert len(not_names) >= 60
    assert len(TABLE["names"]) >= 60
    assert not sweep & {phrase.lower() for phrase in not_names}


# Properties: words of the refusal lists, with one that refuses on its own,
# are no name; a name that shares a word with them still is.
REFUSAL_WORDS = sorted((DECLINING | HEDGING | PLACEHOLDERS) - {"sure", "fine"})
REFUSING_ON_THEIR_OWN = sorted(REFUSING_ALONE)
PAUSE_WORDS = sorted(PAUSING)
NAME_LETTERS = st.characters(whitelist_categories=("Lu", "Ll", "Lo"))
SURNAMES = st.text(NAME_LETTERS, min_size=3, max_size=12).filter(
    lambda word: non_answer(word) is None and word.lower() not in VOCABULARY
)
GIVEN_NAMES_THAT_ARE_WORDS = ["Will", "May", "Hope", "Grant", "Bill", "Rich", "Sunny", "Summer"]
GIVEN_NAMES_THAT_ARE_WORDS += ["June", "Skip", "Dawn", "Faith", "Chance", "Joy", "Grace", "Sky"]


@given(
    st.sampled_from(REFUSING_ON_THEIR_OWN),
    st.lists(st.sampled_from(REFUSAL_WORDS), max_size=3),
    st.randoms(use_true_random=False),
)
def test_refusal_words_with_one_that_refuses_alone_are_never_a_name(word, others, shuffle):
    words = [word, *others]
    shuffle.shuffle(words)
    text = " ".join(words)
    assert isinstance(person_name(text), Invalid)
    assert isinstance(company_name(text), Invalid)


@given(st.lists(st.sampled_from(REFUSAL_WORDS), min_size=2, max_size=4))
def test_two_or_more_refusal_words_are_never_a_name(words):
    text = " ".join(words)
    assert isinstance(person_name(text), Invalid)
    assert isinstance(company_name(text), Invalid)


@given(
    st.lists(st.sampled_from(PAUSE_WORDS), min_size=1, max_size=2),
    st.lists(st.sampled_from(sorted(PAUSE_COMPANIONS)), min_size=1, max_size=2),
)
def test_a_filler_is_a_pause(pause, companions):
    """ "just a moment", "let me check"; a word that pauses only in company
    ("check", "back") is none alone, even after a lead-in ("ok back")."""
    text = " ".join([*companions, *pause])
    assume(len(without_lead_ins(text).split()) > 1 or set(pause) & PAUSING_ALONE)
    assert person_name(text) == Invalid("paused")


@given(st.sampled_from(sorted(PAUSING_ALONE)))
def test_a_filler_word_alone_is_a_pause(word):
    assert person_name(word) == Invalid("paused")
    assert company_name(word.capitalize()) == Invalid("paused")


@given(st.sampled_from(GIVEN_NAMES_THAT_ARE_WORDS), SURNAMES)
def test_a_given_name_that_is_also_a_word_is_a_name(given_name, surname):
    name = f"{given_name} {surname}"
    assert person_name(name) == name
    assert person_name(name.lower()) == name.lower()


@given(st.text(max_size=200), st.sampled_from(["name", "company"]))
def test_non_answer_never_raises(text, asked):
    non_answer(text, asked)
    company_name(text)


@given(st.text(max_size=120), st.sampled_from(INTENTS), st.sampled_from(["name", "company"]))
def test_a_refused_value_is_never_stored(text, intent, asked):
    """Whatever a visitor types at the name or company question, a candidate
    for either is refused by its check or is a clean value that checks to
    itself and is no non-answer."""
    found = extract(Message(text, intent, 0.9), requested=asked, current={}, today=TODAY)
    for slot, check in (("name", check_name), ("company", check_company)):
        value = check(found[slot]) if slot in found else Invalid("empty")
        if not isinstance(value, Invalid):
            assert non_answer(value, slot) is None
            assert check(value) == value
