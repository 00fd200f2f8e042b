"""The pieces of bot review: selection, grouping, the review file and the NLU merge."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.conversations.events import StoredEvent
from bot.training.project_checks import nlu_examples
from bot.training.review.grouping import content_words, group_candidates, similarity
from bot.training.review.nlu_merge import append_intent, insert_examples, merge_accepted
from bot.training.review.review_file import Decision, ReviewFileError, parse_review
from bot.training.review.selection import (
    FALLBACK,
    KNOWLEDGE,
    LOW_CONFIDENCE,
    Candidate,
    Suggestion,
    select_candidates,
    suggest,
)


def user(text: str, intent: str, confidence: float, topic: tuple[str, float] | None = None):
    parse_data: dict = {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
    }
    if topic:
        parse_data["response_selector"] = {
            "faq": {"response": {"intent_response_key": topic[0], "confidence": topic[1]}}
        }
    data = {"event": "user", "text": text, "parse_data": parse_data}
    return StoredEvent("s", "user", 0.0, intent, None, data)


def action(name: str) -> StoredEvent:
    return StoredEvent("s", "action", 0.0, None, name, {"event": "action", "name": name})


def slot(name: str, value: object) -> StoredEvent:
    return StoredEvent("s", "slot", 0.0, None, None, {"name": name, "value": value})


def loop(name: str | None) -> StoredEvent:
    return StoredEvent("s", "active_loop", 0.0, None, None, {"name": name})


def reasons(*events: StoredEvent) -> list[tuple[str, str]]:
    return [(c.text, c.reason) for c in select_candidates({"s": list(events)})]


def test_a_confident_answer_is_not_reviewed():
    assert reasons(user("hello", "greet", 0.95), action("utter_greet")) == []


def test_a_knowledge_hit_and_a_miss_are_told_apart():
    hit = [user("apple gardeners", "nlu_fallback", 0.45), action("action_answer_from_knowledge")]
    miss = [user("vetting", "nlu_fallback", 0.45), action("action_answer_from_knowledge")]
    events = [*hit, slot("knowledge_question", "apple gardeners"), *miss]
    events.append(slot("knowledge_question", None))
    assert reasons(*events) == [("apple gardeners", KNOWLEDGE), ("vetting", FALLBACK)]


def test_the_core_fallback_counts_as_fallback():
    assert reasons(user("zzz", "greet", 0.9), action("action_default_fallback")) == [
        ("zzz", FALLBACK)
    ]


def test_an_faq_is_as_sure_as_its_intent_times_its_topic():
    sure = user("what is outstaffing", "faq", 0.9, ("faq/define_outstaffing", 0.9))
    unsure = user("do you audit code", "faq", 0.9, ("faq/service_contract", 0.5))
    assert reasons(sure, unsure) == [("do you audit code", LOW_CONFIDENCE)]


def test_form_answers_personal_data_and_buttons_are_never_picked():
    events = [
        user("i want developers", "hire_developers", 0.9),
        loop("lead_form"),
        user("Jane from some place", "inform", 0.2),
        loop(None),
        user("mail me at jane@acme.example", "inform", 0.2),
        user("call +44 20 7946 0958", "inform", 0.2),
        user("/affirm", "affirm", 0.2),
        user("something odd", "inform", 0.2),
    ]
    assert reasons(*events) == [("something odd", LOW_CONFIDENCE)]


def test_the_suggestion_passes_over_nlu_fallback_and_names_the_topic():
    parse_data = {
        "intent": {"name": "nlu_fallback", "confidence": 0.45},
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.45},
            {"name": "faq", "confidence": 0.4},
        ],
        "response_selector": {
            "faq": {"response": {"intent_response_key": "faq/legal_employer", "confidence": 0.5}}
        },
    }
    assert suggest(parse_data) == Suggestion("faq/legal_employer", 0.2)
    assert suggest({"intent": {"name": "nlu_fallback", "confidence": 0.4}}) is None


def candidate(text: str, intent: str, confidence: float, sender: str = "s") -> Candidate:
    return Candidate(text, sender, 0.0, FALLBACK, Suggestion(intent, confidence))


def test_near_duplicates_share_a_group_with_one_suggestion():
    groups = group_candidates(
        [
            candidate("How do you vet engineers", "ask_price", 0.4, "a"),
            candidate("what time zones do you cover", "faq/time_zones", 0.3, "a"),
            candidate("how do you vet your engineers?", "faq/quality", 0.3, "b"),
            candidate("How do you vet engineers", "faq/quality", 0.3, "c"),
        ]
    )
    first = groups[0]
    assert (first.text, first.variants) == (
        "How do you vet engineers",
        ["how do you vet your engineers?"],
    )
    assert first.suggestion() == Suggestion("faq/quality", 0.3)  # 0.6 in all beats 0.4
    assert first.conversations == ["a", "b", "c"]
    assert [group.text for group in groups[1:]] == ["what time zones do you cover"]


def test_similarity_of_stemmed_content_words():
    assert content_words("Do you audit smart contracts?") == {"audit", "smart", "contract"}
    assert similarity(content_words("hmm"), content_words("hmm!")) == 1.0
    assert similarity(content_words("audit code"), content_words("write code")) == 1 / 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("version: 1\ngroups:\n- text: a\n  decision: maybe\n", "decision must be one of"),
        ("version: 1\ngroups:\n- text: a\n  decision: accept\n", "accepted without an intent"),
        ("version: 1\ngroups:\n- decision: drop\n", "needs a text"),
        ("version: 1\ngroups:\n- text: a\n  variants: b\n", "variants must be a list"),
        ("[unclosed", "not valid YAML"),
        ("version: 2\n", "not a review file"),
    ],
)
def test_a_wrong_review_file_is_refused_with_the_reason(content, message):
    with pytest.raises(ReviewFileError, match=message):
        parse_review(content)


NLU = """\
version: "3.1"
nlu:
# Greetings first.
- intent: greet
  examples: |
    - hello
    - hi there
  # a comment after the block

