"""Workbooks laid out as programs keep them are read without editing them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from conftest import AS_OF, docx_text, file_digest

HEADERS = (
    "Child ID",
    "Child's name",
    "Date of birth",
    "Caregiver name(s)",
    "Service coordinator",
    "IFSP date",
    "Visit date",
    "Visit time",
    "Provider",
    "Visit status",
    "Routine",
    "Strategy 1",
    "Strategy 1: steps",
    "Strategy 1: Plan B",
    "Still a priority?",
)


def flat_row(**overrides: Any) -> list[Any]:
    """A visit row with the child's columns, in ``HEADERS`` order."""
    values: dict[str, Any] = {
        "Child ID": "C-1",
        "Child's name": "Zoë",
        "Date of birth": dt.date(2024, 9, 2),
        "Caregiver name(s)": "Siobhán",
        "Service coordinator": "Dana Whitfield",
        "IFSP date": dt.date(2026, 3, 10),
        "Visit date": dt.date(2026, 11, 17),
        "Visit time": dt.time(10, 30),
        "Provider": "Priya Raman",
        "Visit status": "done",
        "Routine": "Bath time",
        "Strategy 1": "Sing and pause",
        "Strategy 1: steps": "Sing the first line\nStop before the last word",
        "Strategy 1: Plan B": "Sing the last word slowly",
    }
    values.update(overrides)
    return [values.get(h) for h in HEADERS]


def write_sheets(
    path: Path,
    sheets: dict[str, list[list[Any]]],
    *,
    hidden: tuple[str, ...] = (),
    merges: dict[str, list[str]] | None = None,
) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for ref in (merges or {}).get(title, []):
            ws.merge_cells(ref)
        if title in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def validate(run, path: Path, *extra: str):
    return run("validate", path, "--as-of", AS_OF.isoformat(), *extra)


def test_header_below_merged_title_rows_keeps_the_sheets_own_row_numbers(run, tmp_path: Path) -> None:
    path = write_sheets(
        tmp_path / "log.xlsx",
        {
            "Visits": [
                ["Sunny Valley · Home Visit Log"],
                ["Week of 11/16/2026"],
                [],
                list(HEADERS),
                flat_row(),
                flat_row(**{"Visit time": "soon"}),
            ]
        },
        merges={"Visits": ["A1:H1"]},
    )
    result = validate(run, path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "  error: Visits!H6: Visit time is not a time plangen can read. Type it as 10:30 AM or 10:30.",
        "log.xlsx: 1 children, 2 visit rows; 1 error(s), 0 warning(s).",
    ]


def test_blank_rows_and_a_totals_and_notes_row_under_the_table_are_not_visits(run, tmp_path: Path) -> None:
    total = ["Total visits", None, None, None, None, None, 2]  # a count under the Visit date column
    path = write_sheets(
        tmp_path / "log.xlsx",
        {
            "Visits": [
                list(HEADERS),
                flat_row(),
                [],
                [None, None, None],
                flat_row(**{"Visit date": dt.date(2026, 11, 10)}),
                [],
                total,
                ["Notes: mileage is paid monthly"],
            ]
        },
    )
    result = validate(run, path)
    assert result.exit_code == 0, result.output
    assert result.output == "log.xlsx: 1 children, 2 visit rows; 0 error(s), 0 warning(s).\n"


