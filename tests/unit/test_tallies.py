"""The pure summary arithmetic: tallies, medians, timelines and ranked merges."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from domain.tallies import (
    CountedReaction,
    HourSplit,
    Tally,
    hour_key,
    median,
    median_shift,
    merge_ranked,
    split_hours,
    tally_set,
    timeline,
)
from schemas.reactions import SentimentLabel


def reaction(person: int, compound: float, label: SentimentLabel, hour: int) -> CountedReaction:
    """A counted reaction at an hour of 3 March 2026 (UTC)."""
    return CountedReaction(
        person_id=person,
        compound=compound,
        label=label,
        role="Analyst" if person == 1 else None,
        outlet="example.com",
        reacted_at=datetime(2026, 3, 3, hour, 30, tzinfo=UTC),
    )


def test_tallies_mean_stddev_dimensions_and_timeline() -> None:
    tallies = tally_set(
        [
            reaction(1, 0.5, "positive", 9),
            reaction(1, -0.5, "negative", 9),
            reaction(2, 0.0, "neutral", 11),
        ]
    )
    total = tallies.total()
    assert (total.reactions, total.positive, total.neutral, total.negative) == (3, 1, 1, 1)
    assert total.mean == 0.0
    assert total.stddev == pytest.approx(0.4082, abs=1e-4)
    assert set(tallies.of("person")) == {"1", "2"}
    assert tallies.of("role")["analyst"].reactions == 2
    assert tallies.of("outlet")["example.com"].reactions == 3
    line = timeline(tallies.of("hour"))
    assert line.model_dump(mode="json") == {
        "bucket": "hour",
        "points": [
            {"start": "2026-03-03T09:00:00Z", "reactions": 2, "mean_compound": 0.0},
            {"start": "2026-03-03T11:00:00Z", "reactions": 1, "mean_compound": 0.0},
        ],
    }


def test_timeline_turns_daily_past_three_days() -> None:
    start = datetime(2026, 3, 1, 10, tzinfo=UTC)
    hours = {
        hour_key(start + timedelta(days=d)): Tally(reactions=1, sum_units=2000) for d in range(5)
    }
    line = timeline(hours)
    assert line.bucket == "day"
    assert len(line.points) == 5


def test_median_and_empty_cases() -> None:
    assert median([-0.5, 0.0, 0.9]) == 0.0
    assert median([-0.5, 0.1, 0.3, 0.9]) == 0.2
    assert median([]) is None
    assert Tally().mean is None
    assert Tally().stddev is None
    assert hour_key(datetime(2026, 3, 3, 9, 59)) == "2026-03-03T09:00:00+00:00"


def test_merge_ranked_keeps_the_top_when_some_items_grow() -> None:
    counts = {"a": 9, "b": 7, "c": 5, "d": 4, "e": 1}
    order = lambda item: (-item[1], item[0])  # noqa: E731
    top3 = merge_ranked([], list(counts.items()), order=order, identity=lambda i: i[0], limit=3)
    assert top3 == [("a", 9), ("b", 7), ("c", 5)]
    # "e" (outside the top) grows past "b", "a" grows, and a newcomer "f" ties "e" (name decides):
    # "b" and "c" drop out although nothing about them changed.
    grown = [("e", 8), ("a", 10), ("f", 8)]
    merged = merge_ranked(top3, grown, order=order, identity=lambda i: i[0], limit=3)
    assert merged == [("a", 10), ("e", 8), ("f", 8)]


def test_median_shift_moves_the_cursor_to_the_new_lower_middle() -> None:
    rng = random.Random(5)
    keys = sorted((round(rng.uniform(-1, 1), 1), i) for i in range(15))
    for _ in range(200):
        added = [(round(rng.uniform(-1, 1), 1), len(keys) + j) for j in range(rng.randrange(6))]
        cursor = keys[(len(keys) - 1) // 2]
        shift = median_shift(len(keys), cursor, added=added)
        keys = sorted([*keys, *added])
        assert keys.index(cursor) + shift == (len(keys) - 1) // 2


def test_split_hours_cuts_a_range_into_whole_hours_and_partial_edges() -> None:
    day = datetime(2026, 11, 21, tzinfo=UTC)
    whole = split_hours(day, day + timedelta(days=1))
    assert (whole.first, whole.end, whole.edges, whole.whole) == (
        "2026-11-21T00:00:00+00:00",
        "2026-11-22T00:00:00+00:00",
        [],
        True,
    )
    since, until = day + timedelta(minutes=30), day + timedelta(hours=5, minutes=10)
    ragged = split_hours(since, until)
    assert (ragged.first, ragged.end) == ("2026-11-21T01:00:00+00:00", "2026-11-21T05:00:00+00:00")
    assert ragged.edges == [(since, day + timedelta(hours=1)), (day + timedelta(hours=5), until)]
    inside = split_hours(since, since + timedelta(minutes=10))
    assert (inside.whole, inside.edges) == (False, [(since, since + timedelta(minutes=10))])
    assert split_hours(None, None) == HourSplit(first=None, end=None, edges=[])
