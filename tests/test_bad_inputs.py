"""Every unreadable input gets its own message naming the file (and part, sheet or cell) and what
to do, exit code 3, no traceback; nothing is written, not even the output folder; the input's
bytes are unchanged. Cell-level trouble (error cells, formulas without values, characters Word
cannot show) is a problem on that cell: the other rows are still written.

Each message is asserted whole, as the user reads it. The README's table of bad inputs lists them.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from plangen import inputcheck
from plangen.problems import InputError
from plangen.xlsxread import _sheet_parts

from conftest import AS_OF, REPO, docx_text, file_digest, visit

DATA = REPO / "tests" / "data"
SAVE_AS_XLSX = "Open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx)."
REPAIR = "Open the workbook in Excel (it offers to repair it) and save it again."


def refused(run, path: Path, tmp_path: Path, *extra: str, map_too: bool = True) -> str:
    """Run build, validate and map on ``path``: exit 3, one clean error, nothing written, input unchanged.

    Returns the error line the three commands printed. (``map`` shows what it read of a workbook
    without a Visits sheet and exits 1: ``map_too=False`` there.)
    """
    before = file_digest(path) if path.exists() else None
    out = tmp_path / "out"
    built = run("build", path, "--out", out, "--as-of", AS_OF.isoformat(), *extra)
    checked = run("validate", path, "--as-of", AS_OF.isoformat(), *extra)
    results = [built, checked, *([run("map", path, *extra)] if map_too else [])]
    for result in results:
        assert result.exit_code == 3, result.output
        assert "Traceback" not in result.output
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    assert {r.stderr for r in results} == {built.stderr}
    assert not out.exists(), "nothing is written, not even the output folder"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".plangen-")] == []
    if before is not None:
        assert file_digest(path) == before, "the input is never changed"
    return built.stderr.rstrip("\n")


def rewrite(path: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """Rewrite a workbook's parts: ``change(name, data)`` returns the new bytes, or None to drop the part."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            new = change(info.filename, data)
            if new is not None:
                target.writestr(info, new)
    return path


def visits_part(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return _sheet_parts(package)["Visits"]


# --- not a workbook at all ------------------------------------------------------------------------


def test_a_missing_file(run, tmp_path: Path) -> None:
    path = tmp_path / "nowhere.xlsx"
    assert refused(run, path, tmp_path) == f"Error: {path}: file not found. Check the path to the workbook."


def test_a_zero_byte_file(run, tmp_path: Path) -> None:
    path = tmp_path / "program.xlsx"
    path.write_bytes(b"")
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: the file is empty (0 bytes). It was probably not saved or copied completely; "
        "save the workbook again from Excel."
    )


def test_a_truncated_workbook(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook()
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: the file is incomplete or damaged (its table of contents is missing). It may "
        "have been copied or downloaded only in part: copy it again, or open it in Excel and save it again."
    )


def test_a_csv_renamed_xlsx(run, tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("Child ID,Visit date\nC-1,2026-11-17\n", encoding="utf-8")
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: this file is plain text (a CSV export named like a workbook?), not an Excel "
        "workbook. If it is a CSV export, rename it to end in .csv and run again; otherwise open it in "
        "Excel or LibreOffice and save it as an Excel Workbook (.xlsx)."
    )


def test_a_web_page_saved_with_an_excel_name(run, tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>Child ID</td></tr></table></body></html>", encoding="utf-8")
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: this file is a web page (HTML) with an Excel name, not a workbook (some systems "
        f"export tables this way). {SAVE_AS_XLSX}"
    )


def test_a_word_document_renamed_xlsx(run, tmp_path: Path) -> None:
    path = tmp_path / "program.xlsx"
    path.write_bytes((REPO / "templates" / "family-plan.docx").read_bytes())
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: this file is a Word document (.docx), not a workbook. {SAVE_AS_XLSX}"
    )


def test_an_old_xls_workbook(run, tmp_path: Path) -> None:
    path = tmp_path / "program.xls"
    path.write_bytes((DATA / "old-excel.xls").read_bytes())
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: this is an old Excel 97–2003 workbook (.xls). {SAVE_AS_XLSX}"
    )


def test_an_old_xls_workbook_renamed_xlsx(run, tmp_path: Path) -> None:
    path = tmp_path / "program.xlsx"
    path.write_bytes((DATA / "old-excel.xls").read_bytes())
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: this is an old Excel 97–2003 workbook (.xls), even though its name ends in "
        f".xlsx. {SAVE_AS_XLSX}"
    )


