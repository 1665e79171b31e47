"""Server-side SVG charts: plain functions from figures to escaped SVG markup (no JavaScript).

Colours are Okabe-Ito (colour-blind safe): blue for positive, vermillion for negative, grey for
neutral. Every chart carries a `<title>` with its figures, and the pages repeat them as text.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup, escape

from domain.sentiment import NEGATIVE_AT, POSITIVE_AT, label_of

POSITIVE = "#0072B2"
NEUTRAL = "#A0A0A0"
NEGATIVE = "#D55E00"
COUNT = "#56B4E9"
INK = "#1A1A1A"
GRID = "#D9D9D9"
PageBucket = Literal["hour", "day", "week"]
"""The event page's timeline buckets, chosen from the date range it shows."""
MAX_LABEL_CHARS = 36
_COLOURS = {"positive": POSITIVE, "neutral": NEUTRAL, "negative": NEGATIVE}
MAX_SHARE_LABEL = 20
MAX_COLUMN_WIDTH = 40.0
MAX_SLOTS = 4000
MIN_DOT_SLOTS = 7
MAX_DOT_RADIUS = 12.0


@dataclass(frozen=True, slots=True)
class TimePoint:
    """One bucket of a timeline: its label, reaction count, mean compound and `slot` (buckets
    since the first one, so gaps in time show as gaps)."""

    label: str
    reactions: int
    mean: float | None
    slot: int


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a diverging bar chart: a label, a mean compound and a count."""

    label: str
    mean: float
    reactions: int


def colour_of(compound: float | None) -> str:
    """The palette colour of a compound score (VADER's ±0.05 convention)."""
    if compound is None:
        return NEUTRAL
    return _COLOURS[label_of(compound)]


def signed(value: float | None, places: int = 2) -> str:
    """A compound with an explicit sign and a true minus ("+0.42", "−0.31"), or "–" for none."""
    if value is None:
        return "–"
    text = f"{abs(value):.{places}f}"
    if round(value, places) == 0:
        return text
    return f"+{text}" if value > 0 else f"−{text}"


def _n(value: float) -> str:
    """A coordinate with at most one decimal."""
    return f"{value:.1f}".removesuffix(".0")


def _svg(*, width: int, height: int, title: str, body: list[str], css: str = "chart") -> Markup:
    """Wrap escaped parts in an accessible, responsive `<svg>` element."""
    return Markup(
        f'<svg class="{css}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, content: str, *, anchor: str = "start", css: str = "") -> str:
    """An escaped `<text>` element."""
    klass = f' class="{css}"' if css else ""
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{klass}>{escape(content)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str = "") -> str:
    """A filled `<rect>`, with an escaped tooltip when given."""
    inner = f"<title>{escape(tip)}</title>" if tip else ""
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0.0))}" height="{_n(max(h, 0.0))}" '
        f'fill="{fill}">{inner}</rect>'
    )


def sentiment_bar(
    *, positive: int, neutral: int, negative: int, width: int = 160, height: int = 14
) -> Markup:
    """A stacked bar of label counts: negative, neutral, positive from left to right."""
    total = positive + neutral + negative
    title = f"{positive} positive, {neutral} neutral, {negative} negative"
    if total == 0:
        body = [_rect(0, 0, width, height, "#EEEEEE", "no reactions yet")]
        return _svg(width=width, height=height, title="no reactions yet", body=body, css="bar")
    body, x = [], 0.0
    for count, colour, name in (
        (negative, NEGATIVE, "negative"),
        (neutral, NEUTRAL, "neutral"),
        (positive, POSITIVE, "positive"),
    ):
        w = width * count / total
        if count:
            body.append(_rect(x, 0, w, height, colour, f"{count} {name}"))
        x += w
    return _svg(width=width, height=height, title=title, body=body, css="bar")


