"""Roles and affiliations as written: the role set scores at least 95 % exact roles."""

from __future__ import annotations

from tests.extract.role_set import ROLE_SET
from workers.extract import extract_reactions

TARGET = 0.95


def _last_quote_role(text: str) -> tuple[str | None, str | None, str | None]:
    """(speaker name, role, affiliation) of the last quoted reaction of a sentence."""
    quote = [q for q in extract_reactions(text) if q.kind != "indirect"][-1]
    return quote.speaker_name, quote.role, quote.affiliation


def test_role_set_is_large_enough() -> None:
    assert len(ROLE_SET) >= 60


def test_role_set_exact_roles() -> None:
    misses = [
        (text, (name, role, affiliation), got)
        for text, name, role, affiliation in ROLE_SET
        if (got := _last_quote_role(text)) != (name, role, affiliation)
    ]
    share = 1 - len(misses) / len(ROLE_SET)
    assert share >= TARGET, "\n".join(f"{t}\n  want {w}\n  got  {g}" for t, w, g in misses)


def test_a_repeated_role_names_its_holder() -> None:
    text = (
        '"We will add buses," said Omar Haddad, the transport commissioner. '
        'Later the commissioner told reporters: "Trams will follow in the spring."'
    )
    quote = [q for q in extract_reactions(text) if q.kind != "indirect"][-1]
    assert (quote.speaker_name, quote.speaker_type) == ("Omar Haddad", "person")


def test_a_role_two_people_hold_stays_a_description() -> None:
    text = (
        '"We will add buses," said Omar Haddad, the transport commissioner. '
        '"We will add trams," said Lena Ortiz, the rail commissioner. '
        '"Nothing is decided," the commissioner said.'
    )
    quote = [q for q in extract_reactions(text) if q.kind != "indirect"][-1]
    assert (quote.speaker_name, quote.speaker_type) == ("the commissioner", "description")


def test_role_from_reported_speech_carries_to_a_later_quote() -> None:
    """A person's first role in the article, also one written in reported speech, is theirs."""
    text = (
        "Priya Nandakumar, an AI policy researcher at the Halden Institute, said the departure "
        "raised hard questions. \u201cThat is a governance failure,\u201d she said."
    )
    quotes = [q for q in extract_reactions(text) if q.kind != "indirect"]
    assert [(q.speaker_name, q.role, q.affiliation) for q in quotes] == [
        (
            "Priya Nandakumar",
            "an AI policy researcher at the Halden Institute",
            "Halden Institute",
        )
    ]