def test_a_password_protected_workbook(run, tmp_path: Path) -> None:
    """An encrypted .xlsx is an OLE2 container with an EncryptedPackage stream (made by Excel's
    'Encrypt with Password'; tests/data/README.md says how this one was made)."""
    path = tmp_path / "program.xlsx"
    path.write_bytes((DATA / "password-protected.xlsx").read_bytes())
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: the workbook is password-protected, so plangen cannot read it. Open it in "
        "Excel, then save a copy without a password (File > Info > Protect Workbook > Encrypt with "
        "Password, clear the password) and run plangen on the copy. Keep the copy somewhere private."
    )


# --- a workbook, but not one to read --------------------------------------------------------------


def test_an_empty_workbook(run, tmp_path: Path) -> None:
    path = tmp_path / "program.xlsx"
    Workbook().save(path)
    assert refused(run, path, tmp_path, map_too=False) == (
        f"Error: {path}: the workbook is empty: none of its sheets has any data. Check that this is the "
        "right file, and that it was saved after the visits were typed in."
    )


def test_a_workbook_without_a_visits_sheet(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook()
    wb = load_workbook(path)
    del wb["Visits"]
    wb.save(path)
    assert refused(run, path, tmp_path, map_too=False) == (
        f"Error: {path}: no Visits sheet found. plangen needs a sheet whose header row has at least "
        "'Child ID' and 'Visit date'. Run 'plangen map' to see how your headers were read."
    )


def test_a_sheet_listed_but_missing_from_the_file(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook()
    part = visits_part(path)
    rewrite(path, lambda name, data: None if name == part else data)
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: sheet 'Visits' is listed in the workbook, but its cells are missing from the "
        f"file ({part}). The file is damaged: open it in Excel (it offers to repair it) and save it again."
    )


def test_a_damaged_sheet(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook()
    part = visits_part(path)
    rewrite(path, lambda name, data: data.replace(b"</sheetData>", b"</sheetDat>") if name == part else data)
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: sheet 'Visits' could not be read (XmlError: the file is damaged). {REPAIR}"
    )


def test_a_part_whose_packed_bytes_are_damaged(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook()
    with zipfile.ZipFile(path) as package:
        info = package.getinfo("xl/workbook.xml")
    data = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    for i in range(start + 2, start + info.compress_size - 2):
        data[i] ^= 0x5A  # scramble the deflated bytes
    path.write_bytes(bytes(data))
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: part xl/workbook.xml is damaged (it cannot be unpacked). {REPAIR}"
    )


ENTITIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
)


@pytest.mark.parametrize("target", ["sheet", "sharedStrings", "external"])
def test_xml_entities_are_refused_before_anything_parses_them(
    run, make_workbook, tmp_path: Path, target: str
) -> None:
    """A billion-laughs DOCTYPE, or an external entity, in any part of the package."""
    path = make_workbook()
    part = visits_part(path) if target != "sharedStrings" else "xl/styles.xml"
    head = ENTITIES
    if target == "external":
        head = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'

    def add_doctype(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        return head + data.split(b"?>", 1)[1].lstrip() if data.startswith(b"<?xml") else head + data

    rewrite(path, add_doctype)
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: part {part} declares XML entities (a <!DOCTYPE>), which Excel never writes. "
        "plangen refuses such files: entities are a way to attack the program reading them. If you "
        "expected this workbook, open it in Excel or LibreOffice and save it again; otherwise ask "
        "whoever sent it."
    )


def test_a_workbook_that_unpacks_to_far_more_than_it_weighs(run, make_workbook, tmp_path: Path) -> None:
    """A zip bomb: 20 MB of XML that packs into 20 KB is refused from the zip's directory."""
    path = make_workbook()
    padding = b'<?xml version="1.0"?><root>' + b" " * (20 * 1024 * 1024) + b"</root>"
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("customXml/item1.xml", padding)
    assert path.stat().st_size < 200_000
    message = refused(run, path, tmp_path)
    assert message.startswith(f"Error: {path}: part customXml/item1.xml unpacks to ")
    assert message.endswith(
        " times its packed size (a real sheet grows about 15 times). plangen did not unpack it. A workbook "
        "this size is damaged or built to attack the program reading it: ask whoever sent it for a fresh "
        "copy saved from Excel."
    )


