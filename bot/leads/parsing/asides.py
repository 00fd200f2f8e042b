"""Words around a name or a company that are not part of it.

Asked for their name, visitors also write lead-ins ("my name is", "I'm",
"I just told you.") before it, and sometimes a sentence about something else
instead ("my phone is +44 ...", "why do you need it?"). Lead-ins are stripped
when a name follows; an aside is never taken as a name or a company.
"""

from __future__ import annotations

import re

_SAID_BEFORE = (
    r"i(?:'ve|\u2019ve| have)?\s+(?:just\s+|already\s+)?(?:told|said|gave|sent|wrote)"
    r"(?:\s+(?:to\s+)?(?:you|it|that|this|them))*(?:\s+(?:already|before|earlier|above))?"
    r"|as i (?:said|told you|wrote)|like i said"
)
_INTERJECTION = r"hi|hello|hey|ok|okay|sure|yes|yeah|yep|fine|sorry|well"
_LEAD_IN_PHRASE = (
    r"again|here you go|here it is"
    rf"|{_SAID_BEFORE}"
    r"|(?:my |our |the )?company(?: name)? is|company:|we are|we're|i work (?:at|for)"
    r"|i'm with|i\u2019m with|i am with|from|at"
    r"|my name is|my name's|name is|name:|the name is|i am|i'm|i\u2019m|im|this is"
    r"|it's|it\u2019s|it is|call me"
)
_LEAD_IN = re.compile(
    rf"^\s*(?:{_INTERJECTION}|{_LEAD_IN_PHRASE})(?:[\s,.;:!\-\u2013]+|$)", re.IGNORECASE
)
# Before a company, "Sure Petcare" and "Yes Bank" are names: an interjection is
# a lead-in there only when punctuation or another lead-in follows it.
_LEAD_IN_BEFORE_COMPANY = re.compile(
    rf"^\s*(?:(?:{_INTERJECTION})(?:\s*[,.;:!\-\u2013]+\s*|\s+(?=(?:{_LEAD_IN_PHRASE})\b)|\s*$)"
    rf"|(?:{_LEAD_IN_PHRASE})(?:[\s,.;:!\-\u2013]+|$))",
    re.IGNORECASE,
)
_WHY = re.compile(r"\b(?:why|what for|how come)\b", re.IGNORECASE)
_ASIDE_PHRASE = re.compile(
    rf"\b(?:{_SAID_BEFORE})\b"
    r"|\b(?:my|our)\s+(?:phone|mobile|cell|number|telephone|tel|e-?mail|mail|address"
    r"|website|site|linkedin)\b"
    r"|\b(?:phone|mobile|number|e-?mail)\s+(?:is|was|number)\b"
    r"|\b(?:none of your business|not telling|rather not|prefer not|no comment)\b",
    re.IGNORECASE,
)
# Words a sentence has and a name seldom does; two of them make an aside
# ("Lily You" and "My Linh" are names with one). Not "said": "Said" is a name,
# and "I said" an aside already.
_SENTENCE_WORDS = frozenset(
    {
        "i", "me", "my", "you", "your", "is", "are", "am", "was", "it", "that", "this",
        "what", "how", "need", "told", "phone", "email", "number", "not",
        "don't", "dont", "please", "here", "already",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


def without_lead_ins(text: str, *, before_company: bool = False) -> str:
    """``text`` without the phrases before a name or company ("my name is", "I'm",
    "I just told you."), however many there are.

    With ``before_company``, "sure" or "yes" is a lead-in only when punctuation
    or another lead-in follows it ("Sure, it's Acme", not "Sure Petcare").
    """
    lead_in = _LEAD_IN_BEFORE_COMPANY if before_company else _LEAD_IN
    previous = None
    while text != previous:
        previous = text
        text = lead_in.sub("", text, count=1)
    return text


def asks_why(text: str) -> bool:
    """True for a question about why the bot asks ("why do you need it?")."""
    return bool(_WHY.search(text))


def is_aside(text: str) -> bool:
    """True when ``text`` is about something else than a name or company: a
    question, or a phrase like "my phone is" or "I just told you"."""
    return "?" in text or asks_why(text) or bool(_ASIDE_PHRASE.search(text))


def before_aside(text: str) -> str:
    """The words before an aside phrase: "Dana, my phone is" -> "Dana, "."""
    found = _ASIDE_PHRASE.search(text)
    return text[: found.start()] if found else text


def reads_as_sentence(text: str) -> bool:
    """True for an aside, or for words that a sentence has and a person's name
    seldom does: two or more of them ("it is me"), or nothing else ("me")."""
    if is_aside(text):
        return True
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    sentence_words = sum(word in _SENTENCE_WORDS for word in words)
    return sentence_words >= 2 or sentence_words == len(words) > 0
