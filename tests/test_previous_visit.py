"""A plan's follow-up is about the child's last done visit strictly before it."""

from __future__ import annotations

import datetime as dt

from plangen.assemble import previous_done_visit
from plangen.check import Child
from plangen.read import Record


def visit(row: int, day: int | None, status: str = "done", hour: int | None = None) -> Record:
    values: dict[str, object] = {"child_id": "C-1", "visit_status": status}
    if day is not None:
        values["visit_date"] = dt.date(2026, 11, day)
    if hour is not None:
        values["visit_time"] = dt.time(hour, 0)
    return Record("Visits", row, values, {})


def test_the_previous_done_visit_skips_cancelled_ones_and_the_same_moment() -> None:
    first, cancelled, morning, afternoon, also_afternoon, undated = (
        visit(2, 3), visit(3, 10, "cancelled by family"), visit(4, 17, hour=9), visit(5, 17, hour=15),
        visit(6, 17, hour=15), visit(7, None),
    )
    child = Child("C-1", Record("Children", 2, {"child_id": "C-1"}, {}))
    child.visits = [first, cancelled, morning, afternoon, also_afternoon, undated]
    assert previous_done_visit(child, first) is None
    assert previous_done_visit(child, cancelled) is first
    assert previous_done_visit(child, morning) is first, "the cancelled visit had no plan"
    assert previous_done_visit(child, afternoon) is morning
    assert previous_done_visit(child, also_afternoon) is morning, "same day and time: not before"
    assert previous_done_visit(child, undated) is None
    later = visit(8, 24)
    child.visits.append(later)  # a visit added afterwards is seen
    assert previous_done_visit(child, later) is also_afternoon
