"""Speaker ranking: the rule speaker and its rivals in the quote's sentence, scored by a model.

The rules pick one speaker per quote; this module lists the other plausible ones (subjects of
every cue in the sentence, the tag after the quote, the sentence subject, the previous quote's
speaker, or no speaker) with a few general features (including whether a candidate names the
previous quote's speaker or the last person named), and a conditional logistic model trained
on PolNeAR train (`train_speaker.py`) picks the best. The weights live in `data/`.
"""

from __future__ import annotations

import bisect
import json
import math
import pathlib
from dataclasses import dataclass
from functools import cache
from operator import attrgetter

from .attribution import Attribution
from .cues import COORDINATORS, CUE_FORMS, DASHES, PREPOSITIONS, PRONOUNS, STOP_WORDS, find_cue
from .speakers import (
    Mention,
    Registry,
    clause_subject,
    mention_after,
    mention_before,
    noun_phrase_before,
    resolve_name,
)
from .tokens import Token, sentence_start, tokenize, words

WEIGHTS_PATH = pathlib.Path(__file__).with_name("data") / "speaker_weights.json"
MAX_CUES = 8
MAX_PHRASES = 5
MAX_SCAN = 20
BEFORE_CHARS = 250
_MARKS = frozenset('"\u201c\u201d')
_RELATIVES = words("who which that")
_TAG_LEAD = DASHES | {","}
_SAY_LEMMAS = words(
    "say tell add write according state explain note continue insist argue claim reply "
    "respond answer recall warn tweet post"
)
_NAMING_LEMMAS = words("call describe refer dub label title brand characterize characterise")
# Token offsets as bisect keys (token lists are in text order).
_token_start = attrgetter("start")
_token_end = attrgetter("end")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible speaker of one quote (None for 'no speaker') with its feature names."""

    mention: Mention | None
    cue: tuple[int, int] | None
    lemma: str | None
    features: frozenset[str]


# A rival speaker before merging: mention, cue span, cue lemma, feature names.
_Rival = tuple[Mention, tuple[int, int] | None, str | None, list[str]]


@dataclass(frozen=True, slots=True)
class QuoteContext:
    """What the ranker sees of one quote: tokens before and after it, rule and previous speaker,
    and the article's name registry (to tell which candidates name the same person)."""

    left: list[Token]
    right: list[Token]
    before_end: int  # end of the previous sentence when the quote opens one, else 0
    rule: Attribution | None
    previous: Mention | None
    same_paragraph: bool
    registry: Registry
    quote_start: int


def _kind(mention: Mention) -> str:
    """Coarse mention class: pronoun, relative, name or common noun phrase."""
    low = mention.text.lower()
    if low in _RELATIVES:
        return "relative"
    if low in PRONOUNS:
        return "pronoun"
    return "name" if mention.name else "noun"


def _lemma_group(lemma: str | None) -> str:
    """Group cue lemmas by how they relate to their subject (speech, naming, other)."""
    if lemma is None:
        return "none"
    head = lemma.split()[0]
    if head in _SAY_LEMMAS:
        return "say"
    return "naming" if head in _NAMING_LEMMAS else "other"


def _bucket(distance: int) -> str:
    """Token distance to the quote, bucketed."""
    for limit, name in ((2, "0-2"), (6, "3-6"), (15, "7-15")):
        if distance <= limit:
            return name
    return "16+"


def _cue_mentions(
    text: str, tokens: list[Token], *, right: bool
) -> list[tuple[Mention, tuple[int, int], str]]:
    """Each cue of a token window with the speaker it takes (at most MAX_CUES, nearest first)."""
    found: list[tuple[Mention, tuple[int, int], str]] = []
    order = range(len(tokens)) if right else range(len(tokens) - 1, -1, -1)
    for c in order:
        if len(found) >= MAX_CUES:
            break
        cue = find_cue(tokens, c)
        if cue is None:
            continue
        end, lemma = cue
        if lemma == "according to":
            mention = mention_after(text, tokens, first=end + 1, hi=len(tokens))
        else:
            mention = mention_before(text, tokens, cue=c)
            if mention is None and right:
                mention = mention_after(text, tokens, first=end + 1, hi=len(tokens))
        if mention is not None:
            found.append((mention, (tokens[c].start, tokens[end].end), lemma))
    return found


