"""bot.languages: a message's language, named only when it is clearly not English."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.languages import visitor_language
from bot.languages.detect import reads_as_a_sentence


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hola, necesito tres desarrolladores para mi empresa", "es"),
        ("Wie viel kostet ein Entwickler pro Monat?", "de"),
        ("Привет, мне нужны разработчики", "ru"),
        ("我们需要三个开发人员", "zh"),
        ("Bonjour, je cherche une équipe de développeurs", "fr"),
    ],
)
def test_a_sentence_in_another_language_is_named(text, language):
    assert visitor_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "what is outstaffing?",
        "we need 3 senior python devs",
        "Olena Kovalenko, Brightpixel",  # names read as no language
        "Müller GmbH",
        "Jan Kowalski, jan@firma.pl",
        "ja",  # too short to tell
        "danke schön",
        "ok thanks, bye",
    ],
)
def test_english_names_and_short_replies_are_not_named(text):
    assert visitor_language(text) is None


def test_capitalised_words_and_addresses_do_not_count_as_words():
    assert not reads_as_a_sentence("Anna Maria Schmidt, Berlin Tech GmbH, anna@tech.de")
    assert reads_as_a_sentence("wir suchen zwei entwickler")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gets_a_code_or_none_and_never_raises(text):
    language = visitor_language(text)
    assert language is None or (language.isalpha() and language != "en")
