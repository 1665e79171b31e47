"""Attribution constructions on invented sentences: one test per construction the engine handles."""

from __future__ import annotations

import pytest

from workers.extract import ExtractedQuote, extract_reactions


def _quotes(text: str) -> list[ExtractedQuote]:
    return [q for q in extract_reactions(text) if q.kind != "indirect"]


def _only(text: str) -> ExtractedQuote:
    quotes = _quotes(text)
    assert len(quotes) == 1, quotes
    return quotes[0]


def _speaker(text: str, quote: ExtractedQuote) -> str | None:
    return text[quote.speaker[0] : quote.speaker[1]] if quote.speaker else None


def test_quote_first_with_name_then_cue() -> None:
    text = 'Mayor Lena Ortiz toured the pier. "We will rebuild the bridge," Ortiz said.'
    quote = _only(text)
    assert quote.text == "We will rebuild the bridge"
    assert _speaker(text, quote) == "Ortiz"
    assert quote.speaker_name == "Lena Ortiz"
    assert quote.cue_lemma == "say"
    assert quote.kind == "direct"


def test_quote_first_with_inverted_cue() -> None:
    text = '"The harbor is open again," said Tomas Brandt, a pilot for the port authority.'
    quote = _only(text)
    assert quote.speaker_name == "Tomas Brandt"
    assert quote.role == "a pilot for the port authority"


def test_speaker_first_with_comma() -> None:
    text = 'Priya Nair said, "The results speak for themselves."'
    quote = _only(text)
    assert quote.speaker_name == "Priya Nair"
    assert quote.text == "The results speak for themselves."


def test_quote_split_by_attribution_keeps_speaker() -> None:
    text = 'Ada Quill runs the bakery. "The flour is late," she said, "but the ovens are hot."'
    first, second = _quotes(text)
    assert _speaker(text, first) == "she"
    assert _speaker(text, second) == "she"
    assert first.speaker_name == second.speaker_name == "Ada Quill"


def test_quote_over_several_paragraphs() -> None:
    text = (
        "Coach Ben Harlow spoke after the match.\n\n"
        "\u201cWe lost the first half.\n\n"
        "\u201cWe won the second one,\u201d Harlow said."
    )
    first, second = _quotes(text)
    assert first.text == "We lost the first half."
    assert first.speaker_name == second.speaker_name == "Ben Harlow"


def test_colon_introduction() -> None:
    text = 'The minister wrote on Monday: "Nothing was hidden from the auditors."'
    quote = _only(text)
    assert _speaker(text, quote) == "The minister"
    assert quote.cue_lemma == "write"


def test_colon_introduction_ending_previous_paragraph() -> None:
    text = 'Rosa Velez told the council:\n\n"We need two more buses on the night route."'
    quote = _only(text)
    assert quote.speaker_name == "Rosa Velez"


@pytest.mark.parametrize(
    "text",
    [
        'According to Dana Whitfield, "the vote was never in doubt."',
        '"The vote was never in doubt," according to Dana Whitfield.',
    ],
)
def test_according_to(text: str) -> None:
    quote = _only(text)
    assert quote.speaker_name == "Dana Whitfield"
    assert quote.cue_lemma == "according to"


def test_appositive_between_name_and_cue_gives_role() -> None:
    text = 'Tom Reyes, a spokesman for the harbor authority, said "the ships are safe."'
    quote = _only(text)
    assert quote.speaker_name == "Tom Reyes"
    assert quote.role == "a spokesman for the harbor authority"


def test_called_the_move() -> None:
    text = 'Greta Lind, head of research at Nordlab, called the merger "a bold bet" on Friday.'
    quote = _only(text)
    assert quote.speaker_name == "Greta Lind"
    assert quote.cue_lemma == "call"
    assert quote.role == "head of research at Nordlab"


def test_described_the_moment_as() -> None:
    text = 'Omar Haddad described the launch as "the best day of the year."'
    quote = _only(text)
    assert quote.speaker_name == "Omar Haddad"
    assert quote.cue_lemma == "describe"


