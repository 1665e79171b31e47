"""Quote-mark scanning: mark styles, pairing, paragraphs and repairs."""

from __future__ import annotations

from workers.extract.marks import scan_quotes


def _texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in scan_quotes(text) if s.depth == 0]


def test_straight_curly_and_doubled_single_marks() -> None:
    text = "A \"one two\" b \u201cthree four\u201d c ''five six'' d."
    assert _texts(text) == ["one two", "three four", "five six"]


def test_unclosed_quote_runs_to_paragraph_end_and_reopens() -> None:
    text = "\u201cFirst part of it.\n\n\u201cSecond part,\u201d she said."
    segments = scan_quotes(text)
    assert [text[s.start : s.end] for s in segments] == ["First part of it.", "Second part,"]
    assert segments[0].close_end is None
    assert segments[1].close_end is not None


def test_inch_mark_is_not_a_quote() -> None:
    assert _texts("The player is 6'3\" tall and fast.") == []


def test_nested_quotes_keep_their_depth() -> None:
    text = "\u201cHe told me \u201cno way\u201d at lunch,\u201d she said."
    depths = {text[s.start : s.end]: s.depth for s in scan_quotes(text)}
    assert depths["no way"] == 1
    assert depths["He told me \u201cno way\u201d at lunch,"] == 0


def test_markup_attributes_are_masked() -> None:
    text = '<tweet author="someone">Hello there</tweet> and "a real quote" here.'
    assert _texts(text) == ["a real quote"]
