"""Speaker mentions next to a cue, their roles, and resolution to canonical article entities."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .cues import (
    AUXILIARIES,
    DASHES,
    DETERMINERS,
    MODIFIER_PREPOSITIONS,
    NP_CONNECTORS,
    ORG_NOUNS,
    ORG_WORDS,
    PERSON_PRONOUNS,
    PERSON_TITLES,
    POSSESSIVE_PRONOUNS,
    PRONOUNS,
    SPEAKER_NOUNS,
    STOP_WORDS,
)
from .model import SpeakerType
from .tokens import ABBREVIATION_FIRSTS, ABBREVIATIONS, Token, words

MAX_NP_TOKENS = 12
MAX_APPOSITIVE_TOKENS = 25
MAX_NAME_RUNS = 5000
_CONJUNCTIONS = words(
    "but and so yet still then now however meanwhile later also instead indeed finally "
    "separately likewise ever just"
)
_CLAUSE_OPENERS = _CONJUNCTIONS | words(
    "asked when while after before if as in on at for though although because since once "
    "where here there first last today yesterday tonight earlier during with from by late "
    "early amid like over"
)
_NAME_LIKE = words("will")
_SUBORDINATORS = words("when while as after before because since once")
# Capitalised words that open a sentence but never a name ("Despite Smith", "Why Obama").
_NOT_NAME_WORDS = (
    _CLAUSE_OPENERS
    | DETERMINERS
    | words("why what how despite following outside without against unlike about through even")
)
_HARD_STOPS = frozenset(".;:!?")
# Determiners that stand for a speaker on their own after a cue ('," wrote another.').
_PRONOMINAL_DETERMINERS = words("another one some many several both")
_VERB_FILLERS = words("on like want wants need needs able going set")
MAX_TIME_TOKENS = 5
_DAYS = words("monday tuesday wednesday thursday friday saturday sunday")
_TIME_ENDS = _DAYS | words("ago yesterday today tonight")
_TIME_FILLERS = _DAYS | words(
    "on last this next early late morning afternoon evening night week weeks month months year "
    "years day days hours less more than about nearly a few one two three four five six"
)
_TIME_WORDS = words("hours days weeks months years minutes ago earlier later shortly back")
_PLACE_PREPOSITIONS = words("through across outside inside near around along into under behind")
_NOT_ROLE = words("another who which whose where when now and but")
_PARTICLES = words("de van von der da del la le bin al")
_TITLE_DETERMINERS = words("the a an")
_TITLE_WORDS = PERSON_TITLES | SPEAKER_NOUNS | words("former deputy acting assistant under")
# Role words whose "of" names an employer ("chief executive of Arden", "a partner of Cobalt").
_EMPLOYEE_ROLES = words(
    "executive founder partner head ceo director analyst investor professor spokesman "
    "spokeswoman member officer manager leader economist fellow researcher scientist engineer"
)
MAX_AFFILIATION_LOOKBACK = 40
# A name word: a title abbreviation ("Sen."), initials ("J."), or a capitalised word with no
# period, so a run never crosses a sentence end ("said Owen Price. Owen Price, a captain").
_NAME_WORD = rf"(?:(?:{ABBREVIATIONS})\.|(?:[A-Z]\.)+|[A-Z][\w\u2019'\-]*(?![\w\u2019'\-]))"
# A name word starts with a capital or an abbreviation ("vs."): the lookahead on those letters
# rejects most positions of the text at once, before the alternatives of a name word are tried.
_NAME_RUN = re.compile(
    rf"(?=[A-Z{ABBREVIATION_FIRSTS}])\b{_NAME_WORD}(?:\s+(?:(?:de|van|von|der|da|del|la|le|bin|al)\s+)*{_NAME_WORD}){{0,5}}"
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A local speaker mention: its span, its name part if any, and an appositive role."""

    start: int
    end: int
    text: str
    name: str | None
    role: str | None


def _is_head(tok: Token) -> bool:
    """True for capitalised words and speaker nouns, which can end a speaker phrase."""
    low = tok.lower
    if tok.is_capitalised:
        function_word = low in STOP_WORDS and low not in _NAME_LIKE
        return not (low in DETERMINERS or low in _CLAUSE_OPENERS or function_word)
    return low in SPEAKER_NOUNS or low.rstrip("s") in SPEAKER_NOUNS


