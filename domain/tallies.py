"""Pure summary arithmetic: tallies of counted reactions and the summary figures built from them.

The incremental path (the worker folding each reaction into `event_tallies`) and the recompute
path (`reactions recompute`, `since`/`until` filters) both go through `Tally` and
`TallySet.add`, so the two can be compared exactly.
"""

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from domain.moments import as_utc
from schemas.reactions import SentimentLabel
from schemas.summaries import LabelShares, RoleTally, Timeline, TimelineBucket, TimelinePoint

T = TypeVar("T")
TOTAL = ("total", "")
"""The (dimension, key) of an event's overall tally, kept beside its per-person ones."""
UNITS = 10_000
"""Compounds are summed as integers of 1/10,000 (VADER rounds to 4 places), so any order of
additions and removals gives the same totals: incremental and recomputed summaries agree."""
HOURLY_UP_TO = timedelta(hours=72)
MAX_TIMELINE_POINTS = 2000
MAX_BY_ROLE = 50
MAX_BY_PERSON = 200


def to_units(compound: float) -> int:
    """A compound in integer units of 1/10,000."""
    return round(compound * UNITS)


def mean_of_units(total: int, count: int) -> float:
    """`total / count` units as a compound, rounded half away from zero to 4 places, exactly."""
    magnitude = (2 * abs(total) + count) // (2 * count)
    return (magnitude if total >= 0 else -magnitude) / UNITS


@dataclass(slots=True)
class Tally:
    """Count, sum and sum of squares of compounds (integer units), and label counts."""

    reactions: int = 0
    sum_units: int = 0
    square_units: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    def add(self, compound: float, label: SentimentLabel) -> None:
        """Fold one reaction in."""
        units = to_units(compound)
        self.reactions += 1
        self.sum_units += units
        self.square_units += units * units
        self.positive += label == "positive"
        self.neutral += label == "neutral"
        self.negative += label == "negative"

    def merge(self, other: "Tally") -> None:
        """Fold another tally in."""
        self.reactions += other.reactions
        self.sum_units += other.sum_units
        self.square_units += other.square_units
        self.positive += other.positive
        self.neutral += other.neutral
        self.negative += other.negative

    @property
    def mean(self) -> float | None:
        """Mean compound, rounded to 4 places; None when empty."""
        return mean_of_units(self.sum_units, self.reactions) if self.reactions else None

    @property
    def stddev(self) -> float | None:
        """Population standard deviation of compound, rounded to 4 places; None when empty."""
        if not self.reactions:
            return None
        n = self.reactions
        variance_units = max(0, n * self.square_units - self.sum_units * self.sum_units)
        return round(math.sqrt(variance_units) / n / UNITS, 4)


class Countable(Protocol):
    """Anything that carries what the tallies read of a reaction (a membership, a stored row)."""

    @property
    def person_id(self) -> int | None: ...
    @property
    def compound(self) -> float: ...
    @property
    def label(self) -> SentimentLabel: ...
    @property
    def role(self) -> str | None: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def reacted_at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class CountedReaction:
    """The fields of a counted reaction that the tallies read."""

    person_id: int | None
    compound: float
    label: SentimentLabel
    role: str | None
    outlet: str | None
    reacted_at: datetime

    @classmethod
    def of(cls, reaction: Countable) -> "CountedReaction":
        """What the tallies read of a membership or stored row."""
        return cls(
            person_id=reaction.person_id,
            compound=reaction.compound,
            label=reaction.label,
            role=reaction.role,
            outlet=reaction.outlet,
            reacted_at=reaction.reacted_at,
        )


def hour_key(moment: datetime) -> str:
    """The ISO start of the UTC hour holding `moment` (naive times are taken as UTC)."""
    return _hour_down(moment).isoformat()


def role_key(role: str | None) -> str | None:
    """Roles as written, compared case- and space-insensitively."""
    return " ".join(role.lower().split())[:300] if role else None


