"""Answers that say the visitor does not know yet, and name nothing.

Asked which roles or technologies the team needs, a visitor may answer "not
sure yet", "no idea", "up to you" or "whatever you recommend". Those words
are no role: stored as typed, sales would read *Roles: not sure yet*. An
answer is a hedge only when every word of it is a word of hedging or of the
sentence around it, and one of them says so: "not sure, probably backend"
names a role, and "someone for devops" or "a tester" are answers.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say it: the visitor does not know, or leaves it to the agency.
_SAYING_IT = _words(
    """
    sure unsure know knows idea clue decided decide undecided deciding dunno idk
    tbd tbc preference preferences suggest suggestions suggestion recommend
    recommendation recommendations advise advice depends whatever anything any
    figure figuring
    """
)
# Phrases that say it with words of the sentence alone.
_SAYING_IT_PHRASES = re.compile(
    r"\bup to you\b|\byour call\b|\byou (?:decide|choose|pick|tell me)\b"
)
# Words of the sentence around it: "I'm not sure yet", "we haven't decided",
# "it's up to you", "what would you recommend", "no preference really".
_AROUND_IT = _words(
    """
    i i'm im i'd i'll we we're were we've we'd we'll you you're you'd your yours
    it it's its that this the a an not no don't dont do does doesn't haven't
    havent have has hasn't yet still really quite totally fully exactly
    completely honestly just so well oh hmm um uh up to on at all for me us our
    with what which who would could can should will call decide choose pick
    tell let let's lets see out about right now moment open and or but thing
    things whichever whoever needed need work works fine ok okay good best
    think is are be
    """
)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def is_hedge(text: str) -> bool:
    """True when ``text`` says the visitor does not know yet (or leaves it to us)
    and names nothing: "not sure yet", "no idea", "up to you", "no preference"."""
    text = text.lower().replace("\u2019", "'")  # a typographic apostrophe
    words = _WORD.findall(text)
    return (
        bool(words)
        and (any(word in _SAYING_IT for word in words) or bool(_SAYING_IT_PHRASES.search(text)))
        and all(word in _SAYING_IT or word in _AROUND_IT for word in words)
    )