def _is_function_word(tok: Token) -> bool:
    """Stop words and pronouns end a noun phrase; capitalised "Will" or "May" do not."""
    low = tok.lower
    return (low in STOP_WORDS and not tok.is_capitalised) or low in PRONOUNS


def _name_of(tokens: list[Token]) -> str | None:
    """Return the trailing run of capitalised tokens (titles dropped) as a name."""
    parts: list[str] = []
    for tok in reversed(tokens):
        if tok.is_capitalised or (parts and tok.lower in _PARTICLES):
            parts.append(tok.text)
        else:
            break
    parts.reverse()
    return _person_name(parts)


def _person_name(parts: list[str]) -> str | None:
    """Drop leading titles and role words ("FBI Director James Comey" gives "James Comey")."""
    cut = 0
    for n, part in enumerate(parts[:-1]):
        low = part.lower()
        if low in PERSON_TITLES or low in SPEAKER_NOUNS or low in _NOT_NAME_WORDS:
            cut = n + 1
    parts = parts[cut:]
    if not parts:
        return None
    return " ".join(parts).replace("\u2019s", "").replace("'s", "")


def _mention(text: str, tokens: list[Token], role: str | None) -> Mention | None:
    """Build a mention from noun-phrase tokens, trimming clause openers."""
    while len(tokens) > 1 and tokens[0].lower in _CLAUSE_OPENERS:
        tokens = tokens[1:]
    while tokens and not tokens[-1].is_word:
        tokens = tokens[:-1]
    lone = len(tokens) == 1 and tokens[0].lower not in _PRONOMINAL_DETERMINERS
    if not tokens or (lone and tokens[0].lower in _CLAUSE_OPENERS | DETERMINERS):
        return None
    start, end = tokens[0].start, tokens[-1].end
    employer = _employer_split(tokens)
    if employer > 0:  # "Dana Reyes of Cobalt Ventures": the person, and the rest as role
        name = _run_person(text[start : tokens[employer - 1].end])
        if name is not None:
            return Mention(
                start, end, text[start:end], name, role or text[tokens[employer].start : end]
            )
    return Mention(start, end, text[start:end], _name_of(tokens), role)


def _employer_split(tokens: list[Token]) -> int:
    """Index of 'of' in 'Name Surname of (the) Org' (capitalised words on both sides), else 0."""
    for k in range(2, len(tokens) - 1):
        if tokens[k].lower != "of":
            continue
        rest = tokens[k + 1 :]
        if rest and rest[0].lower == "the":
            rest = rest[1:]
        before = tokens[:k]
        if len(before) == 1 or (
            before[-1].lower in PERSON_TITLES and before[-2].lower in _TITLE_WORDS
        ):
            return 0  # "Secretary of State", "Former Secretary of State Madeleine Albright"
        if rest and all(t.is_capitalised for t in before + rest):
            return k
        return 0
    return 0


def _np_start(tokens: list[Token], j: int, lo: int) -> int:
    """Return where the noun phrase ending at tokens[j] starts (j + 1 when there is none)."""
    start = j + 1
    i = j
    while i >= lo and j - i < MAX_NP_TOKENS:
        tok = tokens[i]
        low = tok.lower
        if low in DETERMINERS and not _of_the_organisation(tokens, i, lo=lo, start=start):
            return i
        if low in DETERMINERS:  # "Greta Lowe of the Dock Workers Union": on to the person
            i -= 1
            continue
        if not tok.is_word or _is_function_word(tok):
            break
        if _is_head(tok) or (start <= j and low.endswith(("'s", "s'"))):
            start = i
        else:
            after_name = start <= j and tokens[start].is_capitalised
            modifier = low in NP_CONNECTORS or tok.text[0].islower() or tok.text[0].isdigit()
            if (after_name and low not in NP_CONNECTORS) or not modifier:
                break
        i -= 1
    return start


def _of_the_organisation(tokens: list[Token], i: int, *, lo: int, start: int) -> bool:
    """True when tokens[i] is the "the" of "NAME of the Org" before a capitalised phrase."""
    return (
        tokens[i].lower == "the"
        and i - 2 >= lo
        and tokens[i - 1].lower == "of"
        and tokens[i - 2].is_capitalised
        and start == i + 1
        and tokens[start].is_capitalised
    )


