"""Check the records against each other and link them into children and visits.

Cell-level problems come from ``read``; the rules here need more than one
cell: an unknown child, a next visit before the visit, a third strategy.
Each rule adds problems; none stops the others.
"""

from __future__ import annotations

import datetime as dt
import itertools
from array import array
from dataclasses import dataclass, field
from typing import Any

from .fields import CHILD_FIELDS_ON_VISITS, MAX_STRATEGIES
from .problems import Problem, Problems, Severity
from .read import Record, RecordList, WorkbookData

STRATEGY_PARTS = ("steps", "who", "when", "why", "plan_b")
# Each strategy's number and its fields: the title, then STRATEGY_PARTS in order.
STRATEGY_KEYS = [
    (n, (f"strategy_{n}", *(f"strategy_{n}_{part}" for part in STRATEGY_PARTS))) for n in range(1, MAX_STRATEGIES + 1)
]


@dataclass(slots=True)  # 6,250 children: no dict each
class Child:
    child_id: str
    record: Record
    outcomes: RecordList = field(default_factory=RecordList)
    visits: RecordList = field(default_factory=RecordList)  # date order
    # Where in ``visits`` the last done visit before each one is (-1: none), once worked out.
    _previous: tuple[int, array[int]] | None = field(default=None, repr=False, compare=False)

    def get(self, name: str, default: Any = None) -> Any:
        return self.record.get(name, default)

    def outcome(self, number: int) -> Record | None:
        return next((o for o in self.outcomes if o.get("outcome_number") == number), None)

    def previous_done_visit(self, visit: Record) -> Record | None:
        """The last done visit strictly before ``visit`` (same day and time: not before), worked
        out once for all the child's visits.

        Asked for by every document of every visit (the follow-up box, the diary, the rows a
        document is made of): one pass over the sorted visits instead of one per question. Kept
        as positions in ``visits``, 4 bytes a visit.
        """
        if self._previous is None or self._previous[0] != len(self.visits):

            def moment(item: tuple[int, Record]) -> tuple[dt.date, dt.time]:
                return item[1].get("visit_date"), item[1].get("visit_time") or dt.time()

            previous = array("i", [-1]) * len(self.visits)  # by position in ``visits``
            before = -1  # the last done visit of the earlier moments
            dated = sorted((item for item in enumerate(self.visits) if item[1].get("visit_date") is not None), key=moment)
            for _moment, group in itertools.groupby(dated, key=moment):
                same_moment = list(group)
                for position, _visit in same_moment:
                    previous[position] = before
                done = [position for position, v in same_moment if v.get("visit_status") == "done"]
                before = done[-1] if done else before
            self._previous = (len(self.visits), previous)
        try:
            found = self._previous[1][self.visits.index(visit)]
        except ValueError:
            return None
        return None if found < 0 else self.visits[found]


@dataclass
class Dataset:
    """The checked workbook: children by id, visits in sheet order, all problems."""

    data: WorkbookData
    children: dict[str, Child]
    visits: RecordList
    problems: Problems
    as_of: dt.date

    def child_of(self, visit: Record) -> Child | None:
        return self.children.get(visit.get("child_id", ""))

    def blocking_problems(self, visit: Record) -> list[Problem]:
        """Errors that stop this visit's documents: its own row's, its child's, its outcomes'."""
        rows = {(visit.sheet, visit.row)}
        child = self.child_of(visit)
        if child is not None:
            rows.add((child.record.sheet, child.record.row))
            rows.update((o.sheet, o.row) for o in child.outcomes)
        return [p for p in self.problems.in_rows(rows) if p.is_error]


def strategy_numbers(visit: Record) -> list[int]:
    """Strategies with any text on this row, in order."""
    return [n for n, keys in STRATEGY_KEYS if any(visit.has(k) for k in keys)]


