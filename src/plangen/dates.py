"""Calendar arithmetic the IFSP deadlines need, and the period a run covers."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def age_in_months(birth: dt.date, on: dt.date) -> int:
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - (1 if on.day < birth.day else 0)


@dataclass(frozen=True)
class Period:
    """The dates a run covers, both ends included, and its folder name."""

    start: dt.date
    end: dt.date
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def describe(self) -> str:
        if self.label.startswith(str(self.start.isocalendar()[0])) and "-W" in self.label:
            return f"week {self.label} ({self.start.isoformat()} to {self.end.isoformat()})"
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def week_period(text: str) -> Period:
    """``2026-W47`` → Monday to Sunday of that ISO week."""
    m = _WEEK.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not an ISO week; write it like 2026-W47.")
    year, week = int(m[1]), int(m[2])
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"'{text}': {year} has no week {week}.") from None
    return Period(monday, monday + dt.timedelta(days=6), f"{year}-W{week:02d}")


def range_period(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise ValueError(f"--to {end.isoformat()} is before --from {start.isoformat()}.")
    return Period(start, end, f"{start.isoformat()}_to_{end.isoformat()}")