def _skip_group(tokens: list[Token], j: int, lo: int) -> int:
    """Skip back over a parenthesised group ending at tokens[j]; return the index before it."""
    k = j - 1
    while k >= lo and j - k < MAX_APPOSITIVE_TOKENS:
        if tokens[k].text == "(":
            return k - 1
        k -= 1
    return j


def _skip_auxiliaries(tokens: list[Token], j: int, lo: int) -> int:
    """Move back over auxiliaries and adverbs ("has also", "repeatedly") before a cue."""
    while j >= lo and (
        tokens[j].lower in AUXILIARIES
        or (tokens[j].lower.endswith("ly") and tokens[j].text[0].islower())
    ):
        j -= 1
    return j


def _skip_verb_chain(tokens: list[Token], j: int, lo: int) -> int:
    """Move back over 'was prompted', 'went on' before 'to say' (at most three words)."""
    for _ in range(3):
        j = _skip_auxiliaries(tokens, j, lo)
        if j < lo:
            return j
        low = tokens[j].lower
        if not (low.endswith(("ed", "ing")) or low in _VERB_FILLERS):
            return j
        j -= 1
    return j


def _skip_time(tokens: list[Token], j: int, lo: int) -> int:
    """Move back over a time phrase before a cue ("on Monday", "less than two weeks ago")."""
    if j < lo or tokens[j].lower not in _TIME_ENDS:
        return j
    k = j - 1
    while (
        k >= lo
        and j - k <= MAX_TIME_TOKENS
        and (tokens[k].lower in _TIME_FILLERS or tokens[k].lower.isdigit())
    ):
        k -= 1
    return _skip_auxiliaries(tokens, k, lo)


def _skip_dashes(tokens: list[Token], j: int, lo: int) -> int:
    """Move back over a dash-delimited appositive ("Smith - a former aide - told")."""
    if j < lo or tokens[j].text not in DASHES:
        return j
    for k in range(j - 1, max(lo, j - MAX_APPOSITIVE_TOKENS) - 1, -1):
        if tokens[k].text in DASHES:
            return k - 1
        if tokens[k].text in _HARD_STOPS:
            break
    return j


def mention_before(text: str, tokens: list[Token], *, cue: int, lo: int = 0) -> Mention | None:
    """Find the subject mention before tokens[cue], looking past auxiliaries and appositives."""
    j = _skip_dashes(tokens, _skip_time(tokens, _skip_auxiliaries(tokens, cue - 1, lo), lo), lo)
    if j >= lo and tokens[j].lower == "to":
        k = _skip_verb_chain(tokens, j - 1, lo)
        if k < lo or not (_pronoun(tokens[k]) or _is_head(tokens[k])):
            return clause_subject(text, tokens, lo=lo, cue=j)
        j = k
    if j >= lo and tokens[j].lower in ("and", "but"):
        return clause_subject(text, tokens, lo=lo, cue=j)
    if j >= lo and tokens[j].text == ")":
        j = _skip_group(tokens, j, lo)
    if j < lo:
        return None
    tok = tokens[j]
    pronoun = _pronoun(tok)
    if pronoun is not None:
        return pronoun
    if tok.text == ",":
        return _subject_before_appositives(text, tokens, lo, j)
    if not _is_head(tok) and not _determined(tokens, j, lo):
        return None
    start = _np_start(tokens, j, lo)
    if start > j:
        return None
    if start - 2 >= lo and tokens[start - 1].lower in MODIFIER_PREPOSITIONS | _PLACE_PREPOSITIONS:
        # "Protesters marching through the streets chanted": the subject before the phrase.
        k = start - 1
        if k - 2 >= lo and tokens[k - 1].lower.endswith("ing") and tokens[k - 1].text[0].islower():
            k -= 1
        found = mention_before(text, tokens, cue=k, lo=lo)
        if found is not None or tokens[start - 1].lower in MODIFIER_PREPOSITIONS:
            return found
    return _mention(text, tokens[start : j + 1], None)


def noun_phrase_before(text: str, tokens: list[Token], *, cue: int) -> Mention | None:
    """The pronoun or noun phrase right before tokens[cue], past auxiliaries and adverbs."""
    j = _skip_auxiliaries(tokens, cue - 1, 0)
    if j < 0:
        return None
    pronoun = _pronoun(tokens[j])
    if pronoun is not None:
        return pronoun
    if not _is_head(tokens[j]) and not _determined(tokens, j, 0):
        return None
    start = _np_start(tokens, j, 0)
    return _mention(text, tokens[start : j + 1], None) if start <= j else None


