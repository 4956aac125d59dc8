"""A CSV export read as one flat Visits sheet.

Another system's export (one row per visit, the child's columns repeated)
goes through the same header matching, mapping and checks as a workbook
sheet. The sheet is named after the file (``export.csv``), so a problem
points at ``'export.csv'!F12``: row 12 as a spreadsheet opening the file
numbers it. The mapping is ``[columns.export]`` (the file's stem) or
``[columns.Visits]`` in plangen.toml.

Text is UTF-8, with or without the byte-order mark Excel writes; a file saved
by Excel on Windows as "CSV" is usually cp1252 and needs ``--encoding cp1252``.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .fields import Sheet
from .inputcheck import check_csv
from .problems import InputError
from .read import SheetSource

DEFAULT_ENCODING = "utf-8"
DELIMITERS = ",;\t"  # the first wins a tie


def decode(path: Path, encoding: str | None = None) -> str:
    """The file's text; a wrong encoding is an error that names the file, the line and the fix."""
    check_csv(path)
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the file is empty.", hint="Export it again from the other system.")
    name = encoding or DEFAULT_ENCODING
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise InputError(
            f"--encoding {name}: not an encoding plangen knows.",
            hint="Use utf-8 (the default) or cp1252 (Excel on Windows).",
        ) from None
    if codec == "utf-8":
        codec = "utf-8-sig"  # a byte-order mark is not part of the first header
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        other = "cp1252" if codec != "cp1252" else "utf-8"
        raise InputError(
            f"{path}: line {line} is not {name} text.",
            hint=f"If the file was saved from Excel on Windows, run again with --encoding {other}.",
        ) from None


def csv_rows(text: str, path: Path | None = None) -> list[list[str]]:
    """The file's records. The delimiter is the comma, or the semicolon or tab if the first line
    has more of them (Excel in many European locales saves "CSV" with semicolons)."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    start = 1  # the line the record being read starts on
    try:
        for row in reader:
            rows.append(row)
            start = reader.line_num + 1
        return rows
    except csv.Error as exc:
        # In practice a quote that is never closed: the rest of the file became one cell.
        what = (
            f"has a cell longer than {csv.field_size_limit():,} characters; a quote (\") is probably never closed"
            if "field limit" in str(exc)
            else f"could not be read as CSV ({exc})"
        )
        raise InputError(
            f"{path or 'CSV'}: line {start} {what}.",
            hint="Check the quotes on that line, or export the file again from the other system.",
        ) from None


def csv_source(path: Path, encoding: str | None = None) -> SheetSource:
    """``path`` as a sheet named after the file, whose rows are its records."""
    rows = csv_rows(decode(path, encoding), path)

    def iter_rows(min_row: int, max_row: int | None) -> Iterator[Sequence[Any]]:
        yield from rows[min_row - 1 : max_row]

    return SheetSource(path.name, iter_rows, role=Sheet.VISITS, mapping_keys=(path.stem,))
