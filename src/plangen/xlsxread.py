"""Fast worksheet rows: python-calamine for the values, a scan for what it can't say.

Measured on a 28-column sheet here: openpyxl's read-only mode reads about
2,300 rows a second, calamine about 40,000 (benchmarks/README.md). openpyxl
still writes every workbook plangen makes (starter, report).

calamine reads a whole sheet into one grid before it gives a row: about 1.3
bytes of memory per byte of the sheet's XML, 116 MB for 50,000 visit rows. So
a sheet is read in pieces of about half a megabyte of rows each: each piece is
handed to calamine as a small workbook of its own (the workbook's own
``workbook.xml``, styles and shared strings, and that piece of the sheet), and
read with calamine's speed in a few megabytes whatever the sheet's size. Rows
keep their numbers: each piece starts where its first row says. A sheet with a
row that gives no number (allowed, rare) is read whole, as calamine numbers
those rows by their order.

calamine returns an empty string for two kinds of cell a user must hear about:
an error value (``#N/A``, ``#REF!``) and a formula saved without its value (a
file written by a program that does not calculate). ``scan_sheets`` finds
those in the sheet's XML, and the rows carry ``#N/A`` or ``FORMULA_WITHOUT_VALUE``
there instead, as openpyxl would.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from .inputcheck import check_sheet_extent
from .problems import InputError
from .values import FORMULA_WITHOUT_VALUE

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ERROR_TYPE = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>", re.S)
_ATTRIBUTE = re.compile(rb'\b(Id|Type|Target)="([^"]*)"')  # in any order
_ROW = re.compile(rb"<row[\s>/]")
_NUMBERED_ROW = re.compile(rb'<row\s[^>]*?\br="')
_WORKSHEET = re.compile(rb"<worksheet\b[^>]*>")
_SHEET_DATA = re.compile(rb"<sheetData\s*(/?)>")
# What a piece of a sheet needs beside its rows, found through the workbook's relationships.
_PIECE_PARTS = (b"/styles", b"/sharedStrings")


def _unescape(text: bytes) -> str:
    return (
        text.decode("utf-8").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        .replace("&apos;", "'").replace("&amp;", "&")
    )


def _workbook_relationships(package: zipfile.ZipFile) -> dict[bytes, tuple[bytes, str]]:
    """The workbook's relationships: id → (type, the part it points to in the package)."""
    found = {}
    for tag in _RELATIONSHIP.findall(package.read("xl/_rels/workbook.xml.rels")):
        attributes = dict(_ATTRIBUTE.findall(tag))
        target = attributes.get(b"Target", b"").decode("utf-8")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        found[attributes.get(b"Id", b"")] = (attributes.get(b"Type", b""), part)
    return found


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part, from the workbook and its relationships."""
    relationships = _workbook_relationships(package)
    return {
        _unescape(name): relationships[rid][1]
        for name, rid in _SHEET.findall(package.read("xl/workbook.xml"))
        if rid in relationships
    }


# How much of a sheet's XML is scanned at a time. Scanning 50,000 visit rows (95 MB) in 4 MB pieces
# took the process from 50 MB to 77 MB (each piece read, joined and cut is three copies, and the
# C library kept the room); in 512 KB pieces, to 52 MB, in the same 0.7 s.
PIECE_BYTES = 512 << 10
# How much of a sheet calamine reads at a time. Reading 50,000 visit rows (95 MB of XML) took 6.0-6.1 s
# in pieces of 128 KB to 512 KB and 6.5 s in 1 MB ones; the peak was 65-67 MB either way, but at 2,000
# rows 1 MB pieces peaked at 53 MB where 512 KB ones kept to 44 MB, as the whole sheet at once did.
READ_PIECE_BYTES = 512 << 10


def sheet_pieces(package: zipfile.ZipFile, part: str, size: int | None = None) -> Iterator[bytes]:
    """The sheet's XML in pieces of about ``size`` bytes (``PIECE_BYTES``), each cut just before a ``<row``.

    No cell is cut in two, so every pattern below matches within one piece, and
    a sheet of any size is scanned in a few megabytes.
    """
    rest = b""
    with package.open(part) as stream:
        while chunk := stream.read(size or PIECE_BYTES):
            rest += chunk
            cut = rest.rfind(b"<row", 1)
            if cut > 0:
                yield rest[:cut]
                rest = rest[cut:]
    if rest:
        yield rest


def scan_sheets(path: Path) -> tuple[dict[str, dict[tuple[int, int], str]], set[str]]:
    """One read of each sheet's XML, before any reader allocates its grid: the extent check, the
    (row, column) of error cells and of formulas saved without a value, and the sheets that have
    a row with no number (read whole: calamine numbers those rows by their order)."""
    found: dict[str, dict[tuple[int, int], str]] = {}
    unnumbered: set[str] = set()
    with zipfile.ZipFile(path) as package:
        for sheet, part in _sheet_parts(package).items():
            cells: dict[tuple[int, int], str] = {}

            def pieces(part: str = part, cells: dict[tuple[int, int], str] = cells, sheet: str = sheet) -> Iterator[bytes]:
                # The extent check reads every piece at least once; the special cells are noted as
                # the pieces go past (noting them again on a second pass changes nothing).
                for xml in sheet_pieces(package, part):
                    _note_special_cells(xml, cells)
                    if sheet not in unnumbered and len(_ROW.findall(xml)) != len(_NUMBERED_ROW.findall(xml)):
                        unnumbered.add(sheet)
                    yield xml

            check_sheet_extent(path, sheet, pieces)
            if cells:
                found[sheet] = cells
    return found, unnumbered


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
        self.special, self.unnumbered = scan_sheets(path)
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
            self._calamine_rows(name, min_row, max_row) if name in self.unnumbered
            else self._rows_in_pieces(name, min_row, max_row)
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
        """The whole sheet through calamine's grid."""
        sheet = self._sheets.get(name)
        if sheet is None:
            sheet = self._sheets[name] = _sheet(self.book, name, self.path)
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

    def _rows_in_pieces(self, name: str, min_row: int, max_row: int | None) -> Iterator[tuple[int, Sequence[Any]]]:
        """The sheet a piece at a time (``READ_PIECE_BYTES`` of its XML), each piece read by calamine
        as a workbook of its own: memory holds one piece's grid, not the sheet's."""
        with zipfile.ZipFile(self.path) as package:
            parts = _sheet_parts(package)
            if name not in parts:  # calamine found it where the relationships did not say: read it whole
                yield from self._calamine_rows(name, min_row, max_row)
                return
            kept = _piece_parts(package, set(parts.values()))
            # Each piece reads the shared strings again: pieces at least their size keep that under
            # the sheet's own reading (a sheet's text is in them when Excel saved it).
            size = max([READ_PIECE_BYTES, *(len(data) for data in kept.values())])
            head = b""
            following = 1  # the next row's number: every row is given, as the whole sheet's grid would
            for xml in sheet_pieces(package, parts[name], size):
                if not head:  # the first piece: the worksheet's own start tag (its namespaces), up to the rows
                    root, data = _WORKSHEET.search(xml), _SHEET_DATA.search(xml)
                    if root is None or data is None:  # prefixed tags (x:worksheet): read it whole
                        yield from self._calamine_rows(name, min_row, max_row)
                        return
                    if data[1]:
                        return  # <sheetData/>: no rows
                    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + root[0] + b"<sheetData>"
                    xml = xml[data.end() :]
                end = xml.find(b"</sheetData>")
                rows = xml if end < 0 else xml[:end]
                if rows.strip():
                    sheet = _sheet(_piece_workbook(parts, name, kept, head + rows), name, self.path)
                    if sheet.start is not None:
                        first, pad = sheet.start[0] + 1, [None] * sheet.start[1]
                        for number, cells in enumerate(sheet.to_python(skip_empty_area=True), start=first):
                            while following < number:  # rows the file leaves out between pieces: empty
                                if max_row is not None and following > max_row:
                                    return
                                if following >= min_row:
                                    yield following, []
                                following += 1
                            if max_row is not None and number > max_row:
                                return
                            if number >= min_row:
                                yield number, pad + cells if pad else cells
                            following = number + 1
                if end >= 0:
                    return


