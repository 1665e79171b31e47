"""Whether a reaction is about an event: judged from the reaction's own context and the event's
definition alone, never from which other events exist.

A reaction's context has levels of decreasing weight (`LEVEL_WEIGHTS`): its own words (quote and
attribution), the rest of its sentence, the sentence that introduces the run of reactions it
stands in ("Lin's departure triggered strong reactions from ..."), and the other narrative
sentences of its paragraph; for a run whose intro only introduces reactions, the nearest earlier
sentence that tells of a happening, else the article's title and lead. Evidence for an event is
its keywords and people (with surname and possessive variants), the names in its title, the
words of the happening it is about ("steps down": "departure", "resigned", "stepping away") and,
weakly, the other words of its title and description. A context that names another happening and
nothing of the event's own (a launch, for an event about a departure) halves the weak evidence
and shuts off the earlier levels; an event that is only a name is broad, and the title and lead
always count for it. `docs/EVENTS_AND_PEOPLE.md` gives the measured figures.
"""

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Literal

from domain.concepts import CONCEPTS
from domain.text import STOPWORDS, Tokens, stems_of, tokenize

THRESHOLD = 0.5
LEVEL_WEIGHTS = {
    "reaction": 1.0,
    "sentence": 0.8,
    "intro": 0.8,
    "paragraph": 0.5,
    "earlier": 0.5,
    "article": 0.5,
}
STRONG_WEIGHT = 1.0
TITLE_NAME_WEIGHT = 0.4
CONCEPT_WEIGHT = 0.7
TERM_WEIGHT = 0.2
MAX_TERMS = 2
FOREIGN_DISCOUNT = 0.5
MAX_SCORE = 2.0
MAX_LOOKBACK = 12
MAX_NARRATIVE = 6
MAX_EARLIER = 10
MAX_EVIDENCE = 6

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n")
_NAME_WORD = re.compile(r"^[A-Z][\w'’.-]*$")

# Words of a sentence that only introduces reactions ("Reactions were mixed", "Tributes poured
# in"): such an intro leaves the reactions after it with the article's topic, where an intro
# about something else ("The weather stayed mild") does not.
_INTRO_WORDS = frozenset(
    stems_of(
        "reaction reactions react reacted response responses respond responded praise praised "
        "criticism criticised criticized welcomed welcome slammed hailed applauded condemned "
        "mixed tributes comment comments commented statement statements weighed voices backlash "
        "outcry cheered questioned said says told added wrote posted called asked echoed "
        "agreed disagreed supporters critics observers analysts fans"
    )
)

PhraseKind = Literal["keyword", "name", "surname", "title-name", "concept", "term"]


@dataclass(frozen=True, slots=True)
class EventQuery:
    """The parts of an event's definition that say what it is about."""

    title: str
    keywords: tuple[str, ...]
    people: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Relevance:
    """How much a reaction is about an event (0 to 1) and the evidence, as written, that says so."""

    score: float
    evidence: tuple[str, ...]

    @property
    def relevant(self) -> bool:
        """Whether the reaction belongs to the event."""
        return self.score >= THRESHOLD


@dataclass(frozen=True, slots=True)
class _Phrase:
    """One thing to look for: stems in a row, what kind of evidence they are, and its label."""

    stems: tuple[str, ...]
    kind: PhraseKind
    label: str


def _index(phrases: Iterable[_Phrase]) -> dict[str, tuple[_Phrase, ...]]:
    """Phrases by their first stem, longest first, so a window is scanned once."""
    by_first: dict[str, list[_Phrase]] = {}
    for phrase in phrases:
        if phrase.stems:
            by_first.setdefault(phrase.stems[0], []).append(phrase)
    return {
        first: tuple(sorted(found, key=lambda p: -len(p.stems)))
        for first, found in by_first.items()
    }


_CONCEPT_INDEX = _index(
    _Phrase(stems_of(word), "concept", name) for name, words in CONCEPTS.items() for word in words
)


def _concepts_in(text: str) -> set[str]:
    """The happenings a phrase or title names."""
    return {phrase.label for _, _, phrase in _scan(_CONCEPT_INDEX, tokenize(text))}


