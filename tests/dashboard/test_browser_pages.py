"""Round 2 of the dashboard in Debian's Chromium: the event's reaction list (filters, order,
pages, export, kinds, unresolved speakers), the date range, share of voice, the people index
and person page, a document with its reactions marked, and the sources."""

import csv
import io
import json
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx
import pytest

from service.dashboard.charts import signed
from tests.dashboard.conftest import Site, screenshot, wait_until
from tests.factories import AUTH

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.postgres

NORTHWIND = 1


def api_rows(site: Site, **params: Any) -> list[dict[str, Any]]:
    """Every counted reaction of the Northwind event passing the API's filter."""
    query = urlencode({"limit": 200, **params})
    rows: list[dict[str, Any]] = site.get(f"/v1/events/{NORTHWIND}/reactions?{query}")["items"]
    return rows


def shown_ids(page: "Page") -> list[int]:
    """The reaction ids of the list, top to bottom."""
    ids: list[str] = page.eval_on_selector_all(
        "#reaction-list > li", "items => items.map(i => i.dataset.reactionId)"
    )
    return [int(i) for i in ids]


def compound_of(text: str) -> float:
    """A shown compound ("−0.31") as a number."""
    return float(text.replace("−", "-"))


def apply_filters(page: "Page") -> None:
    """Submit the list's filter form and wait for the page it loads."""
    with page.expect_navigation():
        page.click("#f-apply")


def test_the_reaction_list_filters_sorts_and_pages_with_the_filter_in_the_url(
    site: Site, page: "Page"
) -> None:
    """Every reaction is reachable (the 5 neutral ones too), 10 a page; filters and order are
    in the URL, and each filtered count equals the API's."""
    everything = api_rows(site)
    assert sum(r["sentiment"]["label"] == "neutral" for r in everything) > 0
    page.goto(f"{site.url}/events/{NORTHWIND}?size=10")
    assert page.text_content("[data-list=total]") == str(len(everything))
    first = shown_ids(page)
    assert len(first) == 10
    page.click("#page-next")
    page.wait_for_url("**page=2**")
    assert "size=10" in page.url
    second = shown_ids(page)
    assert sorted(first + second) == sorted(r["id"] for r in everything)
    screenshot(page, "event-list-page-2")

    page.select_option("#f-sort", "-compound")
    page.select_option("#f-label", "negative")
    apply_filters(page)
    assert "sort=-compound" in page.url
    assert "label=negative" in page.url
    negatives = api_rows(site, label="negative")
    assert sorted(shown_ids(page)) == sorted(r["id"] for r in negatives)
    scores = [
        compound_of(v)
        for v in page.eval_on_selector_all(
            "#reaction-list > li", "items => items.map(i => i.dataset.compound)"
        )
    ]
    assert scores == sorted(scores, reverse=True)
    assert all(s <= -0.05 for s in scores)
    screenshot(page, "event-list-negative")

    shared = page.url
    other = page.context.new_page()
    other.goto(shared)
    assert shown_ids(other) == shown_ids(page)
    other.close()

    role_word = next(r["role"] for r in everything if r["role"]).split()[-1]
    page.goto(f"{site.url}/events/{NORTHWIND}")
    page.fill("#f-role", role_word.upper())
    apply_filters(page)
    with_role = sorted(
        r["id"] for r in everything if role_word.lower() in (r["role"] or "").lower()
    )
    assert sorted(shown_ids(page)) == with_role
    assert page.text_content("[data-list=total]") == str(len(with_role))
    assert sorted(r["id"] for r in api_rows(site, role=role_word)) == with_role
    assert page.locator("#reaction-list > li").count() > 0

    page.goto(f"{site.url}/events/{NORTHWIND}")
    page.fill("#f-organisation", "northwind")
    apply_filters(page)
    kinds = {p["id"]: p["kind"] for p in site.get("/v1/people?limit=200")["items"]}
    by_organisation = sorted(
        r["id"]
        for r in everything
        if "northwind" in (r["role"] or "").lower()
        or (
            r["person"]
            and kinds.get(r["person"]["id"]) == "organisation"
            and "northwind" in r["person"]["name"].lower()
        )
    )
    assert by_organisation
    assert sorted(shown_ids(page)) == by_organisation
    assert sorted(r["id"] for r in api_rows(site, organisation="Northwind")) == by_organisation

    outlet = page.eval_on_selector("#f-outlet option:nth-child(2)", "o => o.value")
    page.select_option("#f-outlet", outlet)
    person = page.eval_on_selector("#f-person option:nth-child(2)", "o => o.value")
    page.select_option("#f-person", person)
    page.fill("#f-organisation", "")
    apply_filters(page)
    expected = api_rows(site, outlet=outlet, person_id=person)
    assert {r["person"]["id"] for r in expected} <= {int(person)}
    assert len(expected) == sum(
        1 for r in api_rows(site, outlet=outlet) if r["person"] and r["person"]["id"] == int(person)
    )
    assert sorted(shown_ids(page)) == sorted(r["id"] for r in expected)
    assert page.text_content("[data-list=total]") == str(len(expected))