def _sheet(book: CalamineWorkbook, name: str, path: Path) -> CalamineSheet:
    try:
        return book.get_sheet_by_name(name)
    except CalamineError as exc:
        raise InputError(
            f"{path}: sheet '{name}' could not be read ({type(exc).__name__}: the file is damaged).",
            hint="Open the workbook in Excel (it offers to repair it) and save it again.",
        ) from None


def _piece_parts(package: zipfile.ZipFile, sheets: set[str]) -> dict[str, bytes]:
    """The parts every piece's workbook carries: the package's and the workbook's relationships,
    the workbook itself (sheet names, 1900 or 1904 dates), its styles (which numbers are dates)
    and shared strings. Not the pictures, charts or other sheets."""
    names = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]
    names += [
        part for kind, part in _workbook_relationships(package).values()
        if kind.endswith(_PIECE_PARTS) and part not in sheets
    ]
    return {name: package.read(name) for name in names if name in package.NameToInfo}


_EMPTY_SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'


def _piece_workbook(parts: dict[str, str], name: str, kept: dict[str, bytes], rows: bytes) -> CalamineWorkbook:
    """A workbook of ``kept``'s parts and a piece of sheet ``name`` (``rows``, closed here), other sheets empty."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as piece:  # stored: it is read once, at once
        for part, data in kept.items():
            piece.writestr(part, data)
        for sheet, part in parts.items():
            piece.writestr(part, rows + b"</sheetData></worksheet>" if sheet == name else _EMPTY_SHEET)
    out.seek(0)
    return CalamineWorkbook.from_filelike(out)
