"""The event page's controls: the reaction list's filter (in the URL), timeline buckets chosen
from the range, and share of voice; plain functions, no I/O."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import cast
from urllib.parse import urlencode

from domain.moments import as_utc
from schemas.reactions import SentimentLabel
from schemas.summaries import EventSummary, PersonTally, TimelinePoint
from service.dashboard.charts import MAX_SLOTS, PageBucket, TimePoint
from store.repositories.reactions import ReactionFilter, ReactionSort, VoiceCount
from usecases.errors import InvalidInputError

LABELS = ("positive", "neutral", "negative")
MAX_ID = 2**63
PAGE_SIZE = 50
PAGE_SIZES = (10, 25, 50, 100)
MIN_PAGE_SIZE, MAX_PAGE_SIZE = PAGE_SIZES[0], PAGE_SIZES[-1]
MAX_PAGE = 2000
HOURLY_UP_TO = timedelta(days=3)
DAILY_UP_TO = timedelta(days=120)
BUCKET_WIDTH: dict[PageBucket, timedelta] = {
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}
MAX_TICKS = 7
TICK_STEPS = {
    "hour": (1, 2, 3, 6, 12, 24, 48),
    "day": (1, 2, 7, 14, 28),
    "week": (1, 2, 4, 8, 13, 26, 52),
}
SORTS: dict[str, str] = {
    "-time": "newest first",
    "time": "oldest first",
    "-compound": "most positive first",
    "compound": "most negative first",
}
_AFFILIATION = re.compile(
    r"(?:\b(?:at|of|for|from|with)\s+|,\s*)"
    r"((?:the\s+)?[A-Z0-9][\w&.'’-]*(?:\s+(?:[A-Z0-9][\w&.'’-]*|of|and|&|for|the|de))*)\s*$"
)


@dataclass(frozen=True, slots=True)
class ListQuery:
    """The event page's controls as given in the URL: the date range (which also drives the
    summary cards, distribution and timeline), the list's filters, its order and page."""

    since: date | None = None
    until: date | None = None
    label: SentimentLabel | None = None
    person: int | None = None
    role: str | None = None
    organisation: str | None = None
    outlet: str | None = None
    sort: ReactionSort = "-time"
    page: int = 1
    size: int = PAGE_SIZE

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.page - 1) * self.size

    @property
    def start(self) -> datetime | None:
        """The range's first moment (UTC midnight of `since`)."""
        return datetime.combine(self.since, time(), UTC) if self.since else None

    @property
    def end(self) -> datetime | None:
        """The range's end, exclusive: the midnight after `until` (the day itself counts)."""
        return datetime.combine(self.until + timedelta(days=1), time(), UTC) if self.until else None

    @property
    def ranged(self) -> bool:
        """Whether a date range is set."""
        return self.since is not None or self.until is not None

    @property
    def role_alone(self) -> bool:
        """Whether the list is filtered by one word of the role only, over the whole event (its
        count is then the role tallies' sum)."""
        others = (self.label, self.person, self.organisation, self.outlet)
        return (
            self.role is not None
            and " " not in self.role
            and not self.ranged
            and all(value is None for value in others)
        )

    def where(self) -> ReactionFilter:
        """The repository filter of these controls."""
        return ReactionFilter(
            person_id=self.person,
            label=self.label,
            role=self.role,
            organisation=self.organisation,
            outlet=self.outlet,
            since=self.start,
            until=self.end,
        )

    def params(self, **changes: object) -> dict[str, str]:
        """The query parameters that reproduce these controls (defaults left out), changed."""
        chosen = replace(self, **changes)  # type: ignore[arg-type]
        values = {
            "since": chosen.since.isoformat() if chosen.since else None,
            "until": chosen.until.isoformat() if chosen.until else None,
            "label": chosen.label,
            "person": str(chosen.person) if chosen.person else None,
            "role": chosen.role,
            "organisation": chosen.organisation,
            "outlet": chosen.outlet,
            "sort": None if chosen.sort == "-time" else chosen.sort,
            "page": None if chosen.page == 1 else str(chosen.page),
            "size": None if chosen.size == PAGE_SIZE else str(chosen.size),
        }
        return {key: value for key, value in values.items() if value}

    def url(self, path: str, **changes: object) -> str:
        """`path` with these controls (changed) as its query string."""
        query = urlencode(self.params(**changes))
        return f"{path}?{query}" if query else path

    def range_query(self) -> str:
        """The date range alone as a query string ("" without one), for the live fragment."""
        values = {key: self.params()[key] for key in ("since", "until") if key in self.params()}
        return f"?{urlencode(values)}" if values else ""

    def export_query(self, fmt: str) -> str:
        """The API export's query string for the filtered rows (its own parameter names)."""
        values: dict[str, str] = {"format": fmt}
        if self.start:
            values["since"] = self.start.isoformat()
        if self.end:
            values["until"] = self.end.isoformat()
        for key, value in (
            ("label", self.label),
            ("person_id", str(self.person) if self.person else None),
            ("role", self.role),
            ("organisation", self.organisation),
            ("outlet", self.outlet),
        ):
            if value:
                values[key] = value
        return urlencode(values)


