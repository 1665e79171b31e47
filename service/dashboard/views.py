"""View models: plain functions that turn events, summaries and people into what pages show."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from domain.moments import as_utc
from domain.sentiment import label_of
from schemas.events import EventRead
from schemas.people import PersonRead
from schemas.reactions import ReactionRead
from schemas.summaries import EventSummary, SentimentSummary, TimelinePoint
from service.dashboard import charts
from service.dashboard.charts import Bar, TimePoint, signed
from service.dashboard.listing import PageBucket, Voice, timeline_points

MAX_PERSON_EVENTS = 50


@dataclass(frozen=True, slots=True)
class Card:
    """One summary figure: `key` names it for tests and scripts, `value` is the text shown."""

    key: str
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event in the list."""

    id: int
    title: str
    kind: str
    reactions: int
    people: int
    positive: int
    neutral: int
    negative: int
    mean: str
    last_activity: str
    bar: Markup


@dataclass(frozen=True, slots=True)
class LabelFigure:
    """A sentiment label with its count and share, as text."""

    label: str
    count: int
    share: str


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One row of an event's people table."""

    id: int
    name: str
    role: str
    reactions: int
    mean: float
    mean_text: str
    tone: str


@dataclass(frozen=True, slots=True)
class RoleRow:
    """Reactions by speakers with one role as written."""

    role: str
    reactions: int
    mean_text: str


@dataclass(frozen=True, slots=True)
class DocumentBrief:
    """What a quote's link says about its article: title, outlet and publication date."""

    id: int
    title: str | None
    url: str | None
    outlet: str | None
    published: datetime | None


@dataclass(frozen=True, slots=True)
class QuoteView:
    """A quote with its kind, speaker, role, cue, score and links to its article (the original
    and the dashboard's highlighted copy)."""

    id: int
    quote: str
    kind: str
    speaker: str
    person_id: int | None
    role: str | None
    cue: str | None
    compound: str
    tone: str
    href: str
    source: str
    title: str
    published: str
    document_href: str
    outlets: int | None


@dataclass(frozen=True, slots=True)
class EventPage:
    """Everything the event page shows."""

    id: int
    title: str
    kind: str
    keywords: list[str]
    version: int
    updated_at: str
    cards: list[Card]
    labels: list[LabelFigure]
    bar: Markup
    label_chart: Markup
    scale_chart: Markup
    bucket: PageBucket
    timeline: list[TimePoint]
    timeline_chart: Markup
    range_text: str
    people: list[PersonRow]
    people_total: int
    roles: list[RoleRow]
    top_positive: list[QuoteView]
    top_negative: list[QuoteView]
    voices: list["VoiceTable"]


@dataclass(frozen=True, slots=True)
class VoiceTable:
    """Share of voice along one dimension (people, organisations or outlets), with its chart."""

    key: str
    title: str
    rows: list[Voice]
    chart: Markup
    note: str


@dataclass(frozen=True, slots=True)
class PersonEventRow:
    """A person's reactions to one event."""

    event_id: int
    title: str
    reactions: int
    mean_text: str
    tone: str


@dataclass(frozen=True, slots=True)
class PersonPage:
    """Everything the person page shows."""

    id: int
    name: str
    kind: str
    aliases: list[str]
    roles: list[str]
    role_history: list["RoleSeen"]
    cards: list[Card]
    labels: list[LabelFigure]
    bar: Markup
    events: list[PersonEventRow]
    events_total: int
    events_chart: Markup
    bucket: PageBucket
    timeline: list[TimePoint]
    timeline_chart: Markup
    quotes: list[QuoteView]
    next_after: int | None


@dataclass(frozen=True, slots=True)
class RoleSeen:
    """A role as written and the dates it was first and last said with."""

    role: str
    first: str
    last: str


def tone_of(compound: float | None) -> str:
    """The sentiment label of a compound (VADER's ±0.05 convention); "none" without one."""
    return "none" if compound is None else label_of(compound)


def when(moment: datetime | None) -> str:
    """A time as "2026-11-23 14:05 UTC" (naive times are UTC), or "–"."""
    if moment is None:
        return "–"
    aware = as_utc(moment)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def day_of(moment: datetime | None) -> str:
    """A date as "2026-11-23" (naive is UTC), or "" when unknown."""
    if moment is None:
        return ""
    aware = as_utc(moment)
    return aware.astimezone(UTC).strftime("%Y-%m-%d")


def safe_href(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) link, else None (no `javascript:` or data links)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return url.strip()


