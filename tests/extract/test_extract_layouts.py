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
        (
            "Quotes from the festival.\n\u201cEvery town deserves a stage.\u201d\u2015\u00a0Luca "
            "Ferrante\u00a0\nMore quotes follow tomorrow.\n",
            "Luca Ferrante",
            None,
        ),
        (
            "Quotes from the festival.\n\u201cEvery town deserves a stage.\u201d\u00a0\u2015\u00a0"
            "Luca Ferrante.\n\nMore at the site.\n",
            "Luca Ferrante",
            None,
        ),
    ],
    ids=["horizontal-bar", "hyphen-with-title", "social-embed", "no-break-spaces", "no-break-dot"],
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


def test_transcript_label_inside_the_quote_names_the_speaker() -> None:
    """A quoted transcript: each paragraph opens a quote with the speaker's label in it."""
    text = (
        "Senator Ada Brennan and Governor Tom Okoro met on the radio.\n\n"
        '"BRENNAN: We lost the bridge vote, and I will not pretend otherwise.\n\n'
        '"OKORO: Then we build the ferry first and argue later.\n'
    )
    first, second = _quoted(text)
    assert (first.speaker_name, second.speaker_name) == ("Ada Brennan", "Tom Okoro")
    assert second.speaker is not None
    assert text[second.speaker[0] : second.speaker[1]] == "OKORO"


def test_a_quote_opening_with_a_note_is_no_transcript() -> None:
    text = 'Ada Brennan was blunt.\n\n"Note: the bridge will not open this year," she said.\n'
    (quote,) = _quoted(text)
    assert quote.speaker_name == "Ada Brennan"


def test_question_label_is_no_speaker() -> None:
    text = 'Q: Do you regret calling the budget "a mess that nobody can fix"?\n'
    (quote,) = _quoted(text)
    assert quote.speaker_name is None


def test_subject_before_a_participle_phrase() -> None:
    text = 'Protesters marching through the streets chanted "No more cuts to the schools."'
    (quote,) = _quoted(text)
    assert quote.speaker_name == "Protesters"


def test_interview_answer_is_the_interviewee() -> None:
    """'A:' paragraphs after a 'Q:' one are the person the intro names; questions are no one's."""
    text = (
        "Retired teacher Helen Park spoke to the Gazette about the strike.\n\n"
        'Q: Was it worth calling it "a fight for the schools"?\n\n'
        "A: \u201cEvery single time, without a doubt.\u201d\n"
    )
    question, answer = _quoted(text)
    assert question.speaker_name is None
    assert (answer.speaker_name, answer.role) == ("Helen Park", "Retired teacher")


def test_answer_label_without_questions_is_no_speaker() -> None:
    text = "Helen Park spoke first.\n\nA: \u201cEvery single time, without a doubt.\u201d\n"
    (quote,) = _quoted(text)
    assert quote.speaker_name is None


def test_nickname_is_part_of_the_name() -> None:
    """'Kevin "The Hammer" Doyle': the nickname is no quote, and the tag runs on past it."""
    text = "\u201cWe will win this fight,\u201d Kevin \u201cThe Hammer\u201d Doyle said.\n"
    (quote,) = _quoted(text)
    assert quote.text == "We will win this fight"
    assert quote.speaker_name == "Doyle"


def test_title_after_a_lower_case_word_is_no_nickname() -> None:
    text = "Smith called it \u201cThe Deal\u201d Trump wanted, and he said so twice.\n"
    (quote,) = _quoted(text)
    assert quote.text == "The Deal"
