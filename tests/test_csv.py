"""A CSV export is read as one flat visit sheet named after the file, with the same mapping."""

from __future__ import annotations

from pathlib import Path

from conftest import AS_OF, docx_text
from their_layout import HEADERS, write_their_csv, write_their_toml


def build(run, path: Path, out: Path, *extra: str):
    return run("build", path, "--out", out, "--as-of", AS_OF.isoformat(), *extra)


def test_a_utf8_csv_with_a_bom_builds_with_the_same_mapping_as_the_workbook(run, tmp_path: Path) -> None:
    export = write_their_csv(tmp_path / "export.csv", families=3)
    assert export.read_bytes().startswith(b"\xef\xbb\xbf")
    write_their_toml(tmp_path)
    assert run("validate", export, "--as-of", AS_OF.isoformat()).output == (
        "export.csv: 3 children, 3 visit rows; 0 error(s), 0 warning(s).\n"
    )
    out = tmp_path / "out"
    result = build(run, export, out)
    assert result.exit_code == 0, result.output
    plans = sorted(p.name for p in out.rglob("*family-plan.docx"))
    assert plans == [
        "SV-101_2026-11-17_family-plan.docx",
        "SV-102_2026-11-18_family-plan.docx",
        "SV-103_2026-11-19_family-plan.docx",
    ]
    text = docx_text(next(out.rglob("SV-102_2026-11-18_family-plan.docx")))
    for expected in (
        "Mateo",
        "Lucía and Andrés",
        "Wednesday, November 18, 2026",
        "10:30\u00a0AM",
        "Wait five seconds",
    ):
        assert expected in text, expected


def test_csv_problems_point_at_the_file_row_and_column(run, tmp_path: Path) -> None:
    export = write_their_csv(tmp_path / "export.csv", families=2)
    text = export.read_text(encoding="utf-8-sig").replace("11/18/2026", "11/31/2026", 1)
    export.write_text(text, encoding="utf-8")  # saved again without the BOM
    write_their_toml(tmp_path)
    result = run("validate", export, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "  error: 'export.csv'!H3: Date of Visit is not a real calendar date. Check the day and month."
    )


def test_a_cp1252_csv_needs_encoding_and_the_error_says_so(run, tmp_path: Path) -> None:
    export = write_their_csv(tmp_path / "export.csv", families=2, encoding="cp1252")
    write_their_toml(tmp_path)
    wrong = run("validate", export)
    assert wrong.exit_code == 3
    assert wrong.stderr == (
        f"Error: {export}: line 5 is not utf-8 text. "
        "If the file was saved from Excel on Windows, run again with --encoding cp1252.\n"
    )
    out = tmp_path / "out"
    result = build(run, export, out, "--encoding", "cp1252")
    assert result.exit_code == 0, result.output
    assert "Lucía and Andrés" in docx_text(next(out.rglob("SV-102_2026-11-18_family-plan.docx")))


def test_an_unknown_encoding_is_a_clear_error(run, tmp_path: Path) -> None:
    export = write_their_csv(tmp_path / "export.csv", families=1)
    result = run("validate", export, "--encoding", "klingon")
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: --encoding klingon: not an encoding plangen knows. "
        "Use utf-8 (the default) or cp1252 (Excel on Windows).\n"
    )


def test_a_semicolon_csv_and_a_mapping_named_after_the_file(run, tmp_path: Path) -> None:
    """Excel in many European locales saves 'CSV' with semicolons; [columns.<file stem>] applies."""
    export = tmp_path / "sessions.csv"
    rows = [
        "Client ID;Child's Name;DOB;Parent;SC;IFSP Date;Date of Visit;Staff;Status;Routine;Strategy #1;Steps 1",
        "C-9;Noor;2025-01-05;Samira;Dana Whitfield;2026-03-10;2026-11-17;Grace Min;done;Mealtime;"
        'Wait for a sign;"Hold the cup; wait"',
    ]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "plangen.toml").write_text(
        '[columns.sessions]\n"Parent" = "caregiver_names"\n', encoding="utf-8"
    )
    result = run("map", export)
    assert result.exit_code == 0, result.output
    assert "Sheet 'sessions.csv': Visits, header on row 1" in result.output
    assert "  D   Parent         → caregiver_names (plangen.toml)" in result.output.splitlines()
    out = tmp_path / "out"
    assert build(run, export, out).exit_code == 0
    assert "Hold the cup; wait" in docx_text(next(out.rglob("C-9_2026-11-17_family-plan.docx")))


def test_an_empty_csv_is_a_clear_error(run, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("", encoding="utf-8")
    result = run("validate", export)
    assert result.exit_code == 3
    assert result.stderr == f"Error: {export}: the file is empty. Export it again from the other system.\n"


def test_the_csv_headers_are_those_of_the_workbook(tmp_path: Path) -> None:
    export = write_their_csv(tmp_path / "export.csv", families=1)
    assert export.read_text(encoding="utf-8-sig").splitlines()[0] == ",".join(
        f'"{h}"' if "," in h else h for h in HEADERS
    )
