"""Pre-flight checks: refuse an input plangen cannot or must not read, before reading it.

Every refusal is an ``InputError`` whose message names the file (and the part
or sheet) and says what to do; the CLI prints it and exits 3, and nothing has
been written. The checks look at the bytes, not the name: an old Excel file or
a CSV export renamed ``.xlsx`` is told apart from a damaged workbook.

A workbook is a zip of XML parts. Before anything parses it, plangen checks:

- the zip's directory: how many parts, and how large each part says it is once
  unpacked, alone and in total, and how much it grew (a tiny file that unpacks
  to gigabytes is an attack or a broken file, never a program's workbook);
- every XML part's prolog, with ``defusedxml``: a DOCTYPE (and with it an
  entity declaration) is refused. Excel and LibreOffice never write one, and
  entities are how XML files attack the program reading them;
- that each sheet the workbook lists is in the file;
- per sheet, as its XML is scanned (``check_sheet_extent``): how far its cells
  reach. calamine gives each sheet a rectangular grid from its first to its
  last cell, so one stray value in cell XFD1048576 would ask for seventeen
  billion cells; such a sheet is refused with what to delete. A sheet that only
  *claims* that size (its ``<dimension>``) costs nothing and is read.

The limits are far above a real program's workbook: the 50,000-visit benchmark
workbook (6.8 MB) unpacks to 95 MB for its largest sheet, at a ratio of 15, and
spans 1.4 million cells.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from .problems import InputError

MB = 1024 * 1024
# One part of a workbook (a sheet's XML), unpacked.
MAX_PART_BYTES = 256 * MB
# All parts together, unpacked.
MAX_TOTAL_BYTES = 512 * MB
# How much a part may grow when unpacked; real sheets grow 5 to 20 times.
MAX_COMPRESSION_RATIO = 100
# Parts smaller than this are not held to the ratio (tiny XML compresses very well).
RATIO_CHECKED_FROM_BYTES = 1 * MB
MAX_PARTS = 10_000
# A sheet's grid (rows × columns, from A1 to its last cell): calamine allocates all of it.
MAX_SHEET_CELLS = 10_000_000
# A CSV file is read whole into memory.
MAX_CSV_BYTES = 256 * MB

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files and encrypted new ones
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with parts, an empty zip
_HEAD_BYTES = 8192
_SAVE_AS_XLSX = "Open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx)."
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<table|<\?xml[^>]*>\s*<html)", re.IGNORECASE)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _megabytes(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size / 1024:,.0f} KB"


def check_workbook(path: Path) -> None:
    """Refuse a workbook plangen cannot read safely; return quietly when it looks like an .xlsx."""
    if not path.exists():
        raise InputError(f"{path}: file not found.", hint="Check the path to the workbook.")
    if not path.is_file():
        raise InputError(f"{path}: is a folder, not a workbook.", hint="Give the path of the .xlsx file.")
    size = path.stat().st_size
    if size == 0:
        raise InputError(
            f"{path}: the file is empty (0 bytes).",
            hint="It was probably not saved or copied completely; save the workbook again from Excel.",
        )
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if head.startswith(OLE2_SIGNATURE):
        _refuse_ole2(path)
    if not head.startswith(ZIP_SIGNATURES):
        _refuse_not_zip(path, head)
    if path.suffix.lower() == ".xls":
        raise InputError(
            f"{path}: this is a newer Excel workbook (.xlsx) with the old .xls name.",
            hint="Rename it to end in .xlsx and run again.",
        )
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InputError(
            f"{path}: the file is incomplete or damaged (its table of contents is missing).",
            hint="It may have been copied or downloaded only in part: copy it again, or open it in "
            "Excel and save it again.",
        ) from None
    with package:
        check_package(path, package)


def _refuse_ole2(path: Path) -> None:
    """An old-format Office file: a password-protected workbook, an .xls, or not a workbook at all."""
    if _contains(path, _utf16("EncryptedPackage"), _utf16("EncryptionInfo")):
        raise InputError(
            f"{path}: the workbook is password-protected, so plangen cannot read it.",
            hint="Open it in Excel, then save a copy without a password (File > Info > Protect "
            "Workbook > Encrypt with Password, clear the password) and run plangen on the copy. "
            "Keep the copy somewhere private.",
        )
    if _contains(path, _utf16("WordDocument")):
        raise InputError(
            f"{path}: this is an old Word document (.doc), not a workbook.",
            hint="Give plangen the program's Excel workbook (.xlsx).",
        )
    named = "" if path.suffix.lower() == ".xls" else f", even though its name ends in {path.suffix}"
    raise InputError(
        f"{path}: this is an old Excel 97–2003 workbook (.xls){named}.",
        hint=_SAVE_AS_XLSX,
    )


def _contains(path: Path, *needles: bytes) -> bool:
    """Whether the file holds any of ``needles`` (the names in an OLE2 file's directory), read in chunks."""
    overlap = max(len(n) for n in needles)
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(16 * MB):
            window = tail + chunk
            if any(n in window for n in needles):
                return True
            tail = window[-overlap:]
    return False


def _refuse_not_zip(path: Path, head: bytes) -> None:
    """Not a zip, so not an .xlsx: say what it looks like instead."""
    if head.startswith(b"%PDF"):
        what, hint = "a PDF document, not a workbook", "Give plangen the program's Excel workbook (.xlsx)."
    elif _HTML.match(head.lstrip(b"\xef\xbb\xbf")):
        what = "a web page (HTML) with an Excel name, not a workbook (some systems export tables this way)"
        hint = _SAVE_AS_XLSX
    elif _looks_like_text(head):
        what = "plain text (a CSV export named like a workbook?), not an Excel workbook"
        hint = (
            "If it is a CSV export, rename it to end in .csv and run again; otherwise open it in "
            "Excel or LibreOffice and save it as an Excel Workbook (.xlsx)."
        )
    else:
        what, hint = "not an Excel workbook (.xlsx)", _SAVE_AS_XLSX
    raise InputError(f"{path}: this file is {what}.", hint=hint)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 text, as Excel's "Unicode text"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return all(b >= 0x20 or b in b"\t\r\n" for b in head[:512])  # cp1252 and the like
    return True


def check_package(path: Path, package: zipfile.ZipFile) -> None:
    """The zip's sizes, its XML prologs, and that it is a workbook with its sheets."""
    members = package.infolist()
    if len(members) > MAX_PARTS:
        raise InputError(
            f"{path}: the file has {len(members):,} parts; a workbook has a few dozen.",
            hint="This is not a workbook plangen can read safely. " + _SAVE_AS_XLSX,
        )
    total = 0
    for member in members:
        total += member.file_size
        too_big = member.file_size > MAX_PART_BYTES
        ratio = member.file_size / max(member.compress_size, 1)
        if too_big or (member.file_size >= RATIO_CHECKED_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO):
            why = (
                f"unpacks to {_megabytes(member.file_size)} (more than the {_megabytes(MAX_PART_BYTES)} plangen reads)"
                if too_big
                else f"unpacks to {ratio:,.0f} times its packed size (a real sheet grows about 15 times)"
            )
            raise InputError(
                f"{path}: part {member.filename} {why}.",
                hint="plangen did not unpack it. A workbook this size is damaged or built to attack "
                "the program reading it: ask whoever sent it for a fresh copy saved from Excel.",
            )
        if member.flag_bits & 0x1:
            raise InputError(
                f"{path}: the file is password-protected, so plangen cannot read it.",
                hint="Save a copy without a password and run plangen on the copy.",
            )
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            f"{path}: the workbook unpacks to {_megabytes(total)} (more than the "
            f"{_megabytes(MAX_TOTAL_BYTES)} plangen reads).",
            hint="Split it into smaller workbooks (one per year or per team), or delete unused sheets.",
        )
    names = set(package.namelist())
    _check_is_workbook(path, names, package)
    for member in members:
        if member.filename.lower().endswith(_XML_SUFFIXES):
            check_xml_prolog(path, package, member.filename)
    _check_sheets_present(path, package, names)