def test_a_part_that_claims_gigabytes_is_refused_without_unpacking_it(
    run, make_workbook, tmp_path: Path
) -> None:
    """The size a part declares is checked before anything reads it (here: a lie of 3 GB)."""
    path = make_workbook()
    part = visits_part(path).encode()
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the central directory: one entry per part
    while data[entry + 46 : entry + 46 + struct.unpack_from("<H", data, entry + 28)[0]] != part:
        entry = data.index(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", data, entry + 24, 3 * 1024**3)  # its uncompressed size
    path.write_bytes(bytes(data))
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: part {part.decode()} unpacks to 3,072 MB (more than the 256 MB plangen reads). "
        "plangen did not unpack it. A workbook this size is damaged or built to attack the program reading "
        "it: ask whoever sent it for a fresh copy saved from Excel."
    )


def test_a_stray_value_in_the_last_cell_of_the_sheet(run, make_workbook, tmp_path: Path) -> None:
    """One value in XFD1048576 would make calamine allocate 17 billion cells and abort the process."""
    path = make_workbook()
    wb = load_workbook(path)
    wb["Visits"]["XFD1048576"] = "x"
    wb.save(path)
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: sheet 'Visits' has cells as far as XFD1048576 (1,048,576 rows × 16,384 columns), "
        "more than plangen reads (10,000,000 cells). Something was typed or formatted far below or right "
        "of the table. In Excel, press Ctrl+End on that sheet to find it, delete the rows and columns "
        "after your data, save, and run again."
    )


