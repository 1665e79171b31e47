"""Speech-cue lexicon: surface verb forms mapped to lemmas, plus words that sit around cues."""

from __future__ import annotations

from .tokens import Token, words

_REGULAR = words(
    "add acknowledge admit announce answer argue assert assure blast boast call caution "
    "charge chant claim comment complain concede conclude confirm contend continue counter "
    "declare demand describe emphasize emphasise exclaim explain insist joke lament mock muse "
    "note observe plead pledge post praise predict proclaim promise question quip recall "
    "remark repeat reply report respond retort scoff scream shout stress suggest testify "
    "thank tweet urge vow warn wonder yell text email message quote reason recount cry snap "
    "interject reiterate mention reflect tout accuse cite dub label criticize criticise "
    "denounce decry dismiss express portray characterize characterise elaborate defend blame "
    "imply lecture chide slam rip jab blog chat attack ridicule brand deride hail applaud "
    "tease taunt scold rebuke condemn thunder sneer title summarize summarise"
)
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "writing", "written"),
    "ask": ("ask", "asks", "asked", "asking"),
    "read": ("reads",),
    "put": ("put", "puts"),
    "shoot back": ("shot",),
    "point out": ("pointed", "points", "pointing"),
    "state": ("state", "states", "stated", "stating"),
    "refer to": ("referred", "refers", "referring"),
    "go on": ("went", "goes", "going"),
}
_DOUBLED = frozenset({"admit", "quip", "snap", "slam", "rip", "jab", "blog", "chat"})


