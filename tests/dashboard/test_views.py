"""View models: plain functions from events, summaries and people to what the pages show."""

from datetime import UTC, datetime

import pytest

from service.dashboard import views
from tests.dashboard import samples


def test_events_are_listed_newest_activity_first_and_filtered() -> None:
    """Search matches title or keyword in any case; naive and aware times sort together."""
    older = samples.event(event_id=1, title="Budget vote", keywords=["budget"])
    newer = samples.event(
        event_id=2,
        title="Aurora 2 release",
        last_activity_at=datetime(2026, 11, 25, 9, 0),  # naive: taken as UTC
    )
    newest = samples.event(
        event_id=3,
        title="Strike",
        keywords=["strike"],
        last_activity_at=datetime(2026, 11, 26, tzinfo=UTC),
    )
    everything = [older, newer, newest]
    assert [e.id for e in views.select_events(everything, query=None, limit=10)] == [3, 2, 1]
    assert [e.id for e in views.select_events(everything, query="  BUDGET ", limit=10)] == [1]
    assert [e.id for e in views.select_events(everything, query="aurora", limit=10)] == [2]
    assert [e.id for e in views.select_events(everything, query=None, limit=2)] == [3, 2]


def test_event_rows_show_the_stored_totals() -> None:
    """Counts come from the summary; an event without one shows zeros and a dash."""
    stored = samples.summary().model_dump(mode="json")
    rows = views.event_rows([samples.event(event_id=1), samples.event(event_id=2)], {1: stored})
    assert (rows[0].reactions, rows[0].people, rows[0].mean) == (5, 3, "+0.12")
    assert (rows[0].positive, rows[0].neutral, rows[0].negative) == (3, 1, 1)
    assert (rows[1].reactions, rows[1].mean) == (0, "–")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/a?b=1", "https://news.example/a?b=1"),
        ("  http://news.example/a ", "http://news.example/a"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>", None),
        ("/relative/path", None),
        ("https://", None),
        (None, None),
    ],
)
def test_only_absolute_http_links_are_kept(url: str | None, expected: str | None) -> None:
    """Links to articles never carry a script or data URL."""
    assert views.safe_href(url) == expected


def test_quote_without_a_safe_url_links_to_its_document_in_the_api() -> None:
    """A pushed document without URL (or a hostile one) links to `/v1/documents/{id}`."""
    quote = views.quote_view(samples.reaction(), url="javascript:alert(1)")
    assert (quote.href, quote.source) == ("/v1/documents/7", "document 7")
    linked = views.quote_view(samples.reaction(), url="https://www.news.example/a")
    assert (linked.href, linked.source) == ("https://www.news.example/a", "news.example")


def test_event_page_shows_the_summary_figures() -> None:
    """Cards, label shares, people with roles, timeline and top quotes follow the summary."""
    page = views.event_page(
        samples.event(), samples.summary(), roles={3: "a researcher at Harbor AI"}
    )
    cards = {card.key: card.value for card in page.cards}
    assert cards["reactions"] == "5"
    assert cards["people"] == "3"
    assert cards["documents"] == "2"
    assert cards["sources"] == "2"
    assert cards["mean"] == "+0.12"
    assert cards["median"] == "+0.20"
    assert cards["stddev"] == "0.50"
    assert cards["first"] == "2026-11-23 14:05 UTC"
    assert [(f.label, f.count, f.share) for f in page.labels] == [
        ("positive", 3, "60.0%"),
        ("neutral", 1, "20.0%"),
        ("negative", 1, "20.0%"),
    ]
    assert [(p.name, p.role, p.tone) for p in page.people] == [
        ("Ines Duarte", "a researcher at Harbor AI", "positive"),
        ("Tomas Berg", "", "negative"),
        ("Ana Lima", "", "neutral"),
    ]
    assert [(t.label, t.reactions, t.slot) for t in page.timeline] == [
        ("Nov 23 14:00", 4, 0),
        ("Nov 23 15:00", 1, 1),
    ]
    assert page.top_positive[0].href == "https://news.example/aurora"
    assert page.top_negative[0].href == "/v1/documents/7"
    assert page.version == 4


def test_empty_event_page_has_dashes_not_errors() -> None:
    """A new event (version 0, no reactions) renders with dashes and empty lists."""
    empty = samples.summary(
        version=0,
        reactions=0,
        people=0,
        documents=0,
        sources=0,
        first_reaction_at=None,
        last_reaction_at=None,
        sentiment={
            "mean": None,
            "median": None,
            "stddev": None,
            "positive": 0,
            "neutral": 0,
            "negative": 0,
            "shares": {"positive": 0.0, "neutral": 0.0, "negative": 0.0},
        },
        by_person=[],
        by_role=[],
        timeline={"bucket": "hour", "points": []},
        top_positive=[],
        top_negative=[],
    )
    page = views.event_page(samples.event(), empty, roles={})
    cards = {card.key: card.value for card in page.cards}
    assert (cards["mean"], cards["stddev"], cards["first"]) == ("–", "–", "–")
    assert [f.share for f in page.labels] == ["–", "–", "–"]
    assert page.people == []
    assert page.timeline == []


def test_person_page_shows_events_days_and_quotes() -> None:
    """Aliases other than the name, per-event means, days and quotes with their links."""
    page = views.person_page(
        samples.person(),
        [samples.reaction()],
        urls={7: "https://news.example/aurora"},
        next_after=None,
    )
    assert page.aliases == ["Duarte"]
    assert [(e.title, e.mean_text, e.tone) for e in page.events] == [
        ("Aurora 2 release", "+0.50", "positive"),
        ("Northwind exit", "−0.30", "negative"),
    ]
    assert {card.key: card.value for card in page.cards}["mean"] == "+0.30"
    assert [(t.label, t.slot) for t in page.timeline] == [("Nov 23 2026", 0), ("Nov 24 2026", 1)]
    assert page.quotes[0].href == "https://news.example/aurora"


def test_times_are_shown_in_utc() -> None:
    """Aware times are converted to UTC; naive ones are taken as UTC."""
    assert views.when(datetime(2026, 1, 2, 3, 4)) == "2026-01-02 03:04 UTC"
    assert views.when(None) == "–"