def test_a_sheet_that_only_claims_a_million_rows_is_read_as_it_is(run, make_workbook, tmp_path: Path) -> None:
    """A <dimension ref="A1:XFD1048576"> with two real rows costs nothing: calamine sizes by the cells."""
    path = make_workbook()
    part = visits_part(path)

    def claim(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        head, rest = data.split(b"<dimension ref=", 1)
        return head + b'<dimension ref="A1:XFD1048576"/>' + rest.split(b"/>", 1)[1]

    rewrite(path, claim)
    out = tmp_path / "out"
    result = run("build", path, "--out", out, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert len(list(out.rglob("*_family-plan.docx"))) == 1


def test_the_limits_leave_room_for_the_benchmark_workbook(tmp_path: Path) -> None:
    """The 50,000-visit benchmark workbook's largest sheet unpacks to 95 MB at a ratio of 15 and spans
    1.4 million cells; the limits are 2.7, 6.6 and 7 times that."""
    assert inputcheck.MAX_PART_BYTES >= 2.5 * 95 * inputcheck.MB
    assert inputcheck.MAX_COMPRESSION_RATIO >= 6 * 15
    assert inputcheck.MAX_SHEET_CELLS >= 7 * 50_001 * 28


def sheet_xml(rows: int, last_column: bytes) -> bytes:
    """A sheet as Excel writes it, with cells in column A and ``last_column`` of each row."""
    cells = b'<row r="%d"><c r="A%d" t="s"><v>1</v></c><c r="' + last_column + b'%d" t="s"><v>2</v></c></row>'
    body = b"".join(cells % (n, n, n) for n in range(1, rows + 1))
    return b"<worksheet><sheetData>" + body + b"</sheetData></worksheet>"


def test_the_extent_check_counts_rows_times_columns(tmp_path: Path) -> None:
    """50,000 rows to column AO (the benchmark's shape) pass; 250,000 rows to AO (10.25 million cells) don't."""
    inputcheck.check_sheet_extent(tmp_path / "big.xlsx", "Visits", sheet_xml(50_000, b"AO"))
    with pytest.raises(InputError, match=r"as far as AO250000 \(250,000 rows × 41 columns\)"):
        inputcheck.check_sheet_extent(tmp_path / "big.xlsx", "Visits", sheet_xml(250_000, b"AO"))
    # Cells whose reference is not their first attribute are read the slow, exact way.
    odd = sheet_xml(300_000, b"B").replace(b'<c r="', b'<c s="1" r="')
    inputcheck.check_sheet_extent(tmp_path / "big.xlsx", "Visits", odd)


# --- cells that can't be read: a problem on the cell, the other rows written ----------------------


def test_error_cells_and_formulas_without_values_stop_only_their_row(
    run, make_workbook, tmp_path: Path
) -> None:
    path = make_workbook(visits=[visit(), visit(visit_date=AS_OF.replace(day=18), visit_time=None)])
    part = visits_part(path)

    def uncalculated(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        text = data.decode()
        # Row 2: Routine (G) is #N/A from a lookup; row 3: Outcome(s) addressed (H) a formula never calculated.
        for ref, xml in (("G2", '<c r="G2" t="e"><f>VLOOKUP(A2,X:Y,2)</f><v>#N/A</v></c>'),
                         ("H3", '<c r="H3"><f>A3&amp;"!"</f></c>')):  # fmt: skip
            start = text.index(f'<c r="{ref}"')
            end = text.index("</c>", start) + 4
            text = text[:start] + xml + text[end:]
        return text.encode()

    rewrite(path, uncalculated)
    before = file_digest(path)
    out = tmp_path / "out"
    result = run("build", path, "--out", out, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (
        "  error: Visits!G2: Routine holds the spreadsheet error #N/A. Fix the formula or type the value."
        in (result.stderr)
    )
    assert (
        "  error: Visits!H3: Outcome(s) addressed is a formula saved without its value (the file was saved "
        "by a program that does not calculate). Open the workbook in Excel or LibreOffice, let it "
        "recalculate, and save it; or type the value."
    ) in result.stderr
    assert "  invalid: Visits!2 child C-1 2026-11-17: 1 error(s) in Visits!G2" in result.stderr
    assert "  invalid: Visits!3 child C-1 2026-11-18: 1 error(s) in Visits!H3" in result.stderr
    assert not list(out.rglob("*_family-plan.docx")), "neither row's plan is written"
    assert file_digest(path) == before


def test_characters_word_cannot_show_are_removed_with_a_warning_naming_the_cell(
    run, make_workbook, tmp_path: Path
) -> None:
    """Excel stores a control character as _x0007_; it comes out of calamine as the character itself."""
    path = make_workbook(visits=[visit(routine="MARK-ROUTINE", caregiver_words="MARK-WORDS")])
    rewrite(
        path,
        lambda name, data: data.replace(b"MARK-ROUTINE", b"Bath_x0007_ &amp; bed_x000C_time_x0009_!").replace(
            b"MARK-WORDS", b"I_x0000_'ll wait_x001B_."
        ),
    )
    out = tmp_path / "out"
    result = run("build", path, "--out", out, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert (
        "  warning: Visits!G2: Routine had characters Word cannot show (control characters); they were "
        "removed. Nothing to do if the text reads right; otherwise retype it in the cell."
    ) in result.stderr
    assert "  warning: Visits!AF2: Caregiver's words had characters Word cannot show" in result.stderr
    text = docx_text(next(out.rglob("*_family-plan.docx")))
    assert "Bath & bedtime\t!" in text
    assert "“I'll wait.”" in text
    report = load_workbook(next(out.rglob("report.xlsx")))["Problems"]
    assert ["Visits!G2", "warning", "removed-characters"] in [
        [c.value for c in row[:3]] for row in report.iter_rows(min_row=2)
    ]


# --- CSV ------------------------------------------------------------------------------------------


def test_a_csv_in_the_wrong_encoding(run, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("Child ID,Visit date,Routine\nC-1,2026-11-17,Café\n".encode("cp1252"))
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: line 2 is not utf-8 text. If the file was saved from Excel on Windows, run again "
        "with --encoding cp1252."
    )


def test_a_workbook_renamed_csv(run, make_workbook, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(make_workbook().read_bytes())
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: this is an Excel workbook with a .csv name, not a CSV file. Rename it to end in "
        ".xlsx (or .xls for an old one) and run again."
    )


def test_a_csv_with_a_quote_never_closed(run, tmp_path: Path) -> None:
    """The rest of the file becomes one cell, longer than Python's csv module reads."""
    path = tmp_path / "export.csv"
    lines = ["Child ID,Visit date,Routine", 'C-1,2026-11-17,"Bath', *(["C-2,2026-11-18,Meals"] * 8000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert refused(run, path, tmp_path) == (
        f'Error: {path}: line 2 has a cell longer than 131,072 characters; a quote (") is probably never '
        "closed. Check the quotes on that line, or export the file again from the other system."
    )


def test_a_zero_byte_csv(run, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"")
    assert refused(run, path, tmp_path) == (
        f"Error: {path}: the file is empty. Export it again from the other system."
    )


def test_a_csv_with_control_characters_is_read_without_them(run, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    buffer = io.StringIO()
    buffer.write("Child ID,Visit date,Visit status\r\nC-1\x00,2026-11-17,done\x1b\r\n")
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = run("validate", path, "--as-of", AS_OF.isoformat())
    assert "  warning: 'export.csv'!A2: Child ID had characters Word cannot show" in result.output
    assert "  warning: 'export.csv'!C2: Visit status had characters Word cannot show" in result.output
