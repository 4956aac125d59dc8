"""`output/<period>/report.xlsx`: every row of the run and every problem, for a spreadsheet user."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

from openpyxl import load_workbook

from conftest import AS_OF, child, outcome, visit

PERIOD = "2026-11-10_to_2026-11-19"


def program(make_workbook) -> Path:
    return make_workbook(
        children=[child(), child(child_id="C-2", child_name="D'Andre", caregiver_names="Keisha")],
        outcomes=[outcome(), outcome(child_id="C-2")],
        visits=[
            visit(),
            visit(child_id="C-2", visit_date=dt.date(2026, 11, 18), visit_time="half past ten"),
            visit(child_id="C-7", visit_date=dt.date(2026, 11, 19)),
            visit(
                visit_date=dt.date(2026, 11, 10),
                visit_status="no-show",
                routine=None,
                strategy_1=None,
                strategy_1_steps=None,
            ),
        ],
    )


def sheet_rows(path: Path, title: str) -> list[tuple]:
    return list(load_workbook(path)[title].iter_rows(values_only=True))


def test_the_report_lists_each_row_its_status_problems_and_documents(run, make_workbook, tmp_path) -> None:
    out = tmp_path / "out"
    result = run("build", program(make_workbook), "--out", out, "--as-of", AS_OF.isoformat())
    report = out / PERIOD / "report.xlsx"
    assert f"Report: {report}\n" in result.output
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    rows = sheet_rows(report, "Rows")
    assert rows[0] == ("Row", "Child ID", "Visit date", "Status", "Why", "Problems", "Documents")
    assert rows[1:] == [
        (
            "Visits!2",
            "C-1",
            dt.datetime(2026, 11, 17),
            "rendered",
            None,
            None,
            "family/C-1_2026-11-17_family-plan.docx\nifsp-review/C-1_2026-11-17_ifsp-review.docx",
        ),
        (
            "Visits!3",
            "C-2",
            dt.datetime(2026, 11, 18),
            "invalid",
            "1 error(s) in Visits!C3",
            "Visits!C3: error: Visit time is not a time plangen can read.",
            None,
        ),
        (
            "Visits!4",
            "C-7",
            dt.datetime(2026, 11, 19),
            "invalid",
            "1 error(s) in Visits!A4",
            "Visits!A4: error: Child ID is not on the Children sheet.",
            None,
        ),
        (
            "Visits!5",
            "C-1",
            dt.datetime(2026, 11, 10),
            "skipped",
            "visit no-show: no plan to write",
            None,
            None,
        ),
    ]
    problems = sheet_rows(report, "Problems")
    assert problems == [
        ("Cell", "Severity", "Code", "Column", "Child ID", "Problem", "What to do"),
        (
            "Visits!C3",
            "error",
            "bad-value",
            "Visit time",
            "C-2",
            "Visit time is not a time plangen can read.",
            "Type it as 10:30 AM or 10:30.",
        ),
        (
            "Visits!A4",
            "error",
            "unknown-child",
            "Child ID",
            "C-7",
            "Child ID is not on the Children sheet.",
            "Add the child to Children or fix the ID.",
        ),
    ]


def test_the_report_holds_ids_never_names(run, make_workbook, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("build", program(make_workbook), "--out", out, "--as-of", AS_OF.isoformat())
    workbook = load_workbook(out / PERIOD / "report.xlsx")
    text = "\n".join(str(v) for ws in workbook for row in ws.iter_rows(values_only=True) for v in row if v)
    for name in ("Zoë", "D'Andre", "Siobhán", "Keisha"):
        assert name not in text


def test_text_that_looks_like_a_formula_is_stored_as_text(run, tmp_path: Path) -> None:
    """A CSV export can carry '=…' in any cell; the report keeps it as text, never a formula."""
    ids = ["=1+2", "+SUM(A1:A9)", "-3", "@cmd"]
    lines = ["Child ID,Child's name,Date of birth,Caregiver,Coordinator,IFSP date,Visit date,Provider,Status"]
    lines += [f'"{i}",Kai,2025-01-05,Leilani,Dana,2026-03-10,2026-11-17,Grace,no-show' for i in ids]
    export = tmp_path / "export.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run("build", export, "--out", out, "--as-of", AS_OF.isoformat())
    ws = load_workbook(out / "2026-11-17_to_2026-11-17" / "report.xlsx")["Rows"]
    cells = [ws.cell(row=r, column=2) for r in range(2, 6)]
    assert [c.value for c in cells] == ids
    assert [c.data_type for c in cells] == ["s"] * 4
