"""Check the records against each other and link them into children and visits.

Cell-level problems come from ``read``; the rules here need more than one
cell: an unknown child, a next visit before the visit, a third strategy.
Each rule adds problems; none stops the others.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .fields import CHILD_FIELDS_ON_VISITS, MAX_STRATEGIES
from .problems import Problem, Problems, Severity
from .read import Record, RecordList, Records, RecordSlice, WorkbookData, widened

STRATEGY_PARTS = ("steps", "who", "when", "why", "plan_b")
# Each strategy's number and its fields: the title, then STRATEGY_PARTS in order.
STRATEGY_KEYS = [
    (n, (f"strategy_{n}", *(f"strategy_{n}_{part}" for part in STRATEGY_PARTS))) for n in range(1, MAX_STRATEGIES + 1)
]


@dataclass(slots=True)
class Child:
    """A child, its outcomes (by number) and its visits (date order). ``Children`` makes one each time
    one is asked for, over records it keeps for all; one made by hand has lists of its own."""

    child_id: str
    record: Record
    outcomes: Records = field(default_factory=RecordList)
    visits: Records = field(default_factory=RecordList)
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
        document is made of): one pass over the sorted visits instead of one per question.
        """
        if self._previous is None or self._previous[0] != len(self.visits):
            self._previous = (len(self.visits), previous_done_positions(self.visits))
        try:
            found = self._previous[1][self.visits.index(visit)]
        except ValueError:
            return None
        return None if found < 0 else self.visits[found]


def previous_done_positions(visits: Sequence[Record]) -> array[int]:
    """For each visit, where in ``visits`` the last done visit before it is (-1: none)."""

    def moment(item: tuple[int, Record]) -> tuple[dt.date, dt.time]:
        return item[1].get("visit_date"), item[1].get("visit_time") or dt.time()

    previous = array("i", [-1]) * len(visits)
    before = -1  # the last done visit of the earlier moments
    dated = sorted((item for item in enumerate(visits) if item[1].get("visit_date") is not None), key=moment)
    for _moment, group in itertools.groupby(dated, key=moment):
        same_moment = list(group)
        for position, _visit in same_moment:
            previous[position] = before
        done = [position for position, v in same_moment if v.get("visit_status") == "done"]
        before = done[-1] if done else before
    return previous


@dataclass(slots=True)
class _Groups:
    """A list's records by child: child ``n``'s are at ``positions[starts[n]:starts[n + 1]]``."""

    records: RecordList
    starts: array[int]  # one more than there are children
    positions: array[int]  # in the list, each child's together

    @classmethod
    def of(cls, records: RecordList, owners: array[int], children: int) -> _Groups:
        """``owners``: each record's child (-1: none). Each child's records keep the list's order."""
        starts = array("I", [0]) * (children + 1)
        for owner in owners:
            if owner >= 0:
                starts[owner + 1] += 1
        for number in range(children):
            starts[number + 1] += starts[number]
        positions = array("I", [0]) * starts[children]
        free = starts[:children]  # each child's next place
        for position, owner in enumerate(owners):
            if owner >= 0:
                positions[free[owner]] = position
                free[owner] += 1
        return cls(records, starts, positions)

    def of_child(self, number: int) -> RecordSlice:
        return RecordSlice(self.records, self.positions, self.starts[number], self.starts[number + 1])

    def sort(self, key: Callable[[Record], Any]) -> None:
        """Each child's records sorted by ``key`` (stable)."""
        records, positions = self.records, self.positions
        for number in range(len(self.starts) - 1):
            start, stop = self.starts[number], self.starts[number + 1]
            if stop - start > 1:
                positions[start:stop] = array("I", sorted(positions[start:stop], key=lambda at: key(records[at])))


def _id_hash(child_id: str) -> int:
    # CRC-32, not ``hash``: the same in every process, whatever its PYTHONHASHSEED.
    return zlib.crc32(child_id.encode("utf-8", "surrogatepass"))