def possessor(text: str, tokens: list[Token], *, at: int) -> Mention | None:
    """The owner named by tokens[at] when it is possessive ("his", "Bill O'Reilly's"), else None."""
    tok = tokens[at]
    if tok.lower in POSSESSIVE_PRONOUNS:
        return Mention(tok.start, tok.end, tok.text, None, None)
    if not tok.lower.endswith(("'s", "\u2019s")):
        return None
    owner = _mention(text, tokens[_np_start(tokens, at, 0) : at + 1], None)
    if owner is None:
        return None
    end = owner.end - 2
    return Mention(owner.start, end, text[owner.start : end], owner.name, None)


def _pronoun(tok: Token) -> Mention | None:
    """A pronoun mention, also inside a contraction ("he's said" gives "he")."""
    word = tok.lower.split("'", 1)[0]
    if word not in PRONOUNS:
        return None
    return Mention(tok.start, tok.start + len(word), tok.text[: len(word)], None, None)


def _determined(tokens: list[Token], j: int, lo: int) -> bool:
    """True for 'the new attendee': a determiner a few lower-case words before tokens[j]."""
    for k in range(j - 1, max(lo, j - 4) - 1, -1):
        if tokens[k].lower in DETERMINERS:
            return True
        tok = tokens[k]
        if not tok.is_word or not tok.text[0].islower() or tok.lower in STOP_WORDS:
            return False
    return False


def _subject_before_appositives(
    text: str, tokens: list[Token], lo: int, comma: int
) -> Mention | None:
    """Resolve 'Smith, 45, a lawyer in Ohio, said': the first noun-phrase chunk is the subject."""
    first = max(lo, comma - MAX_APPOSITIVE_TOKENS)
    for k in range(comma - 1, first - 1, -1):
        if tokens[k].text in _HARD_STOPS:
            first = k + 1
            break
    bounds = [first - 1] + [k for k in range(first, comma) if tokens[k].text == ","] + [comma]
    titled = _name_after_title(text, tokens, bounds)
    if titled is not None:
        return titled
    for n in range(len(bounds) - 1):
        a, b = bounds[n] + 1, bounds[n + 1]
        if a >= b or tokens[a].lower in _CLAUSE_OPENERS | NP_CONNECTORS | STOP_WORDS:
            continue
        j = b - 1
        if tokens[j].text == ")":
            j = _skip_group(tokens, j, a)
        if j < a:
            continue
        if tokens[j].lower in PRONOUNS and j == a:
            return Mention(tokens[j].start, tokens[j].end, tokens[j].text, None, None)
        if tokens[a].lower in _CONJUNCTIONS and a < j:
            a += 1
        start = _np_start(tokens, j, a)
        if start != a:
            continue
        role = _role_text(text, tokens, bounds[n + 1 :])
        return _mention(text, tokens[start : j + 1], role)
    return clause_subject(text, tokens, lo=lo, cue=comma)


def _name_after_title(text: str, tokens: list[Token], bounds: list[int]) -> Mention | None:
    """'The transport commissioner, Omar Haddad, said': the name, with the first chunk as role."""
    if len(bounds) < 3:
        return None
    title = tokens[bounds[0] + 1 : bounds[1]]
    name = tokens[bounds[1] + 1 : bounds[2]]
    if len(title) < 2 or title[0].lower not in _TITLE_DETERMINERS or not 2 <= len(name) <= 4:
        return None
    if not all(t.is_capitalised and t.is_word for t in name):
        return None
    person = _run_person(text[name[0].start : name[-1].end])
    if person is None:
        return None
    role = text[title[0].start : title[-1].end]
    return Mention(name[0].start, name[-1].end, text[name[0].start : name[-1].end], person, role)