def test_one_sheet_per_week_is_read_together_whatever_the_sheets_are_called(run, tmp_path: Path) -> None:
    path = write_sheets(
        tmp_path / "log.xlsx",
        {
            "Week 46": [list(HEADERS), flat_row(**{"Visit date": dt.date(2026, 11, 10)})],
            "Week 47": [list(HEADERS), flat_row(), flat_row(**{"Child ID": "C-2", "Child's name": "Kai"})],
            "Mileage": [["Provider", "Miles"], ["Priya Raman", 12]],
        },
    )
    result = validate(run, path)
    assert result.output == "log.xlsx: 2 children, 3 visit rows; 0 error(s), 0 warning(s).\n"
    out = tmp_path / "out"
    built = run("build", path, "--out", out, "--as-of", AS_OF.isoformat())
    assert built.exit_code == 0, built.output
    assert sorted(p.name for p in out.rglob("*family-plan.docx")) == [
        "C-1_2026-11-10_family-plan.docx",
        "C-1_2026-11-17_family-plan.docx",
        "C-2_2026-11-17_family-plan.docx",
    ]
    # The visit on the second sheet follows up the one on the first.
    text = docx_text(next(out.rglob("C-1_2026-11-17_family-plan.docx")))
    assert "This is our first plan together." not in text


def test_a_two_row_header_with_a_merged_group_title_is_read_as_one(run, tmp_path: Path) -> None:
    """'Strategy #1' merged over 'Steps' and 'Plan B?'; the other headers merged down over both rows."""
    before = [h for h in HEADERS if not h.startswith(("Strategy", "Still"))]
    top = [*before, "Strategy #1", None, None]
    sub = [*([None] * len(before)), "What", "Steps", "Plan B?"]
    merges = [f"{letter}1:{letter}2" for letter in "ABCDEFGHIJK"] + ["L1:N1"]

    def row(**overrides: Any) -> list[Any]:
        values = dict(zip(HEADERS, flat_row(**overrides), strict=True))
        return [*(values[h] for h in before), values["Strategy 1"], values["Strategy 1: steps"],
                values["Strategy 1: Plan B"]]  # fmt: skip

    path = write_sheets(
        tmp_path / "log.xlsx",
        {
            "Visits": [
                top,
                sub,
                row(),
                row(**{"Strategy 1: steps": None, "Visit date": dt.date(2026, 11, 10)}),
            ]
        },
        merges={"Visits": merges},
    )
    result = validate(run, path)
    assert result.output.splitlines() == [
        "  error: Visits!M4 (Strategy #1 / Steps): Strategy 1: steps is empty. A done visit needs its joint "
        "plan. Fill in Strategy 1: steps.",
        "log.xlsx: 1 children, 2 visit rows; 1 error(s), 0 warning(s).",
    ]
    out = tmp_path / "out"
    run("build", path, "--out", out, "--as-of", AS_OF.isoformat())
    text = docx_text(next(out.rglob("C-1_2026-11-17_family-plan.docx")))
    for expected in (
        "Sing and pause",
        "Sing the first line",
        "Stop before the last word",
        "Sing the last word slowly",
    ):
        assert expected in text, expected


def test_a_title_row_directly_above_a_one_row_header_is_not_taken_for_group_titles(
    run, tmp_path: Path
) -> None:
    path = write_sheets(
        tmp_path / "log.xlsx",
        {"Visits": [["Home Visit Log", "Week 47"], list(HEADERS), flat_row()]},
    )
    result = run("map", path)
    assert "Sheet 'Visits': Visits, header on row 2" in result.output
    assert result.output.splitlines()[3] == "  A   Child ID             → child_id"


def test_a_hidden_visit_sheet_is_read_and_reported(run, tmp_path: Path) -> None:
    path = write_sheets(
        tmp_path / "log.xlsx",
        {"Week 47": [list(HEADERS), flat_row()], "Old": [list(HEADERS), flat_row(**{"Child ID": "C-2"})]},
        hidden=("Old",),
    )
    result = validate(run, path)
    assert result.output.splitlines() == [
        "  warning: Old: is hidden; plangen reads it anyway. Unhide it in Excel if that is a surprise, or delete it.",
        "log.xlsx: 2 children, 2 visit rows; 0 error(s), 1 warning(s).",
    ]


