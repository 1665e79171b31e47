"""The event page's controls, timeline buckets, share of voice and text marks (no server)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from schemas.summaries import PersonTally, TimelinePoint
from service.dashboard import browse, charts, listing
from service.dashboard.listing import ListQuery
from tests.dashboard import samples
from usecases.errors import InvalidInputError

START = datetime(2026, 11, 23, 14, tzinfo=UTC)


def _points(*hours: int) -> list[TimelinePoint]:
    """Hourly summary buckets at these offsets from START, one reaction each."""
    return [
        TimelinePoint(start=START + timedelta(hours=h), reactions=1, mean_compound=0.5)
        for h in hours
    ]


def test_the_controls_round_trip_through_the_url_and_the_export() -> None:
    """Defaults are left out of the URL; the export takes the API's names and an exclusive end."""
    query = listing.list_query(
        since=date(2026, 11, 20),
        until=date(2026, 11, 23),
        label="negative",
        person="4",
        role="  chief   executive ",
        organisation="",
        outlet=None,
        sort="-compound",
        page=2,
    )
    assert query.role == "chief executive"
    assert query.organisation is None
    assert query.url("/events/1") == (
        "/events/1?since=2026-11-20&until=2026-11-23&label=negative&person=4"
        "&role=chief+executive&sort=-compound&page=2"
    )
    assert query.url("/events/1", page=1, label=None) == (
        "/events/1?since=2026-11-20&until=2026-11-23&person=4&role=chief+executive&sort=-compound"
    )
    assert query.export_query("csv") == (
        "format=csv&since=2026-11-20T00%3A00%3A00%2B00%3A00&until=2026-11-24T00%3A00%3A00%2B00%3A00"
        "&label=negative&person_id=4&role=chief+executive"
    )
    assert query.range_query() == "?since=2026-11-20&until=2026-11-23"
    assert ListQuery().url("/events/1") == "/events/1"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"label": "angry"}, "label"),
        ({"person": "12abc"}, "person"),
        ({"since": date(2026, 11, 3), "until": date(2026, 11, 2)}, "until"),
    ],
)
def test_bad_controls_are_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    """A label, person or range that cannot be is a 422 naming it."""
    arguments: dict[str, object] = {
        "since": None,
        "until": None,
        "label": None,
        "person": None,
        "role": None,
        "organisation": None,
        "outlet": None,
        "sort": "-time",
        "page": 1,
    }
    arguments.update(changes)
    with pytest.raises(InvalidInputError, match=field):
        listing.list_query(**arguments)  # type: ignore[arg-type]


def test_the_bucket_follows_the_range() -> None:
    """Hours up to 3 days, days up to 120, weeks beyond; never finer than the data."""
    assert listing.bucket_for(START, START + timedelta(days=3)) == "hour"
    assert listing.bucket_for(START, START + timedelta(days=4)) == "day"
    assert listing.bucket_for(START, START + timedelta(days=121)) == "week"
    axis = listing.timeline_points(_points(0, 1, 30), start=None, end=None)
    assert axis.bucket == "hour"
    assert [p.slot for p in axis.points] == [0, 1, 30]
    assert axis.points[0].label == "Nov 23 14:00"
    wide = listing.timeline_points(
        _points(0, 1, 30), start=START - timedelta(days=20), end=START + timedelta(days=10)
    )
    assert wide.bucket == "day"
    assert [(p.label, p.reactions) for p in wide.points] == [("Nov 23 2026", 2), ("Nov 24 2026", 1)]
    assert wide.slots == 31
    assert 3 <= len(wide.ticks) <= listing.MAX_TICKS
    weeks = listing.timeline_points(
        _points(0), start=START - timedelta(days=400), end=START, finest="day"
    )
    assert weeks.bucket == "week"
    assert weeks.points[0].label == "week of Nov 23"
    assert listing.timeline_points([], start=None, end=None).points == []


def test_means_merge_weighted_by_reactions() -> None:
    """Merging buckets keeps the mean of all their reactions."""
    points = [
        TimelinePoint(start=START, reactions=3, mean_compound=1.0),
        TimelinePoint(start=START + timedelta(hours=1), reactions=1, mean_compound=-1.0),
    ]
    axis = listing.timeline_points(points, start=START, end=START + timedelta(days=10))
    assert [(p.reactions, p.mean) for p in axis.points] == [(4, 0.5)]


