"""The run report a spreadsheet user can open: ``output/<period>/report.xlsx``.

Sheet "Rows": one line per visit row of the run, with its status (rendered,
unchanged, kept, skipped, invalid, failed), why, its problems with their cell
references, and its documents. Sheet "Problems": every problem found in the
workbook. Children appear by id only, never by name, and no cell value is
copied. Text that a spreadsheet would take for a formula (``=``, ``+``,
``-``, ``@``) is stored as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .problems import Problem
from .write import write_atomic

if TYPE_CHECKING:
    from .build import BuildResult, RowResult

REPORT_NAME = "report.xlsx"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
ROW_HEADERS = (("Row", 14), ("Child ID", 12), ("Visit date", 12), ("Status", 11), ("Why", 40),
               ("Problems", 70), ("Documents", 52))  # fmt: skip
PROBLEM_HEADERS = (("Cell", 16), ("Severity", 9), ("Code", 18), ("Column", 22), ("Child ID", 12),
                   ("Problem", 60), ("What to do", 50))  # fmt: skip


def write_report(result: BuildResult, path: Path | None = None) -> Path:
    """Write the report for ``result`` (default ``<out_dir>/report.xlsx``); returns its path.

    openpyxl's write-only mode: each line goes to the sheet's XML as it is made, so a report of
    50,000 rows does not hold a cell object for each of its 350,000 cells.
    """
    path = path or result.out_dir / REPORT_NAME
    wb = Workbook(write_only=True)
    _table(wb.create_sheet("Rows"), ROW_HEADERS, (_row_line(result, r) for r in result.rows))
    _table(wb.create_sheet("Problems"), PROBLEM_HEADERS, (_problem_line(p) for p in result.problems.sorted()))
    write_atomic(path, wb.save)  # zipped straight to the file, not to 1.7 MB of bytes (50,000 rows) and a copy
    return path


def documents(result: BuildResult, row: RowResult) -> list[str]:
    """The row's documents, relative to the run's folder: written, unchanged and kept."""
    others = [*row.unchanged, *(p for p, _ in row.kept)]
    return [*row.written, *(p.relative_to(result.out_dir).as_posix() for p in others)]


def _row_line(result: BuildResult, row: RowResult) -> list[Any]:
    problems = list(row.problems)
    problems += [p for p in result.problems.for_row(row.sheet, row.row) if p not in problems]
    return [
        row.cell,
        row.child_id,
        row.visit_date,
        row.status.value,
        row.reason,
        "\n".join(f"{p.cell}: {p.severity.value}: {p.message}" for p in problems),
        "\n".join(documents(result, row)),
    ]


def _problem_line(p: Problem) -> list[Any]:
    return [p.cell or p.file, p.severity.value, p.code, p.header, p.child_id, p.message, p.hint]


def _table(ws: Any, headers: Sequence[tuple[str, int]], lines: Iterable[list[Any]]) -> None:
    # Widths and the frozen header come before the rows in the sheet's XML; the filter after them.
    for col, (_title, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    ws.append([_cell(ws, title, font=bold) for title, _width in headers])
    last = 1
    for last, line in enumerate(lines, start=2):  # noqa: B007 (the last row number is wanted)
        ws.append([_cell(ws, value, wrapped=wrapped) for value in line])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"


def _cell(ws: Any, value: Any, font: Font | None = None, wrapped: Alignment | None = None) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            cell.data_type = "s"  # text, never a formula
        if "\n" in value and wrapped is not None:
            cell.alignment = wrapped
    elif value is not None and not isinstance(value, (int, float)):
        cell.number_format = DATE_FORMAT
    return cell
