"""bot review's grouping: near-duplicate messages share a group and one suggestion."""

from __future__ import annotations

from bot.training.review.grouping import content_words, group_candidates, similarity
from bot.training.review.selection import FALLBACK, Candidate, Suggestion


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
