"""The project's own data checks (bot validate): each fires on a broken project."""

from __future__ import annotations

from bot.training.project_checks import (
    MIN_FAQ_EXAMPLES,
    ProjectData,
    example_key,
    faq_intents_complete,
    form_slots_asked,
    load_project,
    nlu_examples,
    no_example_in_two_intents,
    responses_reachable,
    run_checks,
)
from tests.conftest import ROOT


def make_project(**changes) -> ProjectData:
    """A small healthy project; ``changes`` break one part of it."""
    examples = {
        "faq/define_outsourcing": [f"what is outsourcing {n}" for n in range(MIN_FAQ_EXAMPLES)],
        "greet": ["hello", "hi there"],
    }
    domain = {
        "responses": {
            "utter_faq_define_outsourcing": [{"text": "It is..."}],
            "utter_greet": [{"text": "Hi!"}],
            "utter_ask_lead_form_email": [{"text": "Your email?"}],
        },
        "forms": {"lead_form": {"required_slots": ["email"]}},
        "actions": [],
    }
    project = ProjectData(
        domain=domain,
        examples=examples,
        flow_actions={"utter_greet"},
        tested_intents={"faq/define_outsourcing", "greet"},
    )
    for name, value in changes.items():
        setattr(project, name, value)
    return project


def test_a_healthy_project_has_no_problem():
    assert run_checks(make_project()) == []


def test_the_real_project_passes_every_check():
    assert run_checks(load_project(ROOT)) == []


def test_faq_intent_without_response_is_reported():
    project = make_project()
    del project.domain["responses"]["utter_faq_define_outsourcing"]
    assert faq_intents_complete(project) == [
        "faq/define_outsourcing has no response utter_faq_define_outsourcing in domain.yml"
    ]


def test_faq_intent_with_too_few_examples_is_reported():
    project = make_project()
    project.examples["faq/define_outsourcing"] = ["what is outsourcing"]
    assert faq_intents_complete(project) == [
        f"faq/define_outsourcing has 1 examples, at least {MIN_FAQ_EXAMPLES}"
    ]


def test_faq_intent_without_test_question_is_reported():
    (problem,) = faq_intents_complete(make_project(tested_intents={"greet"}))
    assert problem.startswith("faq/define_outsourcing has no test question")


def test_basic_intents_need_no_test_question_to_pass_the_faq_check():
    assert faq_intents_complete(make_project(tested_intents={"faq/define_outsourcing"})) == []


def test_response_nothing_utters_is_reported():
    project = make_project()
    project.domain["responses"]["utter_forgotten"] = [{"text": "..."}]
    assert responses_reachable(project) == [
        "response utter_forgotten is never uttered:"
        " no rule, story, form, FAQ intent or action uses it"
    ]


def test_response_uttered_by_an_action_is_reachable():
    project = make_project(code_responses={"utter_forgotten"})
    project.domain["responses"]["utter_forgotten"] = [{"text": "..."}]
    assert responses_reachable(project) == []


def test_example_in_two_intents_is_reported_whatever_its_case_and_markup():
    project = make_project()
    project.examples["greet"].append("What is [outsourcing](topic) 3?")
    assert no_example_in_two_intents(project) == [
        "'What is [outsourcing](topic) 3?' is an example of both faq/define_outsourcing and greet"
    ]


def test_form_slot_without_question_is_reported():
    project = make_project()
    project.domain["forms"]["lead_form"]["required_slots"].append("phone")
    assert form_slots_asked(project) == [
        "lead_form never asks for phone: add utter_ask_lead_form_phone"
    ]


def test_form_slot_asked_by_an_action_passes():
    project = make_project()
    project.domain["forms"]["lead_form"]["required_slots"].append("phone")
    project.domain["actions"].append("action_ask_lead_form_phone")
    assert form_slots_asked(project) == []


def test_example_key_ignores_markup_case_spacing_and_end_punctuation():
    assert example_key('  We use [Python]{"entity": "tech"}  and [Go](tech)! ') == (
        "we use python and go"
    )


def test_nlu_examples_reads_full_retrieval_intents(tmp_path):
    nlu = tmp_path / "nlu.yml"
    nlu.write_text(
        'version: "3.1"\nnlu:\n- intent: faq/a\n  examples: |\n    - one\n    - two\n'
        "- synonym: x\n  examples: |\n    - y\n",
        encoding="utf-8",
    )
    assert nlu_examples([nlu]) == {"faq/a": ["one", "two"]}