@dataclass(frozen=True, slots=True)
class EventProfile:
    """An event's definition compiled for matching: its phrases by first stem, the happenings it
    is about, the name keys of its people (to recognise them as speakers), and whether it is a
    broad one (an organisation or person as a whole)."""

    phrases: dict[str, tuple[_Phrase, ...]]
    concepts: frozenset[str]
    speakers: frozenset[str]
    broad: bool


def _is_name(words: Sequence[str]) -> bool:
    """Two or more capitalised words: a person's or an organisation's name."""
    return len(words) >= 2 and all(_NAME_WORD.match(word) for word in words)


def _names_in_title(title: str) -> list[str]:
    """Runs of two or more capitalised words in a title ("Junyang Lin steps down": Junyang Lin)."""
    names: list[str] = []
    run: list[str] = []
    for word in [*title.split(), ""]:
        if word and _NAME_WORD.match(word) and word.lower() not in STOPWORDS:
            run.append(word.strip(".,:;!?"))
            continue
        if _is_name(run):
            names.append(" ".join(run))
        run = []
    return names


def _name_phrases(name: str, kind: PhraseKind) -> list[_Phrase]:
    """A name and, for a multi-word name, its surname alone ("Lin", "Lin's"), which counts only
    where it is written capitalised (so the keyword "Small Model" is not found in "models")."""
    phrases = [_Phrase(stems_of(name), kind, name)]
    words = name.split()
    if _is_name(words) and len(stems_of(words[-1])[0]) > 2:
        phrases.append(_Phrase(stems_of(words[-1]), "surname", name))
    return phrases


@lru_cache(maxsize=4096)
def profile_of(query: EventQuery) -> EventProfile:
    """Compile an event's definition (cached: a worker meets the same events again and again)."""
    phrases: list[_Phrase] = []
    for keyword in query.keywords:
        phrases += _name_phrases(keyword, "keyword")
    for person in query.people:
        phrases += _name_phrases(person, "name")
    title_names = _names_in_title(query.title)
    phrases += [_Phrase(stems_of(name), "title-name", name) for name in title_names]
    described = " ".join(filter(None, [query.title, query.description]))
    concepts = set().union(*(_concepts_in(text) for text in (*query.keywords, described)))
    phrases += [
        _Phrase(stems_of(word), "concept", name)
        for name in sorted(concepts)
        for word in CONCEPTS[name]
    ]
    covered = {stem for phrase in phrases for stem in phrase.stems}
    for word in described.split():
        stems = stems_of(word)
        if len(stems) == 1 and stems[0] not in covered and word.lower() not in STOPWORDS:
            phrases.append(_Phrase(stems, "term", word.strip(".,:;!?\"'")))
            covered.add(stems[0])
    speakers = {" ".join(stems_of(name)) for name in (*query.people, *title_names)}
    speakers |= {" ".join(stems_of(k)) for k in query.keywords if _is_name(k.split())}
    return EventProfile(
        phrases=_index(phrases),
        concepts=frozenset(concepts),
        speakers=frozenset(speakers),
        broad=not concepts and _only_names([*query.keywords, query.title]),
    )


def _only_names(texts: Sequence[str]) -> bool:
    """Whether texts are all names ("Qwen", "Brewster & Co"): an event that is an organisation or
    a person as a whole, which every reaction of an article about them is about."""
    words = [word for text in texts for word in text.split() if word.lower() not in STOPWORDS]
    return all(word[:1].isupper() or not word[:1].isalnum() for word in words)


def _scan(index: dict[str, tuple[_Phrase, ...]], tokens: Tokens) -> list[tuple[int, int, _Phrase]]:
    """Every (start, end, phrase) of the index in the tokens, the longest at each position and
    none overlapping; only the positions of the phrases' first stems are tried."""
    firsts = (
        index.keys() & tokens.positions.keys()
        if len(index) < len(tokens.positions)
        else tokens.positions.keys() & index.keys()
    )
    stems, size = tokens.stems, len(tokens.stems)
    found: list[tuple[int, int, _Phrase]] = []
    covered = 0
    for position in sorted(p for first in firsts for p in tokens.positions[first]):
        if position < covered:
            continue
        for phrase in index[stems[position]]:
            end = position + len(phrase.stems)
            if end <= size and stems[position:end] == phrase.stems:
                found.append((position, end, phrase))
                covered = end
                break
    return found


