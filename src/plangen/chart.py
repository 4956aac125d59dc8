"""A small picture of a child's recent visits for the coordinator packet (matplotlib, Agg).

Two rows over the child's last visits: did the visit happen (done / cancelled / no-show),
and how the last plan went (yes / partly / no, as recorded at that visit). Each kind of mark
has its own shape, and a key beside each row says in words what each shape means, so nothing
is told by colour alone; the colours are the Okabe–Ito palette, safe for colour-blind readers.
Each column has its date under it; the period's visits sit on a shaded band.

Drawing is split by what changes (matplotlib's blitting). What is the same for every chart —
the row names with their keys, the rule between the rows — is drawn once per process and kept
as a picture. A chart restores that picture (``restore_region``) and draws only its own
artists on it (``draw_artist``): a handful made once and re-aimed per chart (``set_data``,
``set_path``), each drawn only when it has something to show, so nothing of one chart is left
in the next. The chart's words (its dates, "this period") are drawn as text paths, all in one
go: a text artist each costs far more. The PNG is written from the canvas by Pillow, in a fixed
palette of the chart's own colours and their blends (under half the bytes, and quicker to
compress than the full colour picture). The figure is built without pyplot (no global state).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from .dates import Period

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

SIZE = (6.0, 1.6)  # inches
DPI = 150  # sharp on paper at the chart's printed width, and a quarter faster than 200
MAX_VISITS = 8  # the last visits shown, or all of the period's when there are more
BLUE, VERMILLION, GREEN, ORANGE, GREY = "#0072B2", "#D55E00", "#009E73", "#E69F00", "#6B6B6B"
BLACK, WHITE, BAND, RULE = "#000000", "#FFFFFF", "#EDEDED", "#D0D0D0"
FONT = 6.5  # points: the chart prints at its own size, 6 inches wide
TITLE_FONT = 7.5  # the rows' names
MARK_SIZE = 6.8  # points across a mark (a scatter's s=46)
_WORDS_KEPT = 1024  # laid-out texts kept: a few years of dates

# status → (marker, face colour or "none", edge colour, word in the key)
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
MISSING = ("o", "none", GREY, "not recorded")  # a visit whose status is blank or unknown

Mark = tuple[str, str, str]  # marker, face, edge: one kind of mark, drawn by one reused artist


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
    c = _canvas()
    slots = max(len(shown), 6)  # a few visits don't spread over the whole width
    c.ax.set_xlim(-0.6, slots - 0.4)
    c.canvas.restore_region(c.background)  # the unchanging part, and nothing of the last chart
    inside = [i for i, v in enumerate(shown) if v.date in period]
    notes: list[Path] = []
    if inside:
        c.band.set_x(min(inside) - 0.45)
        c.band.set_width(max(inside) - min(inside) + 0.9)
        c.ax.draw_artist(c.band)
        c.ax.draw_artist(c.rule)  # over the band, as a full draw would have it
        notes.append(c.placed(c.this_period, c.column_x((min(inside) + max(inside)) / 2), c.period_baseline))
    if not shown:
        notes.append(c.placed(c.no_visits, c.column_x(slots / 2 - 0.5), c.visit_row_baseline))
    # One artist per kind of mark, not one per visit: drawing is per artist.
    marks: dict[Mark, tuple[list[int], list[int]]] = {}
    for x, v in enumerate(shown):
        xs, ys = marks.setdefault(VISIT_MARKS.get(v.status, MISSING)[:3], ([], []))
        xs.append(x)
        ys.append(1)
        if v.status == "done" and v.plan_used in PLAN_MARKS:
            xs, ys = marks.setdefault(PLAN_MARKS[v.plan_used][:3], ([], []))
            xs.append(x)
            ys.append(0)
    for mark, (xs, ys) in marks.items():
        c.marks[mark].set_data(xs, ys)
        c.ax.draw_artist(c.marks[mark])
    if notes:
        c.notes.set_path(_joined(notes))
        c.ax.draw_artist(c.notes)
    if shown:
        c.dates.set_path(c.date_row([v.label for v in shown]))
        c.ax.draw_artist(c.dates)
    return c.png()


def _joined(paths: list[Path]) -> Path:
    from matplotlib.path import Path

    return Path.make_compound_path(*paths)


class _Canvas:
    """One figure per process: the unchanging part drawn once, the per-chart artists reused."""

    def __init__(self) -> None:
        # matplotlib loads only when a chart is drawn (the Agg canvas: no display, no pyplot state).
        import numpy as np
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.font_manager import FontProperties, findfont, get_font
        from matplotlib.lines import Line2D
        from matplotlib.patches import Rectangle
        from matplotlib.transforms import blended_transform_factory
        from PIL import Image

        self.figure = figure = Figure(figsize=SIZE, dpi=DPI)
        self.canvas: Any = cast(Any, FigureCanvasAgg(figure))  # its blitting methods are untyped
        self.ax: Axes = figure.add_axes((0.27, 0.15, 0.72, 0.8))
        ax = self.ax
        ax.set_ylim(-0.5, 1.55)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_axis_off()
        self.rule: Line2D = ax.axhline(0.5, color=RULE, linewidth=0.6)
        # The key: each row's name and, under it, each kind of mark the row can hold with its word.
        by_row = blended_transform_factory(figure.transFigure, ax.transData)
        for y, title, kinds, columns in (
            (1, "Visit", [*dict.fromkeys(VISIT_MARKS.values()), MISSING], 2),
            (0, "Last plan used?", list(PLAN_MARKS.values()), 3),
        ):
            handles = [
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker=m,
                    markersize=MARK_SIZE * 0.85,
                    markerfacecolor=f,
                    markeredgecolor=e,
                    markeredgewidth=1.1,
                )
                for m, f, e, _w in kinds
            ]
            key = ax.legend(
                handles,
                [w for *_m, w in kinds],
                title=title,
                title_fontsize=TITLE_FONT,
                fontsize=FONT,
                loc="center left",
                bbox_to_anchor=(0.01, y - 0.45, 0, 0.9),
                bbox_transform=by_row,
                ncols=columns,
                alignment="left",
                frameon=False,
                borderpad=0,
                borderaxespad=0,
                handlelength=0.9,
                handletextpad=0.5,
                columnspacing=1.4,
                labelspacing=0.35,
            )
            ax.add_artist(key)
        self.canvas.draw()
        self.background: Any = self.canvas.copy_from_bbox(figure.bbox)
        # The per-chart artists, drawn only by draw_artist (animated: a full draw leaves them out).
        self.rule.set_animated(True)
        self.band: Rectangle = Rectangle(
            (0, 0),
            1,
            1,
            transform=blended_transform_factory(ax.transData, ax.transAxes),
            color=BAND,
            zorder=0,
            animated=True,
        )
        ax.add_patch(self.band)
        self.marks: dict[Mark, Line2D] = {
            (m, f, e): ax.plot(
                [],
                [],
                linestyle="none",
                marker=m,
                markersize=MARK_SIZE,
                markerfacecolor=f,
                markeredgecolor=e,
                markeredgewidth=1.3,
                zorder=3,
                animated=True,
                clip_on=False,
            )[0]
            for m, f, e, _w in [*VISIT_MARKS.values(), *PLAN_MARKS.values(), MISSING]
        }
        # The chart's words as paths in pixels (drawn as given: the identity transform).
        self.dates: PathPatch = _text_patch(BLACK)
        self.notes: PathPatch = _text_patch(GREY)
        for artist in (self.dates, self.notes):
            ax.add_patch(artist)
        self._font = get_font(findfont(FontProperties()))  # the text's font, DejaVu Sans by default
        self._glyphs: dict[str, tuple[Any, Any]] = {}
        self._words: dict[tuple[str, float], Path] = {}
        self._px = DPI / 72  # pixels per point
        self.this_period = self.words("this period", FONT)
        self.no_visits = self.words("No visits yet", 8)
        # Baselines in pixels (rows don't move; columns do, with the number of visits).
        cap = float(np.asarray(self.words("0", FONT).vertices)[:, 1].max())  # a digit's height
        self.period_baseline = ax.transData.transform((0, 1.5))[1] - cap  # top-aligned at 1.5
        self.visit_row_baseline = ax.transData.transform((0, 1))[1] - cap * 8 / FONT / 2
        self.date_baseline = ax.bbox.y0 - 3 - cap  # just under the axes
        self.line = FONT * self._px * 1.25
        self.palette = _palette(Image)

    def column_x(self, x: float) -> float:
        """The pixel position of column ``x``."""
        return float(self.ax.transData.transform((x, 0))[0])

    def words(self, text: str, size: float) -> Path:
        """``text`` as a path in pixels, its ink centred on x = 0, its baseline on y = 0.

        Laid out once per text and size: the same dates come back chart after chart.
        """
        found = self._words.get((text, size))
        if found is None:
            if len(self._words) >= _WORDS_KEPT:
                self._words.clear()
            found = self._words[text, size] = self._lay_out(text, size)
        return found

    def _lay_out(self, text: str, size: float) -> Path:
        """matplotlib lays the text out (its text-to-path, as a ``TextPath`` does); each glyph's
        outline is kept once loaded, being the same in every chart.
        """
        import numpy as np
        from matplotlib.path import Path
        from matplotlib.textpath import text_to_path

        self._font.set_size(text_to_path.FONT_SCALE, text_to_path.DPI)  # the font object is shared
        placed, new, _rects = text_to_path.get_glyphs_with_font(
            self._font, text, glyph_map=self._glyphs, return_new_glyphs_only=True
        )
        self._glyphs.update(new)
        if not placed:  # nothing to lay out: an empty path (a point, drawn as nothing)
            return Path(np.zeros((1, 2)), [Path.MOVETO])
        vertices = np.concatenate([self._glyphs[g][0] + (x, y) for g, x, y, _size in placed])
        codes = np.concatenate([self._glyphs[g][1] for g, *_ in placed])
        if not len(vertices):  # spaces only
            return Path(np.zeros((1, 2)), [Path.MOVETO])
        vertices *= size * self._px / text_to_path.FONT_SCALE
        vertices[:, 0] -= (vertices[:, 0].min() + vertices[:, 0].max()) / 2
        return Path(vertices, codes)

    def placed(self, path: Path, x: float, y: float) -> Path:
        """``path`` moved to (x, y)."""
        import numpy as np
        from matplotlib.path import Path

        return Path(np.add(path.vertices, (x, y)), path.codes)

    def date_row(self, labels: list[str]) -> Path:
        """Each date under its column; on two alternating lines when they would touch."""
        import numpy as np

        paths = [self.words(label, FONT) for label in labels]
        xs = [self.column_x(x) for x in range(len(labels))]
        pitch = xs[1] - xs[0] if len(xs) > 1 else math.inf
        widest = 2 * max(float(np.asarray(p.vertices)[:, 0].max()) for p in paths)  # ink centred on 0
        crowded = widest + 4 > pitch
        return _joined(
            [
                self.placed(p, x, self.date_baseline - (self.line if crowded and i % 2 else 0))
                for i, (p, x) in enumerate(zip(paths, xs, strict=True))
            ]
        )

    def png(self) -> bytes:
        """The canvas as a PNG in the chart's fixed palette (the figure is opaque: no alpha)."""
        from PIL import Image

        width, height = self.canvas.get_width_height()
        rgb = Image.frombytes("RGB", (width, height), self.canvas.buffer_rgba(), "raw", "RGBX")
        picture = rgb.quantize(palette=self.palette, dither=Image.Dither.NONE)
        out = io.BytesIO()
        picture.save(out, format="PNG", compress_level=1, dpi=(DPI, DPI))
        return out.getvalue()