def _check_is_workbook(path: Path, names: set[str], package: zipfile.ZipFile) -> None:
    if "xl/workbook.xml" in names:
        return
    if "word/document.xml" in names:
        what = "a Word document (.docx), not a workbook"
    elif any(n.startswith("ppt/") for n in names):
        what = "a PowerPoint presentation, not a workbook"
    elif "mimetype" in names and b"opendocument.spreadsheet" in package.read("mimetype"):
        what = "an OpenDocument spreadsheet (.ods), not an Excel workbook"
    elif "xl/workbook.bin" in names:
        what = "an Excel binary workbook (.xlsb), which plangen does not read"
    else:
        what = "a zip archive, not an Excel workbook"
    raise InputError(f"{path}: this file is {what}.", hint=_SAVE_AS_XLSX)


def check_xml_prolog(path: Path, package: zipfile.ZipFile, part: str) -> None:
    """Parse ``part`` up to its first element with defusedxml: a DOCTYPE or entity is refused.

    Only the prolog is read (a few kilobytes at most), so this costs nothing on a large sheet.
    """
    try:
        with package.open(part) as stream:
            for _event, _element in iterparse(stream, events=("start",), forbid_dtd=True):
                break
    except DefusedXmlException:
        raise InputError(
            f"{path}: part {part} declares XML entities (a <!DOCTYPE>), which Excel never writes.",
            hint="plangen refuses such files: entities are a way to attack the program reading them. "
            "If you expected this workbook, open it in Excel or LibreOffice and save it again; "
            "otherwise ask whoever sent it.",
        ) from None
    except ParseError:
        # Not well-formed further on: not this check's business (a DOCTYPE comes first, so it was
        # seen). A part plangen reads is reported by the reader, naming its sheet; VML drawings
        # from Excel are often not well-formed and are never read.
        return
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise InputError(
            f"{path}: part {part} is damaged (it cannot be unpacked).",
            hint="Open the workbook in Excel (it offers to repair it) and save it again.",
        ) from None


