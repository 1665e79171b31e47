"""Whether a reaction is about an event: judged from the reaction's own context and the event's
definition alone, never from which other events exist.

A reaction's context has three levels: its own sentence (quote and attribution), the sentence that
introduces the run of reactions it stands in ("Lin's departure triggered strong reactions from
..."), and the other narrative sentences of its paragraph; the article's title and lead paragraph
are a fallback for a reaction whose context names no happening of its own. Evidence for an event
is its keywords, its people and the names in its title (with surname and possessive variants),
the words of the happening it is about ("steps down": "departure", "resigned", "stepping away")
and, weakly, the other words of its title and description. A context that names another happening
and nothing of the event's own (a launch, for an event about a departure) weakens the event's
weak evidence and shuts off the fallback. `docs/EVENTS_AND_PEOPLE.md` gives the measured figures.
"""

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from domain.concepts import CONCEPTS
from domain.text import STOPWORDS, Tokens, stems_of, tokenize

THRESHOLD = 0.5
LEVEL_WEIGHTS = {"sentence": 1.0, "intro": 0.8, "paragraph": 0.5, "article": 0.5}
STRONG_WEIGHT = 1.0
CONCEPT_WEIGHT = 0.7
TERM_WEIGHT = 0.2
MAX_TERMS = 3
FOREIGN_DISCOUNT = 0.5
MAX_SCORE = 2.0
MAX_LOOKBACK = 12
MAX_NARRATIVE = 6
MAX_EVIDENCE = 6

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n")
_NAME_WORD = re.compile(r"^[A-Z][\w'’.-]*$")

PhraseKind = Literal["keyword", "name", "surname", "concept", "term"]


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


def _concepts_in(stems: Sequence[str]) -> set[str]:
    """The happenings a phrase or title names."""
    return {phrase.label for _, phrase in _scan(_CONCEPT_INDEX, stems, 0, len(stems), frozenset())}


@dataclass(frozen=True, slots=True)
class EventProfile:
    """An event's definition compiled for matching: its phrases by first stem, the happenings it
    is about and the name keys of its people (to recognise them as speakers)."""

    phrases: dict[str, tuple[_Phrase, ...]]
    concepts: frozenset[str]
    speakers: frozenset[str]


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
    for name in title_names:
        phrases += _name_phrases(name, "name")
    described = " ".join(filter(None, [query.title, query.description]))
    concepts = set().union(*(_concepts_in(stems_of(text)) for text in (*query.keywords, described)))
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
        phrases=_index(phrases), concepts=frozenset(concepts), speakers=frozenset(speakers)
    )


def _scan(
    index: dict[str, tuple[_Phrase, ...]],
    stems: Sequence[str],
    start: int,
    end: int,
    skip: frozenset[int],
) -> list[tuple[int, _Phrase]]:
    """Where phrases of the index occur in stems[start:end] (longest match at each position)."""
    found: list[tuple[int, _Phrase]] = []
    position = start
    while position < end:
        step = 1
        if position not in skip:
            for phrase in index.get(stems[position], ()):
                size = len(phrase.stems)
                if position + size <= end and tuple(stems[position : position + size]) == (
                    phrase.stems
                ):
                    found.append((position, phrase))
                    step = size
                    break
        position += step
    return found


@dataclass(slots=True)
class Evidence:
    """What one level of a reaction's context holds for an event."""

    strong: dict[str, str] = field(default_factory=dict)
    concept: str | None = None
    terms: dict[str, str] = field(default_factory=dict)
    foreign: set[str] = field(default_factory=set)

    @property
    def own_evidence(self) -> bool:
        """Whether it names the event itself or its happening (not just words of its title)."""
        return bool(self.strong) or self.concept is not None

    def value(self, *, discounted: bool) -> float:
        """The weight of the evidence: names and keywords count whole, the rest less."""
        weak = (CONCEPT_WEIGHT if self.concept else 0.0) + TERM_WEIGHT * min(
            MAX_TERMS, len(self.terms)
        )
        if discounted:
            weak *= FOREIGN_DISCOUNT
        return min(MAX_SCORE, STRONG_WEIGHT * len(self.strong) + weak)

    def described(self, level: str) -> list[str]:
        """The evidence as written, for the membership's record."""
        notes = [f"{level}: {kind} “{surface}”" for surface, kind in self.strong.items()]
        if self.concept:
            notes.append(f"{level}: {self.concept}")
        return notes + [f"{level}: word “{surface}”" for surface in self.terms]


