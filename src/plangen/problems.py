"""Problems as values: collected over the whole workbook, reported together.

A ``Problem`` points at a cell the way a spreadsheet user does (``Visits!F12``,
header row = its own row number). Messages never carry a cell's value: values
are personal data and go to the terminal only with ``--show-values``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import Enum

from openpyxl.utils import get_column_letter


def cell_reference(sheet: str, row: int | None = None, column: int | None = None) -> str:
    """``Sheet!F12``, ``Sheet!12`` for a whole row, ``Sheet`` for a sheet; quoted as Excel does."""
    if not sheet:
        return ""
    name = sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"
    if row is None:
        return name
    if column is None:
        return f"{name}!{row}"
    return f"{name}!{get_column_letter(column)}{row}"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    code: str
    message: str
    hint: str = ""
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: int | None = None  # 1-based
    header: str = ""
    child_id: str = ""
    value: str = ""  # shown only with --show-values

    @property
    def cell(self) -> str:
        return cell_reference(self.sheet, self.row, self.column)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def describe(self, *, show_values: bool = False) -> str:
        """One line for the terminal: where, what, what to do."""
        where = self.cell or self.file
        named = self.header and self.column is not None and not self.message.startswith(self.header)
        column = f" ({self.header})" if named else ""
        text = f"{self.severity.value}: {where}{column}: {self.message}"
        if show_values and self.value:
            text += f" [value: {self.value!r}]"
        if self.hint:
            text += f" {self.hint}"
        return text

    def as_dict(self, *, show_values: bool = False) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["cell"] = self.cell
        if not show_values:
            data.pop("value")
        return data


@dataclass
class Problems:
    """An ordered collection of problems with the counts a report needs."""

    items: list[Problem] = field(default_factory=list)
    # Each row's problems with their places, for as many items as there were (``in_rows``).
    _by_row: tuple[int, dict[tuple[str, int | None], list[tuple[int, Problem]]]] | None = field(
        default=None, repr=False, compare=False
    )

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def for_row(self, sheet: str, row: int) -> list[Problem]:
        return self.in_rows({(sheet, row)})

    def in_rows(self, rows: Iterable[tuple[str, int | None]]) -> list[Problem]:
        """The problems of these (sheet, row) rows, in the order they were found.

        Asked for each visit row of a build and of its report: the problems are grouped by row
        once (going over every problem for each of 50,000 visits with 3,000 errors took 27 s).
        """
        if self._by_row is None or self._by_row[0] != len(self.items):
            by_row: dict[tuple[str, int | None], list[tuple[int, Problem]]] = {}
            for place, problem in enumerate(self.items):
                by_row.setdefault((problem.sheet, problem.row), []).append((place, problem))
            self._by_row = (len(self.items), by_row)
        found = [item for row in set(rows) for item in self._by_row[1].get(row, ())]
        return [problem for _place, problem in sorted(found, key=lambda item: item[0])]

    def sorted(self) -> list[Problem]:
        """Spreadsheet order: sheet, row, column; file-level problems first."""
        return sorted(
            self.items,
            key=lambda p: (p.sheet != "", p.sheet, p.row or 0, p.column or 0),
        )


class InputError(Exception):
    """A fatal problem with an input file: nothing can be read from it.

    The message names the file (and sheet) and says what to do.
    """

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()
