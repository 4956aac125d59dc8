"""A visit log laid out the way a program keeps its own (invented people only).

"Sunny Valley Early Intervention" keeps one sheet per week, with title rows
above the header, its own headers ("Child's Name", "Date of Visit",
"Strategy #1", "Plan B?"), a two-row header with a merged "Strategy #1" group
on one sheet, US text dates and times on the other, blank rows, and a totals
and a notes row under the table. No Children sheet: the child's columns are on
every visit row (a flat workbook). ``THEIR_TOML`` is all plangen needs to read it.

Used by the tests and by ``tools/make_examples.py`` (input/examples/).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

TITLE = "Sunny Valley Early Intervention · Home Visit Log"
# The columns before and after the strategy group, as the program heads them.
BEFORE = (
    "Child's Name",
    "Client ID",
    "DOB",
    "Parent/Caregiver",
    "Language",
    "Service Coordinator",
    "IFSP Date",
    "Date of Visit",
    "Time",
    "Home Visitor",
    "Discipline",
    "Session Status",
    "Routine/Activity",
    "What we worked on",
)
STRATEGY_PARTS = ("Steps", "Who", "When", "Why", "Plan B?")
AFTER = (
    "Still a priority?",
    "Parent's words",
    "Next Visit",
    "Plan for next visit",
    "Notes for SC",
    "Mileage",
)
# One header row (the Week 47 sheet and the CSV export).
HEADERS = (*BEFORE, "Strategy #1", *STRATEGY_PARTS, *AFTER)

THEIR_TOML = """\
# Sunny Valley's own headers, mapped to plangen's fields. Nothing in the workbook was changed.

[program]
name = "Sunny Valley Early Intervention"

[workbook]
# Dates typed as 11/17/2026 are month/day/year.
date_order = "MDY"

