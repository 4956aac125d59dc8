"""Cells as programs type them become typed values, or a problem that says what to type."""

import datetime as dt

import pytest

from plangen.fields import Sheet, field_by_name
from plangen.values import ValueProblem, parse_cell, parse_date, parse_time, parse_yesno


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (dt.datetime(2026, 11, 17, 0, 0), dt.date(2026, 11, 17)),
        (46343, dt.date(2026, 11, 17)),  # Excel serial number
        ("2026-11-17", dt.date(2026, 11, 17)),
        ("11/17/2026", dt.date(2026, 11, 17)),  # unambiguous US form
        ("17/11/2026", dt.date(2026, 11, 17)),  # unambiguous day-first form
        ("5/5/2026", dt.date(2026, 5, 5)),
    ],
)
def test_dates_are_read_from_real_dates_serials_and_unambiguous_text(
    typed: object, expected: dt.date
) -> None:
    assert parse_date(typed) == expected


def test_an_ambiguous_text_date_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_date("03/04/2026")
    assert caught.value.message == "is an ambiguous date (month/day or day/month?)."
    assert 'date_order = "MDY"' in caught.value.hint


def test_date_order_setting_reads_ambiguous_text_dates() -> None:
    assert parse_date("03/04/2026", "MDY") == dt.date(2026, 3, 4)
    assert parse_date("03/04/2026", "DMY") == dt.date(2026, 4, 3)


def test_an_impossible_date_is_an_error() -> None:
    with pytest.raises(ValueProblem, match="not a real calendar date"):
        parse_date("2026-02-30")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10:30 AM", dt.time(10, 30)),
        ("10:30", dt.time(10, 30)),
        ("2:05 pm", dt.time(14, 5)),
        ("12:00 AM", dt.time(0, 0)),
        (0.4375, dt.time(10, 30)),
        (dt.time(9, 0, 12), dt.time(9, 0)),
    ],
)
def test_times_are_read_in_12_and_24_hour_forms(typed: object, expected: dt.time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "soon", "13:00 PM"])
def test_unreadable_times_are_errors(typed: str) -> None:
    with pytest.raises(ValueProblem, match="not a time"):
        parse_time(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("x", True),
        ("✓", True),
        (True, True),
        ("no", False),
        ("n", False),
        ("false", False),
    ],
)
def test_yes_no_columns_accept_the_usual_marks(typed: object, expected: bool) -> None:
    assert parse_yesno(typed) is expected


def test_choice_matches_regardless_of_case_and_spelling_variants() -> None:
    status = field_by_name(Sheet.VISITS, "visit_status")
    assert parse_cell(status, "Canceled by Family") == "cancelled by family"
    assert parse_cell(status, "No show") == "no-show"
    with pytest.raises(ValueProblem) as caught:
        parse_cell(status, "maybe")
    assert caught.value.hint == "Use one of: done, cancelled by family, cancelled by provider, no-show."


def test_spreadsheet_error_cells_are_reported_as_such() -> None:
    with pytest.raises(ValueProblem, match="spreadsheet error #N/A"):
        parse_cell(field_by_name(Sheet.VISITS, "routine"), "#N/A")


def test_text_keeps_what_was_typed_but_normalises_line_ends() -> None:
    routine = field_by_name(Sheet.VISITS, "routine")
    assert parse_cell(routine, 'Bath & <bed>\r\n"time"\t🛁') == 'Bath & <bed>\n"time"\t🛁'