def label_columns(*, positive: int, neutral: int, negative: int) -> Markup:
    """Three columns with the count of each sentiment label."""
    width, height, top, bottom = 300, 170, 20, 26
    total = positive + neutral + negative
    peak = max(positive, neutral, negative, 1)
    plot = height - top - bottom
    body = [
        f'<line x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        f'stroke="{INK}" stroke-width="1"/>'
    ]
    for index, (name, count, colour) in enumerate(
        (
            ("negative", negative, NEGATIVE),
            ("neutral", neutral, NEUTRAL),
            ("positive", positive, POSITIVE),
        )
    ):
        x = 20 + index * 95
        h = plot * count / peak
        share = f"{100 * count / total:.0f}%" if total else "0%"
        body.append(_rect(x, height - bottom - h, 70, h, colour, f"{count} {name}"))
        body.append(_text(x + 35, height - bottom - h - 5, f"{count} ({share})", anchor="middle"))
        body.append(_text(x + 35, height - 8, name, anchor="middle"))
    title = f"Reactions by label: {negative} negative, {neutral} neutral, {positive} positive"
    return _svg(width=width, height=height, title=title, body=body)


def compound_scale(*, mean: float | None, median: float | None, stddev: float | None) -> Markup:
    """The compound axis from −1 to +1 with the mean, the median and a ±1 sd band."""
    width, height, left, right, axis_y = 420, 110, 20, 20, 62
    span = width - left - right

    def x_of(value: float) -> float:
        """Horizontal position of a compound."""
        return left + span * (max(-1.0, min(1.0, value)) + 1) / 2

    body = [
        _rect(x_of(-1), axis_y - 14, x_of(NEGATIVE_AT) - x_of(-1), 28, "#F7DCC8"),
        _rect(x_of(POSITIVE_AT), axis_y - 14, x_of(1) - x_of(POSITIVE_AT), 28, "#CCE3F2"),
        f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="{INK}"/>',
    ]
    for tick in (-1.0, -0.5, 0.0, 0.5, 1.0):
        body.append(
            f'<line x1="{_n(x_of(tick))}" y1="{axis_y - 4}" x2="{_n(x_of(tick))}" '
            f'y2="{axis_y + 4}" stroke="{INK}"/>'
        )
        body.append(_text(x_of(tick), axis_y + 30, signed(tick, 1), anchor="middle", css="tick"))
    parts = [
        f"mean {signed(mean)}",
        f"median {signed(median)}",
        f"standard deviation {'–' if stddev is None else f'{stddev:.2f}'}",
    ]
    if mean is not None and stddev is not None:
        low, high = x_of(mean - stddev), x_of(mean + stddev)
        body.append(
            f'<rect x="{_n(low)}" y="{axis_y - 6}" width="{_n(high - low)}" height="12" '
            f'fill="none" stroke="{INK}" stroke-dasharray="3 2"><title>±1 sd</title></rect>'
        )
    if median is not None:
        mx = x_of(median)
        body.append(
            f'<line x1="{_n(mx)}" y1="{axis_y - 18}" x2="{_n(mx)}" y2="{axis_y + 18}" '
            f'stroke="{INK}" stroke-width="2" stroke-dasharray="4 2"/>'
        )
        body.append(_text(mx, axis_y + 46, f"median {signed(median)}", anchor="middle"))
    if mean is not None:
        cx = x_of(mean)
        body.append(
            f'<path d="M{_n(cx)} {axis_y - 9}l7 9-7 9-7-9z" fill="{colour_of(mean)}" '
            f'stroke="{INK}"/>'
        )
        body.append(_text(cx, axis_y - 24, f"mean {signed(mean)}", anchor="middle"))
    return _svg(
        width=width, height=height, title="Compound sentiment: " + ", ".join(parts), body=body
    )


def _time_ticks(
    ticks: Sequence[tuple[int, str]], x_of: Callable[[int], float], *, y: float, bottom: float
) -> list[str]:
    """Tick marks and labels of a time axis at the given slots."""
    parts = []
    for slot, label in ticks:
        x = x_of(slot)
        parts.append(
            f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x)}" y2="{_n(y + 4)}" stroke="{INK}"/>'
        )
        parts.append(_text(x, bottom, label, anchor="middle", css="tick"))
    return parts


