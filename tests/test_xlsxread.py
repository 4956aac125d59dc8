"""The fast reader keeps Excel's row and column numbers and reports what calamine would hide."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from plangen import xlsxread
from plangen.xlsxread import CalamineBook, _sheet_parts

from conftest import visit


def rewrite_visits(path: Path, change: Callable[[bytes], bytes]) -> None:
    """The workbook with its Visits sheet's XML changed by ``change``."""
    with zipfile.ZipFile(path) as source:
        items = {info: source.read(info) for info in source.infolist()}
        visits = _sheet_parts(source)["Visits"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items.items():
            target.writestr(info, change(data) if info.filename == visits else data)


def rewrite_cells(path: Path, replacements: dict[str, str]) -> None:
    """Give cells the raw XML a program that saves errors or uncalculated formulas would."""

    def replace(data: bytes) -> bytes:
        text = data.decode()
        for ref, xml in replacements.items():
            text, count = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml, text, flags=re.S)
            assert count == 1, ref
        return text.encode()

    rewrite_visits(path, replace)


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


def read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every sheet through calamine's whole-sheet grid, as a sheet whose rows give no numbers is read."""
    monkeypatch.setattr(CalamineBook, "_rows_in_pieces", CalamineBook._calamine_rows)


@pytest.mark.parametrize("how", ["one piece", "pieces of 200 bytes", "whole"])
def test_rows_keep_excel_numbering_when_the_table_starts_below_and_right(
    tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import Workbook

    if how == "whole":
        read_whole(monkeypatch)
    elif how == "pieces of 200 bytes":
        monkeypatch.setattr(xlsxread, "READ_PIECE_BYTES", 200)
    wb = Workbook()
    ws = wb.active
    ws.title = "Visits"
    ws["C4"], ws["D4"] = "Child ID", "Visit date"
    ws["C5"], ws["D5"] = "C-1", "2026-11-17"
    ws["E9"] = "note"  # rows between are empty; this one starts further right than the table
    wb.save(tmp_path / "offset.xlsx")
    book = CalamineBook(tmp_path / "offset.xlsx")
    rows = list(book.rows("Visits", 4, None))
    assert list(rows[0][2:4]) == ["Child ID", "Visit date"]
    assert list(rows[1][2:4]) == ["C-1", "2026-11-17"]
    assert list(rows[0][:2]) == [None, None]
    # Rows 6-8 are not in the file at all: they come as empty rows, so the 6th row read is row 9.
    assert all(not any(cells) for cells in rows[2:5])
    assert len(rows) == 6 and rows[5][4] == "note"
    assert [list(r) for r in book.rows("Visits", 5, 5)] == [list(rows[1])]


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
def test_a_sheet_read_in_pieces_gives_the_same_records_as_read_whole(
    workbook: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(__file__).resolve().parents[1] / "input" / workbook
    monkeypatch.setattr(xlsxread, "READ_PIECE_BYTES", 2048)  # many pieces, some of one row
    pieces: list[int] = []
    workbook_of = xlsxread._piece_workbook
    monkeypatch.setattr(xlsxread, "_piece_workbook", lambda *args: pieces.append(1) or workbook_of(*args))
    in_pieces = _records(path)
    assert len(pieces) >= 10
    with monkeypatch.context() as whole_sheets:
        read_whole(whole_sheets)
        assert _records(path) == in_pieces
    assert len(in_pieces[0]) > 5


def test_error_cells_in_a_streamed_sheet_are_reported_the_same(run, make_workbook, monkeypatch) -> None:
    path = make_workbook(visits=[visit()])
    rewrite_cells(path, {
        "G2": '<c r="G2" t="e"><f>VLOOKUP(A2,X:Y,2)</f><v>#N/A</v></c>',
        "H2": '<c r="H2"><f>A2&amp;"!"</f></c>',
    })
    monkeypatch.setattr(xlsxread, "READ_PIECE_BYTES", 200)
    in_pieces = run("validate", path, "--as-of", "2026-11-20")
    read_whole(monkeypatch)
    whole = run("validate", path, "--as-of", "2026-11-20")
    assert in_pieces.exit_code == whole.exit_code == 1
    assert in_pieces.output == whole.output
    assert "Visits!G2: Routine holds the spreadsheet error #N/A." in in_pieces.output


def test_a_sheet_whose_rows_give_no_numbers_is_read_whole_in_order(run, make_workbook) -> None:
    """A row's number is optional in the file format; without it calamine numbers rows by their order,
    which a piece of the sheet cannot know: such a sheet is read whole."""
    path = make_workbook(visits=[visit(), visit(visit_date="2026-11-18", visit_status="no-show")])
    numbered = run("validate", path, "--as-of", "2026-11-20")

    def unnumber(data: bytes) -> bytes:
        data, count = re.subn(rb'(<row\b[^>]*?) r="\d+"', rb"\1", data)
        assert count == 3
        return data

    rewrite_visits(path, unnumber)
    assert xlsxread.scan_sheets(path)[1] == {"Visits"}
    unnumbered = run("validate", path, "--as-of", "2026-11-20")
    assert unnumbered.output == numbered.output and unnumbered.exit_code == numbered.exit_code


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


def as_excel_saves(source: Path, target: Path) -> int:
    """``source`` as Excel saves a workbook: each text cell a number into ``xl/sharedStrings.xml``
    (openpyxl writes the text in the cell), and rows with Excel's own attributes in namespaces of
    its own, declared on the worksheet. Returns how many strings there are."""
    strings: list[bytes] = []

    def shared(match: re.Match[bytes]) -> bytes:
        strings.append(match[2])
        return match[1] + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'(<c\b[^>]*?) t="inlineStr"><is>(.*?)</is></c>', shared, data, flags=re.S)
                data = data.replace(b"<row ", b'<row x14ac:dyDescent="0.25" ').replace(b"<worksheet ", (
                    b'<worksheet xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                    b'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac" '), 1)
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.openxmlformats'
                    b'.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'))
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
            copy.writestr(info, data)
        copy.writestr("xl/sharedStrings.xml", (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats'
            b'.org/spreadsheetml/2006/main">' + b"".join(b"<si>" + s + b"</si>" for s in strings) + b"</sst>"))
    return len(strings)


def test_a_workbook_as_excel_saves_it_reads_the_same_in_pieces(tmp_path: Path, monkeypatch) -> None:
    """Each piece carries the workbook's shared strings (and styles, for dates) and the worksheet's
    namespaces: the text and the dates come back."""
    sample = Path(__file__).resolve().parents[1] / "input" / "sample-program.xlsx"
    excel_like = tmp_path / "shared-strings.xlsx"
    assert as_excel_saves(sample, excel_like) > 1000
    expected = _records(sample)
    monkeypatch.setattr(xlsxread, "READ_PIECE_BYTES", 2048)  # pieces grow to the shared strings' size
    pieces: list[int] = []
    workbook_of = xlsxread._piece_workbook
    monkeypatch.setattr(xlsxread, "_piece_workbook", lambda *args: pieces.append(1) or workbook_of(*args))
    assert _records(excel_like) == expected
    pieces.clear()
    assert len(list(CalamineBook(excel_like).rows("Visits", 1, None))) == 53
    assert len(pieces) >= 2, "the visits sheet in more than one piece, each with the shared strings"
    read_whole(monkeypatch)
    assert _records(excel_like) == expected