def test_dates_times_and_yes_no_as_programs_type_them(run, tmp_path: Path) -> None:
    rows = [
        flat_row(**{"Visit date": dt.date(2026, 11, 10)}),  # the first plan; the others follow it up
        flat_row(**{"Visit date": "11/17/2026", "Visit time": "10:30 AM", "Still a priority?": "✓"}),
        flat_row(**{"Visit date": 46344, "Visit time": "14:15", "Still a priority?": "x"}),  # 2026-11-18
        flat_row(**{"Visit date": "2026-11-19", "Visit time": "9:00 am", "Still a priority?": "n"}),
        flat_row(**{"Visit date": "11/20/2026", "Visit time": dt.time(11, 0), "Still a priority?": "TRUE"}),
    ]
    path = write_sheets(tmp_path / "log.xlsx", {"Visits": [list(HEADERS), *rows]})
    assert validate(run, path).exit_code == 0
    out = tmp_path / "out"
    assert run("build", path, "--out", out, "--as-of", AS_OF.isoformat()).exit_code == 0
    still, new_focus = "It is still our top priority.", "We are ready for a new focus."
    expected = {
        "C-1_2026-11-17_family-plan.docx": ("10:30\u00a0AM", still),
        "C-1_2026-11-18_family-plan.docx": ("2:15\u00a0PM", still),
        "C-1_2026-11-19_family-plan.docx": ("9:00\u00a0AM", new_focus),
        "C-1_2026-11-20_family-plan.docx": ("11:00\u00a0AM", still),
    }
    for name, (time_text, priority) in expected.items():
        text = docx_text(next(out.rglob(name)))
        assert time_text in text, name
        assert priority in text, name


def test_an_ambiguous_text_date_names_its_cell_and_is_not_guessed(run, tmp_path: Path) -> None:
    path = write_sheets(
        tmp_path / "log.xlsx",
        {"Week 47": [["Home Visit Log"], list(HEADERS), flat_row(**{"Visit date": "03/04/2026"})]},
    )
    result = validate(run, path)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "  error: 'Week 47'!G3: Visit date is an ambiguous date (month/day or day/month?). "
        'Type it as 2026-11-17, or set date_order = "MDY" (or "DMY") under [workbook] in plangen.toml.'
    )


EXAMPLE = Path(__file__).resolve().parents[1] / "input" / "examples" / "their-layout"


def test_the_example_of_a_programs_own_layout_builds_with_only_its_plangen_toml(run, tmp_path: Path) -> None:
    """input/examples/their-layout (tools/make_examples.py): the workbook and its CSV variant."""
    workbook, export = EXAMPLE / "visit-log.xlsx", EXAMPLE / "visit-export.csv"
    before = file_digest(workbook)
    assert run("map", workbook).exit_code == 0
    assert run("validate", workbook, "--as-of", AS_OF.isoformat()).output == (
        "visit-log.xlsx: 5 children, 10 visit rows; 0 error(s), 0 warning(s).\n"
    )
    out = tmp_path / "out"
    result = run("build", workbook, "--out", out, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert "10 visit(s); 10 rendered, 0 skipped, 0 with errors, 0 failed; 20 document(s)" in result.output
    week_46 = docx_text(out / "2026-11-10_to_2026-11-20" / "family" / "SV-102_2026-11-11_family-plan.docx")
    week_47 = docx_text(out / "2026-11-10_to_2026-11-20" / "family" / "SV-102_2026-11-18_family-plan.docx")
    for expected in ("Mateo", "Lucía and Andrés", "Wait for a sign before helping", "Hold the cup close",
                     "Model the sign once, then wait", "Wednesday, November 11, 2026"):  # fmt: skip
        assert expected in week_46, expected
    for expected in ("Offer a choice of two", "Wednesday, November 18, 2026", "10:30\u00a0AM"):
        assert expected in week_47, expected
    assert "This is our first plan together." not in week_47
    assert file_digest(workbook) == before
    csv_result = run("build", export, "--out", tmp_path / "csv", "--as-of", AS_OF.isoformat())
    assert "5 visit(s); 5 rendered, 0 skipped, 0 with errors, 0 failed; 10 document(s)" in csv_result.output