def test_adding_continuation_keeps_last_speaker() -> None:
    text = 'Ines Moreau praised the crew, adding, "They never stopped working."'
    quote = _only(text)
    assert quote.speaker_name == "Ines Moreau"
    assert quote.cue_lemma == "add"


def test_adding_after_a_first_quote() -> None:
    text = 'Ines Moreau wrote she was "proud," adding, "They never stopped working."'
    first, second = _quotes(text)
    assert first.speaker_name == second.speaker_name == "Ines Moreau"


def test_pronoun_resolves_to_last_person() -> None:
    text = 'Senator Hal Brooks left the hall early. "It was a long day," he told reporters.'
    quote = _only(text)
    assert _speaker(text, quote) == "he"
    assert quote.speaker_name == "Hal Brooks"
    assert quote.speaker_type == "person"


def test_surname_resolves_to_full_name() -> None:
    text = 'Marta Kovacs joined the board in May. "I am staying," Kovacs said.'
    assert _only(text).speaker_name == "Marta Kovacs"


def test_unnamed_organisation_speaker_is_a_description() -> None:
    text = '"The service will resume on Monday," the transit agency said in a statement.'
    quote = _only(text)
    assert _speaker(text, quote) == "the transit agency"
    assert quote.speaker_type == "description"


def test_platform_is_reported_when_stated() -> None:
    text = 'Leo Park reacted on X, calling the update "a clear step back."'
    quote = _only(text)
    assert quote.speaker_name == "Leo Park"
    assert quote.platform == "X"


def test_doubled_single_marks() -> None:
    text = "''We are ready for the storm,'' Captain Ruth Ames said."
    quote = _only(text)
    assert quote.text == "We are ready for the storm"
    assert quote.speaker_name == "Ruth Ames"


def test_indirect_speech_is_reported_without_marks() -> None:
    text = "Ivan Petrov, chief engineer at Brightwell, said the new turbine cut costs by half."
    (quote,) = extract_reactions(text)
    assert quote.kind == "indirect"
    assert quote.text == "the new turbine cut costs by half"
    assert quote.speaker_name == "Ivan Petrov"
    assert quote.role == "chief engineer at Brightwell"


@pytest.mark.parametrize(
    "text",
    [
        'The so-called "smart" kettle sold out in a week.',
        'She starred in "The Long Night Train" last year.',
        'The boxer, known as "Iron Mike", signed autographs.',
        'The "reform" package passed the committee on Tuesday.',
    ],
)
def test_scare_quotes_titles_and_nicknames_are_not_reported(text: str) -> None:
    assert _quotes(text) == []


def test_unbalanced_marks_do_not_fail_the_article() -> None:
    text = (
        'He said "this never closes.\n\n'
        "A plain paragraph.\n\n"
        '"Another quote that is long enough to keep," Nia Cole said.'
    )
    quotes = _quotes(text)
    assert quotes[-1].speaker_name == "Nia Cole"
    for quote in quotes:
        assert text[quote.quote[0] : quote.quote[1]] == quote.text


def test_speaker_name_never_runs_across_a_sentence_end() -> None:
    text = (
        "The last tram left the depot. \u201cThe line is finally closed,\u201d said Wren Abara. "
        "Wren Abara, a depot manager, said: \u201cWe will miss it.\u201d"
    )
    first, second = _quotes(text)
    assert first.speaker_name == second.speaker_name == "Wren Abara"
    assert second.role == "a depot manager"


