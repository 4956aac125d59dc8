"""Read the program's workbook into records, collecting every cell problem.

Sheets are recognised by their headers, not only their names: a sheet is a
Visits sheet when its header row matches visit fields, so a workbook with one
sheet per week or per provider is read whole. The header row may sit below
title rows, and may be two rows deep (a merged group title such as
"Strategy #1" over "Steps", "Who", "Plan B?"). A workbook with only visit
sheets (child fields repeated on each row) is read as a *flat* workbook. A CSV
file is read as one flat visit sheet (``csvread``).
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
import sys
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, overload

from python_calamine import CalamineError

from .config import Config
from .fields import (
    CATALOG,
    CHILD_FIELDS_ON_VISITS,
    SUMMARY_FIELDS,
    Field,
    HeaderIndex,
    Sheet,
    normalize_header,
)
from .inputcheck import check_workbook
from .problems import InputError, Problem, Problems, Severity
from .rowstore import ABSENT, RowStore
from .values import ValueProblem, has_characters_word_cannot_show, is_blank, parse_cell, word_text
from .xlsxread import CalamineBook

# How far down a sheet plangen looks for its header row (title rows above it).
HEADER_SEARCH_ROWS = 12
# A row is a header when it matches at least this many catalog fields.
MIN_HEADER_MATCHES = 2
# A row under the table whose first filled cell starts like this is a footer, not a visit.
_FOOTER = re.compile(r"^\s*(?:grand\s+|sub-?)?(?:totals?|notes?|count|sum)\b", re.IGNORECASE)
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")  # a TOML key that needs no quotes
# Between a group title and its sub-header in a two-row header: "Strategy #1 / Steps".
GROUP_JOIN = " / "


@dataclass(frozen=True)
class Column:
    index: int  # 1-based
    header: str
    mapped: bool = False  # matched through [columns.<sheet>] in plangen.toml


_NONE: frozenset[str] = frozenset()


class KeptFields:
    """The fields a stored row of one sheet keeps in memory (``fields.SUMMARY_FIELDS``), by
    position: a sheet's ``StoredRows`` keeps a column for each."""

    __slots__ = ("index", "names")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.index = {name: index for index, name in enumerate(names)}


KEPT_FIELDS: dict[Sheet, KeptFields] = {sheet: KeptFields(tuple(sorted(names))) for sheet, names in SUMMARY_FIELDS.items()}


class LooseRow:
    """A row not stored (yet): its values in dicts, as read. ``Record`` asks it what it asks a
    sheet's ``StoredRows``; ``at`` is always 0 (it holds one row)."""

    __slots__ = ("columns", "extra", "number", "sheet", "unreadable", "values")

    def __init__(
        self, sheet: str, number: int, values: dict[str, Any], columns: dict[str, Column],
        unreadable: frozenset[str], extra: dict[str, Any],
    ) -> None:
        self.sheet, self.number, self.values, self.columns = sheet, number, values, columns
        self.unreadable, self.extra = unreadable, extra

    def row_of(self, at: int) -> int:
        return self.number

    def unreadable_of(self, at: int) -> frozenset[str]:
        return self.unreadable

    def values_of(self, at: int) -> dict[str, Any]:
        return self.values

    def extra_of(self, at: int) -> dict[str, Any]:
        return self.extra

    def has(self, at: int, name: str) -> bool:
        return name in self.values

    def get(self, at: int, name: str, default: Any) -> Any:
        return self.values.get(name, default)


_WIDER = {"B": "H", "H": "I", "b": "h", "h": "i"}  # each typecode's next wider one


def widened(column: array[int], value: int) -> array[int]:
    """``column`` with ``value`` at its end, widened (1, 2, then 4 bytes an item) the first time a
    value needs it: most columns never count 256 distinct values, and 50,000 rows' took 2.7 MB at
    4 bytes."""
    while True:
        try:
            column.append(value)
            return column
        except OverflowError:
            if column.typecode not in _WIDER:
                raise
            column = array(_WIDER[column.typecode], column)


FILLED_TABLE = ""  # the table of the sets of filled cells (no field is named "")
PAGE_BITS = 8
PAGE_ROWS = 1 << PAGE_BITS  # stored rows to a page of their short values (``StoredRows``)
_PAGE_MASK = PAGE_ROWS - 1


