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