def test_quote_first_text_drops_the_trailing_comma() -> None:
    text = "\u201cThe orchard is lost, all of it,\u201d said Bram Oduya."
    quote = _only(text)
    assert quote.text == "The orchard is lost, all of it"
    assert text[quote.quote[0] : quote.quote[1]] == quote.text


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "\u201cThe bridge will reopen in May,\u201d Mayor Ada Voss said, "
            "according to the Harbor Gazette.",
            "the Harbor Gazette",
        ),
        (
            "Kito Marsh was asked by host Lena Dorr, \u201cWill you run again next year?\u201d",
            "host Lena Dorr",
        ),
        (
            "Pia Lund \u2014 a former harbor pilot who now runs the ferry union \u2014 told "
            "reporters that \u201cthe schedule cannot hold.\u201d",
            "Pia Lund",
        ),
        (
            "The port authority less than two weeks ago said the cranes were "
            "\u201cbeyond repair.\u201d",
            "The port authority",
        ),
        (
            "\u201cThe river has never been this low.\u201d\n\n\u2014 Omar Reyes.\n\nIt is dry.",
            "Omar Reyes",
        ),
        (
            "As the Valley Times columnist Rosa Kemp puts it, the council is "
            "\u201cout of ideas and out of money.\u201d",
            "the Valley Times columnist Rosa Kemp",
        ),
        (
            "\u201cWe will keep the line open,\u201d Republican state Sen. Bo Lind said.",
            "Sen. Bo Lind",
        ),
        (
            "Later, Ivo Brant shared a clip from \u201cNorthern Lights\u201d on his page, "
            "writing \u201cThis is the best thing we ever made together.\u201d",
            "Ivo Brant",
        ),
        ("The ad states, \u201cShe will fight for every family in this county.\u201d", "The ad"),
    ],
    ids=[
        "according-to-after-tag",
        "passive-asked-by",
        "dash-appositive",
        "time-phrase-before-cue",
        "byline-paragraph",
        "puts-it",
        "noun-between-names-is-not-a-cue",
        "title-quote-does-not-bound-context",
        "states",
    ],
)
def test_speaker_constructions(text: str, speaker: str) -> None:
    quote = _quotes(text)[-1]
    assert _speaker(text, quote) == speaker


@pytest.mark.parametrize(
    ("text", "speaker", "lemma"),
    [
        # A partial quote keeps its own cue over a tag that opens the next clause.
        (
            'Jonas Weller says he was "kind of sitting on the fence" until Mara Lind said she '
            "would run.",
            "Jonas Weller",
            "say",
        ),
        # A cue verb ending in a vowel and y ("portrayed", not "portraied").
        ('Ruth Amsel portrayed the budget as "a gift to the landlords."', "Ruth Amsel", "portray"),
        # A lone determiner after the cue is the speaker.
        ('The fans were split. "Better luck next year," tweeted another.', "another", "tweet"),
    ],
)
def test_speaker_and_cue(text: str, speaker: str, lemma: str) -> None:
    quote = _only(text)
    assert _speaker(text, quote) == speaker
    assert quote.cue_lemma == lemma


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # A continued speaker named again by a cue just before the quote takes that mention.
        (
            '"The rates will rise," said Megan Greene, an economist. "They are laying down '
            'signs." Greene added that the Fed wants to act. "They will move for political '
            'reasons."',
            "Greene",
        ),
        # ... but not in the tag of the quote before.
        (
            '"The rates will rise," said Megan Greene, an economist, after she told the board. '
            '"They will move for political reasons."',
            "Megan Greene",
        ),
    ],
)
def test_continued_speaker_mention(text: str, speaker: str) -> None:
    *_, last = _quotes(text)
    assert _speaker(text, last) == speaker
    assert last.speaker_name == "Megan Greene"


