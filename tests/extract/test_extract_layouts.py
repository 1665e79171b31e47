"""Layouts that name the speaker without a cue: bylines on the quote's line, transcript labels,
and subjects separated from their verb by a phrase."""

from __future__ import annotations

import pytest

from workers.extract import ExtractedQuote, extract_reactions


def _quoted(text: str) -> list[ExtractedQuote]:
    return [q for q in extract_reactions(text) if q.kind != "indirect"]


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "Readers sent their favourite lines.\n\u201cCourage is a habit you build daily.\u201d "
            "\u2015 Sonya Herridge\n",
            "Sonya Herridge",
            None,
        ),
        (
            'The panel closed with a warning.\n"Budgets will shrink next year." - Omar Haddad, '
            "transport commissioner\n",
            "Omar Haddad",
            "transport commissioner",
        ),
        (
            "Posts poured in overnight.\n\u201cThis is the best release of the year\u201d "
            "\u2014 Mira Holm (@mholm) March 3, 2026\n",
            "Mira Holm",
            None,
        ),
    ],
    ids=["horizontal-bar", "hyphen-with-title", "social-embed"],
)
def test_byline_on_the_quote_line(text: str, name: str, role: str | None) -> None:
    (quote,) = _quoted(text)
    assert (quote.speaker_name, quote.role) == (name, role)
    assert quote.speaker is not None
    assert text[quote.speaker[0] : quote.speaker[1]] == name


def test_a_dash_inside_a_sentence_is_no_byline() -> None:
    text = 'Omar Haddad said the plan was "a long way off" - and then he left the room.\n'
    (quote,) = _quoted(text)
    assert quote.speaker_name == "Omar Haddad"


def test_transcript_label_names_the_speaker() -> None:
    text = (
        "Mike Pence took questions after the rally.\n\n"
        'PENCE: Well, we know "the numbers will turn in our favour by the autumn."\n'
    )
    (quote,) = _quoted(text)
    assert quote.speaker_name == "Mike Pence"
    assert quote.speaker is not None
    assert text[quote.speaker[0] : quote.speaker[1]] == "PENCE"


def test_question_label_is_no_speaker() -> None:
    text = 'Q: Do you regret calling the budget "a mess that nobody can fix"?\n'
    (quote,) = _quoted(text)
    assert quote.speaker_name is None


def test_subject_before_a_participle_phrase() -> None:
    text = 'Protesters marching through the streets chanted "No more cuts to the schools."'
    (quote,) = _quoted(text)
    assert quote.speaker_name == "Protesters"
