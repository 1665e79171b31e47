"""Relevance of each reaction to each event, judged per event from the reaction's own context."""

import pytest

from domain.relevance import EventQuery, Evidence, Quoted, judge_article
from domain.text import stem

ARTICLE = (
    "Orbit Labs shipped its Comet 2 model on Monday, a faster and cheaper system.\n\n"
    "“It is a leap for open models,” said Ada Byron, a researcher at Tern.\n\n"
    "A day later, Orbit said its chief scientist Mara Voss had resigned. Voss’s exit drew "
    "tributes from colleagues. “We will miss her,” said Tom Quill. Ann Lee called it "
    "“a sad day for the lab.”\n\n"
    "The weather stayed mild. “Nothing to add,” said Bo Chan."
)
TITLE = "Orbit Labs ships Comet 2, then loses its chief scientist"
LAUNCH = EventQuery(title="Comet 2 launch", keywords=("Comet 2",))
EXIT = EventQuery(title="Mara Voss steps down", keywords=("Mara Voss",))
BROAD = EventQuery(title="Orbit Labs", keywords=("Orbit Labs",))


def spans(*fragments: str) -> list[Quoted]:
    """The reactions whose quotes are these fragments (quote and attribution span)."""
    found = []
    for fragment in fragments:
        start = ARTICLE.index(fragment)
        end = ARTICLE.find(".", start + len(fragment)) + 1 or len(ARTICLE)
        found.append(Quoted(span=(start, end), speaker=None))
    return found


REACTIONS = spans("It is a leap", "We will miss her", "a sad day", "Nothing to add")


def members(query: EventQuery, reactions: list[Quoted] = REACTIONS) -> list[bool]:
    """Which reactions the event holds (all False when it does not take the article)."""
    judged = judge_article(text=ARTICLE, title=TITLE, reactions=reactions, queries=[query])[0]
    return [False] * len(reactions) if judged is None else [r.relevant for r in judged]


def test_each_event_takes_only_the_reactions_about_it() -> None:
    assert members(LAUNCH) == [True, False, False, False]
    assert members(EXIT) == [False, True, True, False]


def test_a_broad_event_holds_the_reactions_of_both_narrow_ones() -> None:
    assert members(BROAD)[:3] == [True, True, True]


def test_membership_never_depends_on_the_other_events_judged_with_it() -> None:
    alone = [
        judge_article(text=ARTICLE, title=TITLE, reactions=REACTIONS, queries=[query])[0]
        for query in (LAUNCH, EXIT)
    ]
    together = judge_article(
        text=ARTICLE, title=TITLE, reactions=REACTIONS, queries=[LAUNCH, EXIT, BROAD]
    )
    assert together[:2] == alone


def test_a_surname_and_a_synonym_in_the_intro_sentence_are_evidence() -> None:
    judged = judge_article(text=ARTICLE, title=TITLE, reactions=REACTIONS, queries=[EXIT])[0]
    assert judged is not None
    miss = judged[1]
    assert miss.relevant
    assert any("Voss" in note and note.startswith("intro") for note in miss.evidence)


def test_the_events_happening_in_other_words_counts() -> None:
    departure = EventQuery(title="Chief scientist steps down", keywords=("chief scientist",))
    assert members(departure)[1:3] == [True, True]


def test_an_event_with_no_reaction_about_it_takes_the_article_only_when_its_lead_names_it() -> None:
    weather = EventQuery(title="Mild weather", keywords=("weather",))
    assert judge_article(text=ARTICLE, title=TITLE, reactions=REACTIONS[:3], queries=[weather]) == [
        None
    ]
    lead = EventQuery(title="Cheaper systems", keywords=("cheaper",))
    judged = judge_article(text=ARTICLE, title=TITLE, reactions=REACTIONS[:3], queries=[lead])[0]
    assert judged is not None


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (("stepping", "steps", "stepped", "step"), True),
        (("resigned", "resigns", "resign"), True),
        (("departure", "departed", "depart"), True),
        (("launches", "launched", "launching", "launch"), True),
        (("Lin’s", "Lin's", "Lin"), True),
        (("launch", "lunch"), False),
    ],
)
def test_inflections_share_a_stem(words: tuple[str, ...], same: bool) -> None:
    assert (len({stem(word) for word in words}) == 1) is same


def test_the_title_and_the_lead_read_as_one_keep_every_kind_of_evidence() -> None:
    title = Evidence(strong={"Orbit Labs": "keyword"}, named={"Mara Voss": "Mara Voss"})
    lead = Evidence(concept="departure “quit”", terms={"Friday": "Friday"}, foreign={"launch"})
    both = title.joined(lead)
    assert (both.strong, both.named, both.concept, both.terms, both.foreign) == (
        {"Orbit Labs": "keyword"},
        {"Mara Voss": "Mara Voss"},
        "departure “quit”",
        {"Friday": "Friday"},
        {"launch"},
    )