def list_query(
    *,
    since: date | None,
    until: date | None,
    label: str | None,
    person: str | None,
    role: str | None,
    organisation: str | None,
    outlet: str | None,
    sort: ReactionSort,
    page: int,
    size: int = PAGE_SIZE,
) -> ListQuery:
    """The controls with blank choices and texts dropped (a form sends "" for "any") and spaces
    collapsed; a label or person that is neither is a 422 naming it."""
    if since is not None and until is not None and until < since:
        raise InvalidInputError("until: must not be before since")
    chosen_label = _text(label)
    if chosen_label is not None and chosen_label not in LABELS:
        raise InvalidInputError(f"label: one of {', '.join(LABELS)}")
    chosen_person = _text(person)
    if chosen_person is not None and not (
        chosen_person.isdigit() and 0 < int(chosen_person) < 2**63
    ):
        raise InvalidInputError("person: a person id")
    return ListQuery(
        since=since,
        until=until,
        label=cast(SentimentLabel | None, chosen_label),
        person=int(chosen_person) if chosen_person else None,
        role=_text(role),
        organisation=_text(organisation),
        outlet=_text(outlet),
        sort=sort,
        page=page,
        size=size,
    )


def known_total(
    query: ListQuery, summary: EventSummary, *, outlets: Sequence["Voice"] = ()
) -> int | None:
    """How many reactions the list holds when the summary (stored, or for the same range) or
    the outlets' counts already say: no filter, or a label, a listed person or an outlet
    alone; else None."""
    chosen = [query.label, query.person, query.role, query.organisation, query.outlet]
    if sum(value is not None for value in chosen) > 1 or query.role or query.organisation:
        return None
    if query.outlet is not None:
        return next((v.reactions for v in outlets if v.name == query.outlet), None)
    if query.person is not None:
        tally = next((t for t in summary.by_person if t.person.id == query.person), None)
        return tally.reactions if tally else None
    if query.label is not None:
        counts = summary.sentiment
        return {"positive": counts.positive, "neutral": counts.neutral}.get(
            query.label, counts.negative
        )
    return summary.reactions


def _text(value: str | None) -> str | None:
    """A search text with spaces collapsed, None when blank."""
    collapsed = " ".join((value or "").split())
    return collapsed or None


def bucket_for(start: datetime | None, end: datetime | None) -> PageBucket:
    """The timeline bucket that suits a range: hours up to 3 days, days up to 120, else weeks."""
    if start is None or end is None:
        return "hour"
    span = end - start
    if span <= HOURLY_UP_TO:
        return "hour"
    return "day" if span <= DAILY_UP_TO else "week"


def _bucket_start(moment: datetime, bucket: PageBucket) -> datetime:
    """The start of the bucket holding `moment` (weeks start on Monday)."""
    aware = as_utc(moment)
    if bucket == "hour":
        return aware.replace(minute=0, second=0, microsecond=0)
    day = aware.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday()) if bucket == "week" else day


def bucket_label(start: datetime, bucket: PageBucket) -> str:
    """A bucket's label as people read it: "Nov 23 14:00", "Nov 23" or "week of Nov 23"."""
    day = f"{start:%b} {start.day}"
    if bucket == "hour":
        return f"{day} {start:%H:00}"
    return f"week of {day}" if bucket == "week" else f"{day} {start.year}"


@dataclass(frozen=True, slots=True)
class Axis:
    """A timeline's bucket and the ticks of its time axis, as (slot, label)."""

    bucket: PageBucket
    points: list[TimePoint]
    ticks: list[tuple[int, str]]
    slots: int = 0