def clause_subject(
    text: str, tokens: list[Token], *, lo: int, cue: int, nearest: bool = False
) -> Mention | None:
    """The subject opening the clause of a participle cue ("On Monday, Smith left, saying").
    With nearest, the last clause's subject ('..., when aides cut in, shouting' gives aides)."""
    openers = _CONJUNCTIONS | _SUBORDINATORS if nearest else _CONJUNCTIONS
    first = max(lo, cue - 2 * MAX_APPOSITIVE_TOKENS)
    for k in range(cue - 1, first - 1, -1):
        if tokens[k].text in _HARD_STOPS:
            first = k + 1
            break
    a = first
    found: Mention | None = None
    while a < cue:
        b = a
        while b < cue and tokens[b].text != ",":
            b += 1
        if tokens[a].lower in openers and a + 1 < b:
            a += 1
        if tokens[a].lower not in _CLAUSE_OPENERS | NP_CONNECTORS | STOP_WORDS and a < b:
            mention = mention_after(text, tokens, first=a, hi=b)
            if mention is not None and _starts_clause(tokens, mention, b, first=a == first):
                if not nearest:
                    return mention
                found = mention
        a = b + 1
    return found


def _starts_clause(tokens: list[Token], mention: Mention, b: int, *, first: bool) -> bool:
    """True when a verb-like word follows the mention ("Smith told"), not "Back in 1999"."""
    words = mention.text.lower().split()
    if any(w in _TIME_WORDS for w in words):
        return False
    for k in range(b):
        if tokens[k].start >= mention.end:
            nxt = tokens[k]
            return nxt.is_word and nxt.text[0].islower() and nxt.lower not in MODIFIER_PREPOSITIONS
    return first and mention.text[:1].isupper()


def _role_text(text: str, tokens: list[Token], commas: list[int]) -> str | None:
    """The first appositive after a name that reads as a role ("a contributor to Qwen")."""
    for n in range(len(commas) - 1):
        chunk = tokens[commas[n] + 1 : commas[n + 1]]
        if not chunk:
            continue
        first = chunk[0].lower
        if first in _NOT_ROLE or first.isdigit() or first in PRONOUNS:
            continue
        if all(t.is_capitalised or not t.is_word for t in chunk) and len(chunk) <= 3:
            continue
        return text[chunk[0].start : chunk[-1].end]
    return None


def mention_after(text: str, tokens: list[Token], *, first: int, hi: int) -> Mention | None:
    """Find the mention that starts at tokens[first] ("said Smith, a spokesman for X")."""
    if first >= hi:
        return None
    tok = tokens[first]
    if tok.lower in PRONOUNS:
        return Mention(tok.start, tok.end, tok.text, None, None)
    if tok.lower in _DAYS or tok.lower in _TIME_WORDS:
        return None
    last = -1
    j = first
    while j < hi and j - first < MAX_NP_TOKENS:
        cur = tokens[j]
        low = cur.lower
        if not cur.is_word or _is_function_word(cur):
            break
        if _is_head(cur):
            last = j
        elif low in NP_CONNECTORS:
            if last < 0 or not (tokens[last].lower in SPEAKER_NOUNS or low == "of"):
                break
        else:
            modifier = low in DETERMINERS or cur.text[0].islower() or cur.text[0].isdigit()
            late_determiner = low in DETERMINERS and j > first and last < 0
            if (last >= 0 and low not in DETERMINERS) or not modifier or late_determiner:
                break
        j += 1
    if last < 0 and j > first and tokens[first].lower in DETERMINERS:
        last = j - 1 if not tokens[j - 1].is_capitalised else -1
    if last < 0:
        return None
    role = None
    if last + 2 < hi and tokens[last + 1].text == ",":
        k = last + 2
        while k < hi and k - last < MAX_APPOSITIVE_TOKENS and tokens[k].text not in _HARD_STOPS:
            k += 1
        commas = [last + 1] + [m for m in range(last + 2, k) if tokens[m].text == ","] + [k]
        role = _role_text(text, tokens, commas)
    return _mention(text, tokens[first : last + 1], role)


@dataclass(slots=True)
class Registry:
    """Names seen in an article, so surnames, titles and pronouns resolve to a full name."""

    by_last: dict[str, str]
    by_first: dict[str, str]
    persons: list[tuple[int, str]]

    def canonical(self, name: str) -> str:
        """Return the longest full name in the article sharing the last word of name."""
        parts = name.split()
        while len(parts) > 1 and parts[0].lower() in PERSON_TITLES:  # not "Peter T. King"
            parts = parts[1:]
        if not parts or parts[0].lower() in PERSON_TITLES:
            return name
        full = self.by_last.get(parts[-1])
        if full and (len(parts) == 1 or full.endswith(" ".join(parts))):
            return full
        if len(parts) == 1 and parts[0] in self.by_first:
            return self.by_first[parts[0]]
        return " ".join(parts)

    def person_before(self, pos: int) -> str | None:
        """Return the last person named before pos."""
        lo, hi = 0, len(self.persons)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.persons[mid][0] < pos:
                lo = mid + 1
            else:
                hi = mid
        return self.persons[lo - 1][1] if lo else None


