"""The packet's chart: the last visits and how each plan went, as a small PNG."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image

from plangen.chart import DPI, MAX_VISITS, SIZE, ChartVisit, chart_visits, visit_chart
from plangen.dates import range_period

PERIOD = range_period(dt.date(2026, 11, 16), dt.date(2026, 11, 22))


def weekly(count: int, last: dt.date = dt.date(2026, 11, 20)) -> list[ChartVisit]:
    days = [last - dt.timedelta(days=7 * i) for i in reversed(range(count))]
    statuses = ["done", "cancelled by family", "no-show", "done"]
    return [
        ChartVisit(day, day.strftime("%b %-d"), statuses[i % 4], ["", "yes", "partly", "no"][i % 4])
        for i, day in enumerate(days)
    ]


def test_the_chart_is_a_small_png_of_the_stated_size() -> None:
    png = visit_chart(weekly(5), PERIOD)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (round(SIZE[0] * DPI), round(SIZE[1] * DPI))


def test_it_shows_the_last_visits_up_to_the_period_s_end() -> None:
    visits = [*weekly(12), ChartVisit(dt.date(2026, 11, 27), "Nov 27", "done", "yes")]
    shown = chart_visits(visits, PERIOD)
    assert len(shown) == MAX_VISITS
    assert shown[-1].date == dt.date(2026, 11, 20), "nothing after the period"
    busy = range_period(dt.date(2026, 7, 1), dt.date(2026, 11, 22))
    assert len(chart_visits(visits, busy)) == 12, "every visit of a long period"


def test_no_visits_still_draws() -> None:
    assert Image.open(io.BytesIO(visit_chart([], PERIOD))).format == "PNG"


def pixels(png: bytes) -> bytes:
    image = Image.open(io.BytesIO(png))
    return image.convert("RGB").tobytes()


def test_different_visits_draw_different_charts() -> None:
    five, other = weekly(5), weekly(5, last=dt.date(2026, 11, 19))
    assert pixels(visit_chart(five, PERIOD)) != pixels(visit_chart(other, PERIOD)), "the dates differ"
    mixed = [ChartVisit(v.date, v.label, "done", "partly") for v in five]
    assert pixels(visit_chart(five, PERIOD)) != pixels(visit_chart(mixed, PERIOD)), "the marks differ"
    elsewhere = range_period(dt.date(2026, 12, 1), dt.date(2026, 12, 7))
    assert pixels(visit_chart(five, PERIOD)) != pixels(visit_chart(five, elsewhere)), "the band"


def test_nothing_of_one_chart_is_left_in_the_next(monkeypatch) -> None:
    import plangen.chart as chart

    one = weekly(1)
    monkeypatch.setattr(chart, "_CANVAS", None)  # a fresh process: nothing drawn yet
    first = visit_chart(one, PERIOD)
    busy = range_period(dt.date(2026, 7, 1), dt.date(2026, 11, 22))
    for visits, period in ((weekly(12), busy), (weekly(20), busy), ([], PERIOD), (weekly(8), PERIOD)):
        visit_chart(visits, period)
    assert pixels(visit_chart(one, PERIOD)) == pixels(first)


def test_many_charts_add_nothing_to_the_figure() -> None:
    import plangen.chart as chart

    visit_chart(weekly(3), PERIOD)
    canvas = chart._canvas()
    before = len(canvas.figure.findobj())
    for count in range(40):
        visit_chart(weekly(count % 13, last=dt.date(2026, 11, 20) - dt.timedelta(days=count)), PERIOD)
    assert len(canvas.figure.findobj()) == before


def test_no_visits_still_draws_a_chart_of_the_same_size() -> None:
    empty = Image.open(io.BytesIO(visit_chart([], PERIOD)))
    assert empty.size == (round(SIZE[0] * DPI), round(SIZE[1] * DPI))
    assert pixels(visit_chart([], PERIOD)) != pixels(visit_chart(weekly(1), PERIOD))


def test_odd_labels_and_statuses_still_draw() -> None:
    day = dt.date(2026, 11, 18)
    odd = [
        ChartVisit(day - dt.timedelta(days=3), "", "done", "maybe"),
        ChartVisit(day - dt.timedelta(days=2), "   ", "", ""),
        ChartVisit(day - dt.timedelta(days=1), "$5 & 50%", "rescheduled", "yes"),
        ChartVisit(day, "18 nov.", "cancelled by provider", "no"),
    ]
    assert Image.open(io.BytesIO(visit_chart(odd, PERIOD))).format == "PNG"


def _canvas_is_fresh() -> bool:
    from plangen import chart

    return chart._CANVAS is None


def test_a_forked_worker_draws_with_its_own_font_not_the_parents() -> None:
    """A font shared across fork reads glyphs through one file position: 'invalid outline' crashes."""
    import multiprocessing

    from plangen import chart

    visit_chart(weekly(5), PERIOD)
    assert chart._CANVAS is not None
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_canvas_is_fresh)
        child_png = pool.apply(visit_chart, (weekly(5), PERIOD))
    assert child_png == visit_chart(weekly(5), PERIOD)
