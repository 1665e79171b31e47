"""View models of the browsing pages: an event's reaction list, the people index, a document
with its reactions highlighted, and the sources; plain functions, no I/O."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from schemas.reactions import ReactionRead
from schemas.summaries import PersonTally
from service.dashboard.charts import signed
from service.dashboard.listing import PAGE_SIZES, SORTS, ListQuery, Voice
from service.dashboard.views import DocumentBrief, QuoteView, day_of, quote_view, tone_of, when
from store.repositories.reactions import DocumentEvent

CUE_WINDOW = 80


@dataclass(frozen=True, slots=True)
class Option:
    """A choice of a select box: its value, its text and whether it is chosen."""

    value: str
    text: str
    chosen: bool


@dataclass(frozen=True, slots=True)
class ListRow:
    """One reaction of the list: the quote as shown, its relevance and when it was said."""

    quote: QuoteView
    relevance: str


@dataclass(frozen=True, slots=True)
class ReactionList:
    """The event's filtered, sorted page of reactions with its controls and export links."""

    query: ListQuery
    rows: list[ListRow]
    total: int
    first: int
    last: int
    page: int
    pages: int
    previous_url: str | None
    next_url: str | None
    sorts: list[Option]
    sizes: list[Option]
    labels: list[Option]
    people: list[Option]
    outlets: list[Option]
    export_csv: str
    export_json: str
    clear_url: str


def reaction_list(
    *,
    event_id: int,
    query: ListQuery,
    reactions: Sequence[ReactionRead],
    total: int,
    documents: Mapping[int, DocumentBrief],
    people: Sequence[PersonTally],
    outlets: Sequence[Voice],
) -> ReactionList:
    """The list's view: rows, pager, the filter's choices (people and outlets of the event)
    and the API export of the same rows."""
    path = f"/events/{event_id}"
    pages = max(1, -(-total // query.size))
    first = query.offset
    people_options = [Option("", "anyone", query.person is None)] + [
        Option(str(t.person.id), t.person.name, query.person == t.person.id) for t in people
    ]
    if query.person is not None and not any(o.chosen for o in people_options):
        people_options.append(Option(str(query.person), f"person {query.person}", True))
    outlet_options = [Option("", "any outlet", query.outlet is None)] + [
        Option(v.name, v.name, query.outlet == v.name) for v in outlets
    ]
    if query.outlet is not None and not any(o.chosen for o in outlet_options):
        outlet_options.append(Option(query.outlet, query.outlet, True))
    export = f"/v1/events/{event_id}/reactions/export?"
    return ReactionList(
        query=query,
        rows=[
            ListRow(
                quote=quote_view(r, url=r.first_url, document=documents.get(r.document_id)),
                relevance="–" if r.relevance is None else f"{r.relevance:.2f}",
            )
            for r in reactions
        ],
        total=total,
        first=first + 1 if reactions else 0,
        last=first + len(reactions),
        page=query.page,
        pages=pages,
        previous_url=query.url(path, page=query.page - 1) if query.page > 1 else None,
        next_url=query.url(path, page=query.page + 1) if query.page < pages else None,
        sorts=[Option(key, text, query.sort == key) for key, text in SORTS.items()],
        sizes=[Option(str(n), f"{n} a page", query.size == n) for n in PAGE_SIZES],
        labels=[Option("", "any", query.label is None)]
        + [Option(x, x, query.label == x) for x in ("positive", "neutral", "negative")],
        people=people_options,
        outlets=outlet_options,
        export_csv=export + query.export_query("csv"),
        export_json=export + query.export_query("json"),
        clear_url=path,
    )


@dataclass(frozen=True, slots=True)
class PersonIndexRow:
    """One person (or organisation) in the people index."""

    id: int
    name: str
    kind: str
    reactions: int
    mean_text: str
    tone: str
    events: int
    last_seen: str


def person_index_row(
    *,
    person_id: int,
    name: str,
    kind: str,
    reactions: int,
    mean: float | None,
    events: int,
    last_seen: datetime | None,
) -> PersonIndexRow:
    """A row of the people index from a person's running totals."""
    return PersonIndexRow(
        id=person_id,
        name=name,
        kind=kind,
        reactions=reactions,
        mean_text=signed(mean),
        tone=tone_of(mean),
        events=events,
        last_seen=day_of(last_seen) or "–",
    )


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a document's text: plain (`mark` empty) or a quote, cue or speaker."""

    text: str
    mark: str
    reaction_id: int | None
    tone: str


def _cue_span(text: str, reaction: ReactionRead) -> tuple[int, int] | None:
    """Where the reaction's cue word is written: between the quote and its speaker, else just
    after (or before) the quote; None when it is not found nearby."""
    if not reaction.cue:
        return None
    start, end = reaction.span
    if reaction.speaker_span is not None:
        low = min(end, reaction.speaker_span[1])
        high = max(start, reaction.speaker_span[0])
        windows = [(low, high)] if low < high else []
    else:
        windows = []
    windows += [(end, end + CUE_WINDOW), (max(0, start - CUE_WINDOW), start)]
    cue = reaction.cue.casefold()
    for low, high in windows:
        found = text[low:high].casefold().find(cue)
        if found >= 0:
            end_of_word = low + found + len(cue)
            while end_of_word < len(text) and text[end_of_word].isalpha():
                end_of_word += 1  # the cue is a lemma: "describe" marks "described"
            return low + found, end_of_word
    return None


def highlight(text: str, reactions: Sequence[ReactionRead]) -> list[Segment]:
    """The text cut into plain runs and marked quotes, cues and speakers (a mark overlapping
    one already placed is left out, so every character shows once)."""
    marks: list[tuple[int, int, str, int, str]] = []
    for reaction in reactions:
        tone: str = reaction.sentiment.label
        marks.append((*reaction.span, "quote", reaction.id, tone))
        if reaction.speaker_span is not None:
            marks.append((*reaction.speaker_span, "speaker", reaction.id, tone))
        cue = _cue_span(text, reaction)
        if cue is not None:
            marks.append((*cue, "cue", reaction.id, tone))
    segments: list[Segment] = []
    position = 0
    for start, end, mark, reaction_id, tone in sorted(marks):
        if start < position or end > len(text) or start >= end:
            continue
        if start > position:
            segments.append(Segment(text[position:start], "", None, ""))
        segments.append(Segment(text[start:end], mark, reaction_id, tone))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:], "", None, ""))
    return segments


