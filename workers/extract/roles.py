"""A speaker's role and affiliation as the article writes them.

Roles come from an appositive ("Smith, a lawyer at Orbis,"; "X, the transport commissioner,"),
a relative clause ("X, who heads the transit authority,"), a title before the name ("Transport
commissioner Omar Haddad", "Retired teacher Helen Park", "FBI Director James Comey") or a name's
"of" phrase ("Dana Reyes of Cobalt Ventures"). The affiliation is the organisation the role
names, when it is a name: "at Hugging Face", "of Hyperbolic", "Alibaba's chief scientist".
"""

from __future__ import annotations

import re

from .cues import (
    CUE_FORMS,
    DETERMINERS,
    MODIFIER_PREPOSITIONS,
    POSSESSIVE_PRONOUNS,
    PRONOUNS,
    STOP_WORDS,
)
from .speakers import Mention
from .tokens import words

MAX_PRE_NAME_WORDS = 6
MAX_RELATIVE_CHARS = 120
_HONORIFICS = words("mr. mrs. ms. miss dr. mr mrs ms dr sir dame")
# Nouns that end a pre-name title ("student Amir Khan", "Transport commissioner Omar Haddad").
ROLE_HEADS = words(
    "student teacher commissioner director minister secretary spokesperson spokesman "
    "spokeswoman analyst economist researcher scientist engineer professor founder co-founder "
    "cofounder chief executive ceo cto cfo coo chair chairman chairwoman president "
    "vice-president senator sen. rep. gov. governor mayor judge justice lawyer attorney "
    "officer official adviser advisor aide nurse doctor surgeon physician pilot driver "
    "farmer owner resident worker activist organiser organizer coach captain general "
    "colonel sergeant detective inspector superintendent chancellor dean principal "
    "editor reporter writer author columnist historian lecturer fellow partner investor "
    "trader banker developer designer architect manager head lead leader member "
    "representative ambassador councillor councilor councilwoman councilman congressman "
    "congresswoman candidate nominee democrat republican veteran volunteer pastor priest "
    "rabbi imam bishop player striker midfielder goalkeeper singer actor actress artist "
    "musician rapper comedian filmmaker director-general premier chancellor treasurer "
    "auditor prosecutor sheriff firefighter paramedic technician mechanic operator "
    "consultant strategist pollster commentator host anchor producer broadcaster "
    "contributor maintainer commander admiral lieutenant major governor-general"
)
_ROLE_SUFFIXES = ("ist", "ian", "eer")
_STOPS = (
    STOP_WORDS
    | DETERMINERS
    | PRONOUNS
    | POSSESSIVE_PRONOUNS
    | frozenset(CUE_FORMS)
    | MODIFIER_PREPOSITIONS
    | words("for to according as asked")
)
_WORD = re.compile(r"[\w][\w.\-\u2019']*")
_RELATIVE = re.compile(
    r",\s+who\s+(?:(?:is|was|has\s+been)\s+(?P<be>[^,.;:\"\u201c\u201d]+)|"
    r"(?P<verb>(?:heads|headed|leads|led|runs|ran|chairs|chaired|directs|directed|manages|"
    r"managed|founded|co-founded|oversees|oversaw|teaches|taught|works|worked|represents|"
    r"represented|advises|advised|studies|studied)\s+[^,.;:\"\u201c\u201d]+))"
)
_AFFILIATION = re.compile(
    r"\b(?:at|of|for|with|from|founded|co-founded|heads|headed|leads|led|runs|ran|chairs)\s+"
    r"(?:the\s+)?"
    r"([A-Z][\w&.\-\u2019']*(?:\s+(?:of\s+|for\s+|and\s+|&\s+)?[A-Z][\w&.\-\u2019']*){0,5})"
)
_POSSESSOR = re.compile(r"^([A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})(?:'s|\u2019s)\s")
_TITLE_WORDS = words("state defense defence justice treasury health education transport")


def _is_role_head(word: str) -> bool:
    """A noun that can end a title before a name: a role lexicon word or a -ist/-ian/-eer noun."""
    low = word.lower()
    return low in ROLE_HEADS or (len(low) > 5 and low.endswith(_ROLE_SUFFIXES))


def _clean(role: str) -> str | None:
    """A role as written, a leading capitalised determiner lower-cased ("The" -> "the")."""
    role = role.strip(" ,")
    first, _, rest = role.partition(" ")
    if first in ("The", "A", "An") and rest:
        role = f"{first.lower()} {rest}"
    return role or None


def _title_before(text: str, end: int, floor: int) -> str | None:
    """The title written right before a name ending at `end` ("Retired teacher", "FBI Director").

    Words are taken back from the name while they read as a title: the one next to the name is
    a role noun, the ones before it modifiers (no function words, cue verbs or punctuation).
    """
    window = text[max(floor, end - 120) : end]
    base = end - len(window)
    found = list(_WORD.finditer(window))
    start: int | None = None
    for n, m in enumerate(reversed(found)):
        if n >= MAX_PRE_NAME_WORDS:
            break
        gap = window[m.end() : found[len(found) - n].start() if n else len(window)]
        if gap.strip():
            break
        word = m.group()
        low = word.lower().replace("\u2019", "'")
        if n == 0 and not _is_role_head(word):
            return None
        if low in _HONORIFICS:
            return None if start is None else text[base + start : end].strip()
        possessive = low.endswith("'s")
        if (low in _STOPS or low.endswith("ly")) and not possessive:
            break
        start = m.start()
    return _clean(text[base + start : end]) if start is not None else None


def role_of(text: str, mention: Mention, *, floor: int = 0) -> str | None:
    """The role of a speaker mention: appositive, relative clause, or title before the name."""
    if mention.role is not None:
        return _clean(mention.role)
    relative = _RELATIVE.match(text, mention.end, mention.end + MAX_RELATIVE_CHARS)
    if relative is not None:
        return _clean(relative.group("be") or relative.group("verb"))
    if mention.name is None:
        return None
    at = mention.text.rfind(mention.name.split()[0])  # a title may open the mention
    return _title_before(text, mention.start + at, floor) if at >= 0 else None


def affiliation_of(role: str | None) -> str | None:
    """The organisation a role names: 'at Hugging Face', 'of Hyperbolic', "Alibaba's"."""
    if role is None:
        return None
    found = [m.group(1) for m in _AFFILIATION.finditer(role)]
    found = [f for f in found if f.lower() not in _TITLE_WORDS]  # "Secretary of State"
    if found:
        return found[-1]
    owner = _POSSESSOR.match(role)
    return owner.group(1) if owner else None


def title_in_text(text: str, name: str) -> str | None:
    """The title written before the first mention of a full name anywhere in the article."""
    at = text.find(name)
    return _title_before(text, at, 0) if at > 0 and " " in name else None


def role_holder(description: str, roles: dict[str, str]) -> str | None:
    """The person whose role a definite description repeats ("the commissioner" after
    "Omar Haddad, the transport commissioner"); None when no one or several hold it."""
    if not description.lower().startswith("the "):
        return None
    wanted = description.lower().split()[1:]
    holders = [
        name
        for name, role in roles.items()
        if wanted and role.lower().replace("\u2019", "'").split()[-len(wanted) :] == wanted
    ]
    return holders[0] if len(holders) == 1 else None