class _Page:
    """The short values of up to ``PAGE_ROWS`` stored rows of one sheet, in columns (``StoredRows``)."""

    __slots__ = ("columns", "filled", "places")

    def __init__(self, places: array[int], filled: array[int], columns: list[array[int] | None]) -> None:
        self.places = places  # each row's place in the store (``RowStore.put``)
        self.filled = filled  # each row's filled cells: a frozenset's number in that table
        self.columns = columns  # per kept field, each row's value's number; None: no row has the field

    def __reduce__(self) -> tuple[Any, ...]:
        return _Page, (self.places, self.filled, self.columns)


class StoredRows:
    """One sheet's stored rows, in columns rather than an object each, a page of rows at a time.

    Per row: its number on the sheet, its place in the ``RowStore`` (where the whole row is), which
    of its cells are filled (a set shared by rows alike) and, per kept field (``KEPT_FIELDS``), the
    number of its value in the store's table of that field's values: about 20 bytes a visit row
    (a byte for most kept fields). A page of ``PAGE_ROWS`` rows, once full, goes to the store's
    file too (``RowStore.put_page``) and is read back when asked for, a few recent ones kept:
    50,000 visits' columns took 1.3 MB of memory, now 8 bytes a page.
    """

    __slots__ = (
        "_count", "_filled_sets", "_last_number", "_last_page", "_open", "_pages", "_read_page",
        "_run_offsets", "_run_starts", "_tables", "_unreadable", "columns", "kept", "sheet", "store",
    )  # fmt: skip

    def __init__(self, sheet: str, columns: dict[str, Column], kept: KeptFields, store: RowStore) -> None:
        self.sheet = sheet
        self.columns = columns
        self.kept = kept
        self.store = store
        # Each row's number on the sheet, as runs: from place ``_run_starts[i]`` on, a row's number is
        # its place plus ``_run_offsets[i]``. A new run starts after a skipped row (blank, a total):
        # most sheets' rows are one run or a few, where a number a row took 4 bytes.
        self._run_starts = array("I")
        self._run_offsets = array("q")
        self._count = 0
        self._pages = array("Q")  # each full page's place in the store (``RowStore.put_page``)
        self._open = self._new_page()  # the page rows are added to
        self._read_page: Callable[[int], _Page] = store.page
        self._last_number, self._last_page = 0, self._open  # the page last asked for, and its number
        # Numbers into the store's tables of values: a byte a row until one needs more (``widened``).
        self._filled_sets = store.table(FILLED_TABLE)
        self._tables = [store.table(name) for name in kept.names]  # each kept field's values
        self._unreadable: dict[int, frozenset[str]] = {}  # the few rows with a cell that could not be read

    def _new_page(self) -> _Page:
        return _Page(array("Q"), array("B"), [None] * len(self.kept.names))

    def add(self, row: LooseRow) -> int:
        """Store ``row``; its place among these rows."""
        at = self._count
        self._count += 1
        if not self._run_offsets or at + self._run_offsets[-1] != row.number:
            self._run_starts.append(at)
            self._run_offsets.append(row.number - at)
        page = self._open
        page.places.append(self.store.put(row.values, row.extra))
        page.filled = widened(page.filled, self._filled_sets.number(frozenset(row.values)))
        columns = page.columns
        for position, name in enumerate(self.kept.names):
            value = row.values.get(name, ABSENT)
            column = columns[position]
            if column is None:
                if value is ABSENT:
                    continue
                column = array("B", [0]) * (at & _PAGE_MASK)  # the page's rows before: none
            columns[position] = widened(column, 0 if value is ABSENT else self._tables[position].number(value))
        if row.unreadable:
            self._unreadable[at] = row.unreadable
        if len(page.places) == PAGE_ROWS:
            self._pages.append(self.store.put_page(page))
            self._open = self._new_page()  # the last page asked for may be the full one: still right
        return at

    def _page_of(self, at: int) -> _Page:
        """The page of row ``at``. ``get`` and ``has`` (called for most fields of most rows) take
        the last one asked for without calling this."""
        number = at >> PAGE_BITS
        page = self._open if number == len(self._pages) else self._read_page(self._pages[number])
        self._last_number, self._last_page = number, page
        return page

    def row_of(self, at: int) -> int:
        return at + self._run_offsets[bisect.bisect_right(self._run_starts, at) - 1]

    def unreadable_of(self, at: int) -> frozenset[str]:
        return self._unreadable.get(at, _NONE)

    def values_of(self, at: int) -> dict[str, Any]:
        return self.store.load(self._page_of(at).places[at & _PAGE_MASK])[0]

    def extra_of(self, at: int) -> dict[str, Any]:
        return self.store.load(self._page_of(at).places[at & _PAGE_MASK])[1]

    def has(self, at: int, name: str) -> bool:
        page = self._last_page if at >> PAGE_BITS == self._last_number else self._page_of(at)
        filled: frozenset[str] = self._filled_sets.values[page.filled[at & _PAGE_MASK]]
        return name in filled

    def get(self, at: int, name: str, default: Any) -> Any:
        position = self.kept.index.get(name)
        if position is None:
            return self.values_of(at).get(name, default)
        page = self._last_page if at >> PAGE_BITS == self._last_number else self._page_of(at)
        column = page.columns[position]
        value = ABSENT if column is None else self._tables[position].values[column[at & _PAGE_MASK]]
        return default if value is ABSENT else value


