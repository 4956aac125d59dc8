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


def test_many_charts_leave_the_shared_picture_as_it_was() -> None:
    import plangen.chart as chart

    visit_chart(weekly(3), PERIOD)
    background = chart._canvas().background.tobytes()
    for count in range(40):
        visit_chart(weekly(count % 13, last=dt.date(2026, 11, 20) - dt.timedelta(days=count)), PERIOD)
    assert chart._canvas().background.tobytes() == background


def test_every_colour_of_a_chart_is_one_of_its_palette() -> None:
    """Tiles paste as they are: a colour outside the palette would mean a conversion went wrong."""
    import plangen.chart as chart

    image = Image.open(io.BytesIO(visit_chart(weekly(8), PERIOD)))
    assert image.mode == "P"
    used = {index for _count, index in image.getcolors()}
    assert max(used) < len(chart._canvas().palette) // 3
    palette = image.getpalette()
    colours = {tuple(palette[3 * i : 3 * i + 3]) for i in used}
    for ink in (chart.BLUE, chart.VERMILLION, chart.GREEN, chart.ORANGE, chart.GREY, chart.BLACK, chart.WHITE):
        assert chart._hex(ink) in colours, ink


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


def test_a_forked_worker_draws_the_same_chart_as_its_parent() -> None:
    """The font is Pillow's own, held in memory: a worker forked after a chart shares no file position."""
    import multiprocessing

    visit_chart(weekly(5), PERIOD)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child = pool.apply_async(visit_chart, (weekly(5), PERIOD))
        parent = [visit_chart(weekly(5), PERIOD) for _ in range(20)]
        assert child.get() == parent[0] == parent[-1]
