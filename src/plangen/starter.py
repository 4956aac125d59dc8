"""The starter workbook (``plangen init``), written from the field catalog.

``write_workbook`` also writes the bundled sample, so the sample always has the
starter's layout: styled, frozen header rows, date and time formats, dropdowns
for every field with allowed values, and a ``Read me`` sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .fields import CATALOG, Field, Kind, Sheet

HEADER_FILL = PatternFill("solid", start_color="1F6F8B")
HEADER_FONT = Font(bold=True, color="FFFFFF")
REQUIRED_FONT = Font(bold=True, color="FFE08A")
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "h:mm AM/PM"
LISTS_SHEET = "Lists"
README_SHEET = "Read me"
# Rows the dropdowns and formats cover: far beyond a program's year of visits.
FORMATTED_ROWS = 2000

READ_ME_INTRO = (
    "This workbook feeds plangen. One row per child on Children, one row per IFSP outcome on "
    "Outcomes, one row per visit on Visits (the joint plan made with the family is on that row). "
    "Bold yellow headers are required. Dates as dates (or typed 2026-11-17), times as 10:30 AM. "
    "Only invented people belong in examples. Keep this file private: it is about real children."
)


def write_workbook(
    path: Path,
    rows: Mapping[Sheet, Sequence[Mapping[str, Any]]] | None = None,
) -> None:
    """Write a workbook with the catalog's sheets, optionally filled with ``rows`` (by field name)."""
    wb = Workbook()
    wb.remove(wb.active)
    lists = wb.create_sheet(LISTS_SHEET)
    list_ranges = _write_lists(lists)
    for sheet in Sheet:
        ws = wb.create_sheet(sheet.value)
        fields = CATALOG[sheet]
        for col, f in enumerate(fields, start=1):
            cell = ws.cell(row=1, column=col, value=f.header)
            cell.fill = HEADER_FILL
            cell.font = REQUIRED_FONT if f.required or f.required_when_done else HEADER_FONT
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            ws.column_dimensions[get_column_letter(col)].width = f.width
        ws.freeze_panes = "B2"
        ws.row_dimensions[1].height = 32
        body_rows = (rows or {}).get(sheet, ())
        for r, record in enumerate(body_rows, start=2):
            for col, f in enumerate(fields, start=1):
                value = record.get(f.name)
                if value is None or value == "":
                    continue
                ws.cell(row=r, column=col, value=_cell_value(f, value))
        last_row = max(FORMATTED_ROWS, len(body_rows) + 1)
        for col, f in enumerate(fields, start=1):
            letter = get_column_letter(col)
            fmt = {Kind.DATE: DATE_FORMAT, Kind.TIME: TIME_FORMAT}.get(f.kind)
            if fmt:
                # Column style: new cells typed in Excel get the format too.
                ws.column_dimensions[letter].number_format = fmt
                for r in range(2, len(body_rows) + 2):
                    ws.cell(row=r, column=col).number_format = fmt
            if f.kind in (Kind.TEXT, Kind.LIST) and f.width >= 26:
                for r in range(2, len(body_rows) + 2):
                    ws.cell(row=r, column=col).alignment = Alignment(wrap_text=True, vertical="top")
            source = list_ranges.get(f.name) if f.kind in (Kind.CHOICE, Kind.YESNO) else None
            if source:
                dv = DataValidation(
                    type="list",
                    formula1=source,
                    allow_blank=not f.required,
                    showErrorMessage=True,
                    errorTitle=f.label,
                    error=f"Choose one of the listed values for {f.label}.",
                    promptTitle=f.label,
                    prompt=f.help[:255],
                    showInputMessage=True,
                )
                dv.add(f"{letter}2:{letter}{last_row}")
                ws.add_data_validation(dv)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(fields))}1"
    _write_read_me(wb.create_sheet(README_SHEET, 0))
    # The lists feed the dropdowns; hidden so nobody edits them by accident.
    lists.sheet_state = "hidden"
    wb.active = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _cell_value(f: Field, value: Any) -> Any:
    if f.kind is Kind.LIST and isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if f.kind is Kind.YESNO and isinstance(value, bool):
        return "yes" if value else "no"
    if f.kind is Kind.DATE and isinstance(value, dt.datetime):
        return value.date()
    return value


def _write_lists(ws: Any) -> dict[str, str]:
    """One column per field with allowed values; returns field name → range formula."""
    ranges: dict[str, str] = {}
    col = 0
    seen: dict[tuple[str, ...], str] = {}
    for sheet in Sheet:
        for f in CATALOG[sheet]:
            values = f.choices if f.kind is Kind.CHOICE else ("yes", "no") if f.kind is Kind.YESNO else ()
            if not values or f.name in ranges:
                continue
            if values in seen:
                ranges[f.name] = seen[values]
                continue
            col += 1
            letter = get_column_letter(col)
            ws.cell(row=1, column=col, value=f.name)
            for r, v in enumerate(values, start=2):
                ws.cell(row=r, column=col, value=v)
            ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
            ranges[f.name] = seen[values] = ref
    return ranges


def _write_read_me(ws: Any) -> None:
    ws["A1"] = "plangen workbook: what goes in each column"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = READ_ME_INTRO
    ws["A2"].alignment = Alignment(wrap_text=True)
    ws.merge_cells("A2:F2")
    ws.row_dimensions[2].height = 60
    headers = (
        "Sheet",
        "Column",
        "Required",
        "Type",
        "Allowed values",
        "What to put here",
        "Example",
        "Field name",
    )
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=4, column=col, value=text)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    r = 5
    for sheet in Sheet:
        for f in CATALOG[sheet]:
            kind = "date" if f.kind is Kind.DATE else f.kind.value
            values = ", ".join(f.choices) if f.choices else ("yes, no" if f.kind is Kind.YESNO else "")
            required = "yes" if f.required else "if done" if f.required_when_done else ""
            row = (sheet.value, f.label, required, kind, values, f.help, f.example, f.name)
            for col, text in enumerate(row, start=1):
                cell = ws.cell(row=r, column=col, value=text)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
    for letter, width in zip("ABCDEFGH", (10, 26, 9, 9, 28, 60, 28, 22), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A5"
