"""Who sales should contact: name, company, work email and phone.

Email addresses are checked with email-validator (syntax only, never a DNS
look-up) and phone numbers with phonenumbers; names and companies are free
text kept verbatim, within length limits, without the lead-ins before them
("my name is"), and never a sentence about something else ("my phone is"),
a refusal ("I'd rather not say"), a filler ("one sec") or another answer
("next week"): see :mod:`bot.leads.parsing.non_answers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.leads.parsing.asides import (
    asks_why,
    before_aside,
    is_aside,
    reads_as_sentence,
    without_lead_ins,
)
from bot.leads.parsing.non_answers import DECLINED, PAUSED, may_be_meant, non_answer, refuses
from bot.leads.parsing.result import Invalid

MAX_NAME_LENGTH = 100
MAX_COMPANY_LENGTH = 150

_EMAIL_CANDIDATE = re.compile(r"[^\s,;<>()\[\]\"']*@[^\s,;<>()\[\]\"']*")
_PHONE_CANDIDATE = re.compile(r"(?<![\w@.])\+?\(?\d[\d\s().-]{5,}\d(?![\w@])")
_WEB_ADDRESS = re.compile(r"(?:https?://|\bwww\.)[^\s,;]*", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
# Commas, line breaks, dashes, and the end of a question ("why? Jane Doe").
_HARD_SEPARATORS = re.compile(r"\s*(?:,|\n|\s[-\u2013|]\s|(?<=\?)\s)\s*")
# "Jane Doe from Acme": words that part a name from a company in one phrase.
_NAME_COMPANY_SEPARATOR = re.compile(r"\s+(?:from|at|with|working for|of)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class ContactDetails:
    """What one message says about the visitor; missing parts are None."""

    name: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    # A first piece that refuses the name ("skip" in "skip, Acme Ltd").
    refusal: str | None = None


def email_address(text: str) -> str | Invalid | None:
    """The work email in ``text``, normalised; None when there is no ``@`` at all.

    Invalid("no_domain") for ``jane@`` or ``jane@acme``; Invalid("malformed")
    for anything else email-validator refuses.
    """
    match = _EMAIL_CANDIDATE.search(text)
    if not match:
        return None
    candidate = match.group(0).strip(".!?:")
    domain = candidate.partition("@")[2]
    if not domain or "." not in domain.strip("."):
        return Invalid("no_domain")
    try:
        checked = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError:
        return Invalid("malformed")
    return str(checked.normalized)


def phone_number(text: str, default_region: str | None = None) -> str | Invalid | None:
    """The phone number in ``text`` in international format; None when none is there.

    Without a default region only numbers written with ``+`` and a country code
    can be read; digits that cannot be a phone number give Invalid("invalid").
    """
    candidates = [m.group(0) for m in _PHONE_CANDIDATE.finditer(text)]
    if not candidates:
        return None
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, default_region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if default_region is None and not any(c.strip().startswith("+") for c in candidates):
        return Invalid("needs_country_code")
    return Invalid("invalid")


def _normalised(text: str) -> str:
    return " ".join(text.split()).strip(" ,.;:!")


def _free_text(text: str, limit: int, asked: str, *, insisted: bool) -> str | Invalid:
    """``text`` without its lead-ins; Invalid("not_a_<asked>") when only lead-ins,
    an aside or a non-answer are there, Invalid("declined") or
    Invalid("paused") for a refusal or a filler, Invalid("asked_why") for a
    question why. ``insisted``: a non-answer that may be meant is taken."""
    refused = Invalid(f"not_a_{asked}")
    words = _normalised(text)
    while words != (
        stripped := _normalised(without_lead_ins(words, before_company=asked == "company"))
    ):
        words = stripped
    if not _LETTER.search(words):
        return refused if _LETTER.search(text) else Invalid("empty")
    if len(words) > limit:
        return Invalid("too_long")
    if asks_why(words):
        return Invalid("asked_why")
    # "I'd rather not say" is an aside as well: the whole text says which.
    reason = non_answer(text, asked) or non_answer(words, asked)
    if reason and insisted and may_be_meant(words, asked) and not is_aside(words):
        return words
    if reason in (DECLINED, PAUSED):
        return Invalid(str(reason))
    return refused if reason or is_aside(words) else words


def person_name(text: str, *, insisted: bool = False) -> str | Invalid:
    """A visitor's name as typed (any script, HTML kept verbatim), 1-100 characters.

    Invalid("declined") for a refusal, deferral, hedge or placeholder
    ("I'd rather not say", "later", "n/a"), Invalid("paused") for a filler
    ("one sec"), and Invalid("not_a_name") for anything else no name is: a
    start or duration ("next week"), digits, a reference ("same as above"),
    or a sentence, such as one with an email, phone number or web address in
    it, or words like "my phone is". With ``insisted`` (the visitor gave it
    again right after it was refused), a few words refused for what they are
    ("Skip", "Nobody") are taken: see :func:`may_be_meant`.
    """
    name = _free_text(text, MAX_NAME_LENGTH, "name", insisted=insisted)
    if isinstance(name, str) and (_mentions_contact_details(name) or reads_as_sentence(name)):
        return Invalid("not_a_name")
    return name


def company_name(text: str, *, insisted: bool = False) -> str | Invalid:
    """A company name as typed, 1-150 characters, digits and ordinary words
    included ("3M", "Skip the Dishes", "Next"); Invalid("declined"),
    Invalid("paused") or Invalid("not_a_company") as for :func:`person_name`
    (``insisted`` too), and for an aside like "I just told you"."""
    return _free_text(text, MAX_COMPANY_LENGTH, "company", insisted=insisted)


def _mentions_contact_details(text: str) -> bool:
    return bool("@" in text or _PHONE_CANDIDATE.search(text) or _WEB_ADDRESS.search(text))


def _without_addresses_and_phone(text: str) -> str:
    without_addresses = _WEB_ADDRESS.sub(" ", _EMAIL_CANDIDATE.sub(" ", text))
    return _PHONE_CANDIDATE.sub(" ", without_addresses)


def _pieces(text: str, asked: str) -> list[tuple[str, str]]:
    """The pieces of free text in ``text``, each as typed and without its lead-ins
    and asides; after the first, a piece is read as a company may be ("Jane,
    Sure Petcare")."""
    pieces = []
    for index, piece in enumerate(_HARD_SEPARATORS.split(_without_addresses_and_phone(text))):
        if _LETTER.search(piece):
            words = without_lead_ins(piece, before_company=asked == "company" or index > 0)
            pieces.append((_normalised(piece), _normalised(before_aside(words))))
    return pieces


# "I'm with Brightpixel", "I work for Acme": the company, though a name was asked.
_COMPANY_CUE = re.compile(
    r"^\s*(?:(?:i'?m|i am|we'?re|we are)\s+(?:with|at|from)|i\s+work\s+(?:at|for|with)"
    r"|(?:our|my)\s+company\s+is|company\s*[:-])\s+(?P<company>\S.*)$",
    re.IGNORECASE,
)


def contact_details(text: str, *, asked: str, default_region: str | None = None) -> ContactDetails:
    """Reads a contact card like "Jane Doe, Acme Ltd, jane@acme.com".

    ``asked`` is the field the bot asked for (``name`` or ``company``): the
    first piece of free text answers it, and after a name a second piece is
    taken as the company. Email and phone are found wherever they are; values
    that fail their check are left out (the form asks again for them). Lead-ins
    ("I'm") are dropped, and so are asides ("my phone is") and pieces that are
    no answer ("not telling", "next week"): "my phone is +44 20 7946 0958"
    gives the phone and no name. Asked for a name, a first piece that refuses
    it ("skip, Acme Ltd") is kept as ``refusal``, and what follows it is the
    company, never the name; so is one that says it is a company ("I'm with
    Acme").
    """
    email = email_address(text)
    phone = phone_number(text, default_region)
    pieces = _pieces(text, asked)
    refusal = pieces.pop(0)[0] if asked == "name" and pieces and refuses(pieces[0][0]) else None
    answers = [
        words
        for typed, words in pieces
        if _LETTER.search(words) and not is_aside(words) and not non_answer(typed, "company")
    ]
    name = company = None
    cue = _COMPANY_CUE.match(pieces[0][0]) if pieces and refusal is None else None
    if cue is not None and answers:  # "I'm with Acme": the company, and no name
        company = _normalised(cue.group("company"))
    elif asked == "name" and refusal is None and answers:
        if len(answers) == 1:
            answers = _NAME_COMPANY_SEPARATOR.split(answers[0], maxsplit=1)
        name = answers[0]
        company = answers[1] if len(answers) > 1 else None
    elif answers:
        company = answers[0]
    return ContactDetails(
        name=name,
        company=company,
        email=email if isinstance(email, str) else None,
        phone=phone if isinstance(phone, str) else None,
        refusal=refusal,
    )
