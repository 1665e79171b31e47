"""Words of a text as comparable stems, with where each one was written."""

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’][^\W_]+)?")
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ures", "ure", "ies", "ied")
_UNDOUBLED = frozenset("bdfgkmnprt")
MAX_TOKENS = 200_000
MAX_CACHED_STEMS = 200_000
# Stems of the words seen, shared by every article a worker reads (plain dict: an lru_cache
# costs more per word than the stemming it saves); cleared when it grows past the bound.
_STEMS: dict[str, str] = {}

_STOPWORD_TEXT = """
a an and are as at be been being but by for from has have had he her hers him his i in into is it
its me my of on or our ours she that the their them they this to was we were will with who whom
whose which what when where why how not no nor after before over under about above below than then
there these those up more most very can could would should may might must shall do does did done
just also around across among amid through throughout during while since until till against
between within without every each all any both either neither such own same other another only
even still yet already again ever never always often here now today yesterday tomorrow said says
say saying told tell one two three first last next new old many much some few several per via
upon onto off out so if because though although however whether whole everything something
anything nothing someone everyone
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def stem(word: str) -> str:
    """A light stem: lower case, no possessive, no common inflection ("stepping" -> "step",
    "departure" -> "depart", "resigns" -> "resign"), the same for a word however it is inflected."""
    lowered = word.lower().replace("’", "'")
    if lowered.endswith("'s"):
        lowered = lowered[:-2]
    if len(lowered) <= 3 or not lowered.isalpha():
        return lowered
    for suffix in _SUFFIXES:
        if lowered.endswith(suffix) and len(lowered) - len(suffix) >= 3:
            base = lowered[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied") else _undouble(base)
    if lowered.endswith("ed") and len(lowered) > 5:
        return _undouble(lowered[:-2])
    if lowered.endswith("es") and lowered[-3] in "hsxz":
        return lowered[:-2]
    if lowered.endswith("s") and not lowered.endswith(("ss", "us", "is")):
        lowered = lowered[:-1]
    return lowered[:-1] if lowered.endswith("e") and len(lowered) > 4 else lowered


def _undouble(base: str) -> str:
    """'stepp' -> 'step', 'quitt' -> 'quit'; a stem that lost a trailing 'e' keeps its form."""
    if len(base) > 3 and base[-1] == base[-2] and base[-1] in _UNDOUBLED:
        return base[:-1]
    return base[:-1] if base.endswith("e") and len(base) > 4 else base


@dataclass(frozen=True, slots=True)
class Tokens:
    """The stems of a text in order, with each one's character span (bounded in number) and the
    positions of each stem, so a phrase is looked up rather than scanned for."""

    stems: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    positions: dict[str, list[int]]


def tokenize(text: str) -> Tokens:
    """Every word and number of the text (at most `MAX_TOKENS`), stemmed."""
    found = list(islice(_TOKEN.finditer(text), MAX_TOKENS))
    if len(_STEMS) > MAX_CACHED_STEMS:
        _STEMS.clear()
    known = _STEMS
    stems = tuple(
        [
            known[w] if w in known else known.setdefault(w, stem(w))
            for w in map(re.Match.group, found)
        ]
    )
    positions: dict[str, list[int]] = {}
    for position, word in enumerate(stems):
        positions.setdefault(word, []).append(position)
    return Tokens(stems=stems, spans=tuple(map(re.Match.span, found)), positions=positions)


@lru_cache(maxsize=16_384)
def stems_of(phrase: str) -> tuple[str, ...]:
    """The stems of a short phrase (a keyword, a name)."""
    return tokenize(phrase).stems