def resolve_name(mention: Mention, registry: Registry) -> str | None:
    """The canonical name a mention stands for: a pronoun's antecedent, a person's full name."""
    low = mention.text.lower()
    if low in ("he", "she", "i", "who", "his", "her"):
        return registry.person_before(mention.start)
    if mention.name is not None:
        return (
            registry.canonical(mention.name) if speaker_type(mention) == "person" else mention.name
        )
    return mention.text if low not in ("they", "it", "we", "you", "which") else None


def is_organisation(name: str) -> bool:
    """Guess whether a name or noun phrase denotes an organisation."""
    words = [w.lower().strip(".,") for w in name.split()]
    if not words:
        return False
    if words[0] in PERSON_TITLES:
        return False
    return (
        any(w in ORG_WORDS for w in words)
        or words[-1] in ORG_NOUNS
        or (words[0] == "the" and (words[-1] not in SPEAKER_NOUNS or words[-1] in ORG_NOUNS))
    )


CACHED_RUN_CHARS = 100
"""Name runs up to this many characters are remembered (4096 of them, with their names: < 1 MB)."""


@lru_cache(maxsize=4096)
def _run_person_cached(run: str) -> str | None:
    """`_run_person`, remembered per process: articles repeat their names run after run."""
    return _run_person(run)


def _run_person(run: str) -> str | None:
    """The person name of a capitalised run (titles dropped); None for an organisation."""
    name = _person_name(run.split())
    return None if not name or is_organisation(name) else name


def _affiliation(text: str, start: int) -> bool:
    """True when the name run at start is an employer, so not a he/she antecedent.

    It follows "at", a role word and "of", or a name and "of" ("Secretary of" is a title).
    """
    if text[max(0, start - 3) : start] not in ("at ", "of "):
        return False
    tail = text[max(0, start - MAX_AFFILIATION_LOOKBACK) : start].split()[-2:]
    if tail[-1:] == ["at"]:
        return True
    if len(tail) < 2 or tail[1] != "of":
        return False
    word = tail[0].rstrip(",")
    if word[:1].isupper():
        return word.lower() not in PERSON_TITLES
    return word in _EMPLOYEE_ROLES


def build_registry(text: str, extra: str | None = None) -> Registry:
    """Collect the person names of an article (and its title) in order of appearance."""
    by_last: dict[str, str] = {}
    by_first: dict[str, str] = {}
    runs: list[tuple[int, str]] = []  # position, last word of the name
    employers: set[str] = set()  # names seen as someone's employer ("at Lumen AI")
    named: set[str] = set()  # full names seen elsewhere
    for source, positional in ((text, True), (extra or "", False)):
        for n, m in enumerate(_NAME_RUN.finditer(source)):
            if n >= MAX_NAME_RUNS:
                break
            run = m.group()
            name = _run_person_cached(run) if len(run) <= CACHED_RUN_CHARS else _run_person(run)
            if name is None:
                continue
            parts = name.split()
            last = parts[-1]
            if 2 <= len(parts) <= 4:
                if last not in by_last or len(name) > len(by_last[last]):
                    by_last[last] = name
                by_first.setdefault(parts[0], name)
            if positional and _affiliation(source, m.start()):
                employers.add(name)
            elif positional:
                runs.append((m.start(), last))
                if len(parts) > 1:
                    named.add(name)
    # An organisation is never a he/she antecedent, also where a later run shares its last word
    # ("an AI policy researcher" after "head of research at Lumen AI"); a full name written
    # outside an employer's place too is a person ("a member of Hillary Clinton's team").
    employers -= named
    persons = [
        (pos, by_last[last])
        for pos, last in runs
        if last in by_last and by_last[last] not in employers
    ]
    return Registry(by_last, by_first, persons)


def speaker_type(mention: Mention) -> SpeakerType | None:
    """Classify a mention as a person or an organisation (None when unknown)."""
    low = mention.text.lower()
    if low in PERSON_PRONOUNS or low in ("who",):
        return "person"
    if low in ("it", "which"):
        return "organisation"
    if low in PRONOUNS:
        return None
    return "organisation" if is_organisation(mention.text) else "person"
