"""Names of speakers: the identity key that folds one person's spellings together, and whether
a resolved speaker names someone at all or only describes them."""

import re
import unicodedata

_HONORIFIC = re.compile(r"^(mr|mrs|ms|dr|sen|rep|gov|prof|sir|dame)\.?\s+", re.IGNORECASE)
# Words written before a name that describe the person rather than name them.
_DESCRIPTORS = frozenset(
    [
        "republican",
        "democrat",
        "democratic",
        "gop",
        "president",
        "former",
        "senator",
        "governor",
        "candidate",
        "presidential",
        "nominee",
        "vice",
        "secretary",
        "rep",
        "sen",
        "gov",
        "congressman",
        "congresswoman",
        "speaker",
        "mayor",
        "chairman",
        "leader",
        "ambassador",
        "general",
        "justice",
        "judge",
    ]
)
# Lower-case words that belong inside names ("Charles de Gaulle", "Ludwig van Beethoven").
_NAME_PARTICLES = frozenset(
    [
        "de",
        "da",
        "di",
        "del",
        "der",
        "van",
        "von",
        "bin",
        "ibn",
        "al",
        "el",
        "la",
        "le",
        "du",
        "dos",
        "das",
        "y",
    ]
)


def name_key(name: str) -> str:
    """The identity key of a name: case-, accent-, honorific- and middle-initial-insensitive.

    "Mr. José Núñez" and "jose nunez" share a key, and so do "Donald J. Trump", "Republican
    Donald Trump" and "Donald Trump"; "Bill Clinton" and "Hillary Clinton" do not.
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    folded = _HONORIFIC.sub("", " ".join(folded.split()))
    words = re.sub(r"[^\w\s'-]", "", folded).lower().split()
    while len(words) > 2 and words[0] in _DESCRIPTORS:
        words = words[1:]
    if len(words) > 2:
        words = [words[0], *(w for w in words[1:-1] if len(w) > 1), words[-1]]
    return " ".join(words) or name.strip().lower()


def names_someone(name: str) -> bool:
    """Whether a speaker as the article resolved it names someone ("Ann Lee", "The New York
    Times") rather than describes them ("the senator", "Campaign aides", "two people briefed",
    "Staff", "Rivals", "a spokesperson"): every word capitalised (bar name particles), no
    leading determiner or number but a "The" before a name, and not a lone group noun."""
    words = name.split()
    if not words or not all(
        word[:1].isupper() or word.lower() in _NAME_PARTICLES for word in words
    ):
        return False
    first = words[0].lower()
    if first == "the":
        return len(words) > 1 and words[-1].lower() not in _GENERIC_HEADS
    if first in _DETERMINERS or first[:1].isdigit():
        return False
    return not (len(words) == 1 and words[0].lower() in _GENERIC_HEADS)


# Words that open a description, not a name ("one person", "Two people briefed", "Some analysts").
_DETERMINERS = frozenset(
    [
        "a",
        "an",
        "one",
        "two",
        "three",
        "four",
        "five",
        "several",
        "some",
        "many",
        "most",
        "few",
        "other",
        "another",
        "this",
        "that",
        "these",
        "those",
        "its",
        "his",
        "her",
        "their",
        "our",
    ]
)
# Nouns that stand for a group or a role, never for one named speaker ("Staff", "The company").
_GENERIC_HEADS = frozenset(
    [
        "staff",
        "rivals",
        "critics",
        "officials",
        "analysts",
        "sources",
        "experts",
        "observers",
        "residents",
        "fans",
        "employees",
        "workers",
        "users",
        "people",
        "colleagues",
        "insiders",
        "executives",
        "investors",
        "lawmakers",
        "aides",
        "advisers",
        "advisors",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "representative",
        "representatives",
        "authorities",
        "protesters",
        "students",
        "teachers",
        "doctors",
        "scientists",
        "researchers",
        "engineers",
        "developers",
        "supporters",
        "opponents",
        "members",
        "voters",
        "leaders",
        "organisers",
        "organizers",
        "company",
        "firm",
        "ministry",
        "department",
        "agency",
        "government",
        "group",
        "team",
        "campaign",
        "council",
        "committee",
        "startup",
        "lab",
        "statement",
        "report",
    ]
)