# Headers plangen does not know by itself. The others ("Child's Name", "Date of Visit",
# "Strategy #1", "Plan B?", …) are matched on their own: run 'plangen map' to see how.
[columns.Visits]
"Parent/Caregiver" = "caregiver_names"
"Home Visitor" = "provider_name"
"What we worked on" = "practiced"
"Steps" = "strategy_1_steps"
"Who" = "strategy_1_who"
"When" = "strategy_1_when"
"Why" = "strategy_1_why"
"""

COORDINATORS = ("Dana Whitfield", "Marcus Oyelaran", "Ines Carvalho")
PROVIDERS = (
    ("Priya Raman", "Speech"),
    ("Tomás Reyes", "OT"),
    ("Grace Min", "Educator"),
    ("Jonah Pike", "PT"),
)
CHILDREN = (
    ("Amara", "Ngozi"),
    ("Mateo", "Lucía and Andrés"),
    ("Zoë", "Siobhán"),
    ("Kai", "Leilani"),
    ("Noor", "Samira"),
    ("Eli", "Rachel and Ben"),
    ("Mei", "Lin"),
    ("Santiago", "Carmen"),
    ("Ava", "Tasha"),
    ("Yusuf", "Halima"),
    ("Lena", "Greta"),
    ("Theo", "Marisol"),
    ("Aiyana", "Dawn"),
    ("Felix", "Oskar"),
    ("Imani", "Keisha"),
    ("Ravi", "Anjali"),
    ("Sofia", "Elena"),
    ("Jonas", "Petra"),
    ("Hana", "Yuki"),
    ("Omar", "Fatima"),
)
ROUTINES = ("Mealtime", "Bath time", "Getting dressed", "Play on the floor", "Bedtime story")
WEEK_46 = dt.date(2026, 11, 9)  # Monday
WEEK_47 = dt.date(2026, 11, 16)


@dataclass(frozen=True)
class Visit:
    """One visit as the program would type it, by their header."""

    values: dict[str, Any]

    def text(self, header: str) -> str:
        """The cell as typed text (a CSV export, or the Week 47 sheet): US dates, 12-hour times."""
        value = self.values.get(header)
        if isinstance(value, dt.date):
            return f"{value.month}/{value.day}/{value.year}"
        if isinstance(value, dt.time):
            return value.strftime("%I:%M %p").lstrip("0")
        return "" if value is None else str(value)


def visits(families: int, week: dt.date, *, first: bool) -> Iterator[Visit]:
    """One visit per family in ``week``; in the second week, the follow-up of the first."""
    for n in range(families):
        name, caregiver = CHILDREN[n % len(CHILDREN)]
        provider, discipline = PROVIDERS[n % len(PROVIDERS)]
        day = week + dt.timedelta(days=1 + n % 4)
        cancelled = not first and n % 7 == 6
        routine = ROUTINES[n % len(ROUTINES)]
        values: dict[str, Any] = {
            "Child's Name": name if n < len(CHILDREN) else f"{name} {n // len(CHILDREN) + 1}",
            "Client ID": f"SV-{101 + n}",
            "DOB": dt.date(2024, 1 + n % 12, 1 + n % 27),
            "Parent/Caregiver": caregiver,
            "Language": "English",
            "Service Coordinator": COORDINATORS[n % len(COORDINATORS)],
            "IFSP Date": dt.date(2026, 3, 10),
            "Date of Visit": day,
            "Time": dt.time(9 + n % 6, 30 if n % 2 else 0),
            "Home Visitor": provider,
            "Discipline": discipline,
            "Session Status": "Family cancelled" if cancelled else "Completed",
            "Mileage": 12 + n,
        }
        if not cancelled:
            values.update(
                {
                    "Routine/Activity": routine,
                    "What we worked on": f"Taking turns during {routine.lower()}",
                    "Strategy #1": "Wait for a sign before helping" if first else "Offer a choice of two",
                    "Steps": "Hold the cup close\nWait five seconds\nHand it over when asked",
                    "Who": caregiver,
                    "When": f"{routine}, every day",
                    "Why": "Asking gets what is wanted",
                    "Plan B?": "Model the sign once, then wait",
                    "Parent's words": "We'll wait and watch for the sign.",
                    "Next Visit": day + dt.timedelta(days=7),
                    "Plan for next visit": "Try it at snack time",
                }
            )
            if not first:
                values["Still a priority?"] = "x" if n % 2 else "n"
        yield Visit(values)


def _title_rows(ws: Any, width: int, subtitle: str) -> None:
    ws.cell(row=1, column=1, value=TITLE).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=2, column=1, value=subtitle)


def _footer(ws: Any, row: int, count: int) -> None:
    ws.cell(row=row + 1, column=1, value="Total visits")
    ws.cell(row=row + 1, column=8, value=count)
    ws.cell(row=row + 2, column=1, value="Notes: mileage is paid monthly; ask Dana.")


def _week_46(ws: Any, rows: list[Visit]) -> None:
    """Title rows, then a two-row header: "Strategy #1" merged over its parts, other headers merged down."""
    width = len(HEADERS)
    _title_rows(ws, width, "Week of 11/9/2026: one row per visit")
    top, sub = 4, 5
    col = 1
    for header in BEFORE:
        ws.cell(row=top, column=col, value=header)
        ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        col += 1
    ws.cell(row=top, column=col, value="Strategy #1")
    ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + len(STRATEGY_PARTS))
    for offset, part in enumerate(("Strategy", *STRATEGY_PARTS)):
        ws.cell(row=sub, column=col + offset, value=part)
    col += 1 + len(STRATEGY_PARTS)
    for header in AFTER:
        ws.cell(row=top, column=col, value=header)
        ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        col += 1
    for cells in ws.iter_rows(min_row=top, max_row=sub):
        for cell in cells:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True)
    r = sub + 1
    for i, visit in enumerate(rows):
        if i and i % 5 == 0:
            r += 1  # a blank row between groups of visits
        for c, header in enumerate(HEADERS, start=1):
            value = visit.values.get("Strategy #1" if header == "Strategy #1" else header)
            if value is not None:
                ws.cell(row=r, column=c, value=value)
                if isinstance(value, dt.date):
                    ws.cell(row=r, column=c).number_format = "m/d/yyyy"
                elif isinstance(value, dt.time):
                    ws.cell(row=r, column=c).number_format = "h:mm AM/PM"
        r += 1
    _footer(ws, r, len(rows))


def _week_47(ws: Any, rows: list[Visit]) -> None:
    """Title rows, one header row, and everything typed as text: '11/17/2026', '10:30 AM'."""
    _title_rows(ws, len(HEADERS), "Week of 11/16/2026")
    for c, header in enumerate(HEADERS, start=1):
        ws.cell(row=3, column=c, value=header).font = Font(bold=True)
    r = 4
    for visit in rows:
        for c, header in enumerate(HEADERS, start=1):
            text = visit.text(header)
            if text:
                ws.cell(row=r, column=c, value=text)
        r += 1
    _footer(ws, r, len(rows))


def write_their_workbook(path: Path, families: int = 20) -> Path:
    """Two week sheets ("Week 46", "Week 47"): ``families`` visits each."""
    wb = Workbook()
    ws46 = wb.active
    ws46.title = "Week 46"
    _week_46(ws46, list(visits(families, WEEK_46, first=True)))
    _week_47(wb.create_sheet("Week 47"), list(visits(families, WEEK_47, first=False)))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_their_csv(path: Path, families: int = 20, encoding: str = "utf-8-sig") -> Path:
    """Week 47 as another system exports it: one header row, text cells (Excel's UTF-8 CSV has a BOM)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for visit in visits(families, WEEK_47, first=False):
            writer.writerow([visit.text(h) for h in HEADERS])
    return path


def write_their_toml(folder: Path) -> Path:
    path = folder / "plangen.toml"
    path.write_text(THEIR_TOML, encoding="utf-8")
    return path
