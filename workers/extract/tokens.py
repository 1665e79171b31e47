"""A small word tokenizer and sentence-boundary finder over bounded windows of text."""

from __future__ import annotations

import re
from typing import NamedTuple

ABBREVIATIONS = (
    "Mr|Mrs|Ms|Dr|Sen|Gov|Rep|Lt|Gen|Col|Sgt|Capt|Jr|Sr|St|Rev|Prof|Adm|Maj|Amb|Sec|Pres|Atty|"
    "Sens|Reps|Govs|Gens|Mt|Ft|No|Vol|Inc|Corp|Co|Ltd|vs|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec"
)
# First letters of the abbreviations: a lookahead on them skips trying the abbreviations
# at most positions (the regexes below run over every word).
ABBREVIATION_FIRSTS = "".join(sorted({a[0] for a in ABBREVIATIONS.split("|")}))
# `\w++` (possessive) in the dotted-word branch ("U.S.-based."): a word must end before its
# `-` or `.` anyway, so no match changes, and a plain word is not rescanned letter by letter.
_TOKEN = re.compile(
    rf"(?:[A-Z]\.){{2,}}|[A-Z][a-z]{{1,4}}\.(?=,|\s+[a-z])|\w++(?:[\-.]\w++)+\.(?=[),])|(?=[{ABBREVIATION_FIRSTS}])(?:{ABBREVIATIONS})\.|[A-Z]\.(?=\s?[A-Z])|\w+(?:[\u2019'\-.]\w+)*(?:(?<=s)[\u2019'](?!\w))?|[^\w\s]"
)
_BOUNDARY = re.compile(r"[.!?]+[\"\u201d\u2019')\]]*\s+(?=[\"\u201c\u2018'(\[]*[A-Z0-9])")
_ABBREV_END = re.compile(rf"(?:\b(?:{ABBREVIATIONS})|\b[A-Z]|(?:[A-Z]\.)+[A-Z])$")


class Token(NamedTuple):
    """A word or punctuation token with its character span and lower-cased form.

    `lower` has curly apostrophes made straight; it is computed once because the rules read it
    dozens of times per token (a named tuple, as tokens are built by the thousand per article).
    """

    start: int
    end: int
    text: str
    lower: str

    @property
    def is_capitalised(self) -> bool:
        """True for words starting with an upper-case letter."""
        return self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        """True for word tokens (not punctuation)."""
        return self.text[:1].isalnum()


_new_tuple = tuple.__new__


def tokenize(text: str, start: int, *, end: int) -> list[Token]:
    """Split text[start:end] into tokens with absolute offsets.

    Tokens are built with `tuple.__new__` (what `Token._make` does): a named tuple's own
    constructor costs a Python-level call per token, a fifth of the tokenizer's time.
    """
    return [
        _new_tuple(Token, (m.start(), m.end(), word, word.lower().replace("\u2019", "'")))
        for m in _TOKEN.finditer(text, start, end)
        for word in (m.group(),)
    ]


def sentence_start(text: str, lo: int, *, pos: int) -> int:
    """Return the start of the sentence holding pos, searching no further back than lo."""
    best = lo
    for m in _BOUNDARY.finditer(text, lo, min(len(text), pos + 4)):
        if m.end() > pos:
            break
        if _ABBREV_END.search(text, max(lo, m.start() - 6), m.start()) and m.group()[0] == ".":
            continue
        best = m.end()
    return best


def sentence_end(text: str, pos: int, *, hi: int) -> int:
    """Return the end of the sentence starting at or before pos, searching up to hi."""
    for m in _BOUNDARY.finditer(text, pos, hi):
        if _ABBREV_END.search(text, max(pos, m.start() - 6), m.start()) and m.group()[0] == ".":
            continue
        return m.start() + 1
    return hi


def words(text: str) -> frozenset[str]:
    """A word set from a space-separated literal (keeps long lexicons readable)."""
    return frozenset(text.split())