def dimension_keys(reaction: CountedReaction) -> list[tuple[str, str]]:
    """The (dimension, key) tallies one counted reaction belongs to."""
    keys = [TOTAL, ("hour", hour_key(reaction.reacted_at))]
    if reaction.person_id is not None:
        keys.append(("person", str(reaction.person_id)))
    if (role := role_key(reaction.role)) is not None:
        keys.append(("role", role))
    if reaction.outlet:
        keys.append(("outlet", reaction.outlet[:300]))
    return keys


@dataclass(slots=True)
class TallySet:
    """All tallies of one event, by (dimension, key)."""

    tallies: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))

    def add(self, reaction: CountedReaction) -> None:
        """Fold a counted reaction into each of its dimensions."""
        for key in dimension_keys(reaction):
            self.tallies[key].add(reaction.compound, reaction.label)

    def of(self, dimension: str) -> dict[str, Tally]:
        """The non-empty tallies of one dimension, by key."""
        return {k: t for (d, k), t in self.tallies.items() if d == dimension and t.reactions}

    def total(self) -> Tally:
        """The event's overall tally."""
        return self.tallies.get(TOTAL) or Tally()


@dataclass(slots=True)
class Figures:
    """What a summary needs of the tallies: the total, the leading people and roles, the hours.

    Built in memory from a `TallySet` (time-range summaries) or by SQL from the stored tallies
    (the materialised summary), so a rebuild never walks every tally row in Python.
    """

    total: Tally
    people: int
    top_people: list[tuple[str, Tally]]
    top_roles: list[tuple[str, Tally]]
    hours: dict[str, Tally]
    names: dict[int, str] = field(default_factory=dict)


def figures_of(tallies: TallySet) -> Figures:
    """The figures of an in-memory tally set, ranked as the SQL path ranks them."""
    people = tallies.of("person")
    return Figures(
        total=tallies.total(),
        people=len(people),
        top_people=heapq.nsmallest(
            MAX_BY_PERSON, people.items(), key=lambda item: (-item[1].reactions, int(item[0]))
        ),
        top_roles=top_roles(tallies.of("role")),
        hours=tallies.of("hour"),
    )


def top_roles(roles: Mapping[str, Tally]) -> list[tuple[str, Tally]]:
    """The most frequent roles (folded keys), ties by key: the summary's `by_role` order."""
    return heapq.nsmallest(
        MAX_BY_ROLE, roles.items(), key=lambda item: (-item[1].reactions, item[0])
    )


def fold_roles(written: Iterable[tuple[str, Tally]]) -> dict[str, Tally]:
    """Tallies of roles as written, folded by case and spaces (`role_key`) as the tallies are."""
    folded: dict[str, Tally] = defaultdict(Tally)
    for role, tally in written:
        key = role_key(role)
        if key is not None:
            folded[key].merge(tally)
    return dict(folded)


def total_of(tallies: Iterable[Tally]) -> Tally:
    """The sum of tallies (e.g. of every hour of a range)."""
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total


@dataclass(frozen=True, slots=True)
class HourSplit:
    """A time range cut into the whole UTC hours it covers (hour keys from `first` up to `end`,
    excluded; None for no bound) and the parts of hours at its edges, as [since, until) spans;
    `whole` is False when the range lies within one hour (then the only edge is the range)."""

    first: str | None
    end: str | None
    edges: list[tuple[datetime | None, datetime | None]]
    whole: bool = True


def split_hours(since: datetime | None, until: datetime | None) -> HourSplit:
    """The whole hours of [since, until) and its partial edges, so a range's total and hours can
    be summed from the hourly tallies plus the few reactions of its edges."""
    start = _hour_up(since) if since is not None else None
    stop = _hour_down(until) if until is not None else None
    if start is not None and stop is not None and start >= stop:
        return HourSplit(first=None, end=None, edges=[(since, until)], whole=False)
    edges: list[tuple[datetime | None, datetime | None]] = []
    if since is not None and start is not None and start != as_utc(since):
        edges.append((since, start))
    if until is not None and stop is not None and stop != as_utc(until):
        edges.append((stop, until))
    return HourSplit(
        first=start.isoformat() if start is not None else None,
        end=stop.isoformat() if stop is not None else None,
        edges=edges,
    )


