"""Memberships: several documents' additions fold into one, as a batch advances a summary once;
the first copy of a quote by a person counts; a document's outlet."""

from datetime import UTC, datetime

from domain.memberships import Addition, Membership, copies_counted, merge_additions
from domain.outlets import outlet_of
from domain.tallies import TOTAL, Tally


def member(reaction_id: int) -> Membership:
    """A counted reaction of person 1."""
    return Membership(
        reaction_id=reaction_id,
        person_id=1,
        quote_key=f"q{reaction_id}",
        compound=0.5,
        label="positive",
        kind="direct",
        role=None,
        outlet="wire",
        url=None,
        reacted_at=datetime(2026, 11, 1, tzinfo=UTC),
    )


def addition(event_id: int, *, fresh: list[int], repeats: dict[int, int], total: int) -> Addition:
    """What one document added to an event whose overall tally reached `total` reactions."""
    return Addition(
        event_id=event_id,
        fresh=[member(reaction_id) for reaction_id in fresh],
        repeats=repeats,
        tallies={TOTAL: Tally(reactions=total), ("person", "1"): Tally(reactions=total)},
        new_people=1 if total == len(fresh) else 0,
        new_documents=1,
        new_sources=1 if event_id == 7 else 0,
    )


def test_additions_to_one_event_fold_in_order() -> None:
    first = addition(7, fresh=[10, 11], repeats={3: 1}, total=2)
    second = addition(7, fresh=[12], repeats={3: 2, 10: 1}, total=3)
    (merged,) = merge_additions([first, second])
    assert [m.reaction_id for m in merged.fresh] == [10, 11, 12]
    assert merged.repeats == {3: 3, 10: 1}
    assert merged.tallies[TOTAL].reactions == 3  # the later value is the newer one
    assert (merged.new_people, merged.new_documents, merged.new_sources) == (1, 2, 2)


def test_additions_to_different_events_stay_apart_in_event_order() -> None:
    merged = merge_additions(
        [
            addition(9, fresh=[20], repeats={}, total=1),
            addition(7, fresh=[21], repeats={}, total=1),
        ]
    )
    by_event = [(a.event_id, [m.reaction_id for m in a.fresh]) for a in merged]
    assert by_event == [(7, [21]), (9, [20])]


def test_a_single_addition_is_kept_as_it_is() -> None:
    only = addition(7, fresh=[1], repeats={}, total=1)
    assert merge_additions([only]) == [only]
    assert merge_additions([]) == []


def test_first_copy_of_each_quote_by_each_person_counts_with_its_outlets() -> None:
    members = [(1, 7, "a"), (2, 7, "a"), (3, 8, "a"), (4, None, "a"), (5, None, "a"), (6, 7, "a")]
    assert copies_counted(members) == {1: 3, 3: 1, 4: 1, 5: 1}


def test_outlet_is_the_source_else_the_url_host() -> None:
    assert outlet_of("  Harbour Times ", "https://www.other.example/a") == "harbour times"
    assert outlet_of(None, "https://www.harbour.example/a") == "harbour.example"
    assert outlet_of("", "not a url") is None
    assert outlet_of(None, None) is None
