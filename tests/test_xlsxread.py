"""The fast reader keeps Excel's row and column numbers and reports what calamine would hide."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from plangen.xlsxread import CalamineBook, _sheet_parts

from conftest import visit


def rewrite_cells(path: Path, replacements: dict[str, str]) -> None:
    """Give cells the raw XML a program that saves errors or uncalculated formulas would."""
    with zipfile.ZipFile(path) as source:
        items = {info: source.read(info) for info in source.infolist()}
        visits = _sheet_parts(source)["Visits"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items.items():
            if info.filename == visits:
                text = data.decode()
                for ref, xml in replacements.items():
                    text, count = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml, text, flags=re.S)
                    assert count == 1, ref
                data = text.encode()
            target.writestr(info, data)


def test_error_cells_and_formulas_without_values_are_reported_by_cell(run, make_workbook) -> None:
    path = make_workbook(visits=[visit()])
    rewrite_cells(path, {
        "G2": '<c r="G2" t="e"><f>VLOOKUP(A2,X:Y,2)</f><v>#N/A</v></c>',
        "H2": '<c r="H2"><f>A2&amp;"!"</f></c>',
    })
    result = run("validate", path, "--as-of", "2026-11-20")
    assert result.exit_code == 1
    assert "  error: Visits!G2: Routine holds the spreadsheet error #N/A. Fix the formula or type the value." in result.output
    assert (
        "  error: Visits!H2: Outcome(s) addressed is a formula saved without its value "
        "(the file was saved by a program that does not calculate). Open the workbook in Excel or LibreOffice, "
        "let it recalculate, and save it; or type the value."
    ) in result.output


def test_rows_keep_excel_numbering_when_the_table_starts_below_and_right(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Visits"
    ws["C4"], ws["D4"] = "Child ID", "Visit date"
    ws["C5"], ws["D5"] = "C-1", "2026-11-17"
    wb.save(tmp_path / "offset.xlsx")
    rows = list(CalamineBook(tmp_path / "offset.xlsx").rows("Visits", 4, None))
    assert rows[0][2:4] == ["Child ID", "Visit date"]
    assert rows[1][2:4] == ["C-1", "2026-11-17"]
    assert rows[0][:2] == [None, None]
