"""The curated words of answers that hold no name or company.

Visitors asked for their name write "I'd rather not say", "one sec", "idk",
"next week", "same as above". Such an answer is made only of the words below;
a name seldom is, so a word a name may hold ("Will", "Hope", "Grant", "Can",
"Chance", "Guy") is left out of every list.

Most of these words say nothing on their own, and companies, and some people,
are called by them: "Next", "Zip", "Nothing", "Open", "Fast Company", "Said",
"Tuesday Weld". So the lists are building blocks of phrases, and only the
``*_ALONE`` words (and the ``DEFERRING_PHRASES``) are an answer by themselves.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Refusals and deferrals: the visitor will not, or not now, say it.
DECLINING = _words(
    """
    no nope nah naw nay not never none nothing nobody noone nada zilch zip
    skip skipped skipping pass rather prefer preferably decline declined refuse
    won't wont don't dont doesn't doesnt didn't didnt can't cant cannot
    wouldn't shouldn't isn't aren't ain't n't nowhere
    private privacy secret secrets confidential personal anonymous anon
    anonymously incognito undisclosed withheld withhold hidden redacted
    unnamed nameless unknown blank empty later another sometime someday eventually elsewhere
    busy business comment question questions telling tell nvm nevermind forget
    forgot continue proceed move moving ahead without other comfortable
    uncomfortable anonymity mystery classified unspecified
    nein non niet nee nej nie нет danke merci gracias спасибо
    """
)
# Hedges: the visitor does not know, or leaves it to the bot.
HEDGING = _words(
    """
    maybe perhaps possibly probably unsure sure certain idk dunno dno ikd
    know idea clue clueless complicated complex tricky depends depending
    unclear undecided deciding decide decided hard difficult whatever
    whichever whoever anything something someone somebody anyone anybody
    everyone everybody matter matters either neither kinda sorta kind sort
    guess think thinking suppose random any fine whenever idc beats flexible
    negotiable open important unimportant relevant irrelevant necessary
    unnecessary needed required mandatory optional applicable confirmed confirm
    determined enough
    """
)
# Placeholders and keyboard tests.
PLACEHOLDERS = _words(
    """
    test tests testing tester tst asdf asdfg asdfgh asd sdf qwe qwer qwert qwerty
    zxc zxcv hjkl jkl foo bar baz foobar xx xxx xxxx xyz abc abcd lorem ipsum
    dummy sample example fake null nil undefined nan na n/a n.a tbd tba tbc todo
    placeholder blah bla meh lol lmao haha hehe user username admin guest
    visitor customer client human person people bot firstname lastname
    fullname surname nickname friend boss party potential interested prospect
    ceo cto cfo founder owner manager director colleague assistant team
    """
)
# Fillers: the visitor will answer in a moment. One of these makes a pause...
PAUSING = _words(
    """
    wait waiting hold holding hang sec secs second seconds moment moments minute
    minutes brb afk hmm hmmm hm um umm ummm uh uhh er erm ehm mmm tick jiffy
    check checking grab grabbing looking look find finding fetch back bear
    """
)
# ...these go with them ("just give me a minute", "be right back").
PAUSE_COMPANIONS = _words(
    """
    a an one just on let me lemme give gimme please pls plz bit little quick
    ok okay be right i i'll ill it for sorry up need to have gotta the that in
    with soon
    """
)
# The visitor means an earlier answer.
REFERRING = _words(
    """
    same above before earlier previous previously prior already again said told
    mentioned gave given wrote written sent shared usual ditto see message
    messages chat form here there
    """
)
TIMING = _words(
    """
    asap a.s.a.p urgent urgently immediately immediate now today tonight tomorrow
    tmrw tmr yesterday soon sooner soonest quickly quick fast rush hurry
    week weeks weekly weekend month months monthly year years yearly day days
    daily hour hours quarter quarters fortnight fortnights semester season
    spring summer autumn fall winter next last this coming upcoming following
    early earliest mid middle late end beginning start starting begin begins
    within around approximately approx roughly couple few several half once
    ago away straight possible deadline date dates time times timeline while
    priority high quite extremely full part
    schedule period long short term ongoing permanent indefinitely
    january february march april may june july august september october
    november december monday tuesday wednesday thursday friday saturday sunday
    zero one two three four five six seven eight nine ten eleven twelve
    twenty thirty forty fifty hundred dozen first third
    """
)
# Words every sentence is made of: pronouns, articles, auxiliaries,
# prepositions, greetings and thanks, and the names of the fields asked for.
FUNCTION_WORDS = _words(
    """
    a an the i i'm im i'd i'll i've ive me my mine myself you you're youre
    you'd you'll your yours yourself we we're we'd we'll our ours us they
    they're them their he he's him his she she's her it it's its itself
    this that that's thats these those here there there's theres what what's which who
    how when where is are am was were be been being do does did have has had
    having would could should shall might must to of in on at by for from
    with without as about into up down out off over under so and or but if
    then than too very just only also still yet really actually all some much
    more most less let let's lets ok okay oh ah well yes yeah yep yup right
    get got go going gonna put give gave tell told say write type enter
    fill leave keep stay use call contact share know want wanna need like
    prefer feel mean mind care thanks thank thx cheers please pls plz
    sorry hi hello hey bye goodbye mr mrs ms miss dr prof sir madam
    name names company companies email e-mail mail phone number address
    details detail info information contact yet anyway though ask asking who's
    good great cool nice alright awesome perfect sounds sound thing things tbh
    ngl k kk y n eh huh cares
    """
)
# The first words of a clause: a subject...
CLAUSE_SUBJECTS = _words(
    """
    i i'm im i'd i'll i've ive you you're you'd you'll we we're we'd we'll
    they they're he he's she she's it it's that that's thats this there
    there's let's lets
    """
)
# ...and what follows it ("I don't", "you need", "we are").
CLAUSE_PREDICATES = _words(
    """
    am is are was were be been do does did don't dont doesn't doesnt didn't
    didnt have has had haven't hasn't will won't would wouldn't can can't
    cannot could couldn't should shouldn't shall may might must need needs
    want wants wanna prefer prefers rather think guess know believe feel like
    hope mean told said gave sent already just really still also never not
    only definitely probably usually go going gonna gotta got get give tell
    say see call work works keep stay leave
    """
)

# The words that are an answer on their own: a lone common word is refused
# only when it is one of them. Two common words are refused when they hold one
# of them, a word of the refusal lists above ("another time", "still
# deciding"), a negation, a clause or a time; three or more are a sentence.
# ...a refusal, deferral, hedge or placeholder ("skip", "later", "idk", "n/a")...
REFUSING_ALONE = _words(
    """
    no nope nah naw nay not never none nobody noone nada zilch skip skipped pass
    decline declined refuse later someday sometime eventually private secret
    confidential anonymous anon anonymously incognito undisclosed withheld
    redacted unnamed nameless unknown classified unspecified nvm nevermind
    nein non niet nee nej nie нет maybe perhaps possibly probably unsure idk
    dunno dno ikd idc whatever whichever whoever depends undecided unclear
    complicated test tests testing tester tst asdf asdfg asdfgh asd sdf qwe qwer
    qwert qwerty zxc zxcv hjkl jkl foo baz foobar xx xxx xxxx xyz abc abcd lorem
    ipsum dummy fake null nil undefined nan na n/a n.a tbd tba tbc todo
    placeholder example blah bla meh lol lmao haha hehe user username admin
    guest firstname lastname fullname surname nickname
    """
)
# ...a time that answers "when?" ("tomorrow", "asap")...
TIMING_ALONE = _words(
    """
    asap a.s.a.p now today tonight tomorrow tmrw tmr yesterday immediately
    urgent urgently soon sooner soonest
    """
)
# ...a reference to an earlier answer ("same", "ditto")...
REFERRING_ALONE = _words("same ditto above before earlier previous previously already usual")
# ...or a filler ("wait", "sec", "hmm" and other humming).
PAUSING_ALONE = _words("wait waiting hold sec secs moment brb afk jiffy")
# "a few weeks", "next month", "couple of days": a count or a step, then a unit.
TIMING_QUANTIFIERS = _words(
    """
    a an one two three four five six seven eight nine ten eleven twelve twenty
    few couple several next last this coming upcoming following every each half
    """
)
TIMING_UNITS = _words(
    """
    day days week weeks weekend month months year years hour hours quarter
    quarters fortnight fortnights semester
    """
)
# A day, month or season: alone it may be a name ("Tuesday", "June"), after a
# preposition it is a time ("on Monday", "from June").
CALENDAR = _words(
    """
    monday tuesday wednesday thursday friday saturday sunday weekend january
    february march april may june july august september october november
    december spring summer autumn fall winter
    """
)
# No name starts with these ("not important", "nobody special", "next one");
# "no" may ("No Hong-chul"). A company may be called "Nothing" or "Never".
NO_NAME_STARTS = _words(
    """
    not nope nah never none nobody noone nothing anything anyone anybody
    someone somebody whatever whoever next continue proceed
    """
)
NO_COMPANY_STARTS = _words("not nope nah")
# Words every sentence is made of that are given names as well, accepted alone.
GIVEN_NAMES_ALONE = _words("an")

VOCABULARY = (
    DECLINING | HEDGING | PLACEHOLDERS | PAUSING | PAUSE_COMPANIONS | REFERRING | TIMING
) | FUNCTION_WORDS
