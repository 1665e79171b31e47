"""Speaker kinds: people, organisations named by the text, and unnamed descriptions."""

from __future__ import annotations

import pytest

from workers.extract import ExtractedQuote, extract_reactions


def _quoted(text: str) -> list[ExtractedQuote]:
    return [q for q in extract_reactions(text) if q.kind != "indirect"]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (
            '"It will slip to May," two people briefed on the plan said.',
            "two people briefed",
            "description",
        ),
        ('"Nobody asked us," Staff said.', "Staff", "description"),
        ('"They copied our design," Rivals said.', "Rivals", "description"),
        ('Critics said: "This rule is a mistake."', "Critics", "description"),
        ('"We welcome the review," a spokesperson said.', "a spokesperson", "description"),
        ('"The port needs dredging," the company said.', "the company", "description"),
        ('"The data is thin," said a professor of computer science.', "a professor", "description"),
        ('"We ship today," Northwind Labs said in a statement.', "Northwind Labs", "organisation"),
        (
            '"Aurora 2 is ready for everyone," Solstice Systems said.',
            "Solstice Systems",
            "organisation",
        ),
        (
            '"Bus fares will rise in June," the Transport Ministry said.',
            "Transport Ministry",
            "organisation",
        ),
        ('"I am leaving the board," Omar Haddad said.', "Omar Haddad", "person"),
        (
            '"We are on schedule," said Ines Duarte, a researcher at Harbor AI.',
            "Ines Duarte",
            "person",
        ),
    ],
)
def test_speaker_kind(text: str, name: str, kind: str) -> None:
    (quote,) = _quoted(text)
    assert (quote.speaker_name, quote.speaker_type) == (name, kind)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('Alibaba launched Qwen 3.5 on Monday. "We are proud of it," the company said.', "Alibaba"),
        ('Vireo released a faster model. "It halves the cost," the firm said.', "Vireo"),
        (
            'The Transport Ministry raised fares. Lee objected. "It is needed," the ministry said.',
            "Transport Ministry",
        ),
        ('"Fares will rise," officials at the Transport Ministry said.', "Transport Ministry"),
        (
            'Dana Reyes of Cobalt Ventures spoke first. "We are out," the firm said.',
            "Cobalt Ventures",
        ),
        (
            '"We disagree," Orbis said in a statement. "The report is wrong," the company added.',
            "Orbis",
        ),
    ],
)
def test_organisation_anaphor_takes_the_named_organisation(text: str, name: str) -> None:
    quote = _quoted(text)[-1]
    assert (quote.speaker_name, quote.speaker_type) == (name, "organisation")


def test_anaphor_needs_a_fitting_head() -> None:
    text = 'Orbis shipped a new phone. "Demand is high," the ministry said.'
    (quote,) = _quoted(text)
    assert (quote.speaker_name, quote.speaker_type) == ("the ministry", "description")


def test_employer_evidence_makes_a_named_speaker_an_organisation() -> None:
    text = (
        '"A loss for us," said Tiezhen Wang, head of ecosystem at Hugging Face. '
        '"We will miss him," Hugging Face said.'
    )
    first, second = _quoted(text)
    assert (first.speaker_name, first.speaker_type) == ("Tiezhen Wang", "person")
    assert (second.speaker_name, second.speaker_type) == ("Hugging Face", "organisation")


def test_a_person_who_announces_stays_a_person() -> None:
    text = 'Omar Haddad announced the plan on Monday. "It works," Haddad said.'
    (quote,) = _quoted(text)
    assert (quote.speaker_name, quote.speaker_type) == ("Omar Haddad", "person")


def test_a_weekday_is_never_the_organisation_the_company_stands_for() -> None:
    text = (
        "Corvid Labs on Tuesday released its new scheduler, its largest yet.\n\n"
        "The company says the scheduler “runs on any laptop,” and that it took two years."
    )
    assert {quote.speaker_name for quote in _quoted(text)} == {"Corvid Labs"}


def test_a_quoted_title_ending_in_at_x_names_no_organisation() -> None:
    text = (
        "Pell Systems published a report titled “Efficient Planning at Scale,” and the company "
        'said it would "update the report every month."'
    )
    said = {quote.text: quote.speaker_name for quote in _quoted(text)}
    assert said["update the report every month."] == "Pell Systems"


def test_an_independent_developer_is_a_person() -> None:
    text = '"It is fast," said Leo Fontaine, an independent developer who maintains a toolkit.'
    (quote,) = _quoted(text)
    assert (quote.speaker_name, quote.speaker_type) == ("Leo Fontaine", "person")


def test_the_companys_chief_executive_is_a_person() -> None:
    text = (
        "Graham Whitcombe, the company's chief executive, sought to calm nerves. "
        "“Our roadmap has not changed,” Whitcombe said."
    )
    (quote,) = _quoted(text)
    assert (quote.speaker_name, quote.speaker_type) == ("Graham Whitcombe", "person")
