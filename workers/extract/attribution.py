"""Cue and speaker finding around one quote: after its closing mark or before its opening one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .cues import (
    CLAIM_PREPOSITIONS,
    COORDINATORS,
    DASHES,
    NP_CONNECTORS,
    PARTICIPLES,
    PRONOUNS,
    SPEECH_NOUNS,
    STOP_WORDS,
    find_cue,
)
from .speakers import (
    Mention,
    clause_subject,
    mention_after,
    mention_before,
    possessor,
)
from .tokens import Token, words

MAX_CUE_DISTANCE = 60
MAX_BARE_SUBJECT = 4
RIGHT_CONFIDENCE = 0.95
LEFT_CONFIDENCE = 0.9
EMBEDDED_CONFIDENCE = 0.8
COLON_CONFIDENCE = 0.7
UNKNOWN_VERB_CONFIDENCE = 0.75
PARTICIPLE_CONFIDENCE = 0.6
_LEAD_PUNCT = frozenset(",;:\u2014\u2013-")
_MODALS = words("should would will could can may might must")
_OBJECT_WORDS = words("party him her them us it people voters supporters congress")
_BE_FORMS = words("was were is are been being be")
_HARD_PUNCT = frozenset('.!?;:"\u201c\u201d')
MAX_CLAIM_GAP = 8
MAX_ABSOLUTE_TOKENS = 8


class RulePath(Enum):
    """The rule that found an attribution, recorded when it fires; the engine decides on it."""

    TAG_AFTER = "tag after the quote"  # '," Smith said', '," said Smith'
    UNKNOWN_VERB = "tag with a verb outside the lexicon"  # '," Smith fumed'
    CUE_BEFORE = "cue right before the quote"  # 'Smith said, "', 'her remark that "'
    CUE_IN_SENTENCE = "cue earlier in the sentence"  # 'Smith called the move "...'
    COLON = "colon introduction"  # 'Smith: "'
    PARTICIPLE = "participle cue with no subject"  # '..., adding "'
    LAYOUT = "byline or transcript label"  # '” ― Sonya Herridge', 'PENCE: ...', '- Smith.'
    CONTINUATION = "same paragraph after a tag or cue next to its quote"
    WEAK_CONTINUATION = "same paragraph after a weaker path"
    NEXT_PARAGRAPH = "next paragraph, or a quote left open carried back"
    SHARED_TAG = "tag shared by the quotes of one sentence"  # '"A" and "B," Smith said'
    PREVIOUS_SENTENCE = "cue in the previous sentence"
    SENTENCE_SUBJECT = "subject of the sentence, no cue"
    LAST_SPEAKER = "last speaker of the paragraph"
    UNATTRIBUTED = "no speaker found"
    RANKED = "the ranker's choice"


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where a quote's attribution came from: cue, local mention, rule path and a confidence."""

    cue: tuple[int, int] | None
    lemma: str | None
    mention: Mention | None
    confidence: float
    adjacent: bool
    path: RulePath


