"""The SVG chart helpers: well-formed, accessible, bounded, and escaping every label."""

import xml.etree.ElementTree as ET

import pytest

from service.dashboard import charts
from service.dashboard.charts import Bar, TimePoint
from tests.dashboard.samples import HOSTILE

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    """The chart as XML (raises if it is not well-formed)."""
    return ET.fromstring(str(markup))


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.4249, "+0.42"), (-0.31, "−0.31"), (0.0, "0.00"), (-0.001, "0.00"), (None, "–")],
)
def test_signed_uses_a_sign_and_a_true_minus(value: float | None, text: str) -> None:
    """Compounds show their sign; zero and rounding-to-zero show none."""
    assert charts.signed(value) == text


def test_colour_follows_the_vader_thresholds() -> None:
    """Blue at +0.05 and above, vermillion at −0.05 and below, grey between and for none."""
    assert charts.colour_of(0.05) == charts.POSITIVE
    assert charts.colour_of(-0.05) == charts.NEGATIVE
    assert charts.colour_of(0.049) == charts.NEUTRAL
    assert charts.colour_of(None) == charts.NEUTRAL


def test_sentiment_bar_segments_fill_the_width_in_label_order() -> None:
    """Negative, neutral, positive from left to right, widths proportional to the counts."""
    root = parse(charts.sentiment_bar(positive=6, neutral=2, negative=2, width=100))
    rects = root.findall(f"{SVG}rect")
    assert [r.get("fill") for r in rects] == [charts.NEGATIVE, charts.NEUTRAL, charts.POSITIVE]
    assert [float(r.get("width", "0")) for r in rects] == [20, 20, 60]
    assert root.get("aria-label") == "6 positive, 2 neutral, 2 negative"


def test_sentiment_bar_without_reactions_says_so() -> None:
    """An empty event has a grey bar titled "no reactions yet"."""
    root = parse(charts.sentiment_bar(positive=0, neutral=0, negative=0))
    assert root.findtext(f"{SVG}title") == "no reactions yet"


def test_timeline_draws_columns_and_a_mean_line() -> None:
    """One column per bucket, and a line through the buckets that have a mean."""
    points = [TimePoint("a", 4, 0.2, 0), TimePoint("b", 0, None, 1), TimePoint("c", 2, -0.5, 2)]
    root = parse(charts.timeline_chart(points, bucket="hour"))
    columns = [r for r in root.findall(f"{SVG}rect") if r.get("fill") == charts.COUNT]
    assert len(columns) == 3
    assert len(root.findall(f"{SVG}polyline")) == 1
    assert "6 reactions in 3 buckets" in (root.findtext(f"{SVG}title") or "")


@pytest.mark.parametrize("count", [0, 1, 2000])
def test_timeline_is_well_formed_from_empty_to_the_largest(count: int) -> None:
    """Empty, single-bucket and 2000-bucket timelines all parse; the largest stays bounded."""
    points = [TimePoint(f"d{i}", i % 7, (i % 11 - 5) / 5, i) for i in range(count)]
    markup = charts.timeline_chart(points, bucket="day")
    parse(markup)
    assert len(markup) < 1_000_000


def test_compound_scale_marks_mean_and_median_or_shows_dashes() -> None:
    """Figures appear in the title; without reactions the chart still parses."""
    title = parse(charts.compound_scale(mean=0.25, median=-0.1, stddev=0.4)).findtext(f"{SVG}title")
    assert title == "Compound sentiment: mean +0.25, median −0.10, standard deviation 0.40"
    parse(charts.compound_scale(mean=None, median=None, stddev=None))


def test_every_chart_escapes_user_text() -> None:
    """Event titles and bucket labels with markup stay text inside the SVG."""
    markups = [
        charts.diverging_bars([Bar(HOSTILE, 0.4, 2), Bar("calm", -0.7, 1)]),
        charts.timeline_chart([TimePoint(HOSTILE, 1, 0.1, 0)], bucket="day"),
    ]
    for markup in markups:
        root = parse(markup)
        assert "<script" not in str(markup)
        assert all(element.tag != "script" for element in root.iter())
        assert "&lt;script&gt;" in str(markup)


def test_diverging_bars_grow_from_zero_and_truncate_long_labels() -> None:
    """Positive means extend right of zero, negative left; labels are cut with an ellipsis."""
    root = parse(charts.diverging_bars([Bar("x" * 80, 0.5, 3), Bar("short", -1.0, 1)]))
    first, second = root.findall(f"{SVG}rect")
    zero = float(root.findall(f"{SVG}line")[0].get("x1", "0"))
    assert float(first.get("x", "0")) == zero
    assert float(second.get("x", "0")) + float(second.get("width", "0")) == zero
    labels = [t.text or "" for t in root.findall(f"{SVG}text")]
    assert "x" * (charts.MAX_LABEL_CHARS - 1) + "…" in labels


def test_timeline_gaps_in_time_show_as_gaps() -> None:
    """Columns sit at their slot: a bucket ten slots later is ten steps to the right."""
    points = [TimePoint("a", 1, 0.1, 0), TimePoint("b", 1, 0.1, 1), TimePoint("c", 1, 0.1, 11)]
    root = parse(charts.timeline_chart(points, bucket="hour"))
    xs = [float(r.get("x", "0")) for r in root.findall(f"{SVG}rect")]
    assert xs[2] - xs[1] == pytest.approx(10 * (xs[1] - xs[0]), abs=0.5)


def test_timeline_with_unordered_slots_falls_back_to_one_column_each() -> None:
    """Slots out of order or beyond the bound are not trusted as a time axis."""
    points = [TimePoint("a", 1, 0.1, 5), TimePoint("b", 1, 0.1, 2)]
    parse(charts.timeline_chart(points, bucket="day"))
    far = [TimePoint("a", 1, 0.1, 0), TimePoint("b", 1, 0.1, charts.MAX_SLOTS)]
    xs = [
        float(r.get("x", "0"))
        for r in parse(charts.timeline_chart(far, bucket="day")).findall(f"{SVG}rect")
    ]
    assert xs[1] > xs[0] + 100
