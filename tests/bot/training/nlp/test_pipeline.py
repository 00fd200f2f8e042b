from pathlib import Path

import pytest

from bot.training.nlp.pipeline import (
    PatternsError,
    build_and_save,
    build_pipeline,
    load_patterns,
    ruler_patterns,
)


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(load_patterns())


def entities(nlp, text: str) -> list[tuple[str, str]]:
    return [(ent.label_, ent.text) for ent in nlp(text).ents]


def test_pipeline_marks_team_needs_in_one_sentence(nlp):
    found = entities(nlp, "We need 3 senior Python developers for an offshore team in India")
    assert found == [
        ("seniority", "senior"),
        ("tech_stack", "Python"),
        ("role", "developers"),
        ("engagement_model", "offshore team"),
        ("country", "India"),
    ]


def test_pipeline_ignores_case_and_prefers_the_longest_phrase(nlp):
    assert entities(nlp, "REACT NATIVE and ruby on rails devs") == [
        ("tech_stack", "REACT NATIVE"),
        ("tech_stack", "ruby on rails"),
        ("role", "devs"),
    ]


def test_pipeline_keeps_middle_east_apart_from_middle_seniority(nlp):
    assert entities(nlp, "a middle QA engineer from the Middle East") == [
        ("seniority", "middle"),
        ("role", "QA engineer"),
        ("country", "Middle East"),
    ]


def test_exact_case_phrases_tell_the_go_language_from_the_verb(nlp):
    assert entities(nlp, "we need 2 Go developers") == [
        ("tech_stack", "Go"),
        ("role", "developers"),
    ]
    assert entities(nlp, "ok, let's go ahead") == []


def test_pipeline_finds_nothing_in_small_talk(nlp):
    assert entities(nlp, "hello, can you help us with something?") == []


def test_saved_pipeline_loads_back_with_spacy(tmp_path: Path):
    import spacy

    loaded = spacy.load(build_and_save(tmp_path / "spacy"))
    assert [ent.label_ for ent in loaded("kotlin").ents] == ["tech_stack"]


def test_ruler_patterns_lowercase_every_phrase():
    assert ruler_patterns({"tech_stack": ["Node.js"]}) == [
        {"label": "tech_stack", "pattern": "node.js"}
    ]


def test_load_patterns_rejects_a_phrase_under_two_labels(tmp_path: Path):
    path = tmp_path / "patterns.yml"
    path.write_text("role:\n  - lead\nseniority:\n  - Lead\n")
    with pytest.raises(PatternsError, match="both 'role' and 'seniority'"):
        load_patterns(path)


@pytest.mark.parametrize("content", ["[]", "role: python", "role:\n  - ''\n", ""])
def test_load_patterns_rejects_malformed_files(tmp_path: Path, content: str):
    path = tmp_path / "patterns.yml"
    path.write_text(content)
    with pytest.raises(PatternsError):
        load_patterns(path)