def _word_class(tok: Token | None) -> str:
    """What kind of word follows a noun phrase: a cue, a verb form, other lower-case words."""
    if tok is None:
        return "end"
    if not tok.is_word:
        return "punct" if tok.text not in '"\u201c\u201d' else "mark"
    lemma = CUE_FORMS.get(tok.lower)
    if lemma is not None:
        return f"cue-{_lemma_group(lemma)}"
    low = tok.lower
    for suffix in ("ed", "ing", "s"):
        if low.endswith(suffix):
            return suffix
    return "word"


def _left_class(tokens: list[Token], start: int) -> str:
    """What stands before a noun phrase: sentence start, punctuation, preposition, verb, ..."""
    n = bisect.bisect_left(tokens, start, key=_token_start)  # first token at or after start
    k = n - 1 if n < len(tokens) else -1  # none there: taken as the sentence start
    if k < 0:
        return "start"
    tok = tokens[k]
    if not tok.is_word:
        return "punct"
    low = tok.lower
    if low in PREPOSITIONS:
        return "prep"
    if low in COORDINATORS:
        return "and"
    return "cue" if low in CUE_FORMS else "word"


def _phrases(text: str, tokens: list[Token], side: str) -> list[_Rival]:
    """Noun phrases followed by a lower-case word (clause subjects), nearest the quote first."""
    found: list[_Rival] = []
    seen: set[tuple[int, int]] = set()
    for c in range(len(tokens) - 1, max(0, len(tokens) - MAX_SCAN), -1):
        if len(found) >= MAX_PHRASES:
            break
        tok = tokens[c]
        if not tok.is_word or not tok.text[0].islower() or not tokens[c - 1].is_word:
            continue
        mention = noun_phrase_before(text, tokens, cue=c)
        if mention is None or (mention.start, mention.end) in seen:
            continue
        seen.add((mention.start, mention.end))
        lemma = CUE_FORMS.get(tok.lower)
        rank, after = min(len(found), 3), _word_class(tok)
        before = _left_class(tokens, mention.start)
        names = [
            f"np|{side}|{rank}",
            f"np|{side}|next|{after}",
            f"np|{side}|prev|{before}",
            f"np|{side}|{rank}|next|{after}",
            f"np|{side}|prev|{before}|next|{after}",
        ]
        found.append((mention, (tok.start, tok.end) if lemma else None, lemma, names))
    return found


def _tag_rivals(text: str, tokens: list[Token]) -> list[_Rival]:
    """The speaker of a tag after the quote whatever its verb: the noun phrase opening it before
    a lower-case word ('," Smith quipped'), or after a lower-case verb ('," agrees Smith')."""
    k = 0
    while k < len(tokens) and tokens[k].text in _TAG_LEAD:
        k += 1
    if k >= len(tokens) or not tokens[k].is_word:
        return []
    first = tokens[k]
    if first.text[0].islower() and first.lower not in STOP_WORDS:
        mention = mention_after(text, tokens, first=k + 1, hi=len(tokens))
        if mention is None:
            return []
        verb = _word_class(first)
        return [(mention, None, None, ["tag|inverted", f"tag|inverted|{verb}"])]
    mention = mention_after(text, tokens, first=k, hi=len(tokens))
    if mention is None:
        return []
    n = bisect.bisect_left(tokens, mention.end, key=_token_start)
    after = _word_class(tokens[n] if n < len(tokens) else None)
    return [(mention, None, None, ["tag|subject", f"tag|subject|next|{after}"])]


def _sentence_before(text: str, end: int) -> list[Token]:
    """Tokens of the sentence ending at end, after its last quotation mark (none if end is 0)."""
    if end <= 0:
        return []
    start = sentence_start(text, max(0, end - BEFORE_CHARS), pos=end - 1)
    # A mark is always a token of its own, so tokenizing from just after the last one gives
    # the same tokens as tokenizing the whole sentence and dropping those up to that mark.
    last_mark = max(text.rfind(mark, start, end) for mark in _MARKS)
    return tokenize(text, max(start, last_mark + 1), end=end)


