"""The fast reader keeps Excel's row and column numbers and reports what calamine would hide."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from plangen import xlsxread
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


@pytest.mark.parametrize("streamed", [False, True], ids=["calamine", "row by row"])
def test_rows_keep_excel_numbering_when_the_table_starts_below_and_right(
    tmp_path: Path, streamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import Workbook

    if streamed:
        monkeypatch.setattr(xlsxread, "CALAMINE_MAX_BYTES", 0)

    wb = Workbook()
    ws = wb.active
    ws.title = "Visits"
    ws["C4"], ws["D4"] = "Child ID", "Visit date"
    ws["C5"], ws["D5"] = "C-1", "2026-11-17"
    wb.save(tmp_path / "offset.xlsx")
    rows = list(CalamineBook(tmp_path / "offset.xlsx").rows("Visits", 4, None))
    assert list(rows[0][2:4]) == ["Child ID", "Visit date"]
    assert list(rows[1][2:4]) == ["C-1", "2026-11-17"]
    assert list(rows[0][:2]) == [None, None]
    assert len(rows) == 2


# --- big sheets: read row by row, the same records -----------------------------------------------


def _records(path: Path) -> tuple[list[tuple[object, ...]], list[str]]:
    from plangen.config import Config
    from plangen.read import read_workbook

    data = read_workbook(path, Config())
    records = [
        (r.sheet, r.row, dict(r.values), dict(r.extra), r.unreadable)
        for r in [*data.children, *data.outcomes, *data.visits]
    ]
    return records, [str(p) for p in data.problems]


@pytest.mark.parametrize("workbook", ["sample-program.xlsx", "examples/their-layout/visit-log.xlsx"])
def test_a_sheet_too_big_for_calamine_is_read_row_by_row_into_the_same_records(
    workbook: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(__file__).resolve().parents[1] / "input" / workbook
    whole = _records(path)
    monkeypatch.setattr(xlsxread, "CALAMINE_MAX_BYTES", 0)
    assert xlsxread.scan_sheets(path)[1], "every sheet is over the limit now"
    assert _records(path) == whole
    assert len(whole[0]) > 5


def test_error_cells_in_a_streamed_sheet_are_reported_the_same(run, make_workbook, monkeypatch) -> None:
    path = make_workbook(visits=[visit()])
    rewrite_cells(path, {
        "G2": '<c r="G2" t="e"><f>VLOOKUP(A2,X:Y,2)</f><v>#N/A</v></c>',
        "H2": '<c r="H2"><f>A2&amp;"!"</f></c>',
    })
    whole = run("validate", path, "--as-of", "2026-11-20")
    monkeypatch.setattr(xlsxread, "CALAMINE_MAX_BYTES", 0)
    streamed = run("validate", path, "--as-of", "2026-11-20")
    assert streamed.exit_code == whole.exit_code == 1
    assert streamed.output == whole.output
    assert "Visits!G2: Routine holds the spreadsheet error #N/A." in streamed.output


def test_the_extent_scan_reads_a_sheet_in_pieces_cut_between_rows(tmp_path: Path, monkeypatch) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Visits"
    for n in range(1, 3001):
        ws.append([f"C-{n}", f"text {n}" * 3])
    wb.save(tmp_path / "rows.xlsx")
    monkeypatch.setattr(xlsxread, "PIECE_BYTES", 4096)
    with zipfile.ZipFile(tmp_path / "rows.xlsx") as package:
        part = _sheet_parts(package)["Visits"]
        pieces = list(xlsxread.sheet_pieces(package, part))
        whole = package.read(part)
    assert len(pieces) > 20
    assert b"".join(pieces) == whole
    assert all(p.startswith(b"<row") for p in pieces[1:])
