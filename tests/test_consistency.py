"""Ties domain.yml, the training data, the topic catalogue and the tests together."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from rasa.shared.core.constants import DEFAULT_ACTION_NAMES
from rasa_sdk import Action

import actions
from bot.answers.faq.topics import answer_response, load_topics
from bot.training.project_checks import action_names
from tests.conftest import load_yaml, nlu_examples

MIN_EXAMPLES = 12


@pytest.fixture(scope="module")
def examples() -> dict[str, list[str]]:
    return nlu_examples()


@pytest.fixture(scope="module")
def faq_intents(examples) -> set[str]:
    return {intent for intent in examples if intent.startswith("faq/")}


def test_every_topic_has_examples_a_response_and_a_catalogue_entry(domain, faq_intents):
    topics = load_topics()
    responses = {name for name in domain["responses"] if name.startswith("utter_faq_")}
    assert {answer_response(intent) for intent in faq_intents} == responses
    assert {topic.intent for topic in topics.values()} == faq_intents


def test_every_intent_has_enough_varied_examples(examples):
    for intent, texts in examples.items():
        assert len(texts) >= MIN_EXAMPLES, intent
        assert len({text.lower() for text in texts}) == len(texts), f"duplicate in {intent}"


def test_each_canonical_question_is_an_example_of_its_topic(examples):
    for topic in load_topics().values():
        assert topic.question in examples[topic.intent], topic.key


def test_every_faq_answer_is_two_to_four_sentences(domain):
    import re

    for name, variants in domain["responses"].items():
        if name.startswith("utter_faq_"):
            text = variants[0]["text"]
            sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z*(])", text) if s]
            assert 2 <= len(sentences) <= 4, f"{name}: {len(sentences)} sentences"


def test_button_payloads_lead_to_a_known_intent_or_topic_question(domain, examples):
    intents = set(domain["intents"])
    all_examples = {text for texts in examples.values() for text in texts}
    for name, variants in domain["responses"].items():
        for button in variants[0].get("buttons", []):
            payload = button["payload"]
            if payload.startswith("/"):
                assert payload[1:].split("{")[0] in intents, f"{name}: {payload}"
            else:
                assert payload in all_examples, f"{name}: '{payload}' is no training example"


def test_every_domain_action_is_served_by_the_action_package(domain):
    served = set()
    for module_info in pkgutil.iter_modules(actions.__path__):
        module = importlib.import_module(f"actions.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            defined_here = cls.__module__ == module.__name__
            if defined_here and issubclass(cls, Action) and not inspect.isabstract(cls):
                served.add(cls().name())
    assert action_names(domain) == served


def test_every_response_used_by_rules_and_stories_exists(domain):
    known = set(domain["responses"]) | action_names(domain) | set(domain["forms"]) | {"utter_faq"}
    known |= set(DEFAULT_ACTION_NAMES)  # Rasa's own, e.g. action_session_start
    for path, key in [("data/rules.yml", "rules"), ("data/stories.yml", "stories")]:
        for flow in load_yaml(path)[key]:
            for step in flow["steps"]:
                if "action" in step:
                    assert step["action"] in known, f"{path}: {step['action']}"


def test_test_stories_cover_every_topic_and_every_basic_intent(examples):
    covered = set()
    for story in load_yaml("tests/test_stories.yml")["stories"]:
        covered |= {step["intent"] for step in story["steps"] if "intent" in step}
    assert set(examples) <= covered, sorted(set(examples) - covered)


def test_held_out_paraphrases_are_not_training_examples(examples):
    training = {text.lower().strip(" ?!.") for texts in examples.values() for text in texts}
    for row in load_yaml("tests/model/paraphrases.yml"):
        assert row["text"].lower().strip(" ?!.") not in training, row["text"]
        assert row["expect"] in examples, row["expect"]


def test_held_out_table_covers_every_intent(examples):
    expected = {row["expect"] for row in load_yaml("tests/model/paraphrases.yml")}
    assert set(examples) <= expected, sorted(set(examples) - expected)


# The lead form: domain.yml, bot/leads/fields.py, the checks and the actions.


def test_the_form_asks_exactly_the_asked_fields_in_order(domain):
    from bot.leads.fields import ASKED_FIELDS

    assert domain["forms"]["lead_form"]["required_slots"] == list(ASKED_FIELDS)


def test_every_lead_slot_is_in_the_domain_with_a_custom_mapping(domain):
    from bot.leads.fields import ALL_LEAD_SLOTS

    for slot in ALL_LEAD_SLOTS:
        assert domain["slots"][slot]["mappings"] == [{"type": "custom"}], slot
        assert domain["slots"][slot]["influence_conversation"] is False, slot


def test_every_field_has_a_question(domain):
    from bot.leads.fields import EDITABLE_FIELDS

    for slot in EDITABLE_FIELDS:
        assert f"utter_ask_lead_form_{slot}" in domain["responses"], slot


def test_every_refusal_reason_has_its_response_and_no_response_is_orphaned(domain):
    from bot.leads.checks import REASONS

    expected = {f"utter_{slot}_invalid_{code}" for slot, codes in REASONS.items() for code in codes}
    present = {name for name in domain["responses"] if "_invalid_" in name}
    assert expected == present


def test_every_response_the_actions_name_exists(domain):
    import re
    from pathlib import Path

    source = "\n".join(path.read_text() for path in Path("actions").glob("*.py"))
    named = set(re.findall(r'"(utter_[a-z_]+)"', source))
    assert named, "no response names found in actions/"
    assert named <= set(domain["responses"]), sorted(named - set(domain["responses"]))


def test_every_engagement_model_button_names_a_model_the_form_accepts(domain):
    import json
    import re

    from bot.leads.checks import check_engagement_model
    from bot.leads.vocabulary import canonical_engagement_model

    payloads = [
        button["payload"]
        for variants in domain["responses"].values()
        for button in variants[0].get("buttons", [])
        if "engagement_model" in button["payload"]
    ]
    assert payloads
    for payload in payloads:
        entities = json.loads(re.sub(r"^/\w+", "", payload).replace("{{", "{").replace("}}", "}"))
        value = entities["engagement_model"]
        assert canonical_engagement_model(value) == value, payload
        assert check_engagement_model(value) == value, payload


# Always an exit: the replies that close a turn where a visitor may be stuck
# offer a way to a person, the agency's email or the "Talk to a person" button
# (the reasons utter_<field>_invalid_not_a_<field> are followed by the _again
# question, which has it), with three buttons at most.
REPLIES_WITH_AN_EXIT = [
    "utter_restart",
    "utter_back_nothing",
    "utter_unknown_command",
    *(
        f"utter_ask_lead_form_{slot}_{step}"
        for slot in ("name", "company")
        for step in ("again", "explained", "open", "offer", "offer_again")
    ),
    "utter_name_invalid_declined",
]  # (a company declined is left out and the form goes on: no one is stuck)


@pytest.mark.parametrize("response", REPLIES_WITH_AN_EXIT)
def test_a_reply_that_may_leave_a_visitor_stuck_offers_a_way_to_a_person(domain, response):
    for variant in domain["responses"][response]:
        payloads = [button["payload"] for button in variant.get("buttons", [])]
        assert "{agency_email}" in variant["text"] or "/request_human" in payloads
        assert len(payloads) <= 3


def test_talk_to_a_person_buttons_start_the_request_for_a_person(domain):
    buttons = [
        button
        for variants in domain["responses"].values()
        for variant in variants
        for button in variant.get("buttons", [])
        if button["title"] == "Talk to a person"
    ]
    assert buttons
    assert {button["payload"] for button in buttons} == {"/request_human"}