def _cue_rivals(text: str, tokens: list[Token], side: str) -> list[_Rival]:
    """The speaker of every cue on one side of the quote, with its rank, lemma group and gap."""
    found: list[_Rival] = []
    for rank, (mention, cue, lemma) in enumerate(
        _cue_mentions(text, tokens, right=side == "right")
    ):
        if side == "left":  # tokens from the mention's end on
            gap = len(tokens) - bisect.bisect_left(tokens, mention.end, key=_token_start)
        else:  # tokens up to the mention's start
            gap = bisect.bisect_right(tokens, mention.start, key=_token_end)
        names = [
            f"cue|{side}|{min(rank, 2)}",
            f"cue|{side}|{_lemma_group(lemma)}",
            f"gap|{side}|{_bucket(gap)}",
        ]
        found.append((mention, cue, lemma, names))
    return found


def candidates(text: str, context: QuoteContext) -> list[Candidate]:
    """The rule speaker, its rivals in the sentence (merged by span) and 'no speaker'."""
    rule = context.rule
    rule_conf = f"{rule.confidence:.2f}" if rule is not None else "none"
    raw: list[_Rival] = []
    if rule is not None and rule.mention is not None:
        raw.append((rule.mention, rule.cue, rule.lemma, [f"rule|{rule_conf}"]))
    raw.extend(_cue_rivals(text, context.left, "left"))
    raw.extend(_cue_rivals(text, context.right, "right"))
    raw.extend(_tag_rivals(text, context.right))
    raw.extend(_phrases(text, context.left, "left"))
    raw.extend(_phrases(text, _sentence_before(text, context.before_end), "before"))
    subject = clause_subject(text, context.left, lo=0, cue=len(context.left))
    if subject is not None:
        raw.append((subject, None, None, ["subject"]))
    if context.previous is not None:
        where = "same" if context.same_paragraph else "other"
        raw.append((context.previous, None, None, [f"previous|{where}"]))
    merged: dict[tuple[int, int], _Rival] = {}
    for mention, cue, lemma, names in raw:
        old = merged.get((mention.start, mention.end))
        if old is not None:
            old[3].extend(names)
        else:
            merged[(mention.start, mention.end)] = (mention, cue, lemma, list(names))
    rule_mention = rule.mention if rule is not None else None
    registry = context.registry
    known = {"recent": registry.person_before(context.quote_start)}
    if context.previous is not None:
        known["previous"] = resolve_name(context.previous, registry)
    people = {role: person for role, person in known.items() if person is not None}
    out = [
        Candidate(
            mention,
            cue,
            lemma,
            _relations(mention, names, rule_mention, rule_conf)
            | _coreference(mention, registry, people),
        )
        for mention, cue, lemma, names in merged.values()
    ]
    out.append(Candidate(None, None, None, frozenset((f"nobody|{rule_conf}",))))
    return out


def _relations(
    mention: Mention, names: list[str], rule: Mention | None, rule_conf: str
) -> frozenset[str]:
    """A candidate's features plus those relating it to the rule's choice (kind, order)."""
    kind = _kind(mention)
    rule_kind = _kind(rule) if rule is not None else "none"
    extra = [f"kind|{kind}", f"kind|{kind}|rule|{rule_kind}"]
    if rule is None or (rule.start, rule.end) != (mention.start, mention.end):
        extra.append(f"rival|{rule_conf}")
        if rule is not None:
            order = "before" if mention.start < rule.start else "after"
            extra.append(f"rival|{kind}|{order}|rule|{rule_kind}")
    return frozenset(names + extra)


def _coreference(mention: Mention, registry: Registry, known: dict[str, str]) -> frozenset[str]:
    """Whether a candidate stands for a known person: the previous speaker, the last one named."""
    kind = _kind(mention)
    name = resolve_name(mention, registry) if kind != "noun" else None  # nouns name no person
    if name is None:
        return frozenset()
    return frozenset(f"coref|{role}|{kind}" for role, person in known.items() if person == name)


@cache
def load_weights(path: pathlib.Path = WEIGHTS_PATH) -> dict[str, float]:
    """The trained feature weights (empty when no model file is shipped: rules alone decide)."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in data["weights"].items()}


def score(features: frozenset[str], weights: dict[str, float]) -> float:
    """Linear score of a candidate's features."""
    return sum(weights.get(f, 0.0) for f in features)


def choose(options: list[Candidate], weights: dict[str, float]) -> tuple[Candidate, float]:
    """The best candidate and its softmax probability among the options."""
    scores = [score(c.features, weights) for c in options]
    top = max(scores)
    total = sum(math.exp(s - top) for s in scores)
    best = scores.index(top)
    return options[best], 1.0 / total
