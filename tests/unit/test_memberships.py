"""Memberships: the first copy of a quote by a person counts; a document's outlet."""

from domain.memberships import copies_counted
from domain.outlets import outlet_of


def test_first_copy_of_each_quote_by_each_person_counts_with_its_outlets() -> None:
    members = [(1, 7, "a"), (2, 7, "a"), (3, 8, "a"), (4, None, "a"), (5, None, "a"), (6, 7, "a")]
    assert copies_counted(members) == {1: 3, 3: 1, 4: 1, 5: 1}


def test_outlet_is_the_source_else_the_url_host() -> None:
    assert outlet_of("  Harbour Times ", "https://www.other.example/a") == "harbour times"
    assert outlet_of(None, "https://www.harbour.example/a") == "harbour.example"
    assert outlet_of("", "not a url") is None
    assert outlet_of(None, None) is None
