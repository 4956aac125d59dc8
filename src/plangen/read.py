"""Read the program's workbook into records, collecting every cell problem.

Sheets are recognised by their headers, not only their names: a sheet is a
Visits sheet when its header row matches visit fields. The header row may sit
below title rows. A workbook with only visit sheets (child fields repeated on
each row) is read as a *flat* workbook.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .config import Config
from .fields import CATALOG, CHILD_FIELDS_ON_VISITS, Field, HeaderIndex, Sheet, normalize_header
from .problems import InputError, Problem, Problems, Severity
from .values import ValueProblem, is_blank, parse_cell

# How far down a sheet plangen looks for its header row (title rows above it).
HEADER_SEARCH_ROWS = 12
# A row is a header when it matches at least this many catalog fields.
MIN_HEADER_MATCHES = 2


@dataclass(frozen=True)
class Column:
    index: int  # 1-based
    header: str


@dataclass
class Record:
    """One row of a sheet: parsed values by field name, and where each came from."""

    sheet: str
    row: int
    values: dict[str, Any]
    columns: dict[str, Column]
    # Fields whose cell was filled but could not be read (already reported).
    unreadable: frozenset[str] = frozenset()

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def problem(
        self, severity: Severity, name: str, code: str, message: str, hint: str = "", value: Any = None
    ) -> Problem:
        """A problem pointing at this row's cell for field ``name`` (or the whole row)."""
        column = self.columns.get(name)
        return Problem(
            severity=severity,
            code=code,
            message=message,
            hint=hint,
            sheet=self.sheet,
            row=self.row,
            column=column.index if column else None,
            header=column.header if column else "",
            child_id=str(self.values.get("child_id", "")),
            value="" if value is None else str(value),
        )


@dataclass
class SheetLayout:
    """How one worksheet was understood: its role, header row and matched columns."""

    name: str
    role: Sheet | None
    header_row: int
    columns: dict[str, Column] = field(default_factory=dict)
    ignored: list[Column] = field(default_factory=list)
    hidden: bool = False


@dataclass
class WorkbookData:
    path: Path
    children: list[Record]
    outcomes: list[Record]
    visits: list[Record]
    layouts: list[SheetLayout]
    problems: Problems
    flat: bool


def header_index(role: Sheet, *, flat: bool) -> HeaderIndex:
    fields = CATALOG[role] + (CHILD_FIELDS_ON_VISITS if role is Sheet.VISITS and flat else ())
    return HeaderIndex.for_fields(fields)


def _fields_for(role: Sheet) -> dict[str, Field]:
    fields = CATALOG[role] + (CHILD_FIELDS_ON_VISITS if role is Sheet.VISITS else ())
    return {f.name: f for f in fields}


def open_workbook(path: Path) -> Any:
    if not path.exists():
        raise InputError(f"{path}: file not found.", hint="Check the path to the workbook.")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty (0 bytes).", hint="Save the workbook again from Excel.")
    if path.suffix.lower() == ".xls":
        raise InputError(
            f"{path}: this is an old Excel 97–2003 (.xls) file.",
            hint="Open it in Excel or LibreOffice and save it as .xlsx.",
        )
    try:
        # read_only streams rows; data_only gives formulas' saved values.
        return load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            f"{path}: not a readable .xlsx workbook ({type(exc).__name__}).",
            hint="Open it in Excel and save it as an Excel Workbook (.xlsx).",
        ) from None


def read_workbook(path: Path, config: Config) -> WorkbookData:
    """Read every sheet plangen recognises; problems are collected, not raised."""
    wb = open_workbook(path)
    try:
        return _read(wb, path, config)
    finally:
        wb.close()


