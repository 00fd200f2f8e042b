"""What a conversation is about, and the topic a question asks for in it
(bot.answers.faq.context)."""

from __future__ import annotations

import pytest

from bot.answers.faq.aspects import load_aspects, section_names_aspect
from bot.answers.faq.context import (
    SUBJECTS,
    Context,
    Question,
    choose_topic,
    next_context,
    read_question,
    subjects_asked,
    subjects_named,
)
from bot.answers.faq.topics import load_topics
from bot.answers.knowledge.corpus import load_sections

TOPICS = load_topics()


def chosen(question: Question, context: Context | None = None) -> str | None:
    topic = choose_topic(question, context or Context(), TOPICS)
    return topic.key if topic else None


def test_engagement_words_name_their_models_once_each_in_order():
    words = ["outstaffed", "offshoring", "Outstaffing"]
    assert subjects_named(words) == ("outstaffing", "offshoring")
    assert set(subjects_named(["offshore outsourcing"])) == {"offshoring", "outsourcing"}


def test_the_agency_is_the_subject_only_when_no_model_is_named():
    assert subjects_named([], names_agency=True) == ("agency",)
    assert subjects_named(["outstaffing"], names_agency=True) == ("outstaffing",)


def test_an_aspect_alone_takes_the_subject_of_the_conversation():
    after_offshoring = Context(subjects=("offshoring",), aspect="definition")
    question = Question(aspects=("cons",), follow_up=True)
    assert chosen(question, after_offshoring) == "offshoring_pros_cons"


def test_a_subject_alone_takes_the_aspect_of_the_conversation():
    after_pros = Context(
        subjects=("offshoring",), aspect="pros", last_topic="offshoring_advantages"
    )
    assert chosen(Question(subjects=("outsourcing",), bare=True), after_pros) == (
        "outsourcing_advantages"
    )


def test_a_topic_mainly_about_the_aspect_comes_before_one_that_mentions_it():
    after_cons = Context(subjects=("outsourcing",), aspect="cons")
    assert chosen(Question(aspects=("pros",), follow_up=True), after_cons) == (
        "outsourcing_advantages"
    )


def test_a_confident_topic_about_another_model_than_the_one_named_is_corrected():
    question = Question(
        predicted="offshoring_advantages", subjects=("outstaffing",), aspects=("pros",)
    )
    assert chosen(question) == "outstaffing_benefits"


def test_a_confident_topic_about_every_model_named_stands():
    question = Question(predicted="schedule_and_pay", subjects=("outstaffing",), aspects=("pay",))
    assert chosen(question) == "schedule_and_pay"


def test_a_new_question_the_model_was_sure_of_is_not_bent_to_the_conversation():
    after_offshoring = Context(subjects=("offshoring",), aspect="definition")
    question = Question(predicted="service_contract", aspects=("contract",))
    assert chosen(question, after_offshoring) == "service_contract"


def test_a_follow_up_about_a_model_named_nowhere_finds_no_topic():
    assert chosen(Question(aspects=("cons",), follow_up=True)) is None


def test_a_comparison_keeps_both_models():
    after_comparison = Context(subjects=("offshoring", "outsourcing"), aspect="difference")
    assert chosen(Question(aspects=("risk",), follow_up=True), after_comparison) == "risk_level"


def test_the_definition_counts_after_any_other_aspect_named():
    question = Question(subjects=("outstaffing",), aspects=("definition", "costs"))
    assert chosen(question) == "service_contract"


def test_an_unsure_question_of_a_new_visitor_is_left_to_the_articles():
    assert chosen(Question(subjects=("offshoring",))) is None


def test_the_context_after_an_answer_keeps_the_aspect_asked():
    question = Question(subjects=("offshoring",), aspects=("cons",))
    after = next_context(question, Context(), TOPICS["offshoring_pros_cons"])
    assert after == Context(("offshoring",), "cons", "offshoring_pros_cons")


def test_the_parse_data_gives_the_question():
    parse_data = {
        "text": "and the downsides of outsourcing?",
        "intent": {"name": "follow_up", "confidence": 0.9},
        "entities": [
            {"entity": "aspect", "value": "downsides"},
            {"entity": "engagement_model", "value": "outsourcing"},
        ],
    }
    assert read_question(parse_data) == Question(
        subjects=("outsourcing",), aspects=("cons",), follow_up=True, bare=True
    )


def test_the_topic_the_selector_chose_is_read_for_an_faq():
    parse_data = {
        "text": "what is offshoring",
        "intent": {"name": "faq", "confidence": 0.9},
        "response_selector": {
            "faq": {"response": {"intent_response_key": "faq/define_offshoring"}}
        },
        "entities": [{"entity": "engagement_model", "value": "offshoring"}],
    }
    assert read_question(parse_data).predicted == "define_offshoring"


@pytest.mark.parametrize(
    ("section", "aspect", "names"),
    [
        ("offshoring-vs-outsourcing#disadvantages-of-offshoring", "cons", True),
        ("offshoring-vs-outsourcing#disadvantages-of-offshoring", "pros", False),
        ("offshoring-vs-outsourcing#advantages-of-offshoring", "pros", True),
        ("outstaffing-vs-outsourcing#what-each-model-is-used-for", "uses", True),
    ],
)
def test_a_section_title_names_an_aspect_by_whole_words(section, aspect, names):
    assert section_names_aspect(section, aspect) is names


def test_every_topic_is_about_known_subjects_and_aspects_and_tells_more_from_real_sections():
    aspects, sections = set(load_aspects()), {section.id for section in load_sections()}
    for topic in TOPICS.values():
        assert set(topic.subjects) <= set(SUBJECTS), topic.key
        assert set(topic.aspects) <= aspects, topic.key
        assert set(topic.more) <= sections, topic.key


def test_a_comparison_is_told_by_its_words():
    def compares(text: str) -> bool:
        return read_question({"text": text, "intent": {"name": "faq"}, "entities": []}).compares

    assert compares("is it cheaper than outstaffing?")
    assert compares("offshoring vs outsourcing")
    assert compares("how does it compare with outsourcing?")
    assert not compares("is outstaffing cheap?")
    assert not compares("thanks, that helps")


def test_a_comparison_naming_one_model_weighs_it_against_the_conversation_s():
    after_offshoring = Context(subjects=("offshoring",), aspect="definition")
    cheaper = Question(subjects=("outstaffing",), aspects=("costs",), compares=True)

    assert subjects_asked(cheaper, after_offshoring) == ("offshoring", "outstaffing")
    assert subjects_asked(Question(subjects=("outstaffing",)), after_offshoring) == ("outstaffing",)


def test_a_comparison_no_topic_makes_gets_no_topic_rather_than_one_side():
    after_offshoring = Context(subjects=("offshoring",), aspect="definition")
    cheaper = Question(
        predicted="service_contract",
        subjects=("outstaffing",),
        aspects=("costs",),
        compares=True,
    )

    assert chosen(cheaper, after_offshoring) is None


def test_a_comparison_a_topic_makes_gets_that_topic():
    after_offshoring = Context(subjects=("offshoring",), aspect="setup_costs")
    dearer = Question(subjects=("outsourcing",), aspects=("setup_costs",), compares=True)

    assert chosen(dearer, after_offshoring) == "setup_costs"
