"""What a resolved speaker is: a person, an organisation, or a description the article leaves
unnamed ("two people briefed", "Critics", "a spokesperson"), and which organisation an anaphor
such as "the company" or "officials at X" stands for.

The evidence is the article's own wording: organisation heads in the name ("Northwind Labs",
"the Transport Ministry"), "X said in a statement", X as someone's employer ("at X", "chief
executive of X"), an appositive or a pre-name noun calling X a company ("X, the chipmaker,",
"the startup X"), or X as the subject of a business verb ("X launched"). An anaphor takes the
nearest such organisation before it whose name fits its head ("the ministry" a Ministry).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .cues import ORG_WORDS, PERSON_PRONOUNS, PRONOUNS, SPEAKER_NOUNS
from .model import SpeakerType
from .speakers import Mention, Registry
from .tokens import words

MAX_ORG_RUNS = 5000
MAX_AFTER_CHARS = 80
# Last words of organisation names, beyond the media and institution words of ORG_WORDS.
ORG_HEADS = ORG_WORDS | words(
    "labs lab laboratory laboratories systems technologies technology ventures capital partners "
    "holdings industries solutions software robotics ai inc ltd ltd. plc gmbh llp ag sa "
    "airlines airways motors energy pharmaceuticals therapeutics networks media studios games "
    "authority authorities police force army navy ministry directorate parliament government "
    "school hospital clinic museum library observatory exchange"
)
# Heads of an anaphor that stands for any organisation named before it ("the company said").
GENERIC_ANAPHORS = words(
    "company firm startup start-up lab maker developer giant carrier retailer insurer "
    "lender chipmaker automaker publisher outlet business organisation organization operator "
    "platform provider manufacturer supplier"
)
# Words of a public body's name, which "the company" or "the firm" does not stand for.
_PUBLIC_WORDS = words(
    "senate house congress court party committee campaign administration department ministry "
    "university college school agency commission council government parliament police"
)
_BUSINESS_ANAPHORS = GENERIC_ANAPHORS - words("organisation organization outlet platform")
MAX_ANAPHOR_WORDS = 3
MAX_ANTECEDENT_CHARS = 2000
# Heads of an anaphor that needs the same head in the name ("the ministry": a Ministry).
NAMED_ANAPHORS = words(
    "ministry department agency university institute foundation commission council bank "
    "authority court agency bureau office union party committee campaign administration "
    "hospital school museum airline government"
)
# Nouns for people whose speech is the organisation's when they work for it.
_STAFF_NOUNS = words(
    "officials official spokesperson spokesman spokeswoman representative representatives "
    "staff executives employees people sources source aides officers engineers researchers"
)
# Capitalised words of dates, never an organisation ("resigned on Monday, the company said").
_CALENDAR_WORDS = words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december today yesterday tomorrow"
)
# Capitalised one-word subjects that describe people, not name them ("Critics said").
DESCRIPTION_WORDS = SPEAKER_NOUNS | words(
    "staff rivals critics officials residents protesters observers experts employees workers "
    "users fans investors insiders observers organisers organizers opponents proponents "
    "advocates skeptics sceptics economists engineers researchers scientists developers "
    "executives parents teachers students doctors nurses witnesses neighbours neighbors "
    "activists locals commuters passengers customers viewers readers listeners others many "
    "some several both most few all everyone somebody someone nobody"
)
_BUSINESS_VERBS = (
    "launched|released|announced|unveiled|shipped|introduced|acquired|reported|confirmed|"
    "raised|posted|launches|releases|announces|unveils|ships|introduces|acquires|reports|"
    "confirms|raises|posts|said in a statement|says in a statement"
)
# A capitalised word ("GunBroker.com" keeps its inner dot); names never cross a line or a period.
_CAP = r"[A-Z][\w&\u2019'\-]*(?:\.\w+)*"
_ORG_NAME = rf"{_CAP}(?:[ \t]+(?:of[ \t]+|for[ \t]+|and[ \t]+|&[ \t]+|de[ \t]+)?{_CAP}){{0,5}}"
_ORG_RUN = re.compile(rf"(?<![\w.])(?:[Tt]he\s+)?({_ORG_NAME})")
_AFTER_STAFF = re.compile(rf"\s+(?:at|of|for|from|with)\s+(?:the\s+)?({_ORG_NAME})")
_PRE_NAME_NOUN = re.compile(
    r"\b(?:company|firm|startup|start-up|group|lab|maker|developer|giant|chipmaker|"
    r"automaker|carrier|retailer|publisher|agency)\s+$"
)
# Anaphor heads that as an appositive describe a person as often ("Leo Fontaine, an independent
# developer,"), so they are no organisation evidence there; nor is a possessive one ("Graham
# Whitcombe, the company's chief executive,").
_PERSON_LIKE_HEADS = words("developer operator publisher")
_APPOSITIVE_NOUN = re.compile(
    rf"^,\s+(?:the|a|an)\s+(?:[\w\-]+\s+){{0,3}}"
    rf"(?:{'|'.join(sorted(GENERIC_ANAPHORS - _PERSON_LIKE_HEADS))})\b(?!['’]s)"
)
_SUBJECT_VERB = re.compile(rf"^\s+(?:(?:has|had|have|also|then|on \w+)\s+)*(?:{_BUSINESS_VERBS})\b")


@dataclass(slots=True)
class Organisations:
    """Organisation evidence of one article, computed on first use and remembered per name."""

    text: str
    title: str
    registry: Registry
    _found: list[tuple[int, str]] | None = None
    _known: dict[str, bool] = field(default_factory=dict)

    def named(self) -> list[tuple[int, str]]:
        """(position, name) of every name run with organisation evidence, in text order."""
        if self._found is None:
            self._found = [(-1, name) for _, name in self._scan(self.title)] + self._scan(self.text)
        return self._found

    def is_named(self, name: str) -> bool:
        """Whether the article gives organisation evidence for this name (any occurrence)."""
        if is_organisation_name(name):
            return True
        known = self._known.get(name)
        if known is None:
            known = any(self._evidence(name, at) for at in _occurrences(self.text, name))
            self._known[name] = known
        return known

    def before(self, pos: int, head: str) -> str | None:
        """The nearest organisation before pos that an anaphor with this head can stand for."""
        for at, name in reversed(self.named()):
            if at >= pos:
                continue
            if at >= 0 and pos - at > MAX_ANTECEDENT_CHARS:
                break
            parts = name.lower().split()
            if head in _BUSINESS_ANAPHORS and any(w in _PUBLIC_WORDS for w in parts):
                continue
            if head in GENERIC_ANAPHORS or head in parts:
                return name
        return None

    def _scan(self, text: str) -> list[tuple[int, str]]:
        """Name runs of text with organisation evidence in their own words or their context."""
        out: list[tuple[int, str]] = []
        for n, m in enumerate(_ORG_RUN.finditer(text)):
            if n >= MAX_ORG_RUNS:
                break
            name, start = m.group(1).rstrip("."), m.start(1)
            if name.endswith(("\u2019s", "'s")):
                name = name[:-2]
            person, of, employer = name.partition(" of ")
            if of and self.registry.by_last.get(person.split()[-1]):  # "Dana Reyes of Cobalt"
                name, start = employer, start + len(person) + len(of)
            parts = name.split()
            if not parts or parts[0].lower() in DESCRIPTION_WORDS | _CALENDAR_WORDS:
                continue
            if is_organisation_name(name) or self._evidence(name, start, text):
                out.append((start, name))
        return out

    def _evidence(self, name: str, start: int, text: str | None = None) -> bool:
        """'the startup X', 'X, the chipmaker,', 'at X' (not inside a quoted title: "Reasoning at
        Scale,”"); for a name that is no known person also 'X launched' and 'X said in a
        statement'."""
        text = self.text if text is None else text
        before = text[max(0, start - 30) : start]
        after = text[start + len(name) : start + len(name) + MAX_AFTER_CHARS]
        quoted_title = after[:2].lstrip(",.").startswith(("”", '"', "’"))
        if (
            _PRE_NAME_NOUN.search(before)
            or _APPOSITIVE_NOUN.match(after)
            or (before.endswith((" at ", " at the ")) and not quoted_title)
        ):
            return True
        person = self.registry.by_last.get(name.split()[-1])
        return person is None and _SUBJECT_VERB.match(after) is not None


def _occurrences(text: str, name: str) -> list[int]:
    """Start offsets of name in text as a whole word (at most MAX_ORG_RUNS)."""
    out: list[int] = []
    at = text.find(name)
    while at >= 0 and len(out) < MAX_ORG_RUNS:
        end = at + len(name)
        if (at == 0 or not text[at - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            out.append(at)
        at = text.find(name, end)
    return out


@lru_cache(maxsize=4096)
def is_organisation_name(name: str) -> bool:
    """Whether a name carries an organisation head word ("Northwind Labs", "Transport Ministry").

    Remembered per process (4096 names, well under 1 MB): articles repeat their names."""
    parts = [w.lower().strip(".,") for w in name.split()]
    return bool(parts) and (parts[-1] in ORG_HEADS or any(w in ORG_WORDS for w in parts))


def classify(
    mention: Mention, name: str | None, *, text: str, organisations: Organisations
) -> tuple[str | None, SpeakerType | None]:
    """(name, kind) of a resolved speaker; an organisation anaphor takes its antecedent's name."""
    low = mention.text.lower()
    if low in PERSON_PRONOUNS or low == "who":
        return name, "person"
    if low in ("it", "which"):
        return name, "organisation"
    if low in PRONOUNS:
        return name, None
    head = low.split()[-1] if low.split() else low
    if head in _STAFF_NOUNS:
        staff = _AFTER_STAFF.match(text, mention.end, mention.end + MAX_AFTER_CHARS)
        if staff is not None and organisations.is_named(staff.group(1)):
            return staff.group(1), "organisation"
    if mention.name is None or mention.name.lower() in DESCRIPTION_WORDS:
        short = len(low.split()) <= MAX_ANAPHOR_WORDS and "'" not in low and "\u2019" not in low
        if (
            short
            and low.startswith("the ")
            and (head in GENERIC_ANAPHORS or head in NAMED_ANAPHORS)
        ):
            antecedent = organisations.before(mention.start, head)
            if antecedent is not None:
                return antecedent, "organisation"
        return name, "description"
    if organisations.is_named(mention.name) or (name and organisations.is_named(name)):
        return name, "organisation"
    return name, "person"