def _read(wb: Any, path: Path, config: Config) -> WorkbookData:
    problems = Problems()
    layouts: list[SheetLayout] = []
    records: dict[Sheet, list[Record]] = {s: [] for s in Sheet}
    worksheets = list(wb.worksheets)
    has_children = any(_name_role(ws.title) is Sheet.CHILDREN for ws in worksheets)
    for ws in worksheets:
        head = list(_rows(ws, max_row=HEADER_SEARCH_ROWS))
        layout = find_layout(ws.title, head, config, flat=not has_children)
        layout.hidden = ws.sheet_state != "visible"
        layouts.append(layout)
        if layout.role is None:
            continue
        if layout.header_row == 0:
            # Named like a plangen sheet, but no header row plangen recognises.
            problems.add(
                Problem(
                    Severity.ERROR,
                    "no-header-row",
                    f"no header row with 'Child ID' and other {layout.role.value} columns in the first {HEADER_SEARCH_ROWS} rows.",
                    "Check the headers, or map them in plangen.toml; 'plangen map' shows what was recognised.",
                    sheet=ws.title,
                )
            )
            layout.role = None
            continue
        if layout.hidden:
            problems.add(
                Problem(
                    Severity.WARNING,
                    "hidden-sheet",
                    "is hidden; plangen reads it anyway.",
                    "Unhide it in Excel if that is a surprise, or delete it.",
                    sheet=ws.title,
                )
            )
        problems.extend(_missing_columns(layout, flat=not has_children))
        fields = _fields_for(layout.role)
        rows = _rows(ws, min_row=layout.header_row + 1)
        for row_number, cells in enumerate(rows, start=layout.header_row + 1):
            record = _read_row(layout, fields, row_number, cells, config, problems)
            if record is not None:
                records[layout.role].append(record)
    if not records[Sheet.VISITS] and not any(lay.role is Sheet.VISITS for lay in layouts):
        raise InputError(
            f"{path}: no Visits sheet found.",
            hint="plangen needs a sheet whose header row has at least 'Child ID' and 'Visit date'. "
            "Run 'plangen map' to see how your headers were read.",
        )
    data = WorkbookData(
        path=path,
        children=records[Sheet.CHILDREN],
        outcomes=records[Sheet.OUTCOMES],
        visits=records[Sheet.VISITS],
        layouts=layouts,
        problems=problems,
        flat=not has_children,
    )
    _check_required(data)
    return data


def _rows(ws: Any, *, min_row: int = 1, max_row: int | None = None) -> Iterator[tuple[Any, ...]]:
    yield from ws.iter_rows(min_row=min_row, max_row=max_row, values_only=True)


def _name_role(title: str) -> Sheet | None:
    key = normalize_header(title)
    for sheet in Sheet:
        if key.startswith(normalize_header(sheet.value)):
            return sheet
    return None


def find_layout(title: str, head: list[tuple[Any, ...]], config: Config, *, flat: bool) -> SheetLayout:
    """Find the sheet's role and header row: the first row that matches the catalog best."""
    by_name = _name_role(title)
    roles = [by_name] if by_name else list(Sheet)
    best: SheetLayout | None = None
    best_score = 0
    for role in roles:
        index = header_index(role, flat=flat)
        mapping = _user_mapping(config, title, role)
        for offset, cells in enumerate(head):
            columns, ignored = _match_row(cells, index, mapping)
            # Every plangen sheet is keyed by child: no Child ID column, no role.
            score = len(columns) if "child_id" in columns else 0
            if score > best_score:
                best_score = score
                best = SheetLayout(title, role, offset + 1, columns, ignored)
    if best is None or best_score < MIN_HEADER_MATCHES:
        return SheetLayout(title, by_name if by_name else None, 0)
    return best


def _user_mapping(config: Config, title: str, role: Sheet) -> dict[str, str]:
    """``[columns.<sheet>]`` from plangen.toml, by sheet title or role name; keys normalised."""
    merged: dict[str, str] = {}
    for key in (role.value, title):
        for header, name in config.columns.get(key, {}).items():
            merged[normalize_header(header)] = name
    return merged


