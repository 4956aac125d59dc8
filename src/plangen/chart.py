"""A small picture of a child's recent visits for the coordinator packet (Pillow).

Two rows over the child's last visits: did the visit happen (done / cancelled / no-show),
and how the last plan went (yes / partly / no, as recorded at that visit). Each kind of mark
has its own shape, and a key beside each row says in words what each shape means, so nothing
is told by colour alone; the colours are the Okabe–Ito palette, safe for colour-blind readers.
Each column has its date under it; the period's visits sit on a shaded band.

A packet holds one chart per child, so a week's packets draw thousands: drawing is split by
what changes. What every chart shares (the key, the rule between the rows) is drawn once per
process. Each mark and each text is drawn once, antialiased (marks drawn four times larger
and scaled down), on each ground it can sit on (white, or the band's grey), and kept as a
tile. A chart copies the shared picture, shades its band and places its tiles. The picture is
kept in a fixed palette of the chart's own colours and their blends (a PNG under half the
bytes of a full-colour one), so nothing is converted per chart.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from .dates import Period

SIZE = (6.0, 1.6)  # inches
DPI = 150  # sharp on paper at the chart's printed width
MAX_VISITS = 8  # the last visits shown, or all of the period's when there are more
BLUE, VERMILLION, GREEN, ORANGE, GREY = "#0072B2", "#D55E00", "#009E73", "#E69F00", "#6B6B6B"
BLACK, WHITE, BAND, RULE = "#000000", "#FFFFFF", "#EDEDED", "#D0D0D0"
FONT = 6.5  # points: the chart prints at its own size, 6 inches wide
TITLE_FONT = 7.5  # the rows' names
NOTE_FONT = 8  # "No visits yet"
MARK_SIZE = 6.8  # points across a mark
KEY_MARK_SIZE = MARK_SIZE * 0.85
MARK_EDGE = 1.3  # points: the outline of a hollow mark

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

Mark = tuple[str, str, str]  # marker, face, edge

# The layout, in pixels (the picture is SIZE × DPI).
_PX = DPI / 72  # pixels per point
_WIDTH, _HEIGHT = round(SIZE[0] * DPI), round(SIZE[1] * DPI)
_PLOT_LEFT, _PLOT_RIGHT = round(0.27 * _WIDTH), round(0.99 * _WIDTH)  # the columns' area
_PLOT_TOP, _PLOT_BOTTOM = round(0.05 * _HEIGHT), round(0.85 * _HEIGHT)
_Y_LOW, _Y_HIGH = -0.5, 1.55  # the rows sit at 1 (visit) and 0 (plan)
_KEY_LEFT = 9  # the key's left edge
_KEY_LINE = 19.5  # from one line of the key to the next
_KEY_GAP = 5  # between a key's mark and its word
_KEY_COLUMN_GAP = 19  # between a key's columns
_DATE_GAP = 3  # between the columns' area and the dates under it
_SUPERSAMPLE = 4  # marks are drawn this much larger, then scaled down: smooth edges
_TEXTS_KEPT = 1024  # drawn texts kept: a few years of dates


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
    picture = c.background.copy()
    inside = [i for i, v in enumerate(shown) if v.date in period]
    band = WHITE
    if inside:
        left, right = _column_x(min(inside) - 0.45, slots), _column_x(max(inside) + 0.45, slots)
        draw = ImageDraw.Draw(picture)
        draw.rectangle((round(left), _PLOT_TOP, round(right) - 1, _PLOT_BOTTOM - 1), fill=c.index[BAND])
        draw.line((round(left), c.rule_y, round(right) - 1, c.rule_y), fill=c.index[RULE])  # over the band
        centre = _column_x((min(inside) + max(inside)) / 2, slots)
        c.place(picture, c.text("this period", FONT, GREY, BAND), centre, _row_y(1.5), top=True)
        band = BAND
    if not shown:
        c.place(picture, c.text("No visits yet", NOTE_FONT, GREY, WHITE), _column_x(slots / 2 - 0.5, slots), _row_y(1))
    dates = [c.text(v.label, FONT, BLACK, WHITE) for v in shown]
    pitch = _column_x(1, slots) - _column_x(0, slots)
    crowded = any(d.width + 4 > pitch for d in dates)
    for x, v in enumerate(shown):
        ground = band if x in inside else WHITE
        centre = _column_x(x, slots)
        c.place(picture, c.mark(VISIT_MARKS.get(v.status, MISSING)[:3], MARK_SIZE, ground), centre, _row_y(1))
        if v.status == "done" and v.plan_used in PLAN_MARKS:
            c.place(picture, c.mark(PLAN_MARKS[v.plan_used][:3], MARK_SIZE, ground), centre, _row_y(0))
        line = c.date_line if crowded and x % 2 else 0.0
        c.place(picture, dates[x], centre, _PLOT_BOTTOM + _DATE_GAP + line, top=True)
    out = io.BytesIO()
    picture.save(out, format="PNG", compress_level=1, dpi=(DPI, DPI))
    return out.getvalue()


def _column_x(x: float, slots: int) -> float:
    """The pixel position of column ``x`` of ``slots``."""
    return _PLOT_LEFT + (x + 0.6) / (slots + 0.2) * (_PLOT_RIGHT - _PLOT_LEFT)  # a margin each side


def _row_y(y: float) -> float:
    """The pixel position of height ``y`` (the visit row is 1, the plan row 0)."""
    return _PLOT_BOTTOM - (y - _Y_LOW) / (_Y_HIGH - _Y_LOW) * (_PLOT_BOTTOM - _PLOT_TOP)


class _Canvas:
    """What every chart of this process shares: the key, the palette, the marks and texts drawn."""

    def __init__(self) -> None:
        # Pillow's own font (Aileron), scalable: every chart looks the same on every machine.
        self._fonts = {size: ImageFont.load_default(size * _PX) for size in (FONT, TITLE_FONT, NOTE_FONT)}
        self.palette = _palette()
        self._palette_image = Image.new("P", (1, 1))  # what ``quantize`` maps to
        self._palette_image.putpalette(self.palette)
        self.index = {colour: i for i, colour in enumerate(_PALETTE_COLOURS)}
        self._marks: dict[tuple[Mark, float, str], Image.Image] = {}
        self._texts: dict[tuple[str, float, str, str], Image.Image] = {}
        _left, top, _right, bottom = self._fonts[FONT].getbbox("Ag")
        self.date_line = (bottom - top) * 1.25  # the second line of crowded dates
        self.rule_y = round(_row_y(0.5))
        self.background = self._background()

    def _background(self) -> Image.Image:
        """White, the key of each row, and the rule between the rows."""
        picture = Image.new("P", (_WIDTH, _HEIGHT), self.index[WHITE])
        picture.putpalette(self.palette)
        ImageDraw.Draw(picture).line(
            (_PLOT_LEFT, self.rule_y, _PLOT_RIGHT - 1, self.rule_y), fill=self.index[RULE], width=1
        )
        for y, title, kinds, columns in (
            (1, "Visit", [*dict.fromkeys(VISIT_MARKS.values()), MISSING], 2),
            (0, "Last plan used?", list(PLAN_MARKS.values()), 3),
        ):
            rows = math.ceil(len(kinds) / columns)
            first = _row_y(y) - rows * _KEY_LINE / 2  # the title's line: the block centred on its row
            self.place(picture, self.text(title, TITLE_FONT, BLACK, WHITE), _KEY_LEFT, first, left=True)
            x = float(_KEY_LEFT)
            for column in range(columns):
                entries = kinds[column * rows : (column + 1) * rows]  # filled down each column
                widest = 0.0
                for row, (marker, face, edge, word) in enumerate(entries):
                    line = first + (row + 1) * _KEY_LINE
                    tile = self.mark((marker, face, edge), KEY_MARK_SIZE, WHITE)
                    self.place(picture, tile, x + tile.width / 2, line)
                    label = self.text(word, FONT, BLACK, WHITE)
                    self.place(picture, label, x + tile.width + _KEY_GAP, line, left=True)
                    widest = max(widest, tile.width + _KEY_GAP + label.width)
                x += widest + _KEY_COLUMN_GAP
        return picture

    def place(
        self, picture: Image.Image, tile: Image.Image, x: float, y: float, *, top: bool = False, left: bool = False
    ) -> None:
        """``tile`` centred on (x, y); its top at ``y`` with ``top``, its left at ``x`` with ``left``."""
        at_x = round(x if left else x - tile.width / 2)
        at_y = round(y if top else y - tile.height / 2)
        picture.paste(tile, (at_x, at_y))

    def mark(self, mark: Mark, points: float, ground: str) -> Image.Image:
        """One kind of mark on ``ground``, drawn once."""
        key = (mark, points, ground)
        if key not in self._marks:
            self._marks[key] = self._quantized(_draw_mark(mark, points * _PX, MARK_EDGE * _PX, ground))
        return self._marks[key]

    def text(self, text: str, points: float, colour: str, ground: str) -> Image.Image:
        """``text`` on ``ground``, drawn once: its ink's box, with a pixel to spare around it."""
        key = (text, points, colour, ground)
        found = self._texts.get(key)
        if found is None:
            if len(self._texts) >= _TEXTS_KEPT:
                self._texts.clear()
            font = self._fonts[points]
            left, top, right, bottom = font.getbbox(text or " ")
            width, height = max(1, math.ceil(right - left)) + 2, max(1, math.ceil(bottom - top)) + 2
            drawn = Image.new("RGB", (width, height), ground)
            ImageDraw.Draw(drawn).text((1 - left, 1 - top), text, font=font, fill=colour)
            found = self._texts[key] = self._quantized(drawn)
        return found

    def _quantized(self, drawn: Image.Image) -> Image.Image:
        """``drawn`` in the chart's palette, so tiles paste into the picture as they are."""
        return drawn.quantize(palette=self._palette_image, dither=Image.Dither.NONE)


