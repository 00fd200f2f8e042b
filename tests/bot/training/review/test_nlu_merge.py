"""Accepted review groups merged into the NLU data: comments, order and indentation kept."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.training.project_checks import nlu_examples
from bot.training.review.nlu_merge import append_intent, insert_examples, merge_accepted
from bot.training.review.review_file import Decision

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
