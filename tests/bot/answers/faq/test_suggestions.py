from bot.answers.faq.suggestions import STARTER_TOPICS, ranked_topic_keys, suggest_topics
from bot.answers.faq.topics import Topic

TOPICS = {
    key: Topic(key, key.replace("_", " "), f"{key}?")
    for key in ["risk_level", "setup_costs", "long_term_costs", *STARTER_TOPICS]
}


def parse_data(*ranking: tuple[str, float]) -> dict:
    entries = [{"intent_response_key": key, "confidence": conf} for key, conf in ranking]
    return {"response_selector": {"faq": {"ranking": entries}}}


def test_ranked_topic_keys_keep_order_and_drop_unlikely_topics():
    data = parse_data(
        ("faq/setup_costs", 0.4), ("faq/long_term_costs", 0.3), ("faq/risk_level", 0.01)
    )
    assert ranked_topic_keys(data) == ["setup_costs", "long_term_costs"]


def test_ranked_topic_keys_of_a_message_without_a_ranking_are_empty():
    assert ranked_topic_keys({}) == []
    assert ranked_topic_keys({"response_selector": {"faq": None}}) == []


def test_suggestions_start_with_the_likeliest_topics_then_fill_with_starters():
    data = parse_data(("faq/setup_costs", 0.45), ("faq/unknown_topic", 0.3))
    keys = [topic.key for topic in suggest_topics(data, TOPICS)]
    assert keys == ["setup_costs", STARTER_TOPICS[0], STARTER_TOPICS[1]]


def test_suggestions_never_repeat_a_topic():
    data = parse_data((f"faq/{STARTER_TOPICS[0]}", 0.5))
    keys = [topic.key for topic in suggest_topics(data, TOPICS, count=4)]
    assert keys == list(STARTER_TOPICS)