def _check_sheets_present(path: Path, package: zipfile.ZipFile, names: set[str]) -> None:
    from .xlsxread import _sheet_parts

    try:
        parts = _sheet_parts(package)
    except (KeyError, UnicodeDecodeError):
        raise InputError(
            f"{path}: the workbook's list of sheets is missing or damaged.",
            hint="Open it in Excel (it offers to repair it) and save it again.",
        ) from None
    for sheet, part in parts.items():
        if part not in names:
            raise InputError(
                f"{path}: sheet '{sheet}' is listed in the workbook, but its cells are missing from "
                f"the file ({part}).",
                hint="The file is damaged: open it in Excel (it offers to repair it) and save it again.",
            )


# As Excel, LibreOffice and openpyxl write them: every row and cell starts with its reference.
_ROW_FIRST = re.compile(rb'<row r="(\d+)"')
_LONG_COLUMN_FIRST = re.compile(rb'<c r="([A-Z]{2,})\d')
_COLUMN_FIRST = re.compile(rb'<c r="([A-Z]+)\d')
_UNUSUAL = re.compile(rb'<(?:c|row)(?:>|/>|\s(?!r="))')  # a row or cell whose reference is elsewhere, or none
# Any writer: the reference among the other attributes.
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_CELL_COLUMN = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)\d')


def check_sheet_extent(path: Path, sheet: str, xml: bytes | Callable[[], Iterable[bytes]]) -> None:
    """Refuse a sheet whose cells reach so far that its grid would not fit in memory.

    ``xml`` is the sheet's XML, or a function giving it afresh in pieces that
    each end before a ``<row`` (``xlsxread.sheet_pieces``), so a big sheet is
    never in memory whole. Rows and columns come from the cells' own references
    (``r="AB12"``); a row or cell written without one counts as one more, the
    most it can add. A quick estimate (every sheet with one-letter columns
    counts as 26 wide) settles nearly every sheet; only a sheet it cannot settle
    is scanned again, cell by cell.
    """
    pieces = (lambda: (xml,)) if isinstance(xml, bytes) else xml
    rows, columns = _extent(pieces, exact=False)
    if rows * columns > MAX_SHEET_CELLS:
        rows, columns = _extent(pieces, exact=True)
    if rows * columns <= MAX_SHEET_CELLS:
        return
    last = f"{_column_letters(columns)}{rows}"
    raise InputError(
        f"{path}: sheet '{sheet}' has cells as far as {last} ({rows:,} rows × {columns:,} columns), "
        f"more than plangen reads ({MAX_SHEET_CELLS:,} cells).",
        hint="Something was typed or formatted far below or right of the table. In Excel, press "
        "Ctrl+End on that sheet to find it, delete the rows and columns after your data, save, and "
        "run again.",
    )


def _extent(pieces: Callable[[], Iterable[bytes]], *, exact: bool) -> tuple[int, int]:
    """(rows, columns) the sheet's grid reaches, at least; ``exact`` reads every cell reference."""
    rows, letters, unusual = 0, set(), False
    pattern = _COLUMN_FIRST if exact else _LONG_COLUMN_FIRST
    for xml in pieces():
        if _UNUSUAL.search(xml) is not None:
            unusual = True
            break
        rows = max(rows, max((int(n) for n in _ROW_FIRST.findall(xml)), default=0))
        letters.update(pattern.findall(xml))
    if not unusual:
        return rows, max((_column_number(c) for c in letters), default=0 if exact else 26)
    # A row or cell without a reference comes after the one before it: count each as one more.
    top_row = unnumbered_rows = unlettered_cells = 0
    letters = set()
    for xml in pieces():
        numbered = [int(n) for n in _ROW_NUMBER.findall(xml)]
        top_row = max(top_row, max(numbered, default=0))
        unnumbered_rows += len(re.findall(rb"<row[\s>/]", xml)) - len(numbered)
        lettered = _CELL_COLUMN.findall(xml)
        letters.update(lettered)
        unlettered_cells += len(re.findall(rb"<c[\s>/]", xml)) - len(lettered)
    columns = max((_column_number(c) for c in letters), default=0)
    return top_row + unnumbered_rows, columns + unlettered_cells


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode("ascii"):
        number = number * 26 + ord(letter) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_csv(path: Path) -> None:
    """A CSV file must exist, hold something, fit in memory, and be text, not a renamed workbook."""
    if not path.exists():
        raise InputError(f"{path}: file not found.", hint="Check the path to the CSV file.")
    if not path.is_file():
        raise InputError(f"{path}: is a folder, not a CSV file.", hint="Give the path of the .csv file.")
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise InputError(
            f"{path}: the file is {_megabytes(size)}, more than the {_megabytes(MAX_CSV_BYTES)} plangen reads.",
            hint="Export a shorter period from the other system.",
        )
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if head.startswith(ZIP_SIGNATURES) or head.startswith(OLE2_SIGNATURE):
        raise InputError(
            f"{path}: this is an Excel workbook with a .csv name, not a CSV file.",
            hint="Rename it to end in .xlsx (or .xls for an old one) and run again.",
        )
