import pytest

from bot.answers.faq.topics import Topic, TopicsError, load_topics, parse_topics


def test_catalogue_has_a_title_and_question_for_every_topic():
    topics = load_topics()
    assert len(topics) >= 30
    assert all(len(topic.title) <= 32 for topic in topics.values())
    assert topics["define_outstaffing"].intent == "faq/define_outstaffing"


def test_parse_topics_builds_topics_by_key():
    topics = parse_topics({"risk_level": {"title": " Risk ", "question": "Which is riskier?"}})
    assert topics == {"risk_level": Topic("risk_level", "Risk", "Which is riskier?")}


@pytest.mark.parametrize(
    "content",
    [None, [], {}, {"a": "text"}, {"a": {"title": "T"}}, {"a": {"title": " ", "question": "Q?"}}],
)
def test_parse_topics_rejects_malformed_content(content):
    with pytest.raises(TopicsError):
        parse_topics(content)
