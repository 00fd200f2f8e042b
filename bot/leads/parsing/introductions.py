"""A visitor introducing themselves in passing, before anyone asked:
"Hi, I'm Marta Nowak from Fieldwise", "Priya Raman here", "Contact: Tomás
Ruiz, Ruiz Logistics, tomas@ruizlog.es".

Only clear introductions count: a name is one to three capitalised words
right after "my name is", "I'm" or "this is" (two at least after "this is"),
or before "here" at the start of a sentence, or alone before the email
address in its sentence ("Olena Petrenko, Brightpixel, olena@..."). Job titles, technologies and
ordinary words ("I'm Looking", "I'm CTO at Acme") are no names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.leads.vocabulary import canonical_seniority, is_known_role, is_known_technology

_WORD = r"[^\W\d_][\w'\u2019.-]*"
_LEAD_IN = re.compile(
    r"(?:^|[\s,.;:!(])(?P<cue>my name is|my name's|i'm|i am|im|this is)\s+(?P<rest>[^\n]+)",
    re.IGNORECASE,
)
_HERE = re.compile(
    rf"(?:^|[.!?;]\s*|^\s*(?:hi|hello|hey)[,!]?\s+)(?P<name>{_WORD}(?:\s+{_WORD}){{1,2}})\s+here\b",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"\bcontact(?:\s+(?:details|info|person|me))?\s*[:\u2013-]\s*(?P<card>[^\n]+)",
    re.IGNORECASE,
)
_COMPANY_AFTER = re.compile(r"^(?:from|at|with|of)\s+(?P<company>.+)$", re.IGNORECASE)
_STOP = re.compile(r"[,.;:!?()\[\]\n]|\s+(?:and|we|but|our|i|who|looking|need)\b", re.I)
_NOT_NAMES = frozenset(
    [
        "cto",
        "ceo",
        "cfo",
        "coo",
        "cpo",
        "vp",
        "head",
        "founder",
        "co-founder",
        "cofounder",
        "director",
        "manager",
        "lead",
        "hr",
        "it",
        "the",
        "a",
        "an",
        "from",
        "at",
        "with",
        "here",
        "looking",
        "interested",
        "hiring",
        "team",
        "teams",
        "people",
        "staff",
        "specialists",
        "experts",
        "just",
        "also",
        "not",
        "sure",
        "new",
        "back",
        "responsible",
        "in",
        "on",
        "of",
        "for",
        "junior",
        "middle",
        "mid",
        "senior",
        "principal",
        "staff",
        "marketing",
        "sales",
        "product",
        "engineering",
        "tech",
        "technical",
        "recruiter",
        "recruiting",
        "talent",
        "thanks",
        "thank",
        "sure",
        "yes",
        "ok",
        "okay",
        "hi",
        "hello",
        "hey",
        "please",
        "sorry",
        "regards",
        "cheers",
        "best",
        "email",
        "contact",
    ]
)
# Words that may follow a name: "I'm Alex from Stripe", "Dana here".
_LINKS = frozenset({"from", "at", "with", "of", "here", "and", "we", "i", "in", "for"})
_MOST_WORDS = 3
_EMAIL = re.compile(r"[^\s,;<>()\[\]]+@[^\s,;<>()\[\]]+")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n")


@dataclass(frozen=True)
class Introduction:
    """The name and company a visitor gave unasked; None where they gave none."""

    name: str | None = None
    company: str | None = None


def _is_name_word(word: str, *, any_case: bool = False) -> bool:
    bare = word.strip(".,'\u2019-")
    return (
        bool(bare)
        and (any_case or bare[0].isupper())
        and bare.lower() not in _NOT_NAMES
        and not is_known_technology(bare)
        and not is_known_role(bare)
    )


def _leading_name(words: list[str], *, any_case: bool = False) -> list[str]:
    """The words that start ``words`` and make a name; none when a job title
    follows them ("Marketing Director")."""
    name: list[str] = []
    for word in words[:_MOST_WORDS]:
        if not _is_name_word(word, any_case=any_case):
            break
        name.append(word.strip(".,"))
        if word.endswith(","):
            break
    ends_with_comma = bool(name) and words[len(name) - 1].endswith(",")
    following = words[len(name)].strip(".,").lower() if len(words) > len(name) else ""
    if not ends_with_comma and (following in _NOT_NAMES - _LINKS or is_known_role(following)):
        return []
    return name


def _company(text: str) -> str | None:
    match = _COMPANY_AFTER.match(text.strip())
    if match is None:
        return None
    company = _STOP.split(match.group("company"), maxsplit=1)[0].strip()
    return company if company and (company[0].isupper() or company[0].isdigit()) else None


def _after_lead_in(cue: str, rest: str) -> Introduction | None:
    words = rest.split()
    name = _leading_name(words, any_case=cue.lower().startswith("my name"))
    if not name or (cue.lower() == "this is" and len(name) < 2):
        return None
    after = " ".join(words[len(name) :])
    return Introduction(" ".join(name), _company(after))


def _card_before_email(text: str) -> Introduction | None:
    """ "... from January. Olena Petrenko, Brightpixel, olena@brightpixel.io":
    a sentence of a name, maybe a company, then the email address."""
    email = _EMAIL.search(text)
    if email is None:
        return None
    sentence = _SENTENCE_END.split(text[: email.start()])[-1]
    pieces = [piece.strip() for piece in sentence.split(",") if piece.strip()]
    if not pieces:
        return None
    words = pieces[0].split()
    if len(_leading_name(words)) != len(words):
        return None
    company = pieces[1] if len(pieces) > 1 and pieces[1][0].isupper() else None
    return Introduction(pieces[0], company)


def introduction(text: str) -> Introduction:
    """The name and company ``text`` introduces, if it clearly does."""
    from bot.leads.parsing.contact import contact_details

    card = _CONTACT.search(text)
    if card is not None:
        details = contact_details(card.group("card"), asked="name")
        if details.name and _leading_name(details.name.split()):
            return Introduction(details.name, details.company)
    for match in _LEAD_IN.finditer(text):
        found = _after_lead_in(match.group("cue"), match.group("rest"))
        if found is not None:
            return found
    card_before_email = _card_before_email(text)
    if card_before_email is not None:
        return card_before_email
    here = _HERE.search(text)
    if here is not None and len(_leading_name(here.group("name").split())) >= 2:
        return Introduction(here.group("name"))
    return _name_and_company_alone(text) or Introduction()


def _name_and_company_alone(text: str) -> Introduction | None:
    """ "Jo from Acme", "Marta Nowak at Fieldwise": a message of nothing but a
    name and the company after it ("Senior team from Poland" is no name)."""
    words = text.strip(" .!").split()
    name = _leading_name(words)
    if not name or len(words) < len(name) + 2 or canonical_seniority(name[0]):
        return None
    company = _company(" ".join(words[len(name) :]))
    if company is None or " ".join(words[len(name) + 1 :]) != company:
        return None
    return Introduction(" ".join(name), company)