class Record:
    """One row of a sheet: parsed values by field name, and where each came from.

    A row may be *stored* (``store_in``): then it is a place among its sheet's ``StoredRows``,
    whose kept fields answer from memory and the rest from the ``RowStore``'s file. Either way it
    answers the same; treat ``values`` and ``extra`` as read-only.
    """

    __slots__ = ("_at", "_rows")

    def __init__(
        self,
        sheet: str,
        row: int,
        values: dict[str, Any],
        columns: dict[str, Column],
        unreadable: frozenset[str] = frozenset(),
        extra: dict[str, Any] | None = None,
    ) -> None:
        # ``unreadable``: fields whose cell was filled but could not be read (already reported);
        # ``extra``: filled cells of columns that match no field, by header as typed (templates show them).
        self._rows: LooseRow | StoredRows = LooseRow(
            sheet, row, values, columns, unreadable, extra if extra is not None else {}
        )
        self._at = 0  # its place among ``_rows``

    @classmethod
    def _at_place(cls, rows: LooseRow | StoredRows, at: int) -> Record:
        record = cls.__new__(cls)
        record._rows, record._at = rows, at
        return record

    def __eq__(self, other: object) -> bool:
        # The same row, whichever object stands for it (``RecordList`` makes one on each access).
        return isinstance(other, Record) and self._rows is other._rows and self._at == other._at

    def __hash__(self) -> int:
        return hash((id(self._rows), self._at))

    def store_in(self, rows: StoredRows) -> None:
        """Keep this row among ``rows``: its kept fields in memory, the rest in their store."""
        if isinstance(self._rows, LooseRow):
            self._at = rows.add(self._rows)
            self._rows = rows

    @property
    def stored(self) -> bool:
        return isinstance(self._rows, StoredRows)

    @property
    def sheet(self) -> str:
        return self._rows.sheet

    @property
    def row(self) -> int:
        return self._rows.row_of(self._at)

    @property
    def columns(self) -> dict[str, Column]:
        return self._rows.columns

    @property
    def unreadable(self) -> frozenset[str]:
        return self._rows.unreadable_of(self._at)

    @property
    def values(self) -> dict[str, Any]:
        return self._rows.values_of(self._at)

    @property
    def extra(self) -> dict[str, Any]:
        return self._rows.extra_of(self._at)

    def has(self, name: str) -> bool:
        """Whether field ``name`` has a value on this row (``name in values``, without reading it back)."""
        return self._rows.has(self._at, name)

    def get(self, name: str, default: Any = None) -> Any:
        return self._rows.get(self._at, name, default)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled whole (to a worker, say): the store's file does not travel.
        return (Record, (self.sheet, self.row, self.values, self.columns, self.unreadable, self.extra))

    def __repr__(self) -> str:
        return f"Record({self.sheet!r}, {self.row})"

    def problem(
        self, severity: Severity, name: str, code: str, message: str, hint: str = "", value: Any = None
    ) -> Problem:
        """A problem pointing at this row's cell for field ``name`` (or the whole row)."""
        column = self.columns.get(name)
        return Problem(
            severity=severity,
            code=code,
            message=message,
            hint=hint,
            sheet=self.sheet,
            row=self.row,
            column=column.index if column else None,
            header=column.header if column else "",
            child_id=str(self.get("child_id", "")),
            value="" if value is None else str(value),
        )


class Records(Sequence[Record]):
    """What a list of records and a stretch of one (``RecordList``, ``RecordSlice``) answer alike."""

    __slots__ = ()

    def __contains__(self, record: object) -> bool:
        try:
            self.index(record)
        except ValueError:
            return False
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (Records, list)) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"