class Children(Mapping[str, Child]):
    """Every child by id, with its outcomes and visits: positions in arrays shared by all children,
    and a ``Child`` made each time one is asked for. 6,250 children held as objects took 3.5 MB
    (each Child, its record, two lists and their arrays, its previous visits), and a dict of their
    IDs 0.4 MB more. Here about 16 bytes a child and 5 a visit: a child is found by its ID's CRC-32
    among the sorted CRCs (its record tells apart the IDs that share one).
    """

    def __init__(self, numbers: dict[str, int], records: RecordList, outcomes: _Groups, visits: _Groups) -> None:
        self._records = records  # by the child's number
        pairs = sorted((_id_hash(child_id), number) for child_id, number in numbers.items())
        self._hashes = array("I", [h for h, _number in pairs])
        self._numbers = array("i", [number for _h, number in pairs])  # each hash's child
        self._outcomes = outcomes
        self._visits = visits
        # By place in ``visits.positions``: where in its child's visits the last done visit before
        # each is (-1: none; see ``previous_done_positions``), a byte each until a child needs more.
        self._previous = array("b")
        for number in range(len(records)):
            for position in previous_done_positions(visits.of_child(number)):
                self._previous = widened(self._previous, position)
        # The last child made, given again: a visit's documents ask for its child a few times in a row.
        self._last: Child | None = None

    def _number(self, child_id: object) -> int | None:
        if not isinstance(child_id, str):
            return None
        wanted = _id_hash(child_id)
        hashes = self._hashes
        at = bisect.bisect_left(hashes, wanted)
        while at < len(hashes) and hashes[at] == wanted:
            number = self._numbers[at]
            if self._records[number].get("child_id") == child_id:
                return number
            at += 1
        return None

    def __getitem__(self, child_id: str) -> Child:
        child = self.get(child_id)
        if child is None:
            raise KeyError(child_id)
        return child

    def get(self, child_id: str, default: Child | None = None) -> Child | None:  # type: ignore[override]
        last = self._last
        if last is not None and last.child_id == child_id:
            return last
        number = self._number(child_id)
        return default if number is None else self._child(number, child_id)

    def __contains__(self, child_id: object) -> bool:
        return self._number(child_id) is not None

    def __iter__(self) -> Iterator[str]:
        return (record.get("child_id") for record in self._records)

    def __len__(self) -> int:
        return len(self._records)

    def each_once(self, child_ids: Iterable[str]) -> Iterator[Child]:
        """The children of ``child_ids``, each once, in the order first named (unknown ones left
        out): marked by number, a byte a child, not kept in a set of their IDs."""
        given = bytearray(len(self._records))
        for child_id in child_ids:
            number = self._number(child_id)
            if number is not None and not given[number]:
                given[number] = 1
                yield self._child(number, child_id)

    def _child(self, number: int, child_id: str) -> Child:
        last = self._last
        if last is not None and last.child_id == child_id:
            return last
        visits = self._visits.of_child(number)
        start = self._visits.starts[number]
        previous = (len(visits), self._previous[start : start + len(visits)])
        self._last = Child(child_id, self._records[number], self._outcomes.of_child(number), visits, previous)
        return self._last


@dataclass
class Dataset:
    """The checked workbook: children by id, visits in sheet order, all problems."""

    data: WorkbookData
    children: Children
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
    numbers, records = _link_children(data, problems)
    outcomes = _outcomes_by_child(data.outcomes, numbers, len(records), problems)
    owners = array("i")  # each visit's child (-1: none)
    for visit in data.visits:
        number = numbers.get(visit.get("child_id", ""), -1)
        owners.append(number)
        if number < 0:
            if visit.has("child_id") and not data.flat:
                problems.add(_unknown_child(visit))
            continue
        # Its child's outcomes are complete: a strategy's outcome is checked against them.
        problems.extend(_check_visit(visit, Child(visit.get("child_id"), records[number], outcomes.of_child(number)), as_of))
    visits = _Groups.of(data.visits, owners, len(records))
    visits.sort(key=lambda v: (v.get("visit_date") or dt.date.min, v.get("visit_time") or dt.time()))
    return Dataset(data, Children(numbers, records, outcomes, visits), data.visits, problems, as_of)


def _unknown_child(record: Record) -> Problem:
    return record.problem(
        Severity.ERROR,
        "child_id",
        "unknown-child",
        "Child ID is not on the Children sheet.",
        "Add the child to Children or fix the ID.",
        record.get("child_id"),
    )


def _outcomes_by_child(outcomes: RecordList, numbers: dict[str, int], children: int, problems: Problems) -> _Groups:
    """Each child's outcomes by number. An unknown child or a number listed twice is a problem (the
    number's first row is kept); the problems are added in the sheet's order."""
    found: list[tuple[int, Problem]] = []  # (position on the sheet, problem)
    owners = array("i")
    for position, outcome in enumerate(outcomes):
        owners.append(numbers.get(outcome.get("child_id", ""), -1))
        if owners[-1] < 0 and outcome.has("child_id"):
            found.append((position, _unknown_child(outcome)))
    grouped = _Groups.of(outcomes, owners, children)
    duplicates = False
    for number in range(children):
        seen: list[Any] = []  # the numbers of the child's outcomes kept so far (a few)
        for position in grouped.positions[grouped.starts[number] : grouped.starts[number + 1]]:
            outcome = outcomes[position]
            outcome_number = outcome.get("outcome_number")
            if outcome_number is None or outcome_number not in seen:
                seen.append(outcome_number)
                continue
            owners[position], duplicates = -1, True
            problem = outcome.problem(
                Severity.ERROR,
                "outcome_number",
                "duplicate-outcome",
                f"Outcome {outcome_number} is listed twice for this child.",
                "Give each outcome its own number.",
            )
            found.append((position, problem))
    if duplicates:
        grouped = _Groups.of(outcomes, owners, children)
    grouped.sort(key=lambda o: o.get("outcome_number") or 0)
    problems.extend(problem for _position, problem in sorted(found, key=lambda item: item[0]))
    return grouped


def _link_children(data: WorkbookData, problems: Problems) -> tuple[dict[str, int], RecordList]:
    """Each child's number by its ID, and its record (a flat workbook's: the child's first visit row)."""
    numbers: dict[str, int] = {}
    records = RecordList()
    if data.flat:
        for visit in data.visits:
            child_id = visit.get("child_id")
            if not child_id:
                continue
            if child_id not in numbers:
                numbers[child_id] = len(records)
                records.append(visit)
            else:
                problems.extend(_conflicts(records[numbers[child_id]], visit))
        return numbers, records
    for record in data.children:
        child_id = record.get("child_id")
        if not child_id:
            continue
        if child_id in numbers:
            first = records[numbers[child_id]]
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
        numbers[child_id] = len(records)
        records.append(record)
    return numbers, records


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