@dataclass(frozen=True, slots=True)
class EventLink:
    """An event a document belongs to, with the relevance of its reactions to it."""

    event_id: int
    title: str
    kind: str
    reactions: int
    relevance: str


@dataclass(frozen=True, slots=True)
class DocumentPage:
    """A document: its article's details, text with reactions marked, reactions and events."""

    id: int
    title: str
    outlet: str
    href: str | None
    published: str
    received: str
    status: str
    segments: list[Segment]
    reactions: list[QuoteView]
    events: list[EventLink]


def document_page(
    *,
    brief: DocumentBrief,
    text: str,
    received: datetime,
    status: str,
    reactions: Sequence[ReactionRead],
    events: Sequence[DocumentEvent],
    href: str | None,
) -> DocumentPage:
    """The document page's view."""
    return DocumentPage(
        id=brief.id,
        title=brief.title or f"Document {brief.id}",
        outlet=brief.outlet or "–",
        href=href,
        published=when(brief.published),
        received=when(received),
        status=status,
        segments=highlight(text, reactions),
        reactions=[quote_view(r, url=href, document=brief) for r in reactions],
        events=[
            EventLink(
                event_id=e.event_id,
                title=e.title,
                kind="story" if e.kind == "auto" else "defined",
                reactions=e.reactions,
                relevance=f"{e.relevance:.2f}" if e.reactions else "–",
            )
            for e in events
        ],
    )
