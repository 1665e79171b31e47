"""The dashboard in a real browser (Debian's Chromium): figures, sorting and live updates."""

from typing import TYPE_CHECKING

import httpx
import pytest

from service.dashboard.charts import signed
from tests.dashboard.conftest import Site, screenshot, wait_until
from tests.factories import AUTH

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.postgres

NORTHWIND = 1
LIVE_QUOTE = "A wonderful, brilliant and inspiring choice <script>window.pwned = 1</script>"
LIVE_DOCUMENT = {
    "title": "Northwind Labs names a new chief scientist",
    "url": "https://example.com/news/northwind-new-chief",
    "source": "The Dashboard Test",
    "text": (
        "Northwind Labs named Ruth Okonjo as its new chief scientist on Friday.\n\n"
        f"“{LIVE_QUOTE},” said Dana Whitfield, a partner at Oakline Capital."
    ),
}


def figures(page: "Page", scope: str = "") -> dict[str, str]:
    """The text of every `data-figure` element (inside `scope`), by name."""
    found: dict[str, str] = page.eval_on_selector_all(
        f"{scope} [data-figure]",
        "els => Object.fromEntries(els.map(e => [e.dataset.figure, e.textContent.trim()]))",
    )
    return found


def column(page: "Page", index: int) -> list[str]:
    """The texts of one column of the people table, top to bottom."""
    texts: list[str] = page.eval_on_selector_all(
        f"#people tbody tr td:nth-child({index})", "cells => cells.map(c => c.textContent.trim())"
    )
    return texts


def expected_event_figures(summary: dict[str, object]) -> dict[str, str]:
    """What the event page must show for an API summary."""
    sentiment = summary["sentiment"]
    assert isinstance(sentiment, dict)
    return {
        "reactions": str(summary["reactions"]),
        "people": str(summary["people"]),
        "documents": str(summary["documents"]),
        "sources": str(summary["sources"]),
        "mean": signed(sentiment["mean"]),
        "median": signed(sentiment["median"]),
        "positive": str(sentiment["positive"]),
        "neutral": str(sentiment["neutral"]),
        "negative": str(sentiment["negative"]),
        "version": str(summary["version"]),
    }


def test_events_list_shows_the_api_figures_newest_first_and_searches(
    site: Site, page: "Page"
) -> None:
    """Each row's reactions, people and mean equal the API's; the search box filters."""
    page.goto(site.url + "/")
    events = site.get("/v1/events")["items"]
    newest_first = sorted(events, key=lambda e: (e["last_activity_at"], e["id"]), reverse=True)
    shown = page.eval_on_selector_all(
        "#events tbody tr", "rows => rows.map(r => r.dataset.eventId)"
    )
    assert shown == [str(e["id"]) for e in newest_first]
    for event in events:
        summary = site.get(f"/v1/events/{event['id']}/summary")
        row = figures(page, f'#events tr[data-event-id="{event["id"]}"]')
        assert row == {
            "reactions": str(summary["reactions"]),
            "people": str(summary["people"]),
            "mean": signed(summary["sentiment"]["mean"]),
        }
    assert page.locator("#events svg.bar").count() == len(events)
    screenshot(page, "events")
    page.fill("#q", "aurora")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=aurora")
    titles = page.locator("#events tbody tr a").all_text_contents()
    assert titles == ["Solstice Systems releases the Aurora 2 open model"]
    screenshot(page, "events-search")