class RecordList(Records):
    """Records kept as places among their rows, not as objects: a ``Record`` is made each time one
    is asked for. 50,000 visits held as objects took 6.5 MB (each Record, its place as an int,
    a list's pointer to it); as places, 8 bytes each, and none while they are one sheet's rows in
    order (a ``range``: a sheet's visits as read). Appended to and sorted like a list.
    """

    __slots__ = ("_places", "_rows")

    def __init__(self, records: Iterable[Record] = ()) -> None:
        # A tuple of the rows its records are among (mostly one sheet's): no dict to find them in.
        self._rows: tuple[LooseRow | StoredRows, ...] = ()  # each record's rows, once
        # Per record: its rows' index << 32 | its place among them.
        self._places: range | array[int] = range(0)
        for record in records:
            self.append(record)

    def _rows_index(self, rows: LooseRow | StoredRows) -> int | None:
        for index, known in enumerate(self._rows):
            if known is rows:
                return index
        return None

    def _place(self, record: Record) -> int:
        rows = record._rows
        index = self._rows_index(rows)
        if index is None:
            index = len(self._rows)
            self._rows = (*self._rows, rows)
        return index << 32 | record._at

    def append(self, record: Record) -> None:
        place = self._place(record)
        if isinstance(self._places, array):
            self._places.append(place)
        elif not self._places:
            self._places = range(place, place + 1)
        elif place == self._places.stop:
            self._places = range(self._places.start, place + 1)
        else:
            self._places = array("Q", self._places)
            self._places.append(place)

    def sort(self, *, key: Callable[[Record], Any]) -> None:
        """Sorted in place by ``key`` (stable, as ``list.sort``)."""
        self._places = array("Q", sorted(self._places, key=lambda place: key(self._record(place))))

    def _record(self, place: int) -> Record:
        return Record._at_place(self._rows[place >> 32], place & 0xFFFFFFFF)

    def __len__(self) -> int:
        return len(self._places)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return [self._record(place) for place in self._places[index]]
        return self._record(self._places[index])

    def __iter__(self) -> Iterator[Record]:
        record = self._record
        return (record(place) for place in self._places)

    def index(self, record: Any, start: int = 0, stop: int = sys.maxsize) -> int:
        if not isinstance(record, Record) or self._rows_index(record._rows) is None:
            raise ValueError(f"{record!r} is not in the list")
        place = self._place(record)
        if isinstance(self._places, array):
            return self._places.index(place, start, stop)
        at = self._places.index(place)  # a range's takes no bounds
        if at not in range(len(self._places))[start:stop]:
            raise ValueError(f"{record!r} is not in the list")
        return at


class RecordSlice(Records):
    """Some records of a ``RecordList``, by their positions in it: a child's visits among all the
    visits (``check.Children``). The positions are a stretch of an array shared by every child."""

    __slots__ = ("_base", "_positions", "_start", "_stop")

    def __init__(self, base: RecordList, positions: array[int], start: int, stop: int) -> None:
        self._base, self._positions, self._start, self._stop = base, positions, start, stop

    def __len__(self) -> int:
        return self._stop - self._start

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        base, positions = self._base, self._positions
        if isinstance(index, slice):
            return [base[position] for position in positions[self._start : self._stop][index]]
        length = self._stop - self._start
        if not -length <= index < length:
            raise IndexError("record index out of range")
        return base[positions[self._start + index % length]]

    def __iter__(self) -> Iterator[Record]:
        # The list's own places, without its __getitem__: a child's visits are walked for every document.
        record, places = self._base._record, self._base._places
        return (record(places[position]) for position in self._positions[self._start : self._stop])

    def index(self, record: Any, start: int = 0, stop: int = sys.maxsize) -> int:
        base = self._base
        if isinstance(record, Record) and base._rows_index(record._rows) is not None:
            place, places, positions = base._place(record), base._places, self._positions
            for at in range(self._stop - self._start)[start:stop]:
                if places[positions[self._start + at]] == place:
                    return at
        raise ValueError(f"{record!r} is not in the list")


@dataclass
class SheetLayout:
    """How one worksheet was understood: its role, header row and matched columns.

    A sheet plangen does not read has ``role`` None; its ``columns`` and
    ``ignored`` then describe the row that looked most like a header
    (``candidate_row``), so ``plangen map`` can say what it saw.
    """

    name: str
    role: Sheet | None
    header_row: int
    columns: dict[str, Column] = field(default_factory=dict)
    ignored: list[Column] = field(default_factory=list)
    hidden: bool = False
    group_row: int = 0  # the row of group titles above a two-row header, else 0
    candidate_row: int = 0