def _match(
    profile: EventProfile, tokens: Tokens, text: str, windows: Sequence[tuple[int, int]]
) -> Evidence:
    """Collect the event's evidence (and other happenings) in token windows of a text."""
    result = Evidence()
    for start, end in windows:
        strong_at: set[int] = set()
        for position, phrase in _scan(profile.phrases, tokens.stems, start, end, frozenset()):
            size = len(phrase.stems)
            surface = text[tokens.spans[position][0] : tokens.spans[position + size - 1][1]]
            if phrase.kind == "surname" and not surface[:1].isupper():
                continue
            if phrase.kind in ("keyword", "name", "surname"):
                result.strong.setdefault(
                    phrase.label, "name" if phrase.kind == "surname" else phrase.kind
                )
                strong_at.update(range(position, position + size))
            elif phrase.kind == "concept":
                result.concept = result.concept or f"{phrase.label} “{surface}”"
            else:
                result.terms.setdefault(surface, phrase.label)
        skip = frozenset(strong_at)
        for _, phrase in _scan(_CONCEPT_INDEX, tokens.stems, start, end, skip):
            if phrase.label not in profile.concepts:
                result.foreign.add(phrase.label)
    return result


@dataclass(frozen=True, slots=True)
class _Context:
    """Token windows of one reaction: own sentence(s), the run's intro, the paragraph's rest."""

    own: tuple[int, int]
    intro: tuple[int, int] | None
    narrative: tuple[tuple[int, int], ...]


class Article:
    """An article split once into tokens, sentences and paragraphs, knowing which sentences hold
    reactions (`spans`: each reaction's quote and attribution, in characters)."""

    def __init__(self, *, text: str, title: str | None, spans: Sequence[tuple[int, int]]) -> None:
        self.text = text
        self.title = title or ""
        self.tokens = tokenize(text)
        self.title_tokens = tokenize(self.title)
        starts = [token[0] for token in self.tokens.spans]
        breaks = [found.end() for found in _SENTENCE_END.finditer(text)]
        paragraph_break = "\n\n" if "\n\n" in text else "\n"
        sentence_chars = list(zip([0, *breaks], [*breaks, len(text)], strict=True))
        self._sentences = [
            (bisect.bisect_left(starts, a), bisect.bisect_left(starts, b))
            for a, b in sentence_chars
        ]
        self._paragraph = [text.count(paragraph_break, 0, a) for a, _ in sentence_chars]
        self._sentence_starts = [a for a, _ in sentence_chars]
        self._own = [self._sentence_range(span) for span in spans]
        self._holds_reaction = {i for first, last in self._own for i in range(first, last + 1)}

    def _sentence_range(self, span: tuple[int, int]) -> tuple[int, int]:
        """First and last sentence a character span touches."""
        first = bisect.bisect_right(self._sentence_starts, span[0]) - 1
        last = bisect.bisect_right(self._sentence_starts, max(span[0], span[1] - 1)) - 1
        return max(first, 0), max(last, 0)

    def _narrative(self, index: int) -> bool:
        """Whether a sentence tells the news (holds words and no reaction)."""
        first, last = self._sentences[index]
        return index not in self._holds_reaction and last > first

    def context(self, reaction: int) -> _Context:
        """The windows of one reaction (by its position in `spans`)."""
        first, last = self._own[reaction]
        intro = next(
            (
                i
                for i in range(first - 1, max(first - 1 - MAX_LOOKBACK, -1), -1)
                if self._narrative(i)
            ),
            None,
        )
        paragraph = self._paragraph[first]
        rest = [
            i
            for i in range(len(self._sentences))
            if self._paragraph[i] == paragraph and i != intro and self._narrative(i)
        ]
        rest.sort(key=lambda i: abs(i - first))
        own = (self._sentences[first][0], self._sentences[last][1])
        return _Context(
            own=own,
            intro=None if intro is None else self._sentences[intro],
            narrative=tuple(self._sentences[i] for i in rest[:MAX_NARRATIVE]),
        )

    def lead(self) -> tuple[tuple[int, int], ...]:
        """The narrative sentences of the first paragraph that has any (the article's lead)."""
        for paragraph in sorted(set(self._paragraph)):
            found = [
                self._sentences[i]
                for i in range(len(self._sentences))
                if self._paragraph[i] == paragraph and self._narrative(i)
            ]
            if found:
                return tuple(found[:MAX_NARRATIVE])
        return ()