def _forms(lemma: str) -> tuple[str, ...]:
    """Inflect a regular verb: base, -s, -ed and -ing forms."""
    if lemma in _DOUBLED:
        stem = lemma + lemma[-1]
        return (lemma, lemma + "s", stem + "ed", stem + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    if lemma.endswith(("sh", "ss", "ch", "x")):
        return (lemma, lemma + "es", lemma + "ed", lemma + "ing")
    return (lemma, lemma + "s", lemma + "ed", lemma + "ing")


def _build() -> dict[str, str]:
    """Map every surface form to its lemma."""
    table: dict[str, str] = {}
    for lemma in _REGULAR:
        for form in _forms(lemma):
            table[form] = lemma
    for lemma, forms in _IRREGULAR.items():
        for form in forms:
            table[form] = lemma
    return table


CUE_FORMS: dict[str, str] = _build()

# Cue forms that are also plural nouns ("two reports", "the calls"): need a subject-like word.
NOUN_LIKE = words(
    "reports posts tweets calls notes claims promises answers comments questions remarks "
    "quotes texts emails messages reasons cries shouts thanks pledges charges vows jokes "
    "demands concedes counters states"
)

# Base forms that are more often nouns ("a separate email", "a blunt message").
NOUN_LEMMAS = words(
    "email message text post tweet quote report comment answer question call promise claim "
    "charge demand pledge vow joke remark reply blog chat title label brand attack praise "
    "thank counter reason note hail cry shout chant retort boast state"
)

# Cues that need a following word to be speech: "pointed out", "shot back", "put it".
CUE_PARTICLES: dict[str, str] = {
    "pointed": "out",
    "points": "out",
    "pointing": "out",
    "shot": "back",
    "put": "it",
    "puts": "it",
    "referred": "to",
    "refers": "to",
    "referring": "to",
    "went": "on",
    "goes": "on",
    "going": "on",
}

# Non-finite cue forms whose subject is the subject of the main clause ("..., adding, ...").
PARTICIPLES = frozenset(form for form, _ in CUE_FORMS.items() if form.endswith("ing"))

# Words that may stand between a subject and its cue ("he also said", "she has long argued").
AUXILIARIES = words(
    "also has had have would will 'd \u2019d later then once previously recently repeatedly "
    "reportedly simply just even further flatly quickly publicly privately often again first "
    "never always long subsequently earlier famously bluntly angrily quietly has since "
    "already still is was were are be been being did does do may might could should can must"
)

# Function words that end a speaker phrase.
STOP_WORDS = words(
    "and or but nor that which who whom whose when where while as if because than so is was "
    "were are be been has have had will would can could do does did not"
)

PRONOUNS = words("he she they i we it you who which")
# Words that join two clauses or phrases of equal rank ("Smith and Lee said", "..., but he said").
COORDINATORS = words("and but or")

# Dashes that set off an appositive or a tag ("Smith - a former aide - said", "TOPIC - Smith:").
DASHES = frozenset(("-", "--", "\u2013", "\u2014"))
PERSON_PRONOUNS = words("he she i")
POSSESSIVE_PRONOUNS = words("his her their")

# Lower-case nouns that head a speaker phrase ("the senator said", "a spokesman told").
SPEAKER_NOUNS = words(
    "spokesman spokeswoman spokesperson official officials aide aides campaign senator "
    "governor president candidate nominee statement report people voters supporters critics "
    "analysts analyst experts expert sources source lawmakers democrats republicans group "
    "organization organisation committee chairman chairwoman chair director leader adviser "
    "advisor advisers advisors strategist manager secretary attorney lawyer judge ruling "
    "article memo poll survey study letter email post tweet ad website release document "
    "representative congressman congresswoman mayor sheriff chief officer executive founder "
    "professor economist pollster host anchor reporter writer author editor newspaper paper "
    "magazine network outlet agency department administration company firm team crowd woman "
    "man mother father daughter son wife husband friend neighbor neighbour resident residents "
    "voter supporter protester protesters student students teacher doctor nurse commentator "
    "columnist editorial filing lawsuit complaint indictment transcript speaker member "
    "members chairman ceo founder researcher scientist contributor colleague billionaire "
    "businessman activist veteran mogul star actor actress singer candidate's party "
    "organizers organiser organizer officer police"
)

DETERMINERS = words(
    "the a an this his her their its our my one another some many several two three four five "
    "both each every other most"
)

# Nouns of speech whose owner said the quote that follows ("his remark that", "Lee's claim that").
SPEECH_NOUNS = words(
    "remark remarks comment comments statement statements warning warnings claim claims "
    "assertion assertions promise promises pledge pledges vow vows declaration insistence "
    "argument suggestion accusation accusations charge admission contention prediction boast"
)

# Prepositions, one definition of each set; the wider sets extend the narrowest one explicitly.
# Those opening a time or place phrase ("on Monday", "at the rally", "since May").
PHRASE_PREPOSITIONS = words("in on at during after before since about")
# Between a speech noun and its that-clause ("her claim on Monday that", "remarks over the...").
CLAIM_PREPOSITIONS = PHRASE_PREPOSITIONS | words("over")
# Those attaching a modifier phrase to a noun phrase ("Smith, with his aides,", "protesters from").
MODIFIER_PREPOSITIONS = PHRASE_PREPOSITIONS | words("with from by")
# Every common preposition (the ranker's "word before a candidate is a preposition").
PREPOSITIONS = MODIFIER_PREPOSITIONS | words("of for to")

# Lower-case words inside a speaker phrase ("spokesman for the campaign").
NP_CONNECTORS = words("of for at to on in with from")

# Leading title words whose name is a person ("Sen. Ted Cruz", "Mr. Trump").
PERSON_TITLES = words(
    "mr. mrs. ms. miss dr. sen. senator gov. governor rep. representative president pres. "
    "secretary sec. gen. general lt. col. capt. sgt. adm. judge justice rev. prof. professor "
    "mayor speaker candidate nominee vice former first lady ambassador amb. chairman "
    "chairwoman attorney sheriff father pastor pope king queen prince coach captain minister "
    "premier chancellor dean director chief"
)

# Words that mark an organisation name ("The New York Times", "Democratic National Committee").
ORG_WORDS = words(
    "news times post journal press magazine network party committee campaign inc. inc corp. "
    "corp co. llc association university college institute foundation council department "
    "agency bureau club group coalition pac administration house senate congress court "
    "commission office ministry service services company corporation bank fund trust union "
    "center centre cnn nbc abc cbs fox msnbc bbc reuters ap politifact breitbart huffpost "
    "politico twitter facebook google microsoft alibaba openai anthropic tribune herald "
    "gazette globe review daily weekly board organization organisation team caucus"
)

ORG_NOUNS = words(
    "campaign statement report group organization organisation committee poll survey study "
    "letter email post tweet ad website release document newspaper paper magazine network "
    "outlet agency department administration company firm team editorial filing lawsuit "
    "complaint indictment transcript memo ruling article party"
)

PLATFORMS = {
    "x": "X",
    "twitter": "Twitter",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "instagram": "Instagram",
    "threads": "Threads",
    "bluesky": "Bluesky",
    "truth social": "Truth Social",
    "weibo": "Weibo",
    "wechat": "WeChat",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "reddit": "Reddit",
    "mastodon": "Mastodon",
}
PLATFORM_CUES = {"tweet": "Twitter"}


# Every word a cue can start with: most tokens are rejected by one set lookup.
_CUE_STARTS = frozenset(CUE_FORMS) | {"according", "read"}


def find_cue(tokens: list[Token], i: int) -> tuple[int, str] | None:
    """Return (last token index, lemma) when tokens[i] starts a speech cue."""
    low = tokens[i].lower
    if low not in _CUE_STARTS:
        return None
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if low == "according" and nxt == "to":
        return i + 1, "according to"
    if low == "read" and i > 0 and tokens[i - 1].lower == "to":
        return i, "read"
    lemma = CUE_FORMS.get(low)
    if lemma is None or not tokens[i].text[0].islower():
        return None
    particle = CUE_PARTICLES.get(low)
    if particle is not None:
        return (i + 1, lemma) if nxt == particle else None
    before = tokens[i - 1] if i > 0 else None
    if before is not None and (before.lower in DETERMINERS or before.lower.endswith("'s")):
        return None
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if low in NOUN_LEMMAS and _compound_noun(before, following):
        return None
    noun_like = low in NOUN_LIKE or low in NOUN_LEMMAS
    if (low.endswith("s") or low in NOUN_LEMMAS) and not _subject_like(before, noun_like=noun_like):
        return None
    return i, lemma


def _subject_like(before: Token | None, *, noun_like: bool) -> bool:
    """Whether the word before an -s cue form can end its subject ("Smith says", not "two")."""
    if before is None or not before.is_word:
        return not noun_like
    low = before.lower
    if before.is_capitalised or low.split("'", 1)[0] in PRONOUNS or low in AUXILIARIES:
        return True
    if low.rstrip("s") in SPEAKER_NOUNS:
        return True
    return not noun_like and low not in DETERMINERS | NP_CONNECTORS | STOP_WORDS


def _compound_noun(before: Token | None, after: Token | None) -> bool:
    """True for a noun between two names ("Ohio state Sen. Ray"): a title, not a cue."""
    if before is None or after is None or before.lower.split("'", 1)[0] in PRONOUNS:
        return False
    return before.is_capitalised and after.is_capitalised
