"""An N-visit workbook for the benchmark: invented families, realistic text, catalog headers.

Written with openpyxl's write-only mode so 50,000 visits take seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from openpyxl import Workbook

from plangen.fields import CATALOG, Sheet

VISITS_PER_CHILD = 8
# Children per service coordinator. A bigger program has more coordinators, not bigger caseloads
# (US Part C caseloads run about 30-70 families), so a packet's size does not grow with the visits.
CASELOAD = 50
FIRST_NAMES = ["Zoë", "Mateo", "D'Andre", "Amara", "Bảo", "Noor", "Luca", "Ivy", "José Ángel", "Kai", "Hazel", "Theo"]
ROUTINES = ["Mealtime", "Bath & bedtime", "Diaper change", "Outdoor play", "Getting dressed", "Errands"]
STRATEGIES = [
    ("Offer a choice of two foods", "Hold up two foods\nWait < 5 seconds\nName the one she picks",
     "Mom", "Breakfast and dinner", "She learns her words get her what she wants", 'Say just the first sound: "mmm"'),
    ("Sing the bath song and pause", "Sing the first line\nStop before the last word\nWait for a sound",
     "Dad and Grandma", "Every bath", "He learns to take a turn with sounds", "Sing the last word slowly"),
    ("Name what he does", "Watch what he plays with\nSay one word about it\nSmile and wait",
     "Both parents", "Play time after nap", "He hears words for what he is doing", "Copy his sound instead"),
]


def _row(sheet: Sheet, values: dict[str, object]) -> list[object]:
    return [values.get(f.name) for f in CATALOG[sheet]]


def write_benchmark_workbook(path: Path, visits: int, caseload: int = CASELOAD) -> None:
    wb = Workbook(write_only=True)
    sheets = {s: wb.create_sheet(s.value) for s in Sheet}
    for sheet, ws in sheets.items():
        ws.append([f.label for f in CATALOG[sheet]])
    children = max(1, -(-visits // VISITS_PER_CHILD))
    coordinators = -(-children // caseload)
    start = dt.date(2026, 9, 7)
    for n in range(children):
        child_id = f"B-{n + 1:06d}"
        sheets[Sheet.CHILDREN].append(_row(Sheet.CHILDREN, {
            "child_id": child_id, "child_name": FIRST_NAMES[n % len(FIRST_NAMES)],
            "date_of_birth": dt.date(2024, 1 + n % 12, 1 + n % 28), "caregiver_names": "Siobhán O'Connor",
            "family_language": "Spanish" if n % 5 == 0 else "English",
            "coordinator_name": f"Coordinator {n % coordinators + 1}",
            "coordinator_email": f"sc{n % coordinators + 1}@example.org",
            "primary_provider": f"Provider {n % 120 + 1}", "ifsp_date": dt.date(2026, 3, 1 + n % 28),
            "family_strengths": "Sings together every morning",
        }))
        for number in (1, 2):
            sheets[Sheet.OUTCOMES].append(_row(Sheet.OUTCOMES, {
                "child_id": child_id, "outcome_number": number, "outcome_kind": "child",
                "outcome_statement": "Will ask for more food with a word or sign." if number == 1
                else "Will take turns with sounds during play.",
                "outcome_status": "in progress",
            }))
    strategies = itertools.cycle(STRATEGIES)
    for i in range(visits):
        child, visit_index = divmod(i, VISITS_PER_CHILD)
        day = start + dt.timedelta(days=7 * visit_index + child % 5)
        values: dict[str, object] = {
            "child_id": f"B-{child + 1:06d}", "visit_date": day, "visit_time": dt.time(9 + child % 8, 30),
            "provider_name": f"Provider {child % 120 + 1}", "provider_discipline": "speech-language",
            "visit_status": "done", "routine": ROUTINES[i % len(ROUTINES)], "outcomes_addressed": "1",
            "practiced": "Waiting for a reach before handing the cup",
            "caregiver_words": "I'll hold up two & wait.", "next_visit_date": day + dt.timedelta(days=7),
            "next_visit_time": dt.time(10, 30), "next_visit_focus": "Try it at snack time",
        }
        if visit_index:
            values.update(followup_used=("yes", "partly", "no")[i % 3], followup_worked="Reached every time",
                          followup_hard="Busy mornings", followup_still_priority="yes")
        for n in (1, 2):
            title, steps, who, when, why, plan_b = next(strategies)
            values.update({f"strategy_{n}": title, f"strategy_{n}_steps": steps, f"strategy_{n}_who": who,
                           f"strategy_{n}_when": when, f"strategy_{n}_why": why, f"strategy_{n}_plan_b": plan_b})
        sheets[Sheet.VISITS].append(_row(Sheet.VISITS, values))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