def timeline_points(
    points: Sequence[TimelinePoint],
    *,
    start: datetime | None,
    end: datetime | None,
    finest: PageBucket = "hour",
) -> Axis:
    """Buckets merged into the bucket the range calls for (never finer than `finest`, the
    data's own), each placed by its time so gaps show, with readable axis ticks."""
    first = start or (points[0].start if points else None)
    last = end or (points[-1].start if points else None)
    bucket = max(bucket_for(first, last), finest, key=list(BUCKET_WIDTH).index)
    merged: dict[datetime, tuple[int, float, int]] = {}
    for point in points:
        key = _bucket_start(point.start, bucket)
        count, total, scored = merged.get(key, (0, 0.0, 0))
        if point.mean_compound is not None:
            total += point.mean_compound * point.reactions
            scored += point.reactions
        merged[key] = (count + point.reactions, total, scored)
    if not merged:
        return Axis(bucket=bucket, points=[], ticks=[], slots=0)
    width = BUCKET_WIDTH[bucket]
    origin = min(_bucket_start(start, bucket), min(merged)) if start else min(merged)
    final = max(merged)
    if end is not None:
        final = max(final, _bucket_start(end - timedelta(microseconds=1), bucket))
    shown = [
        TimePoint(
            label=bucket_label(key, bucket),
            reactions=count,
            mean=round(total / scored, 4) if scored else None,
            slot=(key - origin) // width,
        )
        for key, (count, total, scored) in sorted(merged.items())
    ]
    slots = (final - origin) // width + 1
    step = next((s for s in TICK_STEPS[bucket] if slots / s <= MAX_TICKS), -(-slots // MAX_TICKS))
    ticks = [(slot, bucket_label(origin + slot * width, bucket)) for slot in range(0, slots, step)]
    return Axis(bucket=bucket, points=shown, ticks=ticks, slots=min(slots, MAX_SLOTS))


def affiliation_of(role: str | None) -> str | None:
    """The organisation named at the end of a role as written ("a partner at Oakline Capital"
    is Oakline Capital); None when the role names none ("a professor of computer science")."""
    if not role:
        return None
    found = _AFFILIATION.search(role.strip().rstrip("."))
    if found is None:
        return None
    name = found.group(1)
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE).strip() or None


@dataclass(frozen=True, slots=True)
class Voice:
    """One row of share of voice: who or where, their reactions, share and mean."""

    name: str
    reactions: int
    share: float
    share_text: str
    mean: float | None
    href: str | None


def _voice(name: str, count: int, total: float, *, of: int, href: str | None) -> Voice:
    """A share-of-voice row from a count and a compound sum."""
    share = count / of if of else 0.0
    return Voice(
        name=name,
        reactions=count,
        share=share,
        share_text=f"{100 * share:.1f}%",
        mean=round(total / count, 4) if count else None,
        href=href,
    )


def person_voices(tallies: Sequence[PersonTally], *, total: int, limit: int) -> list[Voice]:
    """Share of voice per person, from the summary's people (most reactions first)."""
    return [
        _voice(
            t.person.name,
            t.reactions,
            t.mean_compound * t.reactions,
            of=total,
            href=f"/people/{t.person.id}",
        )
        for t in tallies[:limit]
    ]


def organisation_voices(
    tallies: Sequence[PersonTally],
    *,
    roles: Mapping[int, str],
    kinds: Mapping[int, str],
    total: int,
    limit: int,
) -> list[Voice]:
    """Share of voice per organisation: an organisation speaking for itself, or the affiliation
    in a person's latest role as written; people with neither are left out."""
    folded: dict[str, tuple[str, int, float]] = {}
    for tally in tallies:
        if kinds.get(tally.person.id) == "organisation":
            name: str | None = tally.person.name
        else:
            name = affiliation_of(roles.get(tally.person.id))
        if name is None:
            continue
        key = name.casefold()
        shown, count, compound = folded.get(key, (name, 0, 0.0))
        folded[key] = (
            shown,
            count + tally.reactions,
            compound + tally.mean_compound * tally.reactions,
        )
    ranked = sorted(folded.values(), key=lambda row: (-row[1], row[0].casefold()))[:limit]
    return [_voice(name, count, compound, of=total, href=None) for name, count, compound in ranked]


def outlet_voices(counts: Sequence[VoiceCount], *, total: int) -> list[Voice]:
    """Share of voice per outlet, from the event's outlet tallies."""
    return [
        _voice(c.key, c.reactions, c.compound_sum, of=total, href=None) for c in counts if c.key
    ]
