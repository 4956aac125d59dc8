"""A small picture of a child's recent visits for the coordinator packet (matplotlib, Agg).

Two rows over the child's last visits: did the visit happen (done / cancelled / no-show),
and how the last plan went (yes / partly / no, as recorded at that visit). Each mark has a
shape *and* a word under it, so nothing is told by colour alone; the colours are the
Okabe–Ito palette, safe for colour-blind readers. The period's visits sit on a shaded band.
The figure is built without pyplot (no global state to close), about 6 × 1.6 inches.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import Period

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SIZE = (6.0, 1.6)  # inches
DPI = 150  # sharp on paper at the chart's printed width, and a quarter faster than 200
MAX_VISITS = 8  # the last visits shown, or all of the period's when there are more
BLUE, VERMILLION, GREEN, ORANGE, GREY = "#0072B2", "#D55E00", "#009E73", "#E69F00", "#6B6B6B"
BAND = "#EDEDED"

# status → (marker, face colour or "none", edge colour, word)
VISIT_MARKS = {
    "done": ("o", BLUE, BLUE, "done"),
    "cancelled by family": ("X", VERMILLION, VERMILLION, "cancelled"),
    "cancelled by provider": ("X", VERMILLION, VERMILLION, "cancelled"),
    "no-show": ("s", "none", VERMILLION, "no-show"),
}
PLAN_MARKS = {
    "yes": ("o", GREEN, GREEN, "yes"),
    "partly": ("D", ORANGE, ORANGE, "partly"),
    "no": ("o", "none", GREY, "no"),
}


@dataclass(frozen=True)
class ChartVisit:
    date: dt.date
    label: str  # the date as the reader writes it: "Nov 17"
    status: str
    plan_used: str  # yes / partly / no, or "" when not recorded


def chart_visits(visits: Sequence[ChartVisit], period: Period) -> list[ChartVisit]:
    """The visits to draw: the last ``MAX_VISITS`` up to the period's end (all of the period's)."""
    until = [v for v in visits if v.date <= period.end]
    in_period = sum(1 for v in until if v.date in period)
    return until[-max(MAX_VISITS, in_period) :]


def visit_chart(visits: Sequence[ChartVisit], period: Period) -> bytes:
    """The chart as PNG bytes; an empty list draws 'No visits yet'."""
    shown = chart_visits(visits, period)
    figure, ax = _canvas()
    for artist in [*ax.collections, *ax.patches, *ax.texts]:
        artist.remove()
    slots = max(len(shown), 6)  # a few visits don't spread over the whole width
    ax.set_xlim(-0.6, slots - 0.4)
    # Each column's words sit under its date: the visit, then how the last plan went.
    labels = [
        f"{v.label}\n{VISIT_MARKS.get(v.status, MISSING)[3]}\n"
        f"{PLAN_MARKS[v.plan_used][3] if v.status == 'done' and v.plan_used in PLAN_MARKS else '–'}"
        for v in shown
    ]
    ax.set_xticks(range(len(shown)), labels, fontsize=6.5)
    inside = [i for i, v in enumerate(shown) if v.date in period]
    if inside:
        ax.axvspan(min(inside) - 0.45, max(inside) + 0.45, color=BAND, zorder=0)
        ax.text((min(inside) + max(inside)) / 2, 1.5, "this period", ha="center", va="top", fontsize=6.5, color=GREY)
    if not shown:
        ax.text(slots / 2 - 0.5, 0.5, "No visits yet", ha="center", va="center", fontsize=8, color=GREY)
    # One scatter per kind of mark, not one per visit: drawing is per collection.
    marks: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    for x, v in enumerate(shown):
        marker, face, edge, _word = VISIT_MARKS.get(v.status, MISSING)
        marks.setdefault((marker, face, edge), []).append((x, 1))
        if v.status == "done" and v.plan_used in PLAN_MARKS:
            marker, face, edge, _word = PLAN_MARKS[v.plan_used]
            marks.setdefault((marker, face, edge), []).append((x, 0))
    for (marker, face, edge), points in marks.items():
        xs, ys = zip(*points, strict=True)
        ax.scatter(xs, ys, marker=marker, s=46, facecolors=face, edgecolors=edge, linewidths=1.3, zorder=3)
    out = io.BytesIO()
    # Low PNG compression: a chart is small, and most of savefig's time would go to squeezing it.
    figure.savefig(out, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return out.getvalue()


MISSING = ("o", "none", GREY, "?")
_CANVAS: tuple[Figure, Axes] | None = None


def _canvas() -> tuple[Figure, Axes]:
    """One figure per process: axes, labels and rules are made once, the marks per chart."""
    global _CANVAS
    if _CANVAS is None:
        # matplotlib loads only when a chart is drawn (the Agg canvas: no display, no pyplot state).
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=SIZE, dpi=DPI)
        FigureCanvasAgg(figure)
        ax = figure.add_axes((0.17, 0.36, 0.81, 0.58))
        ax.set_ylim(-0.5, 1.55)
        ax.set_yticks([1, 0], ["Visit", "Last plan used?"], fontsize=7.5)
        ax.tick_params(axis="y", length=0)
        ax.tick_params(axis="x", length=0, pad=2)
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.axhline(0.5, color="#D0D0D0", linewidth=0.6)
        _CANVAS = (figure, ax)
    return _CANVAS
