"""Rows' full values in a temporary file, so memory does not grow with the rows.

A program's year can hold 50,000 visit rows, most of each one free text (steps,
notes), and thousands of children and outcomes. Once a row is read, only its short
values stay in memory (``fields.SUMMARY_FIELDS``: dates, statuses, ids); the whole row is
pickled to an anonymous temporary file and read back when a document or a rule
asks for a field that is not there. The file has no name on disk (it is
unlinked as soon as it is made, and gone when the process ends, even killed),
so no child's data outlives the run outside the workbook and the documents.

Reads use ``os.pread``: no shared file position, so a forked process reading
does not move the main process's (Windows has no ``pread``, and no fork either:
there the file's own position is used). A few hundred recent rows are kept decoded,
because a row's documents ask for many of its fields in a row.

``Spool`` is the file itself; a build also keeps each row's result there (``build.RowResults``),
and the names of the period's documents (``SpooledList``).
"""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from array import array
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Generic, TypeVar

T = TypeVar("T")
_POSITIONED = hasattr(os, "pread") and hasattr(os, "pwrite")  # not on Windows
RECENT_ROWS = 512  # rows kept decoded; a child's visits and a batch's rows fit
# Pages of rows' short values kept decoded (``read.StoredRows``): 32 pages of 256 rows, about
# 150 KB for visits; the rows a build walks in order, and a child's visits a few weeks apart.
RECENT_PAGES = 32
LIST_PAGE_ITEMS = 256  # items of a ``SpooledList`` spooled together
ABSENT: Any = object()  # in a kept summary: a field the row has no value for
_LENGTH_BITS = 32  # a row's place: its offset, then its length in the low 32 bits
_LENGTH_MASK = (1 << _LENGTH_BITS) - 1


class Spool:
    """Pickled objects appended to an anonymous temporary file, each read back by its place."""

    def __init__(self, prefix: str) -> None:
        self._file = tempfile.TemporaryFile(prefix=prefix)  # noqa: SIM115 (closed by the finalizer below)
        self._fd = self._file.fileno()
        self._end = 0
        # Closed when the spool is let go of (or at exit): the file never needs an owner to remember it.
        self.close = weakref.finalize(self, self._file.close)

    def put(self, obj: Any) -> int:
        """Append ``obj``; where it is, for ``get``: offset and length in one int
        (one object per row, not a tuple of two)."""
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        offset = self._end
        if _POSITIONED:
            written = 0
            while written < len(data):
                written += os.pwrite(self._fd, data[written:], offset + written)
        else:  # Windows: no pwrite; the file's own position (main process only there: spawn)
            self._file.seek(offset)
            self._file.write(data)
            self._file.flush()
        self._end += len(data)
        return offset << _LENGTH_BITS | len(data)

    def get(self, where: int) -> Any:
        offset, length = where >> _LENGTH_BITS, where & _LENGTH_MASK
        if _POSITIONED:
            data = os.pread(self._fd, length, offset)
        else:
            self._file.seek(offset)
            data = self._file.read(length)
        return pickle.loads(data)


class SpooledList(Generic[T]):
    """A list that grows with the rows, kept in a ``Spool`` a page of items at a time: in memory,
    8 bytes a full page, the page being filled and the page last read."""

    def __init__(self, prefix: str = "plangen-list-") -> None:
        self._spool = Spool(prefix)
        self._pages = array("Q")  # each full page's place in the spool
        self._open: list[T] = []  # the page items are appended to
        self._recent: tuple[int, list[T]] = (-1, [])  # the page last read, by number

    def append(self, item: T) -> None:
        self._open.append(item)
        if len(self._open) == LIST_PAGE_ITEMS:
            self._pages.append(self._spool.put(self._open))
            self._open = []

    def __len__(self) -> int:
        return len(self._pages) * LIST_PAGE_ITEMS + len(self._open)

    def _page(self, number: int) -> list[T]:
        if number == len(self._pages):
            return self._open
        if self._recent[0] != number:
            self._recent = (number, self._spool.get(self._pages[number]))
        return self._recent[1]

    def _position(self, index: int) -> tuple[int, int]:
        if not -len(self) <= index < len(self):
            raise IndexError("list index out of range")
        return divmod(index % len(self), LIST_PAGE_ITEMS)

    def __getitem__(self, index: int) -> T:
        number, at = self._position(index)
        return self._page(number)[at]

    def __setitem__(self, index: int, item: T) -> None:
        """Put ``item`` in place of the one at ``index``: a full page is written again (its old bytes
        stay behind in the file; few items change, a failed PDF's row)."""
        number, at = self._position(index)
        page = self._page(number)
        page[at] = item
        if number < len(self._pages):
            self._pages[number] = self._spool.put(page)

    def __iter__(self) -> Iterator[T]:
        for number in range(len(self._pages) + 1):
            yield from self._page(number)


class ValueTable:
    """Distinct values, each numbered once in the order first seen (0: none, ``ABSENT``)."""

    __slots__ = ("_numbers", "_text_numbers", "values")

    def __init__(self) -> None:
        self.values: list[Any] = [ABSENT]
        self._numbers: dict[tuple[type, Any], int] = {}
        self._text_numbers: dict[str, int] = {}  # most values: keyed without a tuple (56 bytes each)

    def number(self, value: Any) -> int:
        """``value``'s number in ``values``: the one of an equal value of the same type if there is
        one. The type is part of the key: ``True == 1 == 1.0`` in Python, and a yes/no cell's
        ``True`` must not come back as an outcome's number."""
        if type(value) is str:
            number = self._text_numbers.get(value)
            if number is None:
                number = self._text_numbers[value] = len(self.values)
                self.values.append(value)
            return number
        try:
            key = (type(value), value)
            number = self._numbers.get(key)
        except TypeError:  # unhashable: kept on its own
            key, number = None, None
        if number is None:
            number = len(self.values)
            self.values.append(value)
            if key is not None:
                self._numbers[key] = number
        return number


class RowStore:
    def __init__(self) -> None:
        self._spool = Spool("plangen-rows-")
        # Each distinct short value once, numbered, so that a row keeps numbers: a week's visits share
        # dates, statuses, providers and child IDs, and 50,000 rows keep a few thousand values. A table
        # per field, shared by the sheets: a status's numbers stay under 256 (a byte a row), where one
        # table for all had the children's IDs number the visits' statuses past 6,000.
        self._tables: dict[str, ValueTable] = {}
        self.load = lru_cache(maxsize=RECENT_ROWS)(self._load)
        # The sheets' pages of short values (``read.StoredRows``), in a file of their own.
        self._pages = Spool("plangen-pages-")
        self.page = lru_cache(maxsize=RECENT_PAGES)(self._pages.get)

    def put(self, values: dict[str, Any], extra: dict[str, Any]) -> int:
        """Append one row's values; where they are, for ``load``."""
        return self._spool.put((values, extra))

    def put_page(self, page: Any) -> int:
        """Append a full page of rows' short values; where it is, for ``page``."""
        return self._pages.put(page)

    def table(self, name: str) -> ValueTable:
        """The table of ``name``'s values (a field's, or any other set of values a sheet numbers)."""
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = ValueTable()
        return table

    def _load(self, where: int) -> tuple[dict[str, Any], dict[str, Any]]:
        values, extra = self._spool.get(where)
        return values, extra

    def close(self) -> None:
        self.load.cache_clear()
        self.page.cache_clear()
        self._spool.close()
        self._pages.close()