@dataclass(frozen=True)
class SheetSource:
    """One table to read: a worksheet, or a CSV file read as a single sheet."""

    title: str
    rows: Callable[[int, int | None], Iterator[Sequence[Any]]]  # (min_row, max_row) → cell values
    hidden: bool = False
    role: Sheet | None = None  # fixed in advance (a CSV file is always visits)
    # More [columns.<key>] tables that apply besides the sheet's title and role (a CSV's file stem).
    mapping_keys: tuple[str, ...] = ()


@dataclass
class WorkbookData:
    path: Path
    children: RecordList
    outcomes: RecordList
    visits: RecordList
    layouts: list[SheetLayout]
    problems: Problems
    flat: bool
    store: RowStore | None = None  # where the rows' full values are (``Record.store_in``)


def role_fields(role: Sheet, *, flat: bool) -> tuple[Field, ...]:
    """The fields a sheet of ``role`` can hold; a flat Visits sheet holds the child's too."""
    return CATALOG[role] + (CHILD_FIELDS_ON_VISITS if role is Sheet.VISITS and flat else ())


def header_index(role: Sheet, *, flat: bool) -> HeaderIndex:
    return HeaderIndex.for_fields(role_fields(role, flat=flat))


def _fields_for(role: Sheet) -> dict[str, Field]:
    return {f.name: f for f in role_fields(role, flat=True)}


def open_workbook(path: Path) -> CalamineBook:
    """The workbook, once ``inputcheck`` found it safe to read (else an ``InputError``)."""
    check_workbook(path)
    try:
        return CalamineBook(path)
    except (CalamineError, zipfile.BadZipFile, zlib.error, KeyError, OSError, ValueError) as exc:
        raise InputError(
            f"{path}: not a readable .xlsx workbook ({type(exc).__name__}).",
            hint="Open it in Excel and save it as an Excel Workbook (.xlsx).",
        ) from None


@contextmanager
def open_sources(path: Path, *, encoding: str | None = None) -> Iterator[list[SheetSource]]:
    """The tables in ``path``: every worksheet of a workbook, or a CSV file as one sheet."""
    if path.suffix.lower() == ".csv":
        from .csvread import csv_source

        yield [csv_source(path, encoding)]
        return
    book = open_workbook(path)
    yield [SheetSource(name, partial(book.rows, name), hidden=hidden) for name, hidden in book.sheets()]


def read_workbook(path: Path, config: Config, *, encoding: str | None = None) -> WorkbookData:
    """Read every sheet plangen recognises; problems are collected, not raised.

    ``encoding`` is for a CSV file (default UTF-8, with or without a BOM).
    """
    check_mapping(config)
    with open_sources(path, encoding=encoding) as sources:
        return _read(sources, path, config)


def read_layouts(
    path: Path, config: Config, *, encoding: str | None = None
) -> tuple[list[SheetLayout], bool]:
    """How each sheet's headers were understood, without reading the rows; and whether it is flat."""
    check_mapping(config)
    with open_sources(path, encoding=encoding) as sources:
        heads = [list(s.rows(1, HEADER_SEARCH_ROWS)) for s in sources]
        return _layouts(sources, heads, config)


def check_mapping(config: Config) -> None:
    """Every ``[columns.<sheet>]`` line must name a field plangen has (or "" to ignore the column)."""
    known = {f.name for fields in CATALOG.values() for f in fields}
    for sheet, table in config.columns.items():
        for header, name in table.items():
            if name == "" or name in known:
                continue
            close = difflib.get_close_matches(name, sorted(known), n=1)
            guess = f" Did you mean '{close[0]}'?" if close else ""
            raise InputError(
                f"{config.path or 'plangen.toml'} {columns_table(sheet)}: '{name}' (for the header "
                f"'{header}') is not a plangen field.{guess}",
                hint='Use a field name from the workbook\'s Read me sheet, or "" to ignore that column.',
            )


def _layouts(
    sources: list[SheetSource], heads: list[list[Sequence[Any]]], config: Config
) -> tuple[list[SheetLayout], bool]:
    # First pass: a workbook is normalized when it has both a Children and a Visits sheet.
    first = [_layout(s, h, config, flat=False) for s, h in zip(sources, heads, strict=True)]
    roles = {lay.role for lay in first if lay.header_row}
    flat = not {Sheet.CHILDREN, Sheet.VISITS} <= roles
    layouts = (
        first if not flat else [_layout(s, h, config, flat=True) for s, h in zip(sources, heads, strict=True)]
    )
    return layouts, flat


