"""Indirect (reported) speech: 'Smith said the plan failed', with no quotation marks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cues import CUE_FORMS, PARTICIPLES, find_cue
from .speakers import Mention, mention_after, mention_before
from .tokens import sentence_end, sentence_start, tokenize, words

MIN_CONTENT_WORDS = 4
MAX_SENTENCE_CHARS = 600
REPORTING_LEMMAS = words(
    "say tell write add argue claim note warn insist explain suggest announce acknowledge "
    "admit predict promise recall report state confirm contend maintain"
)
_CUE_WORD_FORMS = [f for f, lemma in CUE_FORMS.items() if lemma in REPORTING_LEMMAS]


def _trie(forms: list[str]) -> str:
    """A regex for exactly these words, grouped by shared prefixes ("sa(?:id|ys)").

    The regex engine tries a flat alternation branch by branch at every word start; a trie
    reads each letter once. At each branching it tries longer words first, as a flat
    alternation sorted by length would, so it chooses the same match.
    """
    groups: dict[str, list[str]] = {}
    for form in forms:
        if form:
            groups.setdefault(form[0], []).append(form[1:])
    branches = [re.escape(first) + _trie(rest) for first, rest in sorted(groups.items())]
    if not branches:
        return ""
    alternation = "|".join(branches)
    if "" in forms:  # a form ends here: the longer ones are tried first (greedy "?")
        return f"(?:{alternation})?"
    return f"(?:{alternation})" if len(branches) > 1 else alternation


_CUE_WORD = re.compile(rf"\b{_trie(_CUE_WORD_FORMS)}\b")
_CONTENT_WORDS = re.compile(r"\w+")
_TRAILING = " \t.,;:!?)\u2019'"
CUE_WINDOW_CHARS = 160
_QUOTE_CHARS = re.compile("[\"\u201c\u201d]|''")


@dataclass(frozen=True, slots=True)
class Reported:
    """A reported-speech clause: content span, cue span and lemma, speaker mention."""

    content: tuple[int, int]
    cue: tuple[int, int]
    lemma: str
    mention: Mention


def find_reported(text: str, *, limit: int) -> list[Reported]:
    """Return up to limit reported-speech clauses, from sentences with no quotation marks."""
    found: list[Reported] = []
    done_until = -1
    for match in _CUE_WORD.finditer(text):
        if match.start() < done_until:
            continue
        lo = max(0, match.start() - MAX_SENTENCE_CHARS)
        para_start = max(lo, text.rfind("\n", lo, match.start()) + 1)
        hi = min(len(text), match.end() + MAX_SENTENCE_CHARS)
        newline = text.find("\n", match.end(), hi)
        para_end = hi if newline < 0 else newline
        start = sentence_start(text, para_start, pos=match.start())
        done_until = sentence_end(text, match.end(), hi=para_end)
        item = _reported_in(text, start, done_until, match.end())
        if item is not None:
            found.append(item)
            if len(found) >= limit:
                break
    return found


def _reported_in(text: str, start: int, end: int, cue_end: int) -> Reported | None:
    """The reported clause of one sentence, if it has a reporting cue, a speaker and content."""
    if _QUOTE_CHARS.search(text, start, end):
        return None
    tokens = tokenize(text, start, end=min(end, cue_end + CUE_WINDOW_CHARS))
    for c in range(len(tokens)):
        cue = find_cue(tokens, c)
        if cue is None or cue[1] not in REPORTING_LEMMAS or tokens[c].lower in PARTICIPLES:
            continue
        last, lemma = cue
        mention = mention_before(text, tokens, cue=c)
        if mention is None:
            return None
        k = last + 1
        if lemma == "tell":
            listener = mention_after(text, tokens, first=k, hi=len(tokens))
            while listener is not None and k < len(tokens) and tokens[k].end <= listener.end:
                k += 1
        while k < len(tokens) and tokens[k].lower in ("that", ",", ":"):
            k += 1
        if k >= len(tokens):
            return None
        content = _CONTENT_WORDS.findall(text, tokens[k].start, end)
        if len(content) < MIN_CONTENT_WORDS:
            return None
        content_end = tokens[k].start + len(text[tokens[k].start : end].rstrip(_TRAILING))
        return Reported(
            (tokens[k].start, content_end), (tokens[c].start, tokens[last].end), lemma, mention
        )
    return None