def timeline_chart(
    points: Sequence[TimePoint],
    *,
    bucket: PageBucket,
    ticks: Sequence[tuple[int, str]] = (),
    slots: int = 0,
) -> Markup:
    """Columns of reactions per bucket (left axis) and a line of mean compound (right axis);
    the time axis spans `slots` buckets (at least the points') and is labelled at `ticks`
    (slot, label), else at its first and last bucket."""
    width, height, left, right, top, bottom = 720, 230, 44, 44, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    if not points:
        body = [_text(width / 2, height / 2, "no reactions yet", anchor="middle")]
        return _svg(width=width, height=height, title="Timeline: no reactions yet", body=body)
    peak = max(p.reactions for p in points) or 1
    positions = [p.slot for p in points]
    if positions != sorted(set(positions)) or positions[0] < 0 or positions[-1] >= MAX_SLOTS:
        positions = list(range(len(points)))  # not a usable time axis: one column per bucket
    timed = positions == [p.slot for p in points]
    step = plot_w / max(positions[-1] + 1, min(slots, MAX_SLOTS) if timed else 0)
    zero_y = top + plot_h / 2

    def x_of(position: int) -> float:
        """Horizontal centre of a slot."""
        return left + (position + 0.5) * step

    def y_of_mean(mean: float) -> float:
        """Vertical position of a mean compound on the right axis."""
        return top + plot_h * (1 - (mean + 1) / 2)

    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="{INK}"/>',
        f'<line x1="{left}" y1="{_n(zero_y)}" x2="{width - right}" y2="{_n(zero_y)}" '
        f'stroke="{GRID}" stroke-dasharray="4 3"/>',
        _text(left - 6, top + 10, str(peak), anchor="end", css="tick"),
        _text(left - 6, top + plot_h, "0", anchor="end", css="tick"),
        _text(width - right + 6, top + 10, "+1", css="tick"),
        _text(width - right + 6, zero_y + 4, "0", css="tick"),
        _text(width - right + 6, top + plot_h, "−1", css="tick"),
    ]
    bar_w = max(1.0, min(MAX_COLUMN_WIDTH, step - min(2.0, step * 0.2)))
    line: list[str] = []
    for position, point in zip(positions, points, strict=True):
        h = plot_h * point.reactions / peak
        mean = "no mean" if point.mean is None else f"mean {signed(point.mean)}"
        tip = f"{point.label}: {point.reactions} reactions, {mean}"
        body.append(_rect(x_of(position) - bar_w / 2, top + plot_h - h, bar_w, h, COUNT, tip))
        if point.mean is not None:
            line.append(f"{_n(x_of(position))},{_n(y_of_mean(point.mean))}")
    if len(line) > 1:
        body.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="{INK}" stroke-width="2"/>'
        )
    if len(points) <= 60:
        for position, point in zip(positions, points, strict=True):
            if point.mean is not None:
                body.append(
                    f'<circle cx="{_n(x_of(position))}" cy="{_n(y_of_mean(point.mean))}" '
                    f'r="3.5" fill="{colour_of(point.mean)}" stroke="{INK}"/>'
                )
    if ticks and timed:
        body.extend(_time_ticks(ticks, x_of, y=top + plot_h, bottom=height - 10))
    elif len(points) == 1:
        body.append(
            _text(x_of(positions[0]), height - 10, points[0].label, anchor="middle", css="tick")
        )
    else:
        first_x, last_x = x_of(positions[0]) - bar_w / 2, x_of(positions[-1]) + bar_w / 2
        body.append(_text(first_x, height - 10, points[0].label, css="tick"))
        body.append(_text(last_x, height - 10, points[-1].label, anchor="end", css="tick"))
    total = sum(p.reactions for p in points)
    title = (
        f"Timeline by {bucket}: {total} reactions in {len(points)} buckets from "
        f"{points[0].label} to {points[-1].label}; columns are reactions, the line is the mean "
        "compound"
    )
    return _svg(width=width, height=height, title=title, body=body)


def diverging_bars(rows: Sequence[Bar]) -> Markup:
    """Horizontal bars of mean compound from zero, one row per label (e.g. per event)."""
    row_h, label_w, plot_w, width = 26, 250, 340, 700
    height = max(1, len(rows)) * row_h + 24
    half = plot_w / 2
    zero_x = label_w + half
    body = [
        f'<line x1="{_n(zero_x)}" y1="0" x2="{_n(zero_x)}" y2="{height - 20}" stroke="{INK}"/>',
        _text(label_w, height - 4, "−1", css="tick"),
        _text(zero_x, height - 4, "0", anchor="middle", css="tick"),
        _text(label_w + plot_w, height - 4, "+1", anchor="end", css="tick"),
    ]
    for index, row in enumerate(rows):
        y = index * row_h + 4
        label = row.label
        if len(label) > MAX_LABEL_CHARS:
            label = label[: MAX_LABEL_CHARS - 1] + "…"
        w = half * min(1.0, abs(row.mean))
        tip = f"{row.label}: mean {signed(row.mean)} over {row.reactions} reactions"
        body.append(_text(label_w - 8, y + 14, label, anchor="end"))
        body.append(
            _rect(
                zero_x if row.mean >= 0 else zero_x - w, y, w, row_h - 8, colour_of(row.mean), tip
            )
        )
        body.append(_text(width - 4, y + 14, f"{signed(row.mean)} ({row.reactions})", anchor="end"))
    title = "Mean compound per row: " + "; ".join(
        f"{r.label} {signed(r.mean)} ({r.reactions})" for r in rows
    )
    return _svg(width=width, height=height, title=title, body=body)