- intent: faq/legal_employer  # the topic
  examples: |
    - who employs the developer?
"""


def test_insert_keeps_comments_and_order():
    merged = insert_examples(NLU, "greet", ["good morning"])
    assert merged == NLU.replace("    - hi there\n", "    - hi there\n    - good morning\n")
    merged = insert_examples(NLU, "faq/legal_employer", ["who pays them"])
    assert merged == NLU + "    - who pays them\n"
    assert insert_examples(NLU, "goodbye", ["bye"]) is None


def test_append_adds_a_new_intent_block():
    assert append_intent("nlu:\n", "goodbye", ["bye"]) == (
        "nlu:\n- intent: goodbye\n  examples: |\n    - bye\n"
    )


def test_append_indents_the_block_like_the_files_other_intents():
    content = "nlu:\n  - intent: greet\n    examples: |\n      - hi\n"
    assert append_intent(content, "goodbye", ["bye"]) == (
        content + "  - intent: goodbye\n    examples: |\n      - bye\n"
    )


def test_merge_skips_what_another_intent_owns(tmp_path: Path):
    path = tmp_path / "nlu.yml"
    path.write_text(NLU)
    decisions = [
        Decision(1, "accept", "faq/legal_employer", ("Hello!", "who is the employer")),
        Decision(2, "drop", "greet", ("bye",)),
    ]
    result = merge_accepted(decisions, [path], {"greet", "faq/legal_employer"})
    assert result.conflicts == [("Hello!", "faq/legal_employer", "greet")]
    assert result.added == [("faq/legal_employer", "who is the employer")]
    assert nlu_examples([path])["faq/legal_employer"][-1] == "who is the employer"


def test_merge_adds_a_known_intent_without_examples_at_the_end(tmp_path: Path):
    path = tmp_path / "nlu.yml"
    path.write_text(NLU)
    result = merge_accepted([Decision(1, "accept", "goodbye", ("bye",))], [path], {"goodbye"}, path)
    assert result.added == [("goodbye", "bye")]
    assert nlu_examples([path])["goodbye"] == ["bye"]


example_texts = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)


@given(st.lists(example_texts, min_size=1, max_size=5, unique=True))
def test_inserted_examples_read_back_as_written(texts):
    merged = insert_examples(NLU, "greet", texts)
    assert merged is not None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nlu.yml"
        path.write_text(merged, encoding="utf-8")
        assert nlu_examples([path])["greet"] == ["hello", "hi there", *texts]