def test_kinds_show_without_quote_marks_on_paraphrases_and_descriptions_are_text(
    site: Site, page: "Page"
) -> None:
    """Indirect reactions are plain paragraphs, direct ones get quote marks; a speaker the
    article only describes is text, not a link."""
    everything = api_rows(site)
    page.goto(f"{site.url}/events/{NORTHWIND}?size=100")
    kinds = page.eval_on_selector_all(
        "#reaction-list > li",
        "items => items.map(i => [Number(i.dataset.reactionId), i.dataset.kind])",
    )
    assert dict(kinds) == {r["id"]: r["kind"] for r in everything}
    indirect = [r for r in everything if r["kind"] == "indirect"]
    assert indirect
    for reaction in indirect:
        item = f'#reaction-list > li[data-reaction-id="{reaction["id"]}"]'
        assert page.locator(f"{item} blockquote").count() == 0
        before = page.eval_on_selector(
            f"{item} .paraphrase", "p => getComputedStyle(p, '::before').content"
        )
        assert before in ("none", "normal")
    direct = next(r for r in everything if r["kind"] == "direct")
    mark = page.eval_on_selector(
        f'#reaction-list > li[data-reaction-id="{direct["id"]}"] blockquote',
        "q => getComputedStyle(q, '::before').content",
    )
    assert mark == '"“"'
    described = next(r for r in everything if r["person"] is None)
    item = f'#reaction-list > li[data-reaction-id="{described["id"]}"]'
    assert page.locator(f"{item} a.speaker").count() == 0
    assert page.text_content(f"{item} span.speaker.unresolved") == described["speaker"]
    titles = page.locator(f"{item} a.source").all_text_contents()
    assert titles == [site.get(f"/v1/documents/{described['document_id']}")["title"]]
    screenshot(page, "event-list-kinds")


def test_export_buttons_download_the_filtered_rows_as_csv_and_json(
    site: Site, page: "Page"
) -> None:
    """The CSV and JSON links give exactly the filtered rows (the API's own export)."""
    page.goto(f"{site.url}/events/{NORTHWIND}?label=positive")
    expected = sorted(r["id"] for r in api_rows(site, label="positive"))
    with page.expect_download() as download_csv:
        page.click("#export-csv")
    text = download_csv.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(int(row["id"]) for row in rows) == expected
    assert {row["label"] for row in rows} == {"positive"}
    with page.expect_download() as download_json:
        page.click("#export-json")
    items = json.loads(download_json.value.path().read_text(encoding="utf-8"))
    assert sorted(item["id"] for item in items) == expected