@dataclass(slots=True)
class Evidence:
    """What one level of a reaction's context holds for an event."""

    strong: dict[str, str] = field(default_factory=dict)
    named: dict[str, str] = field(default_factory=dict)
    concept: str | None = None
    terms: dict[str, str] = field(default_factory=dict)
    foreign: set[str] = field(default_factory=set)

    @property
    def own_evidence(self) -> bool:
        """Whether it names the event itself or its happening (not just words of its title)."""
        return bool(self.strong or self.named) or self.concept is not None

    def value(self, *, discounted: bool) -> float:
        """The weight of the evidence: names and keywords count whole, the rest less."""
        weak = (
            (CONCEPT_WEIGHT if self.concept else 0.0)
            + (TITLE_NAME_WEIGHT if self.named else 0.0)
            + TERM_WEIGHT * min(MAX_TERMS, len(self.terms))
        )
        if discounted:
            weak *= FOREIGN_DISCOUNT
        return min(MAX_SCORE, STRONG_WEIGHT * len(self.strong) + weak)

    def joined(self, other: "Evidence") -> "Evidence":
        """The evidence of two windows read as one (an article's title and its lead)."""
        return Evidence(
            strong={**self.strong, **other.strong},
            named={**self.named, **other.named},
            concept=self.concept or other.concept,
            terms={**self.terms, **other.terms},
            foreign=self.foreign | other.foreign,
        )

    def described(self, level: str) -> list[str]:
        """The evidence as written, for the membership's record."""
        notes = [f"{level}: {kind} “{surface}”" for surface, kind in self.strong.items()]
        notes += [f"{level}: name “{surface}”" for surface in self.named]
        if self.concept:
            notes.append(f"{level}: {self.concept}")
        return notes + [f"{level}: word “{surface}”" for surface in self.terms]


class _Found:
    """Where an event's phrases (and every happening's words) occur in one text: found once, so
    each window of a reaction's context is two bisections."""

    def __init__(
        self, profile: EventProfile, text: str, tokens: Tokens, concepts: list[tuple[int, int, str]]
    ) -> None:
        self.profile = profile
        self.text = text
        self.tokens = tokens
        self.hits = _scan(profile.phrases, tokens)
        self.starts = [start for start, _, _ in self.hits]
        self.concepts = concepts
        self.concept_starts = [start for start, _, _ in concepts]

    def evidence(self, windows: Iterable[tuple[int, int]]) -> Evidence:
        """The event's evidence (and other happenings) in these token windows."""
        result = Evidence()
        spans = self.tokens.spans
        for start, end in windows:
            strong_at: set[int] = set()
            first = bisect.bisect_left(self.starts, start)
            for position, stop, phrase in self.hits[first:]:
                if stop > end:
                    if position >= end:
                        break
                    continue
                surface = self.text[spans[position][0] : spans[stop - 1][1]]
                if phrase.kind == "surname" and not surface[:1].isupper():
                    continue
                if phrase.kind in ("keyword", "name", "surname"):
                    kind = "name" if phrase.kind == "surname" else phrase.kind
                    result.strong.setdefault(phrase.label, kind)
                    strong_at.update(range(position, stop))
                elif phrase.kind == "title-name":
                    result.named.setdefault(surface, phrase.label)
                    strong_at.update(range(position, stop))
                elif phrase.kind == "concept":
                    result.concept = result.concept or f"{phrase.label} “{surface}”"
                else:
                    result.terms.setdefault(surface, phrase.label)
            first = bisect.bisect_left(self.concept_starts, start)
            for position, _, concept in self.concepts[first:]:
                if position >= end:
                    break
                if concept not in self.profile.concepts and position not in strong_at:
                    result.foreign.add(concept)
        return result


@dataclass(frozen=True, slots=True)
class _Context:
    """Token windows of one reaction: own sentence(s), the run's intro, the paragraph's rest."""

    own: tuple[int, int]
    sentence: tuple[tuple[int, int], ...]
    intro: tuple[int, int] | None
    narrative: tuple[tuple[int, int], ...]
    earlier: tuple[tuple[int, int], ...]
    intro_only_introduces: bool


