"""Rendered pages: every piece of user content is escaped, and figures appear as text."""

from html.parser import HTMLParser

from service.dashboard import browse, views
from service.dashboard.listing import ListQuery
from service.dashboard.templating import render
from tests.dashboard import samples
from tests.dashboard.samples import HOSTILE


class TagCounter(HTMLParser):
    """Counts start tags and collects the attributes of links and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the tag, its href and any inline event handler."""
        self.tags.append(tag)
        for name, value in attrs:
            if name == "href" and value is not None:
                self.hrefs.append(value)
            if name.startswith("on"):
                self.handlers.append(name)


def parsed(html: str) -> TagCounter:
    """The tags of a page."""
    counter = TagCounter()
    counter.feed(html)
    return counter


def hostile_event_page() -> str:
    """The event page with markup in every user-supplied field and a script URL."""
    bad = samples.reaction(
        quote=HOSTILE,
        person={"id": 3, "name": HOSTILE},
        role=HOSTILE,
        cue=HOSTILE,
        first_url="javascript:alert(1)",
    )
    summary = samples.summary(
        by_person=[{"person": {"id": 3, "name": HOSTILE}, "reactions": 5, "mean_compound": 0.1}],
        by_role=[{"role": HOSTILE, "reactions": 5, "mean_compound": 0.1}],
        top_positive=[bad.model_dump()],
    )
    event = samples.event(title=HOSTILE, keywords=[HOSTILE])
    page = views.event_page(event, summary, roles={3: HOSTILE})
    query = ListQuery(role=HOSTILE, organisation=HOSTILE, outlet=HOSTILE)
    listing = browse.reaction_list(
        event_id=1,
        query=query,
        reactions=[bad, samples.reaction(reaction_id=5, person=None, speaker=HOSTILE)],
        total=2,
        documents={},
        people=summary.by_person,
        outlets=[],
    )
    return render("event.html", page=page, listing=listing, query=query)


def test_a_quote_with_script_renders_as_text_on_the_event_page() -> None:
    """Quote, speaker, role, cue, title and keywords are escaped; the link is not a script."""
    html = hostile_event_page()
    tags = parsed(html)
    assert tags.tags.count("script") == 1  # our own dashboard.js, nothing injected
    assert tags.handlers == []
    assert "b" not in tags.tags
    assert not any(href.lower().startswith("javascript:") for href in tags.hrefs)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "/v1/documents/7" in tags.hrefs


def test_the_events_list_escapes_titles_and_the_search_text() -> None:
    """An event title and the echoed query with markup stay text."""
    stored = samples.summary().model_dump(mode="json")
    rows = views.event_rows([samples.event(title=HOSTILE)], {1: stored})
    html = render("index.html", rows=rows, query=HOSTILE, shown_max=100, capped=False)
    tags = parsed(html)
    assert tags.tags.count("script") == 1
    assert tags.handlers == []
    assert html.count("&lt;script&gt;") == 3  # the title, the echoed query twice


def test_the_person_page_escapes_names_roles_aliases_and_quotes() -> None:
    """Every person field and quote is text; a hostile article URL is not linked."""
    person = samples.person(
        name=HOSTILE,
        aliases=[HOSTILE, "x"],
        roles=[HOSTILE],
        events=[{"event_id": 1, "title": HOSTILE, "reactions": 1, "mean_compound": 0.2}],
    )
    quote = samples.reaction(quote=HOSTILE, person={"id": 3, "name": HOSTILE}, cue=HOSTILE)
    page = views.person_page(person, [quote], urls={7: "javascript:alert(1)"}, next_after=9)
    html = render("person.html", page=page, after=None)
    tags = parsed(html)
    assert tags.tags.count("script") == 1
    assert tags.handlers == []
    assert not any(href.lower().startswith("javascript:") for href in tags.hrefs)
    assert "/people/3?after=9" in tags.hrefs


def test_event_figures_are_in_the_page_as_text() -> None:
    """Each card, label count and share, and the timeline table are readable without charts."""
    page = views.event_page(samples.event(), samples.summary(), roles={})
    html = render("_event_body.html", page=page)
    for snippet in (
        'data-figure="reactions">5<',
        'data-figure="mean">+0.12<',
        'data-figure="positive">3<',
        'data-figure="positive-share">(60.0%)<',
        "<td>Nov 23 14:00</td>",
        'data-version="4"',
    ):
        assert snippet in html
