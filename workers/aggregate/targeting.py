"""Which event a reaction reacts to, when its article matches several: judged from the
keywords in its own sentence, then its paragraph, then the nearest keyword in the article."""

import re
from collections.abc import Sequence

from workers.aggregate.matching import EventRule, keyword_spans

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _enclosing(text: str, span: tuple[int, int], boundary: re.Pattern[str]) -> tuple[int, int]:
    """The stretch between the boundaries around `span`, widened to hold the whole span."""
    start = 0
    for found in boundary.finditer(text, 0, span[0]):
        start = found.end()
    following = boundary.search(text, span[1])
    return start, following.start() if following else len(text)


def _hits(text: str, window: tuple[int, int], rule: EventRule) -> int:
    """How many keyword occurrences of the event fall inside the window."""
    return sum(
        1
        for keyword in rule.keywords
        for start, end in keyword_spans(keyword, text)
        if window[0] <= start and end <= window[1]
    )


def _distance(text: str, span: tuple[int, int], rule: EventRule) -> int:
    """Characters from the span to the event's nearest keyword occurrence."""
    gaps = [
        max(start - span[1], span[0] - end, 0)
        for keyword in rule.keywords
        for start, end in keyword_spans(keyword, text)
    ]
    return min(gaps, default=len(text) + 1)


def target_event(text: str, span: tuple[int, int], rules: Sequence[EventRule]) -> int | None:
    """The id of the event the quote at `span` reacts to, among the events its article matched."""
    if len(rules) <= 1:
        return rules[0].event_id if rules else None
    for boundary in (_SENTENCE_END, _PARAGRAPH_BREAK):
        window = _enclosing(text, span, boundary)
        scores = {rule.event_id: _hits(text, window, rule) for rule in rules}
        best = max(scores.values())
        leaders = [event_id for event_id, score in scores.items() if score == best]
        if best and len(leaders) == 1:
            return leaders[0]
    return min(rules, key=lambda rule: (_distance(text, span, rule), rule.event_id)).event_id