def sentiment_dots(
    points: Sequence[TimePoint],
    *,
    bucket: PageBucket,
    ticks: Sequence[tuple[int, str]] = (),
    slots: int = 0,
) -> Markup:
    """Mean compound per bucket as dots on a −1..+1 axis, their area growing with the number of
    reactions (capped), so one reaction is one modest dot and a thousand stay legible."""
    width, height, left, right, top, bottom = 720, 210, 44, 16, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    if not points:
        body = [_text(width / 2, height / 2, "no reactions yet", anchor="middle")]
        return _svg(width=width, height=height, title="Over time: no reactions yet", body=body)
    used = max(points[-1].slot + 1, min(slots, MAX_SLOTS))
    width_in_slots = max(used, MIN_DOT_SLOTS)
    pad = (width_in_slots - used) // 2
    step = plot_w / width_in_slots
    peak = max(p.reactions for p in points)

    def x_of(slot: int) -> float:
        """Horizontal centre of a slot (a short history sits in the middle)."""
        return left + (slot + pad + 0.5) * step

    def y_of(mean: float) -> float:
        """Vertical position of a mean compound."""
        return top + plot_h * (1 - (max(-1.0, min(1.0, mean)) + 1) / 2)

    body = [
        f'<line x1="{left}" y1="{_n(y_of(0))}" x2="{width - right}" y2="{_n(y_of(0))}" '
        f'stroke="{GRID}" stroke-dasharray="4 3"/>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="{INK}"/>',
        _text(left - 6, y_of(1) + 4, "+1", anchor="end", css="tick"),
        _text(left - 6, y_of(0) + 4, "0", anchor="end", css="tick"),
        _text(left - 6, y_of(-1), "−1", anchor="end", css="tick"),
    ]
    for point in points:
        if point.mean is None:
            continue
        radius = 3 + (MAX_DOT_RADIUS - 3) * math.sqrt(point.reactions / peak)
        tip = f"{point.label}: {point.reactions} reactions, mean {signed(point.mean)}"
        body.append(
            f'<circle cx="{_n(x_of(point.slot))}" cy="{_n(y_of(point.mean))}" r="{_n(radius)}" '
            f'fill="{colour_of(point.mean)}" fill-opacity="0.8" stroke="{INK}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    chosen = ticks or [(p.slot, p.label) for p in (points[0], points[-1])]
    body.extend(_time_ticks(sorted(set(chosen)), x_of, y=top + plot_h, bottom=height - 10))
    total = sum(p.reactions for p in points)
    title = (
        f"Mean sentiment by {bucket}: {total} reactions in {len(points)} buckets from "
        f"{points[0].label} to {points[-1].label}; dot size is the number of reactions"
    )
    return _svg(width=width, height=height, title=title, body=body)


def share_bars(rows: Sequence[tuple[str, float, str]]) -> Markup:
    """Horizontal bars of share (0..1) with a label and the share as text, one per row."""
    row_h, label_w, plot_w, width = 22, 130, 170, 350
    height = max(1, len(rows)) * row_h + 4
    body = []
    for index, (label, share, text) in enumerate(rows):
        y = index * row_h + 4
        shown = label if len(label) <= MAX_SHARE_LABEL else label[: MAX_SHARE_LABEL - 1] + "…"
        body.append(_text(label_w - 8, y + 13, shown, anchor="end"))
        body.append(_rect(label_w, y, plot_w * max(0.0, min(1.0, share)), row_h - 8, COUNT, text))
        body.append(_text(width - 4, y + 13, text, anchor="end"))
    title = "Share of reactions: " + "; ".join(f"{label} {text}" for label, _, text in rows)
    return _svg(width=width, height=height, title=title, body=body)
