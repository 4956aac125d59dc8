"""`plangen init` writes a starter workbook a program can fill in Excel."""

from pathlib import Path

from openpyxl import load_workbook

from plangen.fields import CATALOG, Kind, Sheet


def test_init_writes_workbook_and_settings(run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "prog")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        f"Wrote {tmp_path / 'prog' / 'plangen-workbook.xlsx'} and {tmp_path / 'prog' / 'plangen.toml'}."
    )
    toml = (tmp_path / "prog" / "plangen.toml").read_text()
    for setting in ("name =", "logo =", "accent_color =", "phone =", "footer ="):
        assert setting in toml


def test_starter_sheets_have_frozen_styled_headers_from_the_catalog(run, tmp_path: Path) -> None:
    run("init", tmp_path)
    wb = load_workbook(tmp_path / "plangen-workbook.xlsx")
    assert wb.sheetnames[:4] == ["Read me", "Lists", "Children", "Outcomes"] or "Visits" in wb.sheetnames
    for sheet in Sheet:
        ws = wb[sheet.value]
        headers = [c.value for c in ws[1]]
        assert headers == [f.label for f in CATALOG[sheet]]
        assert ws.freeze_panes == "B2"
        assert ws["A1"].font.bold
    assert wb["Lists"].sheet_state == "hidden"


def test_every_field_with_allowed_values_has_a_dropdown(run, tmp_path: Path) -> None:
    run("init", tmp_path)
    wb = load_workbook(tmp_path / "plangen-workbook.xlsx")
    for sheet in Sheet:
        ws = wb[sheet.value]
        validated = {
            str(rng).split(":")[0].rstrip("0123456789")
            for dv in ws.data_validations.dataValidation
            for rng in dv.sqref.ranges
        }
        for col, f in enumerate(CATALOG[sheet], start=1):
            if f.kind in (Kind.CHOICE, Kind.YESNO):
                letter = ws.cell(row=1, column=col).column_letter
                assert letter in validated, (sheet, f.name)


def test_date_and_time_columns_are_formatted(run, tmp_path: Path) -> None:
    run("init", tmp_path)
    ws = load_workbook(tmp_path / "plangen-workbook.xlsx")["Visits"]
    for col, f in enumerate(CATALOG[Sheet.VISITS], start=1):
        letter = ws.cell(row=1, column=col).column_letter
        if f.kind is Kind.DATE:
            assert ws.column_dimensions[letter].number_format == "yyyy-mm-dd"
        if f.kind is Kind.TIME:
            assert ws.column_dimensions[letter].number_format == "h:mm AM/PM"


def test_read_me_explains_every_column(run, tmp_path: Path) -> None:
    run("init", tmp_path)
    ws = load_workbook(tmp_path / "plangen-workbook.xlsx")["Read me"]
    rows = {(r[0], r[1]): r[5] for r in ws.iter_rows(min_row=5, values_only=True)}
    for sheet in Sheet:
        for f in CATALOG[sheet]:
            assert rows[(sheet.value, f.label)] == f.help


def test_init_refuses_to_overwrite_without_force(run, tmp_path: Path) -> None:
    run("init", tmp_path)
    workbook = tmp_path / "plangen-workbook.xlsx"
    before = workbook.read_bytes()
    result = run("init", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {workbook}, {tmp_path / 'plangen.toml'} already exists; nothing was changed. "
        "Use --force to overwrite.\n"
    )
    assert workbook.read_bytes() == before
    assert run("init", tmp_path, "--force").exit_code == 0


def test_the_starter_workbook_validates_clean(run, tmp_path: Path) -> None:
    run("init", tmp_path)
    result = run("validate", tmp_path / "plangen-workbook.xlsx")
    assert result.exit_code == 0
    assert result.output == "plangen-workbook.xlsx: 0 children, 0 visit rows; 0 error(s), 0 warning(s).\n"