def _layout(source: SheetSource, head: list[Sequence[Any]], config: Config, *, flat: bool) -> SheetLayout:
    layout = find_layout(
        source.title, head, config, flat=flat, role=source.role, mapping_keys=source.mapping_keys
    )
    layout.hidden = source.hidden
    return layout


def _read(sources: list[SheetSource], path: Path, config: Config) -> WorkbookData:
    problems = Problems()
    records = {s: RecordList() for s in Sheet}
    store = RowStore()  # the rows' text, off the heap: memory stays flat however many rows
    heads = [list(s.rows(1, HEADER_SEARCH_ROWS)) for s in sources]
    if _empty(sources, heads):
        raise InputError(
            f"{path}: the workbook is empty: none of its sheets has any data.",
            hint="Check that this is the right file, and that it was saved after the visits were typed in.",
        )
    layouts, flat = _layouts(sources, heads, config)
    for source, layout in zip(sources, layouts, strict=True):
        if layout.role is None:
            continue
        if layout.header_row == 0:
            # Named like a plangen sheet, but no header row plangen recognises.
            problems.add(
                Problem(
                    Severity.ERROR,
                    "no-header-row",
                    f"no header row with 'Child ID' and other {layout.role.value} columns in the first {HEADER_SEARCH_ROWS} rows.",
                    "Check the headers, or map them in plangen.toml; 'plangen map' shows what was recognised.",
                    sheet=layout.name,
                )
            )
            layout.role = None
            continue
        if layout.hidden:
            problems.add(
                Problem(
                    Severity.WARNING,
                    "hidden-sheet",
                    "is hidden; plangen reads it anyway.",
                    "Unhide it in Excel if that is a surprise, or delete it.",
                    sheet=layout.name,
                )
            )
        problems.extend(_missing_columns(layout, flat=flat))
        fields = _fields_for(layout.role)
        rows = source.rows(layout.header_row + 1, None)
        stored = StoredRows(layout.name, layout.columns, KEPT_FIELDS[layout.role], store)
        for row_number, cells in enumerate(rows, start=layout.header_row + 1):
            record = _read_row(layout, fields, row_number, cells, config, problems)
            if record is not None:
                record.store_in(stored)
                records[layout.role].append(record)
    if not records[Sheet.VISITS] and not any(lay.role is Sheet.VISITS for lay in layouts):
        raise InputError(
            f"{path}: no Visits sheet found.",
            hint="plangen needs a sheet whose header row has at least 'Child ID' and 'Visit date'. "
            "Run 'plangen map' to see how your headers were read.",
        )
    data = WorkbookData(
        path=path,
        children=records[Sheet.CHILDREN],
        outcomes=records[Sheet.OUTCOMES],
        visits=records[Sheet.VISITS],
        layouts=layouts,
        problems=problems,
        flat=flat,
        store=store,
    )
    _check_required(data)
    return data


def _empty(sources: list[SheetSource], heads: list[list[Sequence[Any]]]) -> bool:
    """No sheet has a filled cell (the rows below the header search are only looked at then)."""
    if any(not is_blank(v) for head in heads for row in head for v in row):
        return False
    return all(next(iter(s.rows(HEADER_SEARCH_ROWS + 1, None)), None) is None for s in sources)


def name_role(title: str) -> Sheet | None:
    """The role a sheet's name gives it: "Visits", "Visits 2026" and "visits" are Visits."""
    key = normalize_header(title)
    for sheet in Sheet:
        if key.startswith(normalize_header(sheet.value)):
            return sheet
    return None


