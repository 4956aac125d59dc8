"""Small tools for the template tests: Word files with tags, extra workbook columns, a logo."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from openpyxl import load_workbook

Runs = str | Sequence[str]  # a paragraph: one text, or its runs (each its own formatting)


def _document(paragraphs: Sequence[Runs], table: Sequence[Sequence[Runs]]) -> Any:
    doc = Document()
    for paragraph in paragraphs:
        p = doc.add_paragraph()
        for index, text in enumerate([paragraph] if isinstance(paragraph, str) else list(paragraph)):
            p.add_run(text).bold = index % 2 == 1 or None  # neighbouring runs differ, as Word's would
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                p = t.cell(r, c).paragraphs[0]
                for text in [cell] if isinstance(cell, str) else cell:
                    p.add_run(text)
    return doc


def make_docx(path: Path, *paragraphs: Runs, table: Sequence[Sequence[Runs]] = ()) -> Path:
    """A Word file with these paragraphs (a sequence of texts: one paragraph, one run each) and a table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _document(paragraphs, table).save(str(path))
    return path


def docx_bytes(*paragraphs: Runs, table: Sequence[Sequence[Runs]] = ()) -> bytes:
    target = io.BytesIO()
    _document(paragraphs, table).save(target)
    return target.getvalue()


def add_column(workbook: Path, sheet: str, header: str, values: Sequence[Any]) -> None:
    """Append a column the field catalog does not know to a sheet written by make_workbook."""
    wb = load_workbook(workbook)
    ws = wb[sheet]
    column = ws.max_column + 1
    ws.cell(row=1, column=column, value=header)
    for row, value in enumerate(values, start=2):
        ws.cell(row=row, column=column, value=value)
    wb.save(workbook)


def make_logo(
    path: Path, rgb: tuple[int, int, int] = (192, 57, 43), size: tuple[int, int] = (60, 40)
) -> Path:
    """A one-colour PNG, written by hand (no imaging library needed)."""
    width, height = size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(png)
    return path


def media(path: Path) -> list[bytes]:
    """The images inside a Word file."""
    with zipfile.ZipFile(path) as package:
        return [package.read(n) for n in package.namelist() if n.startswith("word/media/")]


def part_text(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(part).decode("utf-8")