def _label_figures(*, positive: int, neutral: int, negative: int) -> list[LabelFigure]:
    """Counts and shares of each label, positive first."""
    total = positive + neutral + negative
    return [
        LabelFigure(label=name, count=count, share=f"{100 * count / total:.1f}%" if total else "–")
        for name, count in (("positive", positive), ("neutral", neutral), ("negative", negative))
    ]


def select_events(events: Sequence[EventRead], *, query: str | None, limit: int) -> list[EventRead]:
    """Events whose title or keywords contain `query` (any case), newest activity first."""
    needle = " ".join((query or "").split()).casefold()
    matching = [
        event
        for event in events
        if not needle
        or needle in event.title.casefold()
        or any(needle in keyword.casefold() for keyword in event.keywords)
    ]

    def activity(event: EventRead) -> tuple[datetime, int]:
        """Sort key: last activity (naive is UTC), then id."""
        moment = event.last_activity_at
        return (as_utc(moment), event.id)

    return sorted(matching, key=activity, reverse=True)[:limit]


def event_rows(
    events: Sequence[EventRead], summaries: Mapping[int, Mapping[str, Any]]
) -> list[EventRow]:
    """Rows of the events list from stored summaries (only their totals are read)."""
    rows = []
    for event in events:
        data = summaries.get(event.id) or {}
        sentiment = SentimentSummary.model_validate(data["sentiment"]) if data else None
        positive = sentiment.positive if sentiment else 0
        neutral = sentiment.neutral if sentiment else 0
        negative = sentiment.negative if sentiment else 0
        rows.append(
            EventRow(
                id=event.id,
                title=event.title,
                kind="story" if event.kind == "auto" else "defined",
                reactions=int(data.get("reactions", 0)),
                people=int(data.get("people", 0)),
                positive=positive,
                neutral=neutral,
                negative=negative,
                mean=signed(sentiment.mean if sentiment else None),
                last_activity=when(event.last_activity_at),
                bar=charts.sentiment_bar(positive=positive, neutral=neutral, negative=negative),
            )
        )
    return rows


def quote_view(
    reaction: ReactionRead, *, url: str | None, document: DocumentBrief | None = None
) -> QuoteView:
    """A reaction as shown: a safe link to its article (else to the API's document), named by
    the article's title, outlet and date when known."""
    href = safe_href(url or (document.url if document else None))
    host = urlsplit(href).hostname if href else None
    outlet = document.outlet if document and document.outlet else None
    return QuoteView(
        id=reaction.id,
        quote=reaction.quote,
        kind=reaction.kind,
        speaker=reaction.speaker,
        person_id=reaction.person.id if reaction.person else None,
        role=reaction.role,
        cue=reaction.cue,
        compound=signed(reaction.sentiment.compound),
        tone=reaction.sentiment.label,
        href=href or f"/v1/documents/{reaction.document_id}",
        source=outlet or (host or "").removeprefix("www.") or f"document {reaction.document_id}",
        title=(document.title if document and document.title else "")
        or f"document {reaction.document_id}",
        published=day_of(document.published if document else None),
        document_href=f"/documents/{reaction.document_id}",
        outlets=reaction.outlets,
    )


def voice_table(key: str, title: str, *, rows: list[Voice], note: str) -> VoiceTable:
    """A share-of-voice table with its bar chart."""
    return VoiceTable(
        key=key,
        title=title,
        rows=rows,
        chart=charts.share_bars([(r.name, r.share, r.share_text) for r in rows]),
        note=note,
    )


def range_text(start: datetime | None, end: datetime | None) -> str:
    """The date range as read ("from 2026-11-20 to 2026-11-23"), "" without one."""
    parts = []
    if start is not None:
        parts.append(f"from {day_of(start)}")
    if end is not None:
        parts.append(f"to {day_of(end - timedelta(days=1))}")
    return " ".join(parts)


