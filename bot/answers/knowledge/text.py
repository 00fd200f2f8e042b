"""The words that count in search: spaCy's tokens, without stop words, stemmed.

Stems come from the Snowball English stemmer (``outsourced`` and
``outsourcing`` both become ``outsourc``); each stem of a synonym group is
followed by the group's key, so visitor words and article words meet.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import snowballstemmer
import yaml
from spacy.lang.en.stop_words import STOP_WORDS

SYNONYMS_FILE = Path(__file__).with_name("synonyms.yml")
GROUP_PREFIX = "~"  # marks a synonym group's key among the stems

Tokenizer = Callable[[str], Iterable[str]]


# A Snowball stemmer keeps the word it works on in itself: one per thread (the
# action server builds the knowledge index in worker threads).
_stemmers = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    if not hasattr(_stemmers, "english"):
        _stemmers.english = snowballstemmer.stemmer("english")
    return _stemmers.english


def stem(word: str) -> str:
    """The Snowball stem of a lower-case word (safe from several threads at once)."""
    return str(_stemmer().stemWord(word))


def load_synonyms(path: Path = SYNONYMS_FILE) -> dict[str, str]:
    """Stem -> group key, from a YAML mapping of key to words."""
    groups = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        stem(str(word).lower()): f"{GROUP_PREFIX}{key}"
        for key, words in groups.items()
        for word in words
    }


def words_of(text: str, tokenize: Tokenizer) -> list[str]:
    """Lower-case alphabetic tokens that are not stop words."""
    return [
        word
        for word in (token.lower() for token in tokenize(text))
        if word.isalpha() and word not in STOP_WORDS
    ]


def terms(text: str, tokenize: Tokenizer, synonyms: Mapping[str, str]) -> list[str]:
    """The search terms of a text: stems, each followed by its synonym group if any."""
    found = []
    for word in words_of(text, tokenize):
        stemmed = stem(word)
        found.append(stemmed)
        if stemmed in synonyms:
            found.append(synonyms[stemmed])
    return found
