"""The review file: a wrong one is refused with the reason."""

from __future__ import annotations

import pytest

from bot.training.review.review_file import ReviewFileError, parse_review


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
