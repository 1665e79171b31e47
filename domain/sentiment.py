"""Sentiment labels of VADER compound scores: the one threshold every layer labels by."""

from schemas.reactions import SentimentLabel

POSITIVE_AT = 0.05
"""VADER's convention: positive at compound >= 0.05, negative at <= -0.05, else neutral."""
NEGATIVE_AT = -POSITIVE_AT


def label_of(compound: float) -> SentimentLabel:
    """The label of a compound score: positive, negative, or neutral between the thresholds."""
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"