@pytest.mark.parametrize(
    ("text", "speaker", "name"),
    [
        # The owner of a speech noun whose that-clause the quote ends says the quote.
        (
            "Critics of the plan seized on her remark that \u201cthe ferry is finished\u201d "
            "for weeks.",
            "her",
            None,
        ),
        (
            "Mayor Ada Voss met the union. The board later rejected Voss\u2019s claim on Monday "
            "that \u201cthe vote was rigged\u201d as baseless.",
            "Voss",
            "Ada Voss",
        ),
        (
            "Tomas Brandt spoke to the pilots. They recalled his March comment that, "
            "\u201cWe will close the pier.\u201d",
            "his",
            "Tomas Brandt",
        ),
    ],
    ids=["possessive-pronoun", "possessive-name", "possessive-pronoun-resolved"],
)
def test_speech_noun_owner(text: str, speaker: str, name: str | None) -> None:
    quote = _quotes(text)[-1]
    assert _speaker(text, quote) == speaker
    assert quote.speaker_name == name


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # The subject of an absolute 'with X <participle>' owns the quote, not the main clause's.
        (
            "The rally turned loud, with Dana Lee reportedly yelling: \u201cSend them home!\u201d",
            "Dana Lee",
        ),
        (
            "Kim Sato tried to tie Bo Park to the mayor, with one of her ads asking, "
            "\u201cIs Bo Park independent?\u201d",
            "one",
        ),
        # A participle takes the subject of the nearest clause before it, past a dateline.
        (
            "HARBORTON, May 8 (AP) \u2014 In reply to the plan, the mayor\u2019s chief aide "
            "rallied the crowd, saying: \u201cWe have to be ready.\u201d",
            "the mayor\u2019s chief aide",
        ),
        (
            "The first clash came during a speech at the college, when union members "
            "interrupted her, shouting \u201cWe want the pier!\u201d again.",
            "union members",
        ),
    ],
    ids=["with-absolute", "with-absolute-partitive", "dateline", "when-clause"],
)
def test_participle_subject(text: str, speaker: str) -> None:
    quote = _only(text)
    assert _speaker(text, quote) == speaker


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # An employer named in a person's appositive or after "of" is not a he/she antecedent.
        (
            "Dana Reyes, a partner at Cobalt Ventures, took a more optimistic view. He wrote on "
            "X that the lab remained \u201cone of the best-run labs in the business.\u201d",
            "Dana Reyes",
        ),
        (
            "Dana Reyes of Cobalt Ventures was upbeat. He said \u201cthe market will recover "
            "within a year.\u201d",
            "Dana Reyes",
        ),
        (
            "Ines Varga, chief executive of Harbor Point, was upbeat. She said \u201cthe "
            "market will recover within a year.\u201d",
            "Ines Varga",
        ),
        (
            "Lia Moss, an analyst at Dune Rock, was blunt. She said \u201cthe chip will ship "
            "late again.\u201d",
            "Lia Moss",
        ),
        # An employer stays no antecedent where a later word shares its last word ("AI").
        (
            "Maya Okafor, head of research at Lumen AI, praised the decision. Priya Nandakumar, "
            "an AI policy researcher at the Halden Institute, said the departure raised hard "
            "questions. \u201cThat is a governance failure,\u201d she said.",
            "Priya Nandakumar",
        ),
    ],
    ids=["partner-at", "name-of", "role-of", "analyst-at", "employer-word-again"],
)
def test_affiliation_is_not_an_antecedent(text: str, name: str) -> None:
    quote = _only(text)
    assert quote.speaker_name == name
    assert quote.speaker_type == "person"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Hillary Clinton says Americans are hungry for what she calls \u201ca fair shot at "
            "the middle class.\u201d",
            "Hillary Clinton",
        ),
        (
            "Protesters rallied outside the plant against what they call \u201cthe war on "
            "workers and their families.\u201d",
            "Protesters",
        ),
        # No free relative: the pronoun is the speaker ("she" resolves to Clinton).
        (
            "Hillary Clinton spoke first. Later she called it \u201ca fair shot at the middle "
            "class.\u201d",
            "she",
        ),
    ],
    ids=["what-she-calls", "what-they-call", "plain-pronoun"],
)
def test_free_relative_speaker_is_the_main_subject(text: str, speaker: str) -> None:
    """'X decried what she calls "..."': the main clause's subject says the quote."""
    quote = _only(text)
    assert _speaker(text, quote) == speaker
