"""Numbers as visitors write them: digits, words, "a couple", "10k"."""

from __future__ import annotations

import re

_WORDS = {
    "zero": 0,
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "couple": 2,
    "pair": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
}

VAGUE_QUANTITIES = (
    "a lot",
    "lots",
    "many",
    "several",
    "a few",
    "few",
    "some",
    "a bunch",
    "loads",
    "plenty",
    "numerous",
    "a number of",
    "multiple",
    "a handful",
    "handful",
)

# A number: signed digits with thousands separators or decimals and an
# optional k/m suffix, or a number word ("a couple of", "a dozen", "twenty").
NUMBER_PATTERN = (
    r"(?:[-\u2212\u2013]\s*)?\d[\d,]*(?:\.\d+)?\s*[km]?(?![\w@])"
    r"|(?:a\s+)?(?:couple|pair|dozen)(?:\s+of)?"
    r"|(?:zero|one|single|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty"
    r"|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million)"
    r"(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|an?"
)


def number_value(phrase: str) -> float | None:
    """The value of one number phrase (``"1,000"``, ``"10k"``, ``"twenty-five"``).

    Returns None when the phrase is not a number.
    """
    text = phrase.strip().lower().replace("\u2212", "-").replace("\u2013", "-")
    text = re.sub(r"\s+of$", "", text)
    negative = text.startswith("-")
    text = text.lstrip("-").strip()
    digits = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)\s*([km]?)", text)
    if digits:
        raw, suffix = digits.groups()
        if "," in raw and not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
            return None
        value = float(raw.replace(",", ""))
        value *= {"": 1, "k": 1_000, "m": 1_000_000}[suffix]
        return -value if negative else value
    words = re.split(r"[\s-]+", re.sub(r"^a\s+", "", text)) if text not in ("a", "an") else [text]
    if not words or any(word not in _WORDS for word in words):
        return None
    return float(sum(_WORDS[word] for word in words))


def mentions_vague_quantity(text: str) -> bool:
    """True for "a lot", "many", "several" and the like."""
    lowered = text.lower()
    return any(re.search(rf"\b{re.escape(phrase)}\b", lowered) for phrase in VAGUE_QUANTITIES)