def _draw_mark(mark: Mark, size: float, edge: float, ground: str) -> Image.Image:
    """A mark ``size`` pixels across (its outline ``edge`` wide when hollow), antialiased, on ``ground``."""
    marker, face, colour = mark
    side = math.ceil(size + edge) + 2
    scale = _SUPERSAMPLE
    big = Image.new("RGB", (side * scale, side * scale), ground)
    draw = ImageDraw.Draw(big)
    centre = side * scale / 2
    half = size * scale / 2
    width = round(edge * scale)
    fill = None if face == "none" else face
    if marker == "o":
        draw.ellipse((centre - half, centre - half, centre + half, centre + half), fill=fill, outline=colour, width=width)
    elif marker == "s":
        half *= 0.9  # a square looks as big as a circle when a little smaller across
        draw.rectangle((centre - half, centre - half, centre + half, centre + half), fill=fill, outline=colour, width=width)
    elif marker == "D":
        half *= 1.15  # a diamond, as big as a circle when a little larger across
        points = [(centre, centre - half), (centre + half, centre), (centre, centre + half), (centre - half, centre)]
        draw.polygon(points, fill=fill or ground, outline=colour, width=width)
    else:  # "X": a thick cross
        draw.polygon(_cross(centre, half, half * 0.28), fill=colour)
    return big.resize((side, side), Image.Resampling.LANCZOS)


