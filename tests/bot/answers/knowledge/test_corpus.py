"""The knowledge files: sections with titles and their article."""

from __future__ import annotations

import pytest

from bot.answers.knowledge.corpus import KnowledgeError, load_sections, parse_article, slug

ARTICLE = """---
title: A test article
article: test
---

## First idea

Some words here.
More words.

## Second idea

Other words.
"""


def test_an_article_splits_into_titled_sections():
    first, second = parse_article("test", ARTICLE)
    assert first.id == "test#first-idea"
    assert first.text == "Some words here. More words."
    assert second.title == "Second idea"
    assert second.article_title == "A test article"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("## Only a heading\ntext", "front matter"),
        ("---\narticle: x\n---\n## A\ntext", "needs a title"),
        ("---\ntitle: T\n---\nno headings", "no '## ' section"),
        ("---\ntitle: T\n---\n## Empty\n\n## Full\ntext", "'Empty' has no text"),
    ],
)
def test_a_malformed_article_names_its_problem(content, message):
    with pytest.raises(KnowledgeError, match=message):
        parse_article("broken", content)


def test_the_project_knowledge_base_loads_with_unique_ids():
    sections = load_sections()
    assert len(sections) >= 30
    assert len({section.id for section in sections}) == len(sections)
    assert {section.article_title for section in sections} == {
        "How to benefit from outstaffing (and not confuse it with outsourcing)",
        "Offshoring vs outsourcing, with pros, cons and examples",
    }


def test_slugs_are_lower_case_words_joined_by_dashes():
    assert slug("Who versus where") == "who-versus-where"
    assert slug("Outstaffing scheme one: your own employees") == (
        "outstaffing-scheme-one-your-own-employees"
    )