def _hour_down(moment: datetime) -> datetime:
    """The start of the UTC hour holding `moment`."""
    return as_utc(moment).astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _hour_up(moment: datetime) -> datetime:
    """The first UTC hour start at or after `moment`."""
    down = _hour_down(moment)
    return down if down == as_utc(moment) else down + timedelta(hours=1)


def tally_set(reactions: Iterable[CountedReaction]) -> TallySet:
    """Tallies of a stream of counted reactions."""
    result = TallySet()
    for reaction in reactions:
        result.add(reaction)
    return result


def timeline(hours: Mapping[str, Tally]) -> Timeline:
    """Hourly buckets when the reactions span at most 72 hours, else daily; count and mean."""
    if not hours:
        return Timeline(bucket="hour", points=[])
    starts = sorted(hours)
    span = datetime.fromisoformat(starts[-1]) - datetime.fromisoformat(starts[0])
    bucket: TimelineBucket = "hour" if span <= HOURLY_UP_TO else "day"
    merged: dict[str, Tally] = defaultdict(Tally)
    for start in starts:
        key = start if bucket == "hour" else start[:10] + "T00:00:00+00:00"
        merged[key].merge(hours[start])
    points = [
        TimelinePoint(
            start=datetime.fromisoformat(key), reactions=tally.reactions, mean_compound=tally.mean
        )
        for key, tally in sorted(merged.items())
    ]
    return Timeline(bucket=bucket, points=points[-MAX_TIMELINE_POINTS:])


def by_role(ranked: Iterable[tuple[str, Tally]]) -> list[RoleTally]:
    """The most frequent roles as written, with their reaction count and mean compound."""
    return [
        RoleTally(role=role, reactions=tally.reactions, mean_compound=tally.mean)
        for role, tally in ranked
    ]


def label_shares(total: Tally) -> LabelShares:
    """The share of each label among the counted reactions (0 when there are none)."""
    count = total.reactions or 1
    return LabelShares(
        positive=round(total.positive / count, 4),
        neutral=round(total.neutral / count, 4),
        negative=round(total.negative / count, 4),
    )


def median(values: list[float]) -> float | None:
    """The median of sorted values, rounded to 4 places."""
    if not values:
        return None
    middle = len(values) // 2
    pair = values[middle - 1 : middle + 1] if len(values) % 2 == 0 else values[middle : middle + 1]
    return round(sum(pair) / len(pair), 4)


def merge_ranked(
    ranked: Sequence[T],
    updated: Sequence[T],
    *,
    order: Callable[[T], Any],
    identity: Callable[[T], Hashable],
    limit: int,
) -> list[T]:
    """The first `limit` items by `order` after the `updated` items (new or grown) join `ranked`.

    Exact when only the updated items changed and none of them moved down: an item outside the
    old top `limit` that was not updated cannot have climbed into it.
    """
    changed = {identity(item) for item in updated}
    kept = [item for item in ranked if identity(item) not in changed]
    return heapq.nsmallest(limit, [*kept, *updated], key=order)


def median_shift(
    count: int, cursor: tuple[float, int], *, added: Iterable[tuple[float, int]]
) -> int:
    """How many places the lower middle of `count` sorted keys moves once `added` keys join.

    `cursor` is the old lower middle (the key at (count - 1) // 2). It moves up by the added
    keys sorting before it, and the middle itself moves to (new count - 1) // 2: the result is
    the offset of the new lower middle from the cursor in the new order (negative: before it).
    """
    keys = list(added)
    before = sum(1 for key in keys if key < cursor)
    return (count + len(keys) - 1) // 2 - ((count - 1) // 2 + before)