def check(data: WorkbookData, as_of: dt.date) -> Dataset:
    problems = data.problems
    children = _link_children(data, problems)
    for outcome in data.outcomes:
        child = children.get(outcome.get("child_id", ""))
        if child is None:
            if outcome.has("child_id"):
                problems.add(
                    outcome.problem(
                        Severity.ERROR,
                        "child_id",
                        "unknown-child",
                        "Child ID is not on the Children sheet.",
                        "Add the child to Children or fix the ID.",
                        outcome.get("child_id"),
                    )
                )
            continue
        number = outcome.get("outcome_number")
        if number is not None and child.outcome(number) is not None:
            problems.add(
                outcome.problem(
                    Severity.ERROR,
                    "outcome_number",
                    "duplicate-outcome",
                    f"Outcome {number} is listed twice for this child.",
                    "Give each outcome its own number.",
                )
            )
            continue
        child.outcomes.append(outcome)
    for visit in data.visits:
        child = children.get(visit.get("child_id", ""))
        if child is None:
            if visit.has("child_id") and not data.flat:
                problems.add(
                    visit.problem(
                        Severity.ERROR,
                        "child_id",
                        "unknown-child",
                        "Child ID is not on the Children sheet.",
                        "Add the child to Children or fix the ID.",
                        visit.get("child_id"),
                    )
                )
            continue
        child.visits.append(visit)
        problems.extend(_check_visit(visit, child, as_of))
    for child in children.values():
        child.visits.sort(
            key=lambda v: (v.get("visit_date") or dt.date.min, v.get("visit_time") or dt.time())
        )
        child.outcomes.sort(key=lambda o: o.get("outcome_number") or 0)
    return Dataset(data, children, data.visits, problems, as_of)


def _link_children(data: WorkbookData, problems: Problems) -> dict[str, Child]:
    children: dict[str, Child] = {}
    if data.flat:
        # A flat workbook: the first row of each child gives the child's fields.
        for visit in data.visits:
            child_id = visit.get("child_id")
            if not child_id:
                continue
            if child_id not in children:
                children[child_id] = Child(child_id, visit)
            else:
                problems.extend(_conflicts(children[child_id].record, visit))
        return children
    for record in data.children:
        child_id = record.get("child_id")
        if not child_id:
            continue
        if child_id in children:
            first = children[child_id].record
            problems.add(
                record.problem(
                    Severity.ERROR,
                    "child_id",
                    "duplicate-child",
                    f"Child ID is already used on row {first.row}.",
                    "Each child has one row on Children.",
                    child_id,
                )
            )
            continue
        children[child_id] = Child(child_id, record)
    return children


def _conflicts(first: Record, later: Record) -> list[Problem]:
    """In a flat workbook, a child's repeated fields should agree from row to row."""
    return [
        later.problem(
            Severity.WARNING,
            f.name,
            "child-field-differs",
            f"{f.label} differs from row {first.row} for the same child; plangen uses row {first.row}.",
            "Make the child's columns the same on every row.",
        )
        for f in CHILD_FIELDS_ON_VISITS
        if f.name in later.values and f.name in first.values and later.values[f.name] != first.values[f.name]
    ]


def _check_visit(visit: Record, child: Child, as_of: dt.date) -> list[Problem]:
    found: list[Problem] = []
    date = visit.get("visit_date")
    next_date = visit.get("next_visit_date")
    if date and next_date and next_date < date:
        found.append(
            visit.problem(
                Severity.ERROR,
                "next_visit_date",
                "next-before-visit",
                "Next visit date is before the visit date.",
                "Check both dates.",
            )
        )
    if date and date > as_of:
        found.append(
            visit.problem(
                Severity.WARNING,
                "visit_date",
                "future-visit",
                f"Visit date is in the future (after {as_of.isoformat()}).",
                "Check the year and month.",
            )
        )
    if visit.get("visit_status") != "done":
        return found
    numbers = strategy_numbers(visit)
    if len(numbers) >= 3:
        found.append(
            visit.problem(
                Severity.WARNING,
                "strategy_3",
                "third-strategy",
                "This plan has 3 strategies; most families pick 1–2.",
                "Keep it if the family chose it; otherwise keep the one or two they care about most.",
            )
        )
    for n in numbers:
        if not visit.has(f"strategy_{n}"):
            found.append(
                visit.problem(
                    Severity.WARNING,
                    f"strategy_{n}_steps",
                    "strategy-without-title",
                    f"Strategy {n} has details but no strategy.",
                    f"Name strategy {n} in a few words.",
                )
            )
        if not visit.has(f"strategy_{n}_plan_b"):
            found.append(
                visit.problem(
                    Severity.WARNING,
                    f"strategy_{n}_plan_b",
                    "missing-plan-b",
                    f"Strategy {n} has no Plan B.",
                    "Add what to try if the child doesn't respond.",
                )
            )
    for name in ("outcomes_addressed", "sc_outcome_met"):
        for number_text in visit.get(name, ()):
            digits = number_text.lstrip("#").strip()
            number = int(digits) if digits.isdigit() else None
            if number is None or child.outcome(number) is None:
                found.append(
                    visit.problem(
                        Severity.WARNING,
                        name,
                        "unknown-outcome",
                        f"Outcome {number_text} is not one of this child's outcomes.",
                        "Use the outcome numbers from the Outcomes sheet.",
                    )
                )
    return found