def _palette(image: Any) -> Any:
    """The chart's colours and the blends of each over the two grounds (antialiased edges).

    Pillow maps a colour to a palette entry by cells a few levels wide, so no blend may sit that
    close to a ground: white must stay white, the band its own grey.
    """
    from matplotlib.colors import to_rgb

    def rgb(colour: tuple[float, ...]) -> tuple[int, int, int]:
        r, g, b = (round(255 * v) for v in colour)
        return r, g, b

    grounds = [rgb(to_rgb(WHITE)), rgb(to_rgb(BAND))]
    inks = [rgb(to_rgb(c)) for c in (BLACK, GREY, RULE, BAND, BLUE, VERMILLION, GREEN, ORANGE)]
    entries = list(dict.fromkeys(grounds + inks))
    for ground in grounds:
        for ink in inks:
            for step in range(1, 14):
                blend = rgb(
                    tuple((step * i + (14 - step) * g) / 14 / 255 for i, g in zip(ink, ground, strict=True))
                )
                if all(max(abs(a - b) for a, b in zip(blend, e, strict=True)) >= 6 for e in entries):
                    entries.append(blend)
    palette = image.new("P", (1, 1))
    palette.putpalette([v for colour in entries[:256] for v in colour])
    return palette


_CANVAS: _Canvas | None = None


def _canvas() -> _Canvas:
    global _CANVAS
    if _CANVAS is None:
        _CANVAS = _Canvas()
    return _CANVAS


def _forget_canvas() -> None:
    global _CANVAS
    _CANVAS = None


# The canvas holds a FreeType font, which reads its file through a position the parent and a
# forked worker would share: drawing in both at once then reads glyphs from the wrong place
# ("FT_Load_Glyph … invalid outline"). A worker makes its own canvas, as matplotlib empties its
# own font cache after a fork.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_canvas)


def _text_patch(colour: str) -> PathPatch:
    """An empty patch that a chart's words (as paths, in pixels) are later set into."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path
    from matplotlib.transforms import IdentityTransform

    return PathPatch(
        Path([(0, 0)]),
        facecolor=colour,
        edgecolor="none",
        lw=0,
        transform=IdentityTransform(),
        animated=True,
        clip_on=False,
    )