def find_layout(
    title: str,
    head: list[Sequence[Any]],
    config: Config,
    *,
    flat: bool,
    role: Sheet | None = None,
    mapping_keys: tuple[str, ...] = (),
) -> SheetLayout:
    """Find the sheet's role and header row: the row (or pair of rows) that matches the catalog best."""
    fixed = role or name_role(title)
    roles = [fixed] if fixed else list(Sheet)
    best: SheetLayout | None = None
    best_score = 0
    # A sheet plangen does not read: the row that looked most like a header, for 'plangen map'.
    candidate = SheetLayout(title, None, 0)
    candidate_score = 0
    for r in roles:
        index = header_index(r, flat=flat)
        mapping = user_mapping(config, (r.value, title, *mapping_keys), r, flat=flat)
        for offset, cells in enumerate(head):
            columns, ignored, _ = _match_row(cells, index, mapping)
            score = _score(columns)
            layout = SheetLayout(title, r, offset + 1, columns, ignored)
            if offset:
                # Or the lower row of a two-row header, under group titles ("Strategy #1" over "Steps").
                # A title row above adds nothing, and the row under a header matches by its own text
                # only by chance: the lower row must bring matches of its own.
                group = head[offset - 1]
                grouped, grouped_ignored, from_lower = _match_row(cells, index, mapping, group)
                if _score(grouped) > score and from_lower >= MIN_HEADER_MATCHES:
                    score = _score(grouped)
                    layout = SheetLayout(title, r, offset + 1, grouped, grouped_ignored, group_row=offset)
            if score > best_score:
                best_score, best = score, layout
            if len(columns) > candidate_score:
                candidate_score = len(columns)
                candidate = SheetLayout(title, None, 0, columns, ignored, candidate_row=offset + 1)
    if best is None or best_score < MIN_HEADER_MATCHES:
        if fixed:
            candidate.role = fixed
        return candidate
    return best


def _score(columns: dict[str, Column]) -> int:
    """How well a row reads as a header; every plangen sheet is keyed by child, so no Child ID, no score."""
    return len(columns) if "child_id" in columns else 0


def user_mapping(config: Config, keys: Iterable[str], role: Sheet, *, flat: bool) -> dict[str, str]:
    """``[columns.<key>]`` from plangen.toml for these keys (later keys win); headers normalised.

    Only lines naming a field this role can hold apply; "" means "ignore this column".
    """
    names = {f.name for f in role_fields(role, flat=flat)} | {""}
    merged: dict[str, str] = {}
    for key in keys:
        for header, name in config.columns.get(key, {}).items():
            if name in names:
                merged[normalize_header(header)] = name
    return merged


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else ""


def header_candidates(
    cells: Sequence[Any], group: Sequence[Any] | None
) -> Iterator[tuple[int, list[str], str]]:
    """Each column's possible header texts, most specific first, and its group cell's own text.

    With a row of group titles above (``group``), a column under "Strategy #1"
    (merged across several columns, so only its first cell holds the text) is
    tried as "Strategy #1 / Steps", then "Steps"; a cell merged down over both
    rows holds its text in the upper row only, so the upper text comes last.
    """
    width = max(len(cells), len(group) if group is not None else 0)
    title = ""
    for col in range(1, width + 1):
        lower = _text(cells[col - 1]) if col <= len(cells) else ""
        own = _text(group[col - 1]) if group is not None and col <= len(group) else ""
        title = own or title
        texts = [f"{title}{GROUP_JOIN}{lower}"] if lower and title else []
        texts += [t for t in (lower, own) if t]
        if texts:
            yield col, texts, own


def _match_row(
    cells: Sequence[Any], index: HeaderIndex, mapping: dict[str, str], group: Sequence[Any] | None = None
) -> tuple[dict[str, Column], list[Column], int]:
    """Columns matched to fields, columns ignored, and how many matches the lower row's text made."""
    columns: dict[str, Column] = {}
    ignored: list[Column] = []
    from_lower = 0
    for col, texts, own in header_candidates(cells, group):
        name, column = _match_texts(col, texts, index, mapping)
        if name and name not in columns:
            columns[name] = column
            from_lower += column.header != own
        else:
            ignored.append(column)
    return columns, ignored, from_lower


def _match_texts(
    col: int, texts: list[str], index: HeaderIndex, mapping: dict[str, str]
) -> tuple[str, Column]:
    """The field for the first text that plangen.toml or the catalog knows ("" when none)."""
    for text in texts:
        key = normalize_header(text)
        if key in mapping:  # "" in plangen.toml: ignore this column on purpose
            return mapping[key], Column(col, text, mapped=True)
        name = index.match(text)
        if name:
            return name, Column(col, text)
    return "", Column(col, texts[0])


def missing_fields(layout: SheetLayout, *, flat: bool) -> list[Field]:
    """Required fields with no column on this sheet."""
    assert layout.role is not None
    return [f for f in role_fields(layout.role, flat=flat) if f.required and f.name not in layout.columns]