@dataclass(frozen=True, slots=True)
class Quoted:
    """A reaction as the judge sees it: where its quote and attribution are, who said it, and
    whether it quotes words (a paraphrase's sentence still tells the news)."""

    span: tuple[int, int]
    speaker: str | None
    quoted: bool = True


class Article:
    """An article split once into tokens, sentences and paragraphs, knowing which sentences hold
    quoted reactions and each reaction's context."""

    def __init__(self, *, text: str, title: str | None, reactions: Sequence[Quoted]) -> None:
        self.text = text
        self.title = title or ""
        self.tokens = tokenize(text)
        self.title_tokens = tokenize(self.title)
        starts = [token[0] for token in self.tokens.spans]
        breaks = [found.end() for found in _SENTENCE_END.finditer(text)]
        paragraph_break = "\n\n" if "\n\n" in text else "\n"
        chars = list(zip([0, *breaks], [*breaks, len(text)], strict=True))
        self._sentences = [
            (bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)) for a, b in chars
        ]
        paragraph_starts = [m.end() for m in re.finditer(re.escape(paragraph_break), text)]
        self._paragraph = [bisect.bisect_right(paragraph_starts, a) for a, _ in chars]
        self._sentence_starts = [a for a, _ in chars]
        own = [self._sentence_range(reaction.span) for reaction in reactions]
        self._starts = starts
        self._quoting = {
            i
            for (first, last), reaction in zip(own, reactions, strict=True)
            if reaction.quoted
            for i in range(first, last + 1)
        }
        self._narratives: dict[int, list[int]] = {}
        for index in range(len(self._sentences)):
            if self._narrative(index):
                self._narratives.setdefault(self._paragraph[index], []).append(index)
        self.contexts = [
            self._context(first, last, reaction.span)
            for (first, last), reaction in zip(own, reactions, strict=True)
        ]
        self.lead = self._lead()
        self.concepts = [(a, b, p.label) for a, b, p in _scan(_CONCEPT_INDEX, self.tokens)]
        self.title_concepts = [
            (a, b, p.label) for a, b, p in _scan(_CONCEPT_INDEX, self.title_tokens)
        ]

    def _sentence_range(self, span: tuple[int, int]) -> tuple[int, int]:
        """First and last sentence a character span touches."""
        first = bisect.bisect_right(self._sentence_starts, span[0]) - 1
        last = bisect.bisect_right(self._sentence_starts, max(span[0], span[1] - 1)) - 1
        return max(first, 0), max(last, 0)

    def _narrative(self, index: int) -> bool:
        """Whether a sentence tells the news (holds words and no quoted reaction)."""
        first, last = self._sentences[index]
        return index not in self._quoting and last > first

    def _context(self, first: int, last: int, span: tuple[int, int]) -> _Context:
        """The windows of a reaction spanning sentences first..last. Its intro is the nearest
        narrative sentence before it, in its paragraph or the one before."""
        paragraph = self._paragraph[first]
        intro = next(
            (
                i
                for i in range(first - 1, max(first - 1 - MAX_LOOKBACK, -1), -1)
                if self._narrative(i) and self._paragraph[i] >= paragraph - 1
            ),
            None,
        )
        rest = [i for i in self._narratives.get(paragraph, ()) if i != intro]
        rest.sort(key=lambda i: abs(i - first))
        earlier = list(
            islice(
                (
                    self._sentences[i]
                    for i in range(first - 1, -1, -1)
                    if self._paragraph[i] != paragraph and i != intro and self._narrative(i)
                ),
                MAX_EARLIER,
            )
        )
        window = None if intro is None else self._sentences[intro]
        sentence = (self._sentences[first][0], self._sentences[last][1])
        own = (bisect.bisect_left(self._starts, span[0]), bisect.bisect_left(self._starts, span[1]))
        return _Context(
            own=own,
            sentence=((sentence[0], own[0]), (own[1], sentence[1])),
            intro=window,
            narrative=tuple(self._sentences[i] for i in rest[:MAX_NARRATIVE]),
            earlier=tuple(earlier),
            intro_only_introduces=window is not None
            and any(stem in _INTRO_WORDS for stem in self.tokens.stems[window[0] : window[1]]),
        )

    def _lead(self) -> tuple[tuple[int, int], ...]:
        """The narrative sentences of the first paragraph that has any (the article's lead)."""
        for paragraph in sorted(self._narratives):
            return tuple(self._sentences[i] for i in self._narratives[paragraph][:MAX_NARRATIVE])
        return ()