@pytest.mark.parametrize(
    ("role", "organisation"),
    [
        ("a partner at Oakline Capital", "Oakline Capital"),
        ("chief executive of Northwind Labs.", "Northwind Labs"),
        ("head of APAC ecosystem at Hugging Face", "Hugging Face"),
        ("spokesperson, the Ministry of Health", "Ministry of Health"),
        ("a professor of computer science", None),
        ("senator", None),
        (None, None),
    ],
)
def test_the_affiliation_is_the_organisation_a_role_names(
    role: str | None, organisation: str | None
) -> None:
    """The capitalised name after at/of/for or a comma, at the end of the role."""
    assert listing.affiliation_of(role) == organisation


def test_organisation_voices_fold_people_by_affiliation_and_keep_organisations() -> None:
    """Two people of one organisation add up; an organisation speaking counts for itself."""
    tallies = [
        PersonTally.model_validate(
            {"person": {"id": i, "name": n}, "reactions": r, "mean_compound": m}
        )
        for i, n, r, m in (
            (1, "Ana Lima", 3, 0.5),
            (2, "Tomas Berg", 1, -0.5),
            (3, "Northwind Labs", 2, 0.0),
            (4, "Ines Duarte", 4, 0.1),
        )
    ]
    voices = listing.organisation_voices(
        tallies,
        roles={1: "analyst at Oakline Capital", 2: "a partner at OAKLINE Capital", 4: "researcher"},
        kinds={3: "organisation"},
        total=10,
        limit=10,
    )
    assert [(v.name, v.reactions, v.share_text, v.mean) for v in voices] == [
        ("Oakline Capital", 4, "40.0%", 0.25),
        ("Northwind Labs", 2, "20.0%", 0.0),
    ]


def test_known_totals_come_from_the_summary_only_when_it_holds_them() -> None:
    """No filter, a label or a listed person alone: the summary's count; else None."""
    summary = samples.summary()
    assert listing.known_total(ListQuery(), summary) == summary.reactions
    assert listing.known_total(ListQuery(label="positive"), summary) == summary.sentiment.positive
    person = summary.by_person[0]
    assert listing.known_total(ListQuery(person=person.person.id), summary) == person.reactions
    assert listing.known_total(ListQuery(person=999), summary) is None
    assert listing.known_total(ListQuery(role="analyst"), summary) is None
    assert listing.known_total(ListQuery(label="positive", person=3), summary) is None
    daily = listing.Voice("daily", 7, 0.7, "70.0%", 0.1, None)
    assert listing.known_total(ListQuery(outlet="daily"), summary, outlets=[daily]) == 7
    assert listing.known_total(ListQuery(outlet="wire"), summary, outlets=[daily]) is None


def test_highlight_marks_quote_cue_and_speaker_once_each() -> None:
    """The text is cut into runs that join back to it; the cue lemma marks its whole word."""
    text = "Intro. “A fine day,” described Ana Lima, a minister."
    quote_start = text.index("A fine")
    speaker_start = text.index("Ana")
    reaction = samples.reaction(
        quote="A fine day,",
        span=(quote_start, quote_start + len("A fine day,")),
        speaker_span=(speaker_start, speaker_start + len("Ana Lima")),
        cue="describe",
    )
    segments = browse.highlight(text, [reaction, reaction])
    assert "".join(s.text for s in segments) == text
    assert [(s.mark, s.text) for s in segments if s.mark] == [
        ("quote", "A fine day,"),
        ("cue", "described"),
        ("speaker", "Ana Lima"),
    ]


def test_one_reaction_is_one_modest_dot_and_many_stay_bounded() -> None:
    """The person chart's dot grows with the count up to a cap, centred on a short history."""
    one = charts.sentiment_dots(
        [charts.TimePoint(label="Nov 24 2026", reactions=1, mean=0.8, slot=0)], bucket="day"
    )
    assert one.count("<circle") == 1
    assert 'r="12"' in one
    many = charts.sentiment_dots(
        [
            charts.TimePoint(label=f"day {i}", reactions=1 + 999 * (i == 3), mean=0.1, slot=i)
            for i in range(10)
        ],
        bucket="day",
    )
    radii = [float(part.split('"')[0]) for part in many.split(' r="')[1:]]
    assert max(radii) == charts.MAX_DOT_RADIUS
    assert min(radii) < 4