def attribute_right(
    text: str, tokens: list[Token], *, bare_subject_allowed: bool
) -> Attribution | None:
    """Attribution after the closing mark: '..." Smith said' or '..." said Smith'."""
    k = 0
    while k < len(tokens) and tokens[k].text in _LEAD_PUNCT:
        k += 1
    for c in range(k, min(len(tokens), k + MAX_CUE_DISTANCE // 2)):
        if tokens[c].text in '.!?;"\u201c\u201d':
            break
        cue = find_cue(tokens, c)
        if cue is None:
            continue
        end, lemma = cue
        if tokens[c].lower in PARTICIPLES or _coordinated(tokens, k, c):
            return None
        span = (tokens[c].start, tokens[end].end)
        if lemma == "according to":
            mention = mention_after(text, tokens, first=end + 1, hi=len(tokens))
            if mention is None:
                return None
            return Attribution(span, lemma, mention, RIGHT_CONFIDENCE, True, RulePath.TAG_AFTER)
        mention = mention_before(text, tokens, cue=c, lo=k) if c > k else None
        if c > k and (mention is None or not _near_start(tokens, k, mention)):
            mention = mention_after(text, tokens, first=k, hi=c)
        if mention is not None and lemma == "call" and _is_naming(mention):
            return None
        if mention is None and bare_subject_allowed and 0 < c - k <= MAX_BARE_SUBJECT:
            mention = _bare_subject(text, tokens[k:c])
        if mention is None and (c == k or tokens[c - 1].text == ","):
            mention = mention_after(text, tokens, first=end + 1, hi=len(tokens))
        if mention is None:
            return None
        mention = _reporter(text, tokens, end + 1) or mention
        return Attribution(span, lemma, mention, RIGHT_CONFIDENCE, True, RulePath.TAG_AFTER)
    return _unknown_verb(text, tokens, k) if bare_subject_allowed else None


def _reporter(text: str, tokens: list[Token], first: int) -> Mention | None:
    """The outer source of a tag ('," Smith said, according to the Star'): it owns the quote."""
    for k in range(first, len(tokens) - 1):
        if tokens[k].lower == "according" and tokens[k + 1].lower == "to":
            return mention_after(text, tokens, first=k + 2, hi=len(tokens))
    return None


def _unknown_verb(text: str, tokens: list[Token], k: int) -> Attribution | None:
    """A verb outside the lexicon in tag position: '," Smith fumed.' or '," quipped Smith.'."""
    if k >= len(tokens):
        return None
    if _verb_like(tokens[k]):
        mention = mention_after(text, tokens, first=k + 1, hi=len(tokens))
        cue = tokens[k]
    else:
        mention = mention_after(text, tokens, first=k, hi=len(tokens))
        after = [t for t in tokens if mention is not None and t.start >= mention.end][:1]
        if not after or not _verb_like(after[0]):
            return None
        cue = after[0]
    if mention is None:
        return None
    span = (cue.start, cue.end)
    return Attribution(
        span, cue.lower, mention, UNKNOWN_VERB_CONFIDENCE, True, RulePath.UNKNOWN_VERB
    )


def _verb_like(tok: Token) -> bool:
    """A lower-case past-tense word ("fumed", "beamed") or "read(s)"."""
    low = tok.lower
    return tok.text[0].islower() and (low.endswith("ed") or low in ("read", "reads"))


def _main_speaker(text: str, tokens: list[Token], c: int) -> Mention | None:
    """For '..., Smith said, adding': the subject of the speech cue just before the participle."""
    for k in range(c - 1, max(-1, c - MAX_CUE_DISTANCE // 4), -1):
        cue = find_cue(tokens, k)
        if cue is not None and tokens[k].lower not in PARTICIPLES and cue[1] != "according to":
            return mention_before(text, tokens, cue=k)
    return None


def _absolute_subject(text: str, tokens: list[Token], c: int) -> Mention | None:
    """The subject of 'with Smith saying' or 'with one of her ads asking': it owns the quote."""
    for k in range(c - 1, max(-1, c - 1 - MAX_ABSOLUTE_TOKENS), -1):
        if tokens[k].lower == "with":
            return mention_after(text, tokens, first=k + 1, hi=c)
        if not tokens[k].is_word:
            return None
    return None


def _embedded_infinitive(tokens: list[Token], c: int, lemma: str) -> bool:
    """True for 'the platform should reiterate' or 'asked the party to respond': not speech."""
    if tokens[c].lower != lemma or c == 0:
        return False
    before = tokens[c - 1].lower
    if before in _MODALS:
        return True
    return (
        before == "to"
        and c >= 2
        and tokens[c - 2].is_word
        and (tokens[c - 2].is_capitalised or tokens[c - 2].lower in _OBJECT_WORDS)
    )


def _coordinated(tokens: list[Token], k: int, c: int) -> bool:
    """True for '... and (later) said': the cue belongs to the subject of the previous clause."""
    j = c - 1
    while j >= k and tokens[j].lower.endswith("ly") and tokens[j].text[0].islower():
        j -= 1
    return j >= k and tokens[j].lower in COORDINATORS


def _bare_subject(text: str, words: list[Token]) -> Mention | None:
    """Take the few plain words between a quote and its cue as the speaker ('," aides said')."""
    if not all(t.is_word and t.lower not in STOP_WORDS | PRONOUNS for t in words):
        return None
    if any(t.lower == "to" or t.lower.endswith(("ing", "ed")) for t in words):
        return None
    if words[0].lower in NP_CONNECTORS:
        return None
    start, end = words[0].start, words[-1].end
    return Mention(start, end, text[start:end], None, None)


def _opens_tag(tokens: list[Token], mention: Mention) -> bool:
    """True when a colon tag starts at the mention: 'Smith:' or 'HEADLINE - Smith:'."""
    before = [t for t in tokens if t.end <= mention.start][-1:]
    return not before or before[0].text in DASHES


def _agent(text: str, tokens: list[Token], c: int, end: int) -> Mention | None:
    """The speaker of a passive cue ('Smith was asked by the host, "...'): the agent after 'by'."""
    passive = c > 0 and tokens[c - 1].lower in _BE_FORMS
    if not passive or end + 1 >= len(tokens) or tokens[end + 1].lower != "by":
        return None
    return mention_after(text, tokens, first=end + 2, hi=len(tokens))


def _near_start(tokens: list[Token], k: int, mention: Mention) -> bool:
    """True when only a few name-like words or a comma separate the quote from a mention."""
    before = [t for t in tokens[k:] if t.end <= mention.start]
    if any(t.text in _HARD_PUNCT or t.lower in COORDINATORS for t in before):
        return False
    return len(before) <= 3 or before[-1].text == ","


def _is_naming(mention: Mention) -> bool:
    """True for 'a group called "X"': a common-noun subject right before 'called'."""
    low = mention.text.lower()
    return low not in PRONOUNS and mention.name is None


def _clause_that(tokens: list[Token]) -> int | None:
    """Index of a "that" opening the clause the quote ends ('that he was "'), with no cue after."""
    last = len(tokens) - 1
    for k in range(last, max(-1, last - MAX_CLAIM_GAP), -1):
        if tokens[k].lower == "that":
            return k
        comma = k == last and tokens[k].text == ","
        if not (tokens[k].is_word or comma) or find_cue(tokens, k) is not None:
            return None
    return None


def _speech_noun(tokens: list[Token], that: int) -> int | None:
    """Index of the speech noun before "that", past at most a phrase ('claim on Monday that')."""
    for k in range(that - 1, max(0, that - 1 - MAX_CLAIM_GAP), -1):
        low = tokens[k].lower
        if low in SPEECH_NOUNS:
            return k if k + 1 == that or tokens[k + 1].lower in CLAIM_PREPOSITIONS else None
        if not tokens[k].is_word or (low.endswith(("ed", "ing")) and low not in CLAIM_PREPOSITIONS):
            return None
    return None


def _claim_owner(text: str, tokens: list[Token]) -> Attribution | None:
    """'her remark that "...', 'Lee's claim that he "...': the owner of the noun says the quote.
    Only when the quote ends the noun's that-clause ('his claims were "sarcasm"' is a verdict)."""
    that = _clause_that(tokens)
    k = _speech_noun(tokens, that) if that is not None else None
    if that is None or k is None:
        return None
    owner = possessor(text, tokens, at=k - 1)
    if owner is None and k >= 2:  # 'her March comment', 'his earlier remarks'
        owner = possessor(text, tokens, at=k - 2)
    if owner is None:
        return None
    noun = tokens[k]
    adjacent = not any(t.is_word for t in tokens[that + 1 :])
    return _left((noun.start, noun.end), noun.lower, owner, adjacent=adjacent)


def _main_subject(text: str, tokens: list[Token], mention: Mention | None) -> Mention | None:
    """For 'Clinton decried what she calls "...': the main clause's subject, which the pronoun of
    the free relative repeats (None when the mention is no such pronoun or no subject is found)."""
    if mention is None or mention.text.lower() not in PRONOUNS:
        return None
    k = next((i for i, t in enumerate(tokens) if t.start == mention.start), 0)
    if k == 0 or tokens[k - 1].lower != "what":
        return None
    main = clause_subject(text, tokens, lo=0, cue=k - 1)
    return main if main is not None and main.text.lower() not in PRONOUNS else None


def _left(span: tuple[int, int], lemma: str, mention: Mention, *, adjacent: bool) -> Attribution:
    """A cue before the quote: right before it ('Smith said, "') or earlier in its sentence."""
    if adjacent:
        return Attribution(span, lemma, mention, LEFT_CONFIDENCE, True, RulePath.CUE_BEFORE)
    return Attribution(span, lemma, mention, EMBEDDED_CONFIDENCE, False, RulePath.CUE_IN_SENTENCE)


def attribute_left(text: str, tokens: list[Token]) -> Attribution | None:
    """Attribution before the opening mark: 'Smith said, "...' or 'Smith called it "..."'."""
    owner = _claim_owner(text, tokens)
    if owner is not None:
        return owner
    n = len(tokens)
    for c in range(n - 1, max(-1, n - 1 - MAX_CUE_DISTANCE), -1):
        cue = find_cue(tokens, c)
        if cue is None:
            continue
        end, lemma = cue
        if _embedded_infinitive(tokens, c, lemma):
            continue
        span = (tokens[c].start, tokens[end].end)
        adjacent = all(not t.is_word or t.lower == "that" for t in tokens[end + 1 :])
        if lemma == "according to":
            mention = mention_after(text, tokens, first=end + 1, hi=n)
        else:
            if tokens[c].lower in PARTICIPLES:
                mention = (
                    _absolute_subject(text, tokens, c)
                    or _main_speaker(text, tokens, c)
                    or clause_subject(text, tokens, lo=0, cue=c, nearest=True)
                )
                if mention is None:
                    return Attribution(
                        span, lemma, None, PARTICIPLE_CONFIDENCE, adjacent, RulePath.PARTICIPLE
                    )
            else:
                mention = _agent(text, tokens, c, end) or mention_before(text, tokens, cue=c)
                mention = _main_subject(text, tokens, mention) or mention
            if mention is None and n - end >= 3 and tokens[-1].text in ",:":
                mention = mention_after(text, tokens, first=end + 1, hi=n - 1)
                if mention is not None and mention.end != tokens[-2].end:
                    mention = None
        if mention is None or (lemma == "call" and end == n - 1 and _is_naming(mention)):
            continue
        if mention.start > tokens[end].end:  # 'asked by the host, "', 'according to Smith, "'
            adjacent = all(not t.is_word for t in tokens if t.start >= mention.end)
        return _left(span, lemma, mention, adjacent=adjacent)
    if n >= 2 and tokens[-1].text == ":":
        mention = mention_before(text, tokens, cue=n - 1)
        if mention is None or not _opens_tag(tokens, mention):
            mention = clause_subject(text, tokens, lo=0, cue=n - 1)
        if mention is not None:
            colon = tokens[-1]
            span = (colon.start, colon.end)
            return Attribution(span, ":", mention, COLON_CONFIDENCE, True, RulePath.COLON)
    return None