def _about_article(article: Article, profile: EventProfile) -> tuple[_Found, Evidence]:
    """The event's phrases found in the article, and what its title and lead say of the event."""
    found = _Found(profile, article.text, article.tokens, article.concepts)
    title = _Found(profile, article.title, article.title_tokens, article.title_concepts)
    named = title.evidence([(0, len(article.title_tokens.stems))])
    return found, named.joined(found.evidence(article.lead))


def _judge(found: _Found, context: _Context, *, speaker: str | None, about: Evidence) -> Relevance:
    """How much one reaction is about the event, and why."""
    profile = found.profile
    own = found.evidence([context.own])
    sentence = found.evidence(context.sentence)
    intro = found.evidence([context.intro] if context.intro else [])
    rest = found.evidence(context.narrative)
    if speaker and " ".join(stems_of(speaker)) in profile.speakers:
        own.strong.setdefault(speaker, "speaker")
    near = (own, sentence, intro, rest)
    foreign = bool(profile.concepts) and any(
        level.foreign and not level.own_evidence for level in near
    )
    levels = [("reaction", own), ("sentence", sentence), ("intro", intro), ("paragraph", rest)]
    # Its own sentence tells of another happening: only the intro may still tie it to the event.
    if (
        profile.concepts
        and any(lv.foreign for lv in (own, sentence))
        and not any(lv.own_evidence for lv in (own, sentence))
    ):
        levels = levels[:3]
    open_run = context.intro is None or context.intro_only_introduces
    if open_run and not any(level.own_evidence or level.foreign for level in near):
        earlier = _nearest_news(found, context.earlier)
        if earlier is not None:
            levels.append(("earlier", Evidence(strong=earlier.strong, named=earlier.named)))
            foreign = bool(profile.concepts) and bool(earlier.foreign) and not earlier.own_evidence
        else:
            levels.append(("article", about))
    if profile.broad and ("article", about) not in levels:
        levels.append(("article", about))
    scored = [
        (LEVEL_WEIGHTS[name] * level.value(discounted=foreign), name, level)
        for name, level in levels
    ]
    best = max(score for score, _, _ in scored)
    evidence = [
        note for score, name, level in scored if score > 0 for note in level.described(name)
    ]
    return Relevance(score=round(min(1.0, best), 3), evidence=tuple(evidence[:MAX_EVIDENCE]))


def _nearest_news(found: _Found, earlier: Sequence[tuple[int, int]]) -> Evidence | None:
    """The evidence of the nearest earlier sentence that tells of a happening or of the event."""
    for window in earlier:
        evidence = found.evidence([window])
        if evidence.own_evidence or evidence.foreign:
            return evidence
    return None


def claims_document(about_article: Evidence, relevances: Sequence[Relevance]) -> bool:
    """Whether an event whose keywords an article matches takes the document: a reaction is about
    it, its name stands in the title or lead, or the article has no reactions to judge."""
    return not relevances or any(r.relevant for r in relevances) or bool(about_article.strong)


def judge_article(
    *, text: str, title: str | None, reactions: Sequence[Quoted], queries: Sequence[EventQuery]
) -> list[list[Relevance] | None]:
    """For each event (whose keywords the article matched), each reaction's relevance to it, or
    None when the event does not take the article; each event is judged on its own."""
    article = Article(text=text, title=title, reactions=reactions)
    judged: list[list[Relevance] | None] = []
    for query in queries:
        found, about = _about_article(article, profile_of(query))
        relevances = [
            _judge(found, context, speaker=reaction.speaker, about=about)
            for context, reaction in zip(article.contexts, reactions, strict=True)
        ]
        judged.append(relevances if claims_document(about, relevances) else None)
    return judged
