"""Property tests: arbitrary Unicode never raises, and every span stays inside the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workers.extract import extract_reactions

_PIECES = st.sampled_from(
    [
        '"',
        "\u201c",
        "\u201d",
        "''",
        "'",
        ",",
        ".",
        ":",
        "\n",
        " ",
        " said ",
        " told ",
        "according to ",
        "Smith",
        "He",
        "she",
        "The senator",
        "(",
        ")",
        "\u2014",
        "adding, ",
    ]
)
_TEXT = st.one_of(st.text(max_size=400), st.lists(_PIECES, max_size=120).map("".join))


def _check_spans(text: str) -> None:
    for quote in extract_reactions(text):
        s, e = quote.quote
        assert 0 <= s <= e <= len(text)
        assert quote.text == text[s:e]
        for span in (quote.cue, quote.speaker):
            if span is not None:
                assert 0 <= span[0] < span[1] <= len(text)
        assert 0.0 <= quote.confidence <= 1.0
        assert quote.kind in ("direct", "partial", "indirect")


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_arbitrary_text_never_fails_and_spans_are_inside(text: str) -> None:
    _check_spans(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200), _TEXT)
def test_prefixes_do_not_break_offsets(prefix: str, text: str) -> None:
    _check_spans(prefix + text)
