"""A summary advanced document by document equals the one assembled from all its reactions at
once: the pure core of the incremental path, checked without a database."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from domain.memberships import Addition, Membership
from domain.sentiment import label_of
from domain.summaries import (
    AdvanceReads,
    Stamp,
    SummaryReads,
    advanced,
    empty_summary,
    summary_of,
    top_entrants,
)
from domain.tallies import TOTAL, figures_of, median, tally_set
from schemas.reactions import PersonRef, ReactionRead, Sentiment

START = datetime(2026, 11, 2, 8, tzinfo=UTC)
NAMES = {1: "Amara Voss", 2: "Daniel Reyes", 3: "Lena Ortiz"}
COMPOUNDS = [0.62, -0.41, 0.0, 0.35, -0.77, 0.9, 0.12, -0.05, 0.05, 0.48, -0.3, 0.71]


def member(index: int) -> Membership:
    """Reaction `index`: three speakers in turn, one hour apart, two roles."""
    compound = COMPOUNDS[index]
    return Membership(
        reaction_id=index + 1,
        person_id=index % 3 + 1,
        quote_key=f"q{index}",
        compound=compound,
        label=label_of(compound),
        kind="direct",
        role="analyst" if index % 2 else "professor",
        outlet=f"outlet{index % 4}",
        url=f"https://news.example/{index}",
        reacted_at=START + timedelta(hours=index * 5),
    )


def read_of(m: Membership) -> ReactionRead:
    """A membership in its API shape, seen in one outlet."""
    return ReactionRead(
        id=m.reaction_id,
        document_id=1,
        person=PersonRef(id=m.person_id or 0, name=NAMES[m.person_id or 0]),
        quote=f"quote {m.reaction_id}",
        kind=m.kind,
        cue="said",
        role=m.role,
        span=(0, 5),
        speaker_span=None,
        sentiment=Sentiment(compound=m.compound, pos=0, neu=1, neg=0, label=m.label),
        outlets=1,
        first_url=m.url,
    )


def addition_of(before: Sequence[Membership], fresh: Sequence[Membership]) -> Addition:
    """What a document with the `fresh` reactions adds after `before`: the touched tallies'
    new values, as the tally upsert returns them."""
    now = tally_set(m.counted() for m in [*before, *fresh]).tallies
    touched = tally_set(m.counted() for m in fresh).tallies
    known = {m.person_id for m in before}
    return Addition(
        event_id=4,
        fresh=list(fresh),
        repeats={},
        tallies={key: now[key] for key in touched},
        new_people=len({m.person_id for m in fresh} - known),
        new_documents=1,
        new_sources=1,
    )


def advance_reads(members: Sequence[Membership], fresh: Sequence[Membership]) -> AdvanceReads:
    """What the repository would read to advance by `fresh`, once `members` are counted."""
    return AdvanceReads(
        top_positive=[read_of(m) for m in top_entrants(fresh, positive=True)],
        top_negative=[read_of(m) for m in top_entrants(fresh, positive=False)],
        names=NAMES,
        hours=tally_set(m.counted() for m in members).of("hour"),
        middle=median(sorted(m.compound for m in members)),
    )


def test_advanced_document_by_document_equals_assembled_at_once() -> None:
    members = [member(i) for i in range(len(COMPOUNDS))]
    documents = [members[:5], members[5:6], members[6:]]
    summary = empty_summary(Stamp(event_id=4, version=0, updated_at=START))
    for version, fresh in enumerate(documents, start=1):
        before = [m for m in members if m.reaction_id < fresh[0].reaction_id]
        summary = advanced(
            summary,
            addition_of(before, fresh),
            stamp=Stamp(event_id=4, version=version, updated_at=START),
            reads=advance_reads([*before, *fresh], fresh),
        )

    def top(positive: bool) -> list[ReactionRead]:
        return [read_of(m) for m in top_entrants(members, positive=positive)]

    figures = figures_of(tally_set(m.counted() for m in members))
    expected = summary_of(
        Stamp(event_id=4, version=3, updated_at=START),
        figures,
        middle=median(sorted(COMPOUNDS)),
        names=NAMES,
        reads=SummaryReads(
            documents=3,
            sources=3,
            first=members[0].reacted_at,
            last=members[-1].reacted_at,
            top_positive=top(True),
            top_negative=top(False),
        ),
    )
    assert summary == expected
    assert (summary.reactions, summary.people) == (12, 3)
    assert [entry.person.name for entry in summary.by_person] == list(NAMES.values())
    assert summary.top_positive[0].sentiment.compound == 0.9
    assert summary.top_negative[0].sentiment.compound == -0.77
    assert summary.timeline.bucket == "hour"


def test_repeats_add_outlets_to_top_reactions_without_new_reactions() -> None:
    first = member(5)
    stamp = Stamp(event_id=4, version=1, updated_at=START)
    summary = advanced(
        empty_summary(Stamp(event_id=4, version=0, updated_at=START)),
        addition_of([], [first]),
        stamp=stamp,
        reads=advance_reads([first], [first]),
    )
    repeat = Addition(
        event_id=4,
        fresh=[],
        repeats={first.reaction_id: 2},
        tallies={},
        new_people=0,
        new_documents=1,
        new_sources=1,
    )
    reads = AdvanceReads(top_positive=[], top_negative=[], names={}, hours={}, middle=None)
    again = advanced(
        summary, repeat, stamp=Stamp(event_id=4, version=2, updated_at=START), reads=reads
    )
    assert again.top_positive[0].outlets == 3
    assert (again.reactions, again.documents, again.sources) == (1, 2, 2)
    assert again.sentiment == summary.sentiment
    assert TOTAL not in repeat.tallies