def article_evidence(article: Article, profile: EventProfile) -> Evidence:
    """What the article's title and lead say of the event."""
    lead = _match(profile, article.tokens, article.text, article.lead())
    title = _match(
        profile, article.title_tokens, article.title, [(0, len(article.title_tokens.stems))]
    )
    return Evidence(
        strong={**title.strong, **lead.strong},
        concept=title.concept or lead.concept,
        terms={**title.terms, **lead.terms},
        foreign=title.foreign | lead.foreign,
    )


def judge(
    article: Article,
    profile: EventProfile,
    *,
    reaction: int,
    speaker: str | None,
    about_article: Evidence,
) -> Relevance:
    """How much one reaction of the article is about the event, and why."""
    context = article.context(reaction)
    own = _match(profile, article.tokens, article.text, [context.own])
    intro = _match(profile, article.tokens, article.text, [context.intro] if context.intro else [])
    rest = _match(profile, article.tokens, article.text, context.narrative)
    if speaker and " ".join(stems_of(speaker)) in profile.speakers:
        own.strong.setdefault(speaker, "speaker")
    foreign = bool(profile.concepts) and any(
        level.foreign and not level.own_evidence for level in (own, intro, rest)
    )
    levels = [("sentence", own), ("intro", intro), ("paragraph", rest)]
    if not foreign:
        levels.append(("article", about_article))
    scored = [
        (LEVEL_WEIGHTS[name] * level.value(discounted=foreign), name, level)
        for name, level in levels
    ]
    best = max(score for score, _, _ in scored)
    evidence = [
        note for score, name, level in scored if score > 0 for note in level.described(name)
    ]
    return Relevance(score=round(min(1.0, best), 3), evidence=tuple(evidence[:MAX_EVIDENCE]))


def claims_document(about_article: Evidence, relevances: Sequence[Relevance]) -> bool:
    """Whether an event whose keywords an article matches takes the document: a reaction is about
    it, its name stands in the title or lead, or the article has no reactions to judge."""
    return not relevances or any(r.relevant for r in relevances) or bool(about_article.strong)


@dataclass(frozen=True, slots=True)
class Quoted:
    """A reaction as the judge sees it: where its quote and attribution are, and who said it."""

    span: tuple[int, int]
    speaker: str | None


def judge_article(
    *, text: str, title: str | None, reactions: Sequence[Quoted], queries: Sequence[EventQuery]
) -> list[list[Relevance] | None]:
    """For each event (whose keywords the article matched), each reaction's relevance to it, or
    None when the event does not take the article; each event is judged on its own."""
    article = Article(text=text, title=title, spans=[reaction.span for reaction in reactions])
    judged: list[list[Relevance] | None] = []
    for query in queries:
        profile = profile_of(query)
        about = article_evidence(article, profile)
        relevances = [
            judge(article, profile, reaction=i, speaker=reaction.speaker, about_article=about)
            for i, reaction in enumerate(reactions)
        ]
        judged.append(relevances if claims_document(about, relevances) else None)
    return judged
