"""Which event a reaction reacts to, when its article matches several: judged from the
keywords in its own sentence, then its paragraph, then the nearest keyword in the article."""

import bisect
import re
from collections.abc import Sequence

from workers.aggregate.matching import EventRule, keyword_spans

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
MAX_BOUNDARIES = 100_000


class _Boundaries:
    """The breaks of one kind in a text, found once, so each quote's stretch is a bisection."""

    def __init__(self, text: str, boundary: re.Pattern[str]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for found in boundary.finditer(text):
            self.starts.append(found.start())
            self.ends.append(found.end())
            if len(self.starts) >= MAX_BOUNDARIES:
                break
        self.size = len(text)

    def enclosing(self, span: tuple[int, int]) -> tuple[int, int]:
        """The stretch between the breaks around `span`, widened to hold the whole span."""
        before = bisect.bisect_right(self.starts, span[0] - 1) - 1
        while before >= 0 and self.ends[before] > span[0]:
            before -= 1
        start = self.ends[before] if before >= 0 else 0
        after = bisect.bisect_right(self.ends, span[1])
        return start, max(self.starts[after], span[1]) if after < len(self.starts) else self.size


def _hits(occurrences: Sequence[tuple[int, int]], window: tuple[int, int]) -> int:
    """How many keyword occurrences fall inside the window."""
    return sum(1 for start, end in occurrences if window[0] <= start and end <= window[1])


def _distance(occurrences: Sequence[tuple[int, int]], span: tuple[int, int], size: int) -> int:
    """Characters from the span to the nearest keyword occurrence."""
    gaps = [max(start - span[1], span[0] - end, 0) for start, end in occurrences]
    return min(gaps, default=size + 1)


def target_events(
    text: str, spans: Sequence[tuple[int, int]], rules: Sequence[EventRule]
) -> list[int | None]:
    """For each quote span, the id of the event it reacts to among the events its article matched.

    Keyword occurrences and sentence and paragraph breaks are found once per article.
    """
    if len(rules) <= 1:
        return [rules[0].event_id if rules else None for _ in spans]
    occurrences = {
        rule.event_id: sorted(
            span for keyword in rule.keywords for span in keyword_spans(keyword, text)
        )
        for rule in rules
    }
    levels = [_Boundaries(text, _SENTENCE_END), _Boundaries(text, _PARAGRAPH_BREAK)]
    return [_target(span, rules, occurrences, levels, len(text)) for span in spans]


def _target(
    span: tuple[int, int],
    rules: Sequence[EventRule],
    occurrences: dict[int, list[tuple[int, int]]],
    levels: list[_Boundaries],
    size: int,
) -> int:
    """The event of one quote: most hits in its sentence, else paragraph, else the nearest."""
    for level in levels:
        window = level.enclosing(span)
        scores = {rule.event_id: _hits(occurrences[rule.event_id], window) for rule in rules}
        best = max(scores.values())
        leaders = [event_id for event_id, score in scores.items() if score == best]
        if best and len(leaders) == 1:
            return leaders[0]
    return min(
        rules, key=lambda rule: (_distance(occurrences[rule.event_id], span, size), rule.event_id)
    ).event_id