def test_event_page_shows_the_api_figures_and_sorts_people(site: Site, page: "Page") -> None:
    """Cards, label counts, people and top quotes equal the API; the people table sorts."""
    summary = site.get(f"/v1/events/{NORTHWIND}/summary")
    page.goto(f"{site.url}/events/{NORTHWIND}")
    shown = figures(page, "#live")
    assert {k: shown[k] for k in expected_event_figures(summary)} == expected_event_figures(summary)
    assert column(page, 1) == [p["person"]["name"] for p in summary["by_person"]]
    assert column(page, 3) == [str(p["reactions"]) for p in summary["by_person"]]
    assert page.locator("#top-positive .quote > :first-child").all_text_contents() == [
        r["quote"] for r in summary["top_positive"]
    ]
    links = page.locator("#top-negative a.source").evaluate_all("as => as.map(a => a.href)")
    assert links == [r["first_url"] for r in summary["top_negative"]]
    assert page.locator(".charts svg.chart, #timeline svg.chart").count() == 3
    screenshot(page, "event")

    page.click('#people th[data-sort-key="name"] button')
    names = column(page, 1)
    assert names == sorted(names, key=str.lower)
    assert page.get_attribute('#people th[data-sort-key="name"]', "aria-sort") == "ascending"
    page.click('#people th[data-sort-key="name"] button')
    assert column(page, 1) == sorted(names, key=str.lower, reverse=True)
    page.click('#people th[data-sort-key="mean"] button')
    means = [
        float(v)
        for v in page.eval_on_selector_all(
            "#people tbody tr td:nth-child(4)", "cells => cells.map(c => c.dataset.sortValue)"
        )
    ]
    assert means == sorted(means, reverse=True)
    screenshot(page, "event-sorted-by-mean")


def test_event_page_updates_live_when_a_document_arrives(site: Site, page: "Page") -> None:
    """Posting a document changes the figures through the stream, with no reload; its quote
    (which contains a script tag) shows as text and never runs."""
    page.goto(f"{site.url}/events/{NORTHWIND}")
    page.evaluate("window.loadedOnce = true")
    page.wait_for_selector("#live-status.on")
    page.click('#people th[data-sort-key="name"] button')
    before = site.get(f"/v1/events/{NORTHWIND}/summary")

    response = httpx.post(f"{site.url}/v1/documents", json=LIVE_DOCUMENT, headers=AUTH, timeout=10)
    assert response.status_code == 202
    wait_until(
        lambda: site.get(f"/v1/events/{NORTHWIND}/summary")["version"] > before["version"],
        timeout=20,
        what="the new document in the summary",
    )
    after = site.get(f"/v1/events/{NORTHWIND}/summary")
    assert after["reactions"] > before["reactions"]
    page.wait_for_function(
        "v => document.querySelector('#live [data-figure=version]').textContent === v",
        arg=str(after["version"]),
    )
    assert page.evaluate("window.loadedOnce") is True  # the same document: no reload
    assert page.evaluate("typeof window.pwned") == "undefined"
    shown = figures(page, "#live")
    assert {k: shown[k] for k in expected_event_figures(after)} == expected_event_figures(after)
    assert "Dana Whitfield" in column(page, 1)
    names = column(page, 1)
    assert names == sorted(names, key=str.lower)  # the chosen sort survives the update
    quotes = page.locator("#top-positive .quote > :first-child").all_text_contents()
    assert any("<script>window.pwned = 1</script>" in quote for quote in quotes)
    assert page.locator("#top-positive script").count() == 0
    assert "updated to version" in (page.text_content("#live-status") or "")
    screenshot(page, "event-live")


def test_person_page_shows_the_api_figures_and_quotes(site: Site, page: "Page") -> None:
    """Reactions, mean and per-event rows equal the API's; quotes link to their articles."""
    top = site.get(f"/v1/events/{NORTHWIND}/summary")["by_person"][0]["person"]
    person = site.get(f"/v1/people/{top['id']}")
    page.goto(f"{site.url}/events/{NORTHWIND}")
    page.click(f'#people a[href="/people/{top["id"]}"]')
    page.wait_for_url(f"**/people/{top['id']}")
    shown = figures(page)
    assert shown["reactions"] == str(person["reactions"])
    assert shown["mean"] == signed(person["sentiment"]["mean"])
    assert shown["positive"] == str(person["sentiment"]["positive"])
    titles = page.locator("#person-events tbody a").all_text_contents()
    assert titles == [e["title"] for e in person["events"]]
    quotes = site.get(f"/v1/people/{top['id']}/reactions")["items"]
    shown_quotes = page.locator(".quotes .quote > :first-child").all_text_contents()
    assert shown_quotes == [q["quote"] for q in quotes]
    hrefs = page.locator(".quotes a.source").evaluate_all("as => as.map(a => a.href)")
    assert all(href.startswith("https://example.com/") for href in hrefs)
    assert page.locator("svg.chart").count() == 2
    screenshot(page, "person")