def event_page(
    event: EventRead,
    summary: EventSummary,
    *,
    roles: Mapping[int, str],
    documents: Mapping[int, DocumentBrief] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    voices: Sequence[VoiceTable] = (),
) -> EventPage:
    """The event page from its summary (stored, or for [start, end)), each listed person's
    latest role, the top quotes' articles and share of voice."""
    sentiment = summary.sentiment
    counts = {
        "positive": sentiment.positive,
        "neutral": sentiment.neutral,
        "negative": sentiment.negative,
    }
    axis = timeline_points(
        summary.timeline.points, start=start, end=end, finest=summary.timeline.bucket
    )
    articles = documents or {}
    return EventPage(
        id=event.id,
        title=event.title,
        kind="story" if event.kind == "auto" else "defined",
        keywords=event.keywords,
        version=summary.version,
        updated_at=when(summary.updated_at),
        cards=[
            Card("reactions", "Reactions", str(summary.reactions), "each quote counted once"),
            Card("people", "People", str(summary.people)),
            Card("documents", "Documents", str(summary.documents)),
            Card("sources", "Sources", str(summary.sources), "distinct outlets"),
            Card("mean", "Mean sentiment", signed(sentiment.mean), tone_of(sentiment.mean)),
            Card("median", "Median", signed(sentiment.median)),
            Card(
                "stddev",
                "Standard deviation",
                "–" if sentiment.stddev is None else f"{sentiment.stddev:.2f}",
            ),
            Card("first", "First reaction", when(summary.first_reaction_at)),
            Card("last", "Last reaction", when(summary.last_reaction_at)),
        ],
        labels=_label_figures(**counts),
        bar=charts.sentiment_bar(**counts, width=320, height=18),
        label_chart=charts.label_columns(**counts),
        scale_chart=charts.compound_scale(
            mean=sentiment.mean, median=sentiment.median, stddev=sentiment.stddev
        ),
        bucket=axis.bucket,
        timeline=axis.points,
        timeline_chart=charts.timeline_chart(
            axis.points, bucket=axis.bucket, ticks=axis.ticks, slots=axis.slots
        ),
        range_text=range_text(start, end),
        people=[
            PersonRow(
                id=tally.person.id,
                name=tally.person.name,
                role=roles.get(tally.person.id, ""),
                reactions=tally.reactions,
                mean=tally.mean_compound,
                mean_text=signed(tally.mean_compound),
                tone=tone_of(tally.mean_compound),
            )
            for tally in summary.by_person
        ],
        people_total=summary.people,
        roles=[
            RoleRow(role=r.role, reactions=r.reactions, mean_text=signed(r.mean_compound))
            for r in summary.by_role
        ],
        top_positive=[
            quote_view(r, url=r.first_url, document=articles.get(r.document_id))
            for r in summary.top_positive
        ],
        top_negative=[
            quote_view(r, url=r.first_url, document=articles.get(r.document_id))
            for r in summary.top_negative
        ],
        voices=list(voices),
    )


def person_page(
    person: PersonRead,
    quotes: Sequence[ReactionRead],
    *,
    urls: Mapping[int, str | None],
    next_after: int | None,
    documents: Mapping[int, DocumentBrief] | None = None,
) -> PersonPage:
    """The person page: roles over time, sentiment overall, per event and over time, and one
    page of quotes."""
    documents = documents or {}
    sentiment = person.sentiment
    counts = {
        "positive": sentiment.positive,
        "neutral": sentiment.neutral,
        "negative": sentiment.negative,
    }
    shown_events = person.events[:MAX_PERSON_EVENTS]
    days = [
        TimelinePoint(
            start=datetime.combine(date.fromisoformat(day.day), time(), UTC),
            reactions=day.reactions,
            mean_compound=day.mean_compound,
        )
        for day in person.timeline
    ]
    axis = timeline_points(days, start=None, end=None, finest="day")
    return PersonPage(
        id=person.id,
        name=person.name,
        kind=person.kind,
        aliases=[a for a in person.aliases if a != person.name],
        roles=person.roles,
        role_history=[
            RoleSeen(role=r.text, first=day_of(r.first_seen), last=day_of(r.last_seen))
            for r in sorted(person.role_history, key=lambda r: (r.first_seen, r.text))
        ],
        cards=[
            Card("reactions", "Reactions", str(person.reactions)),
            Card("events", "Events", str(len(person.events))),
            Card("mean", "Mean sentiment", signed(sentiment.mean), tone_of(sentiment.mean)),
            Card("first", "First seen", when(person.first_seen)),
            Card("last", "Last seen", when(person.last_seen)),
        ],
        labels=_label_figures(**counts),
        bar=charts.sentiment_bar(**counts, width=320, height=18),
        events=[
            PersonEventRow(
                event_id=e.event_id,
                title=e.title,
                reactions=e.reactions,
                mean_text=signed(e.mean_compound),
                tone=tone_of(e.mean_compound),
            )
            for e in shown_events
        ],
        events_total=len(person.events),
        events_chart=charts.diverging_bars(
            [Bar(label=e.title, mean=e.mean_compound, reactions=e.reactions) for e in shown_events]
        ),
        bucket=axis.bucket,
        timeline=axis.points,
        timeline_chart=charts.sentiment_dots(
            axis.points, bucket=axis.bucket, ticks=axis.ticks, slots=axis.slots
        ),
        quotes=[
            quote_view(q, url=urls.get(q.document_id), document=documents.get(q.document_id))
            for q in quotes
        ],
        next_after=next_after,
    )