def _match_row(
    cells: Iterable[Any], index: HeaderIndex, mapping: dict[str, str]
) -> tuple[dict[str, Column], list[Column]]:
    columns: dict[str, Column] = {}
    ignored: list[Column] = []
    for col, value in enumerate(cells, start=1):
        if is_blank(value) or not isinstance(value, str):
            continue
        header = value.strip()
        name = mapping.get(normalize_header(header)) or index.match(header)
        if name and name not in columns:
            columns[name] = Column(col, header)
        else:
            ignored.append(Column(col, header))
    return columns, ignored


def _missing_columns(layout: SheetLayout, *, flat: bool) -> list[Problem]:
    assert layout.role is not None
    required = [f for f in CATALOG[layout.role] if f.required]
    if layout.role is Sheet.VISITS and flat:
        required += [f for f in CHILD_FIELDS_ON_VISITS if f.required]
    return [
        Problem(
            Severity.ERROR,
            "missing-column",
            f"has no '{f.label}' column (field {f.name}).",
            f"Add a column headed '{f.label}', or map your own header to {f.name} under "
            f"[columns.{layout.name}] in plangen.toml.",
            sheet=layout.name,
            row=layout.header_row,
        )
        for f in required
        if f.name not in layout.columns
    ]


def _read_row(
    layout: SheetLayout,
    fields: dict[str, Field],
    row_number: int,
    cells: tuple[Any, ...],
    config: Config,
    problems: Problems,
) -> Record | None:
    if all(is_blank(v) for v in cells):
        return None
    values: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    unreadable: set[str] = set()
    for name, column in layout.columns.items():
        value = cells[column.index - 1] if column.index <= len(cells) else None
        if is_blank(value):
            continue
        raw[name] = value
        try:
            values[name] = parse_cell(fields[name], value, date_order=config.date_order)
        except ValueProblem as exc:
            unreadable.add(name)
            problems.add(
                Problem(
                    Severity.ERROR,
                    "bad-value",
                    f"{column.header} {exc.message}",
                    exc.hint,
                    sheet=layout.name,
                    row=row_number,
                    column=column.index,
                    header=column.header,
                    child_id=str(raw.get("child_id", "")),
                    value=str(value),
                )
            )
    if "child_id" in values:
        values["child_id"] = str(values["child_id"]).strip()
    if not unreadable and not _looks_like_data(values):
        return None  # a totals or notes row under the table
    return Record(layout.name, row_number, values, layout.columns, frozenset(unreadable))


def _looks_like_data(values: dict[str, Any]) -> bool:
    """A trailing 'Total: 48 visits' row fills one text cell and no key; it is not data."""
    keys = {"child_id", "visit_date", "outcome_number", "child_name"}
    return bool(keys & values.keys()) or len(values) > 2


def _check_required(data: WorkbookData) -> None:
    """Blank required cells, once per row; plan fields only for visits that happened."""
    for role, records in (
        (Sheet.CHILDREN, data.children),
        (Sheet.OUTCOMES, data.outcomes),
        (Sheet.VISITS, data.visits),
    ):
        required = [f for f in CATALOG[role] if f.required]
        if role is Sheet.VISITS and data.flat:
            required += [f for f in CHILD_FIELDS_ON_VISITS if f.required]
        for record in records:
            needed = list(required)
            if role is Sheet.VISITS and record.get("visit_status") == "done":
                needed += [f for f in CATALOG[Sheet.VISITS] if f.required_when_done]
            for f in needed:
                if f.name in record.values or f.name in record.unreadable or f.name not in record.columns:
                    continue
                why = " A done visit needs its joint plan." if f.required_when_done else ""
                data.problems.add(
                    record.problem(
                        Severity.ERROR,
                        f.name,
                        "missing-value",
                        f"{f.label} is empty.{why}",
                        f"Fill in {f.label}.",
                    )
                )
