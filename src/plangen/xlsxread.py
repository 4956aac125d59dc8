"""Fast worksheet rows: python-calamine for the values, a scan for what it can't say.

Measured on a 28-column sheet here: openpyxl's read-only mode reads about
2,300 rows a second, calamine about 40,000 (benchmarks/README.md). openpyxl
still writes every workbook plangen makes (starter, report).

calamine returns an empty string for two kinds of cell a user must hear about:
an error value (``#N/A``, ``#REF!``) and a formula saved without its value (a
file written by a program that does not calculate). ``scan_sheets`` finds
those in the sheet's XML, and the rows carry ``#N/A`` or ``FORMULA_WITHOUT_VALUE``
there instead, as openpyxl would.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from .inputcheck import check_sheet_extent
from .problems import InputError
from .values import FORMULA_WITHOUT_VALUE

# A sheet's XML above this size is read row by row (openpyxl) instead of through calamine, whose grid
# holds the whole sheet: about 1.3 bytes of memory per byte of XML, 116 MB for 50,000 visit rows.
CALAMINE_MAX_BYTES = 32 << 20

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ERROR_TYPE = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"', re.S)
_REL_REVERSED = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"', re.S)


def _unescape(text: bytes) -> str:
    return (
        text.decode("utf-8").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        .replace("&apos;", "'").replace("&amp;", "&")
    )


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part, from the workbook and its relationships."""
    workbook = package.read("xl/workbook.xml")
    rels = package.read("xl/_rels/workbook.xml.rels")
    targets = {rid: target for rid, target in _REL.findall(rels)}
    targets.update({rid: target for target, rid in _REL_REVERSED.findall(rels)})
    parts = {}
    for name, rid in _SHEET.findall(workbook):
        target = targets.get(rid)
        if target is None:
            continue
        text = target.decode("utf-8")
        parts[_unescape(name)] = text.lstrip("/") if text.startswith("/") else posixpath.normpath(f"xl/{text}")
    return parts


PIECE_BYTES = 4 << 20  # how much of a sheet's XML is looked at at a time


def sheet_pieces(package: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The sheet's XML in pieces of about ``PIECE_BYTES``, each cut just before a ``<row``.

    No cell is cut in two, so every pattern below matches within one piece, and
    a sheet of any size is scanned in a few megabytes.
    """
    rest = b""
    with package.open(part) as stream:
        while chunk := stream.read(PIECE_BYTES):
            rest += chunk
            cut = rest.rfind(b"<row", 1)
            if cut > 0:
                yield rest[:cut]
                rest = rest[cut:]
    if rest:
        yield rest


def scan_sheets(path: Path) -> tuple[dict[str, dict[tuple[int, int], str]], set[str]]:
    """One read of each sheet's XML, before any reader allocates its grid: the extent check, the
    (row, column) of error cells and of formulas saved without a value, and the sheets too big
    for calamine's whole-sheet grid (read row by row instead)."""
    found: dict[str, dict[tuple[int, int], str]] = {}
    streamed: set[str] = set()
    with zipfile.ZipFile(path) as package:
        for sheet, part in _sheet_parts(package).items():
            if package.getinfo(part).file_size > CALAMINE_MAX_BYTES:
                streamed.add(sheet)
            cells: dict[tuple[int, int], str] = {}

            def pieces(part: str = part, cells: dict[tuple[int, int], str] = cells) -> Iterator[bytes]:
                # The extent check reads every piece at least once; the special cells are noted as
                # the pieces go past (noting them again on a second pass changes nothing).
                for xml in sheet_pieces(package, part):
                    _note_special_cells(xml, cells)
                    yield xml

            check_sheet_extent(path, sheet, pieces)
            if cells:
                found[sheet] = cells
    return found, streamed


def _note_special_cells(xml: bytes, cells: dict[tuple[int, int], str]) -> None:
    if b"<f" not in xml and b't="e"' not in xml:
        return  # the usual sheet: typed values only, nothing to find
    for match in _CELL.finditer(xml):
        attributes, content = match[1], match[2] or b""
        is_error = bool(_ERROR_TYPE.search(attributes))
        if not is_error and b"<f" not in content:
            continue
        ref = _REF.search(attributes)
        if ref is None:
            continue
        position = (int(ref[2]), column_index_from_string(ref[1].decode()))
        value = _VALUE.search(content)
        if is_error:
            cells[position] = _unescape(value[1]) if value else "#N/A"
        elif value is None:
            cells[position] = FORMULA_WITHOUT_VALUE


class CalamineBook:
    """A workbook's sheets through calamine, with row and column numbers as Excel's."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book = CalamineWorkbook.from_path(str(path))
        self.special, self.streamed = scan_sheets(path)
        self._sheets: dict[str, CalamineSheet] = {}

    def sheets(self) -> list[tuple[str, bool]]:
        """(name, hidden) of each worksheet, in workbook order; chart sheets have no rows."""
        return [
            (meta.name, meta.visible != SheetVisibleEnum.Visible)
            for meta in self.book.sheets_metadata
            if meta.typ == SheetTypeEnum.WorkSheet
        ]

    def rows(self, name: str, min_row: int, max_row: int | None) -> Iterator[Sequence[Any]]:
        rows = (
            self._streamed_rows(name, min_row, max_row) if name in self.streamed
            else self._calamine_rows(name, min_row, max_row)
        )
        special: dict[int, list[tuple[int, str]]] = {}
        for (row_number, column), value in self.special.get(name, {}).items():
            special.setdefault(row_number, []).append((column, value))
        for number, row in rows:
            for column, value in special.get(number, ()):
                row = list(row) + [None] * max(0, column - len(row))
                row[column - 1] = value
            yield row

    def _calamine_rows(self, name: str, min_row: int, max_row: int | None) -> Iterator[tuple[int, Sequence[Any]]]:
        sheet = self._sheets.get(name)
        if sheet is None:
            try:
                sheet = self._sheets[name] = self.book.get_sheet_by_name(name)
            except CalamineError as exc:
                raise InputError(
                    f"{self.path}: sheet '{name}' could not be read ({type(exc).__name__}: the file is damaged).",
                    hint="Open the workbook in Excel (it offers to repair it) and save it again.",
                ) from None
        if sheet.start is None:
            return
        # calamine starts each row at the sheet's first used column: put the columns left of it back.
        pad: list[Any] = [None] * sheet.start[1]
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number < min_row:
                continue
            if max_row is not None and number > max_row:
                return
            yield number, pad + cells if pad else cells

    def _streamed_rows(self, name: str, min_row: int, max_row: int | None) -> Iterator[tuple[int, Sequence[Any]]]:
        """openpyxl's read-only mode: a row at a time from the XML, whatever the sheet's size."""
        book = load_workbook(self.path, read_only=True, data_only=True)
        try:
            sheet = book[name]
            sheet.reset_dimensions()  # trust the cells, not the sheet's stated size
            rows = sheet.iter_rows(min_row=min_row, max_row=max_row, values_only=True)
            yield from enumerate(rows, start=min_row)
        finally:
            book.close()
