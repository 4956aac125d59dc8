"""`plangen validate` reports every problem at once, pointing at the cell."""

import datetime as dt
import json
from pathlib import Path

from conftest import child, file_digest, outcome, visit


def broken_workbook(make_workbook) -> Path:
    return make_workbook(
        children=[child(), child(child_id="C-2", child_name="D'Andre")],
        outcomes=[outcome(), outcome(child_id="C-2")],
        visits=[
            visit(),
            visit(child_id="C-9"),
            visit(child_id="C-2", visit_date="31/02/2026"),
            visit(
                child_id="C-2",
                visit_date=dt.date(2026, 11, 18),
                next_visit_date=dt.date(2026, 11, 10),
                strategy_2="Sing",
                strategy_3="Read",
                visit_time="soon",
            ),
            visit(visit_date=dt.date(2026, 11, 30), next_visit_date=dt.date(2026, 12, 7)),
        ],
    )


def test_validate_lists_every_problem_with_cell_and_what_to_do(run, make_workbook) -> None:
    path = broken_workbook(make_workbook)
    result = run("validate", path, "--as-of", "2026-11-20")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "  error: Visits!A3: Child ID is not on the Children sheet. Add the child to Children or fix the ID.",
        "  error: Visits!B4: Visit date is not a real calendar date. Check the day and month.",
        "  error: Visits!C5: Visit time is not a time plangen can read. Type it as 10:30 AM or 10:30.",
        "  warning: Visits!Y5 (Strategy 2: Plan B): Strategy 2 has no Plan B. Add what to try if the child doesn't respond.",
        "  warning: Visits!Z5 (Strategy 3): This plan has 3 strategies; most families pick 1–2. "
        "Keep it if the family chose it; otherwise keep the one or two they care about most.",
        "  warning: Visits!AE5 (Strategy 3: Plan B): Strategy 3 has no Plan B. Add what to try if the child doesn't respond.",
        "  error: Visits!AG5: Next visit date is before the visit date. Check both dates.",
        "  warning: Visits!B6: Visit date is in the future (after 2026-11-20). Check the year and month.",
        "program.xlsx: 2 children, 5 visit rows; 4 error(s), 4 warning(s).",
    ]


def test_validate_json_is_for_machines_and_holds_no_values(run, make_workbook) -> None:
    path = broken_workbook(make_workbook)
    result = run("validate", path, "--json", "--as-of", "2026-11-20")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert (report["errors"], report["warnings"]) == (4, 4)
    flat = [[p["cell"], p["severity"], p["code"]] for p in report["problems"]]
    assert flat[:3] == [
        ["Visits!A3", "error", "unknown-child"],
        ["Visits!B4", "error", "bad-value"],
        ["Visits!C5", "error", "bad-value"],
    ]
    assert "value" not in report["problems"][0]
    assert "D'Andre" not in result.output


def test_show_values_puts_the_cell_value_on_the_users_terminal_only_when_asked(run, make_workbook) -> None:
    path = broken_workbook(make_workbook)
    assert "31/02/2026" not in run("validate", path).output
    assert "[value: '31/02/2026']" in run("validate", path, "--show-values").output


def test_a_clean_workbook_exits_zero(run, make_workbook) -> None:
    result = run("validate", make_workbook(), "--as-of", "2026-11-20")
    assert result.exit_code == 0
    assert result.output == "program.xlsx: 1 children, 1 visit rows; 0 error(s), 0 warning(s).\n"


def test_a_done_visit_without_its_plan_is_an_error_but_a_cancelled_one_is_not(run, make_workbook) -> None:
    path = make_workbook(
        visits=[
            visit(routine=None, strategy_1=None),
            visit(
                visit_date=dt.date(2026, 11, 10),
                visit_status="cancelled by family",
                routine=None,
                strategy_1=None,
                strategy_1_steps=None,
                strategy_1_plan_b=None,
            ),
        ]
    )
    result = run("validate", path, "--as-of", "2026-11-20")
    assert result.exit_code == 1
    assert (
        "  error: Visits!G2: Routine is empty. A done visit needs its joint plan. Fill in Routine."
        in result.output
    )
    assert "Visits!3" not in result.output and "G3" not in result.output


def test_validate_never_modifies_the_workbook(run, make_workbook) -> None:
    path = broken_workbook(make_workbook)
    before = file_digest(path)
    run("validate", path)
    assert file_digest(path) == before


def test_a_missing_file_is_a_clear_error(run, tmp_path: Path) -> None:
    result = run("validate", tmp_path / "nope.xlsx")
    assert result.exit_code == 3
    assert (
        result.stderr == f"Error: {tmp_path / 'nope.xlsx'}: file not found. Check the path to the workbook.\n"
    )


def test_a_settings_section_that_is_not_a_table_is_a_clear_error(run, make_workbook, tmp_path: Path) -> None:
    path = make_workbook()
    settings = tmp_path / "plangen.toml"
    settings.write_text('program = "Riverbend"\n', encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: {settings}: [program] must be a table (a [program] heading with settings under it).\n"
    )


def test_a_rows_problems_come_in_the_order_found_and_later_ones_count() -> None:
    """Problems by row (grouped once, for 50,000 visits): the same answer as a look at every problem."""
    from plangen.problems import Problem, Problems, Severity

    def problem(severity: Severity, sheet: str, row: int, message: str) -> Problem:
        return Problem(severity, "bad-value", message, sheet=sheet, row=row)

    first, warning = problem(Severity.ERROR, "Visits", 3, "a"), problem(Severity.WARNING, "Visits", 3, "w")
    child, other = problem(Severity.ERROR, "Children", 2, "b"), problem(Severity.ERROR, "Visits", 4, "c")
    problems = Problems([first, warning, child, other])
    assert problems.in_rows([("Children", 2), ("Visits", 3)]) == [first, warning, child]
    assert problems.for_row("Visits", 4) == [other]
    assert problems.for_row("Visits", 9) == []
    later = problem(Severity.ERROR, "Visits", 3, "d")
    problems.add(later)
    assert problems.for_row("Visits", 3) == [first, warning, later]