def _day(text: str) -> date:
    """The UTC day of an API timestamp."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).date()


def test_the_date_range_drives_cards_distribution_timeline_and_list(
    site: Site, page: "Page"
) -> None:
    """A one-day range shows the API's ranged summary with hourly buckets; a wide range turns
    the timeline into days, then weeks, with more than two axis labels."""
    whole = site.get(f"/v1/events/{NORTHWIND}/summary")
    day = _day(whole["last_reaction_at"])
    page.goto(f"{site.url}/events/{NORTHWIND}")
    page.fill("#since", day.isoformat())
    page.fill("#until", day.isoformat())
    with page.expect_navigation():
        page.click("#range button[type=submit]")
    assert f"since={day}" in page.url
    assert f"until={day}" in page.url
    since, until = f"{day}T00:00:00Z", f"{day + timedelta(days=1)}T00:00:00Z"
    ranged = site.get(f"/v1/events/{NORTHWIND}/summary?since={since}&until={until}")
    assert 0 < ranged["reactions"] < whole["reactions"]
    shown = page.eval_on_selector_all(
        "#live [data-figure]",
        "els => Object.fromEntries(els.map(e => [e.dataset.figure, e.textContent.trim()]))",
    )
    assert shown["reactions"] == str(ranged["reactions"])
    assert shown["mean"] == signed(ranged["sentiment"]["mean"])
    for label in ("positive", "neutral", "negative"):
        assert shown[label] == str(ranged["sentiment"][label])
    assert page.get_attribute("#timeline", "data-bucket") == "hour"
    assert page.text_content("[data-list=total]") == str(ranged["reactions"])
    assert "since=" in (page.get_attribute("#live-status", "data-fragment") or "")
    page.wait_for_selector("#live-status.on")
    screenshot(page, "event-one-day")

    for days, bucket in ((30, "day"), (400, "week")):
        start = day - timedelta(days=days)
        page.goto(f"{site.url}/events/{NORTHWIND}?since={start}&until={day}")
        assert page.get_attribute("#timeline", "data-bucket") == bucket
        ticks = page.locator("#timeline svg text.tick").all_text_contents()
        assert len([t for t in ticks if t[:1].isalpha()]) > 2
        assert page.text_content("#live [data-figure=reactions]") == str(whole["reactions"])
    screenshot(page, "event-weeks")
    backwards = httpx.get(
        f"{site.url}/events/{NORTHWIND}?since={day}&until={day - timedelta(days=1)}", timeout=10
    )
    assert backwards.status_code == 422
    assert "until" in backwards.text


def test_share_of_voice_by_person_organisation_and_outlet(site: Site, page: "Page") -> None:
    """People's shares are their reactions over the event's; outlets add up to the total."""
    summary = site.get(f"/v1/events/{NORTHWIND}/summary")
    page.goto(f"{site.url}/events/{NORTHWIND}")
    people = page.eval_on_selector_all(
        "#voice-people tbody tr",
        "rows => rows.map(r => [r.cells[0].textContent, r.cells[2].textContent])",
    )
    assert people == [
        [t["person"]["name"], f"{100 * t['reactions'] / summary['reactions']:.1f}%"]
        for t in summary["by_person"][:10]
    ]
    outlets = page.eval_on_selector_all(
        "#voice-outlets tbody tr", "rows => rows.map(r => Number(r.cells[1].textContent))"
    )
    assert sum(outlets) == summary["reactions"]
    organisations = page.locator("#voice-organisations tbody td:first-child").all_text_contents()
    assert "Northwind Labs" in organisations
    page.locator("#voice").screenshot(path=str(screenshot_path("share-of-voice")))


def screenshot_path(name: str) -> Any:
    """Where an element screenshot goes (beside the full-page ones)."""
    from tests.dashboard.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def test_people_index_searches_and_filters_by_kind_and_person_pages_read_well(
    site: Site, page: "Page"
) -> None:
    """The index's counts equal the API's people; search and kind narrow it; a person page is
    titled by the name, lists roles over time, and one reaction is one modest dot."""
    page.goto(f"{site.url}/people")
    rows = page.eval_on_selector_all(
        "#people-index tbody tr", "rows => rows.map(r => Number(r.dataset.personId))"
    )
    assert rows
    for person_id in rows[:5]:
        person = site.get(f"/v1/people/{person_id}")
        cells = page.eval_on_selector_all(
            f'#people-index tr[data-person-id="{person_id}"] [data-figure]',
            "els => Object.fromEntries(els.map(e => [e.dataset.figure, e.textContent.trim()]))",
        )
        assert cells["reactions"] == str(person["reactions"])
        assert cells["events"] == str(len(person["events"]))
        assert cells["mean"].startswith(signed(person["sentiment"]["mean"]))
    screenshot(page, "people")
    needle = (page.text_content("#people-index tbody a") or "").split()[-1].lower()
    page.fill("#q", needle)
    with page.expect_navigation():
        page.click("#people-search button")
    names = page.locator("#people-index tbody a").all_text_contents()
    assert names
    assert all(needle in n.lower() for n in names)
    listed = site.get("/v1/people?limit=200")["items"]
    for kind in ("organisation", "person"):
        page.goto(f"{site.url}/people?kind={kind}&q=")
        expected = sorted(p["id"] for p in listed if p["kind"] == kind)
        shown = page.eval_on_selector_all(
            "#people-index tbody tr", "rows => rows.map(r => Number(r.dataset.personId))"
        )
        assert sorted(shown) == expected[:50]
    assert any(p["kind"] == "person" for p in listed)

    single = next(pid for pid in rows if site.get(f"/v1/people/{pid}")["reactions"] == 1)
    person = site.get(f"/v1/people/{single}")
    page.goto(f"{site.url}/people/{single}")
    assert (page.text_content("h1") or "").strip().startswith(person["name"])
    assert "(document" not in person["name"]
    assert page.locator("#role-history tbody tr").count() == len(person["role_history"])
    radii = page.eval_on_selector_all(
        "#person-timeline svg circle", "cs => cs.map(c => Number(c.getAttribute('r')))"
    )
    assert len(radii) == 1
    assert radii[0] <= 12
    screenshot(page, "person-one-reaction")


def test_document_page_marks_its_reactions_and_lists_its_events(site: Site, page: "Page") -> None:
    """Reached from a quote's "in the text" link: title, outlet, the quotes marked in the text
    and the events holding it with the best relevance of its reactions."""
    summary = site.get(f"/v1/events/{NORTHWIND}/summary")
    top = summary["top_negative"][0]
    page.goto(f"{site.url}/events/{NORTHWIND}")
    page.click(f'#top-negative li[data-reaction-id="{top["id"]}"] a.in-text')
    page.wait_for_url(f"**/documents/{top['document_id']}")
    document = site.get(f"/v1/documents/{top['document_id']}")
    assert page.text_content("h1") == document["title"]
    marked = page.locator("mark[data-mark=quote]").all_text_contents()
    assert sorted(marked) == sorted(r["quote"] for r in document["reactions"])
    assert page.locator("mark[data-mark=speaker]").count() > 0
    taken = [r for r in api_rows(site) if r["document_id"] == top["document_id"]]
    relevance = page.text_content(
        f'#document-events tr[data-event-id="{NORTHWIND}"] [data-figure=relevance]'
    )
    assert relevance == f"{max(r['relevance'] for r in taken):.2f}"
    screenshot(page, "document")


def test_sources_page_shows_the_collectors_state(site: Site, page: "Page") -> None:
    """A registered source shows its status, errors and documents as the API reports them."""
    response = httpx.post(
        f"{site.url}/v1/sources",
        json={"kind": "feed", "url": "https://feeds.invalid/rss.xml"},
        headers=AUTH,
        timeout=10,
    )
    assert response.status_code == 201
    source_id = response.json()["id"]
    wait_until(
        lambda: site.get(f"/v1/sources/{source_id}")["last_polled_at"] is not None,
        timeout=40,
        what="the source's first poll",
    )
    page.goto(f"{site.url}/sources")
    state = site.get(f"/v1/sources/{source_id}")
    row = page.eval_on_selector_all(
        f'#sources tr[data-source-id="{source_id}"] [data-figure]',
        "els => Object.fromEntries(els.map(e => [e.dataset.figure, e.textContent.trim()]))",
    )
    assert row == {
        "status": state["status"],
        "errors": str(state["consecutive_errors"]),
        "documents": str(state["documents_collected"]),
    }
    assert state["consecutive_errors"] >= 1
    assert "feeds.invalid" in (page.text_content("#sources") or "")
    screenshot(page, "sources")
