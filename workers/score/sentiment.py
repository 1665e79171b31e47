"""VADER sentiment of a quote, with the conventional ±0.05 labels."""

from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from domain.sentiment import label_of
from schemas.reactions import SentimentScore


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    """One analyzer per process: loading the lexicon costs tens of milliseconds."""
    return SentimentIntensityAnalyzer()


CACHED_UP_TO = 2000
"""Quotes up to this many characters are remembered (8192 of them: at most ~16 MB of text)."""


def score_text(text: str) -> SentimentScore:
    """Score one quote with VADER; a short quote carried by many outlets is scored once."""
    return _score_cached(text) if len(text) <= CACHED_UP_TO else _score(text)


@lru_cache(maxsize=8192)
def _score_cached(text: str) -> SentimentScore:
    """`_score`, remembered per process."""
    return _score(text)


def _score(text: str) -> SentimentScore:
    """VADER's scores of a text, with the label."""
    scores = _analyzer().polarity_scores(text)
    compound = float(scores["compound"])
    return SentimentScore(
        compound=compound,
        pos=float(scores["pos"]),
        neu=float(scores["neu"]),
        neg=float(scores["neg"]),
        label=label_of(compound),
    )