def columns_table(key: str) -> str:
    """The plangen.toml table for a sheet's mapping: ``[columns.Visits]``, ``[columns."Week 46"]``."""
    return f"[columns.{key}]" if _BARE_KEY.match(key) else f"[columns.{json.dumps(key, ensure_ascii=False)}]"


def _missing_columns(layout: SheetLayout, *, flat: bool) -> list[Problem]:
    return [
        Problem(
            Severity.ERROR,
            "missing-column",
            f"has no '{f.label}' column (field {f.name}).",
            f"Add a column headed '{f.label}', or map your own header to {f.name} under "
            f"{columns_table(layout.name)} in plangen.toml.",
            sheet=layout.name,
            row=layout.header_row,
        )
        for f in missing_fields(layout, flat=flat)
    ]


def _read_row(
    layout: SheetLayout,
    fields: dict[str, Field],
    row_number: int,
    cells: Sequence[Any],
    config: Config,
    problems: Problems,
) -> Record | None:
    if all(is_blank(v) for v in cells) or _is_footer(cells):
        return None
    values: dict[str, Any] = {}
    failed: list[tuple[Column, ValueProblem, Any]] = []
    unreadable: set[str] = set()
    removed: list[Column] = []  # cells read without the characters Word cannot show
    for name, column in layout.columns.items():
        value = cells[column.index - 1] if column.index <= len(cells) else None
        if is_blank(value):
            continue
        try:
            values[name] = parse_cell(fields[name], value, date_order=config.date_order)
        except ValueProblem as exc:
            unreadable.add(name)
            failed.append((column, exc, value))
            continue
        if has_characters_word_cannot_show(value):
            removed.append(column)
    if "child_id" in values:
        values["child_id"] = str(values["child_id"]).strip()
    if not unreadable and not _looks_like_data(values):
        return None  # a notes row under the table
    extra = {
        column.header: cells[column.index - 1]
        for column in layout.ignored
        if column.index <= len(cells) and not is_blank(cells[column.index - 1])
    }
    for column in layout.ignored:
        if has_characters_word_cannot_show(extra.get(column.header)):
            extra[column.header] = word_text(extra[column.header])
            removed.append(column)
    for column in removed:
        problems.add(
            Problem(
                Severity.WARNING,
                "removed-characters",
                f"{column.header} had characters Word cannot show (control characters); they were removed.",
                "Nothing to do if the text reads right; otherwise retype it in the cell.",
                sheet=layout.name,
                row=row_number,
                column=column.index,
                header=column.header,
                child_id=values.get("child_id", ""),
            )
        )
    for column, unread, value in failed:
        problems.add(
            Problem(
                Severity.ERROR,
                "bad-value",
                f"{column.header} {unread.message}",
                unread.hint,
                sheet=layout.name,
                row=row_number,
                column=column.index,
                header=column.header,
                child_id=values.get("child_id", ""),
                value=str(value),
            )
        )
    return Record(layout.name, row_number, values, layout.columns, frozenset(unreadable) if unreadable else _NONE, extra)


def _is_footer(cells: Sequence[Any]) -> bool:
    """A 'Total visits: 12' or 'Notes: …' row under the table: its first filled cell says so."""
    first = next((v for v in cells if not is_blank(v)), None)
    return isinstance(first, str) and bool(_FOOTER.match(first))


def _looks_like_data(values: dict[str, Any]) -> bool:
    """A trailing row that fills one text cell and no key is a note, not data."""
    keys = {"child_id", "visit_date", "outcome_number", "child_name"}
    return bool(keys & values.keys()) or len(values) > 2


def _check_required(data: WorkbookData) -> None:
    """Blank required cells, once per row; plan fields only for visits that happened."""
    for role, records in (
        (Sheet.CHILDREN, data.children),
        (Sheet.OUTCOMES, data.outcomes),
        (Sheet.VISITS, data.visits),
    ):
        required = [f for f in role_fields(role, flat=data.flat) if f.required]
        for record in records:
            needed = list(required)
            if role is Sheet.VISITS and record.get("visit_status") == "done":
                needed += [f for f in CATALOG[Sheet.VISITS] if f.required_when_done]
            for f in needed:
                if record.has(f.name) or f.name in record.unreadable or f.name not in record.columns:
                    continue
                why = " A done visit needs its joint plan." if f.required_when_done else ""
                data.problems.add(
                    record.problem(
                        Severity.ERROR,
                        f.name,
                        "missing-value",
                        f"{f.label} is empty.{why}",
                        f"Fill in {f.label}.",
                    )
                )