def _cross(centre: float, reach: float, thickness: float) -> list[tuple[float, float]]:
    """The outline of an X whose arms reach the corners of a square ``reach`` from ``centre``,
    each arm ``thickness`` from its diagonal to either edge."""
    d = thickness * math.sqrt(2)  # an arm's edge, from its diagonal, along an axis
    r = reach
    points = [
        (0, -d), (r - d, -r), (r, -r + d), (d, 0), (r, r - d), (r - d, r),
        (0, d), (-r + d, r), (-r, r - d), (-d, 0), (-r, -r + d), (-r + d, -r),
    ]  # fmt: skip
    return [(centre + x, centre + y) for x, y in points]


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


# The palette's first entries are the chart's colours, in this order (``_Canvas.index``).
_PALETTE_COLOURS = [WHITE, BAND, BLACK, GREY, RULE, BLUE, VERMILLION, GREEN, ORANGE]


def _palette() -> list[int]:
    """The chart's colours and the blends of each over the two grounds (antialiased edges).

    Pillow maps a colour to a palette entry by cells a few levels wide, so no blend may sit that
    close to another entry: white must stay white, the band its own grey.
    """
    grounds = [_hex(WHITE), _hex(BAND)]
    inks = [_hex(c) for c in _PALETTE_COLOURS[2:]]
    entries = [_hex(c) for c in _PALETTE_COLOURS]
    for ground in grounds:
        for ink in inks:
            for step in range(1, 14):
                blend = tuple(round((step * i + (14 - step) * g) / 14) for i, g in zip(ink, ground, strict=True))
                if all(max(abs(a - b) for a, b in zip(blend, e, strict=True)) >= 6 for e in entries):
                    entries.append(blend)  # type: ignore[arg-type]
    return [v for colour in entries[:256] for v in colour]


_CANVAS: _Canvas | None = None


def _canvas() -> _Canvas:
    global _CANVAS
    if _CANVAS is None:
        _CANVAS = _Canvas()
    return _CANVAS
