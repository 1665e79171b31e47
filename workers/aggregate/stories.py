"""Automatic stories: incremental TF-IDF cosine clustering of articles that match no event.

A document becomes a sparse, unit-length TF-IDF vector of content words and capitalised-name
bigrams (title words count twice). A story keeps a bounded centroid (the running mean of
its members' vectors, truncated to the `MAX_TERMS` heaviest terms) and its first and last
article times. A new article joins the most similar story whose centroid cosine reaches the
threshold and whose time range lies within the window of the article; otherwise the caller
opens a new story. See docs/STORIES.md for the measured threshold and window.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

MAX_TOKENS = 5_000
MAX_TERMS = 200
MAX_CANDIDATES = 500
MAX_TITLE_CHARS = 120
TITLE_WEIGHT = 2
NAME_BIGRAM_WEIGHT = 0.5
DEFAULT_THRESHOLD = 0.3
DEFAULT_WINDOW = timedelta(days=3)
IDF_PATH = Path(__file__).resolve().parent / "data" / "story_idf.json"

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_ELLIPSIS = "\u2026"
_SPACE = re.compile(r"\s+")
# fmt: off
_STOPWORDS = frozenset((
    "a", "about", "above", "after", "again", "against", "ago", "all", "almost", "also",
    "although", "always", "am", "among", "an", "and", "another", "any", "anyone", "anything",
    "are", "aren't", "around", "as", "at", "away", "back", "be", "became", "because", "become",
    "been", "before", "being", "below", "between", "both", "but", "by", "can", "can't",
    "cannot", "could", "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't",
    "done", "down", "during", "each", "either", "else", "enough", "even", "ever", "every",
    "few", "for", "from", "further", "get", "gets", "getting", "go", "goes", "going", "gone",
    "got", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he'd", "he'll",
    "he's", "her", "here", "here's", "hers", "herself", "him", "himself", "his", "how", "how's",
    "however", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it",
    "it's", "its", "itself", "just", "last", "least", "less", "let's", "like", "made", "make",
    "makes", "many", "may", "maybe", "me", "might", "more", "most", "mostly", "much", "must",
    "mustn't", "my", "myself", "near", "need", "needs", "never", "new", "next", "no", "nor",
    "not", "now", "of", "off", "often", "on", "once", "one", "only", "onto", "or", "other",
    "others", "ought", "our", "ours", "ourselves", "out", "over", "own", "per", "perhaps",
    "quite", "rather", "really", "said", "same", "say", "says", "see", "seem", "seemed",
    "seems", "several", "shall", "shan't", "she", "she'd", "she'll", "she's", "should",
    "shouldn't", "since", "so", "some", "something", "still", "such", "than", "that", "that's",
    "the", "their", "theirs", "them", "themselves", "then", "there", "there's", "these", "they",
    "they'd", "they'll", "they're", "they've", "thing", "things", "this", "those", "though",
    "through", "thus", "to", "told", "too", "toward", "towards", "under", "until", "up", "upon",
    "us", "use", "used", "very", "via", "was", "wasn't", "way", "we", "we'd", "we'll", "we're",
    "we've", "well", "were", "weren't", "what", "what's", "whatever", "when", "when's", "where",
    "where's", "whether", "which", "while", "who", "who's", "whom", "whose", "why", "why's",
    "will", "with", "within", "without", "won't", "would", "wouldn't", "yes", "yet", "you",
    "you'd", "you'll", "you're", "you've", "your", "yours", "yourself", "yourselves", "mr",
    "mrs", "ms", "dr", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "today", "yesterday", "tomorrow", "week", "weeks", "year", "years", "day", "days",
    "time", "times", "people", "percent", "according", "including"
))
# fmt: on


@dataclass(frozen=True, slots=True)
class IdfTable:
    """Document frequencies of terms in a reference corpus of `documents` articles."""

    documents: int
    frequencies: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """An article as clustering sees it: a unit-length sparse term vector and its time."""

    terms: Mapping[str, float]
    time: datetime


@dataclass(frozen=True, slots=True)
class StoryCentroid:
    """The stored state of a story: its id, bounded mean vector, size and time range."""

    id: int
    terms: Mapping[str, float]
    size: int
    first: datetime
    last: datetime


def _normalise(word: str) -> str:
    """A lowercased token with possessives and regular plurals folded, so variants match."""
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_terms(text: str, *, limit: int = MAX_TOKENS) -> list[str]:
    """Content words of the first `limit` tokens, plus a bigram for each pair of capitalised
    neighbours (names such as "Elena Ruiz"), in order of appearance."""
    terms: list[str] = []
    previous_name: str | None = None
    for count, match in enumerate(_WORD.finditer(text)):
        if count >= limit:
            break
        raw = match.group()
        word = _normalise(raw)
        stop = word in _STOPWORDS or raw.lower().replace("\u2019", "'") in _STOPWORDS
        if len(word) < 2 or stop:
            previous_name = None
            continue
        terms.append(word)
        is_name = raw[0].isupper()
        if is_name and previous_name is not None:
            terms.append(f"{previous_name} {word}")
        previous_name = word if is_name else None
    return terms


def document_frequencies(texts: Iterable[tuple[str, str]], *, top: int = 20_000) -> IdfTable:
    """The document frequencies of the `top` most frequent terms (seen in 2+ documents) of
    `(title, text)` pairs; rarer terms are treated as unseen, which is how they score anyway."""
    counts: Counter[str] = Counter()
    documents = 0
    for title, text in texts:
        documents += 1
        counts.update(set(content_terms(f"{title}\n{text}")))
    frequent = sorted(
        ((term, df) for term, df in counts.items() if df >= 2), key=lambda item: (-item[1], item[0])
    )
    return IdfTable(documents=documents, frequencies=dict(frequent[:top]))


@lru_cache(maxsize=1)
def default_idf() -> IdfTable:
    """The shipped IDF table, built from PolNeAR train by `bench/stories.py build-idf`."""
    if not IDF_PATH.is_file():
        raise FileNotFoundError(f"{IDF_PATH} is missing: run `python bench/stories.py build-idf`")
    data = json.loads(IDF_PATH.read_text(encoding="utf-8"))
    return IdfTable(documents=int(data["documents"]), frequencies=data["frequencies"])


def _idf(term: str, table: IdfTable) -> float:
    """Square root of the smoothed IDF: 0 for a term in every document, highest if unseen; the
    root damps unseen names, which would otherwise outweigh the words saying what happened."""
    df = table.frequencies.get(term, 0)
    return math.sqrt(math.log((table.documents + 1) / (df + 1)))


def _top(weights: Mapping[str, float], k: int) -> dict[str, float]:
    """The `k` heaviest positive terms (ties broken by term, so the result is deterministic)."""
    positive = ((term, weight) for term, weight in weights.items() if weight > 0)
    return dict(heapq.nsmallest(k, positive, key=lambda item: (-item[1], item[0])))


def _unit(weights: Mapping[str, float]) -> dict[str, float]:
    """The vector scaled to length 1 (empty stays empty)."""
    norm = math.sqrt(sum(weight * weight for weight in weights.values()))
    return {term: weight / norm for term, weight in weights.items()} if norm else {}


def term_vector(*, title: str | None, text: str, idf: IdfTable | None = None) -> dict[str, float]:
    """Unit-length TF-IDF vector (sublinear tf, title terms counted `TITLE_WEIGHT` times, name
    bigrams weighted `NAME_BIGRAM_WEIGHT` as their words also count), top `MAX_TERMS` terms."""
    table = idf if idf is not None else default_idf()
    counts: Counter[str] = Counter(content_terms(text))
    for term in content_terms(title or ""):
        counts[term] += TITLE_WEIGHT
    weights = {
        term: (1 + math.log(tf)) * _idf(term, table) * (NAME_BIGRAM_WEIGHT if " " in term else 1)
        for term, tf in counts.items()
    }
    return _unit(_top(weights, MAX_TERMS))


def story_doc(
    *, title: str | None, text: str, time: datetime, idf: IdfTable | None = None
) -> StoryDoc:
    """The clustering view of an article from its title, text and publication time."""
    return StoryDoc(terms=term_vector(title=title, text=text, idf=idf), time=time)


def cosine(left: Mapping[str, float], right: Mapping[str, float]) -> float:
    """Cosine similarity of two non-negative sparse vectors, in [0, 1]; 0 if either is empty."""
    if len(left) > len(right):
        left, right = right, left
    dot = sum(weight * right.get(term, 0.0) for term, weight in left.items())
    norms = math.sqrt(sum(w * w for w in left.values()) * sum(w * w for w in right.values()))
    return min(1.0, max(0.0, dot / norms)) if norms else 0.0


def _within_window(doc: StoryDoc, story: StoryCentroid, window: timedelta) -> bool:
    """Whether the article's time is at most `window` before the story's first or after its last."""
    return story.first - window <= doc.time <= story.last + window


def assign_story(
    doc: StoryDoc,
    candidates: Sequence[StoryCentroid],
    *,
    threshold: float,
    window: timedelta,
) -> int | None:
    """The id of the most similar story in the window with cosine >= threshold, else None.

    A story sharing no term with the article (cosine 0) never matches, whatever the threshold.
    Only the `MAX_CANDIDATES` in-window stories with the latest articles are compared, so the
    cost per article stays bounded; ties go to the lower id.
    """
    in_window = [story for story in candidates if _within_window(doc, story, window)]
    if len(in_window) > MAX_CANDIDATES:
        in_window = heapq.nlargest(MAX_CANDIDATES, in_window, key=lambda story: story.last)
    best: tuple[float, int] | None = None
    for story in in_window:
        score = cosine(doc.terms, story.terms)
        better = best is None or (score, -story.id) > (best[0], -best[1])
        if score > 0 and score >= threshold and better:
            best = (score, story.id)
    return best[1] if best else None


def new_centroid(story_id: int, doc: StoryDoc) -> StoryCentroid:
    """The state of a new story whose only member is `doc`."""
    return StoryCentroid(id=story_id, terms=dict(doc.terms), size=1, first=doc.time, last=doc.time)


def add_to_centroid(centroid: StoryCentroid, doc: StoryDoc) -> StoryCentroid:
    """The story with `doc` folded into the running mean, truncated to `MAX_TERMS` terms."""
    size = centroid.size + 1
    mean = {term: weight * centroid.size / size for term, weight in centroid.terms.items()}
    for term, weight in doc.terms.items():
        mean[term] = mean.get(term, 0.0) + weight / size
    return StoryCentroid(
        id=centroid.id,
        terms=_top(mean, MAX_TERMS),
        size=size,
        first=min(centroid.first, doc.time),
        last=max(centroid.last, doc.time),
    )


def group_stories(docs: Sequence[StoryDoc], *, threshold: float, window: timedelta) -> list[int]:
    """Story ids (1, 2, ...) of the documents, clustered one by one in time order: the reference
    loop a caller runs, used to backfill and to measure the threshold. Stories whose last article
    is older than the window are closed, so each step costs at most `MAX_CANDIDATES` cosines."""
    open_stories: dict[int, StoryCentroid] = {}
    labels = [0] * len(docs)
    created = 0
    for index in sorted(range(len(docs)), key=lambda i: docs[i].time):
        doc = docs[index]
        for closed in [i for i, s in open_stories.items() if s.last + window < doc.time]:
            del open_stories[closed]
        candidates = list(open_stories.values())
        story_id = assign_story(doc, candidates, threshold=threshold, window=window)
        if story_id is None:
            created += 1
            story_id = created
            open_stories[story_id] = new_centroid(story_id, doc)
        else:
            open_stories[story_id] = add_to_centroid(open_stories[story_id], doc)
        labels[index] = story_id
    return labels


def to_json(centroid: StoryCentroid) -> dict[str, Any]:
    """A JSON-serialisable dict of the centroid for a JSON column (weights to 6 decimals)."""
    return {
        "id": centroid.id,
        "size": centroid.size,
        "first": centroid.first.isoformat(),
        "last": centroid.last.isoformat(),
        "terms": {term: round(weight, 6) for term, weight in centroid.terms.items()},
    }


def from_json(data: Mapping[str, Any]) -> StoryCentroid:
    """The centroid stored by `to_json`; a missing or mistyped field raises ValueError naming it."""

    def field(name: str, kind: type) -> Any:
        value = data.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ValueError(f"story centroid: field {name!r} must be {kind.__name__}")
        return value

    terms = field("terms", dict)
    if not all(isinstance(k, str) and isinstance(v, int | float) for k, v in terms.items()):
        raise ValueError("story centroid: field 'terms' must map strings to numbers")
    try:
        first = datetime.fromisoformat(field("first", str))
        last = datetime.fromisoformat(field("last", str))
    except ValueError as exc:
        raise ValueError(f"story centroid: field 'first' or 'last' is not ISO time: {exc}") from exc
    return StoryCentroid(
        id=field("id", int),
        terms={term: float(weight) for term, weight in terms.items()},
        size=field("size", int),
        first=first,
        last=last,
    )


def clean_title(title: str) -> str:
    """The title on one line, at most `MAX_TITLE_CHARS` long, cut at a word with an ellipsis."""
    title = _SPACE.sub(" ", title).strip()
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:-\u2013\u2014")
    return cut + _ELLIPSIS


def story_title(
    docs_titles: Sequence[str], centroid: StoryCentroid, *, idf: IdfTable | None = None
) -> str:
    """A readable story title: the member title closest to the centroid, cleaned; when no member
    has a title, the three heaviest centroid terms capitalised and joined by " / "."""
    best: tuple[float, str] | None = None
    for title in docs_titles:
        cleaned = clean_title(title)
        if not cleaned:
            continue
        score = cosine(term_vector(title=cleaned, text="", idf=idf), centroid.terms)
        if best is None or score > best[0]:
            best = (score, cleaned)
    if best:
        return best[1]
    heaviest = _top(centroid.terms, 3)
    return clean_title(" / ".join(term.title() for term in heaviest)) or "Untitled story"
