"""The pipeline: read → check → select → assemble → render → write.

``build`` never stops at a bad row: each visit row gets a ``RowResult``
(rendered, skipped with a reason, invalid with its problems, or failed), and
valid rows are written whatever happens to the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from jinja2 import TemplateError

from .assemble import family_language, family_plan_context, ifsp_review_context
from .check import Dataset, check
from .config import Config
from .dates import Period, range_period
from .problems import Problem, Problems
from .read import Record, read_workbook
from .render import Renderer
from .write import document_name, make_private_dir, remove_stale_temps, write_atomic

FAMILY_DIR = "family"
REVIEW_DIR = "ifsp-review"


class Status(str, Enum):
    RENDERED = "rendered"
    SKIPPED = "skipped"
    INVALID = "invalid"
    FAILED = "failed"


@dataclass
class RowResult:
    sheet: str
    row: int
    child_id: str
    visit_date: dt.date | None
    status: Status
    reason: str = ""
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def cell(self) -> str:
        return f"{self.sheet}!{self.row}"


@dataclass
class BuildResult:
    period: Period
    out_dir: Path
    rows: list[RowResult]
    problems: Problems
    notes: list[str] = field(default_factory=list)
    strict_refused: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for r in self.rows if r.status is status)

    @property
    def files(self) -> list[Path]:
        return [f for r in self.rows for f in r.files]

    @property
    def ok(self) -> bool:
        return not self.strict_refused and self.count(Status.INVALID) == 0 and self.count(Status.FAILED) == 0


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    period: Period | None = None
    as_of: dt.date = field(default_factory=dt.date.today)
    strict: bool = False
    templates_dir: Path | None = None


def load(workbook: Path, config: Config, as_of: dt.date) -> Dataset:
    return check(read_workbook(workbook, config), as_of)


def default_period(visits: list[Record]) -> Period:
    """With no period given, the run covers every visit in the workbook."""
    dates = [v.get("visit_date") for v in visits if v.get("visit_date")]
    if not dates:
        today = dt.date.today()
        return range_period(today, today)
    return range_period(min(dates), max(dates))


def build(
    workbook: Path,
    config: Config,
    options: BuildOptions,
    progress: Callable[[RowResult], None] | None = None,
) -> BuildResult:
    dataset = load(workbook, config, options.as_of)
    renderer = Renderer(config.branding, options.templates_dir or config.templates)
    period = options.period or default_period(dataset.visits)
    out_dir = options.out / period.label
    # A row whose date could not be read belongs to no period: it is listed as invalid.
    selected = [v for v in dataset.visits if v.get("visit_date") in period or v.get("visit_date") is None]
    result = BuildResult(period, out_dir, [], dataset.problems, list(renderer.notes))
    # Rows outside the period are not this run's business, except their errors,
    # which stay in the report (they may break the follow-up of a later visit).
    if options.strict and dataset.problems.errors:
        result.strict_refused = True
        return result
    make_private_dir(out_dir)
    remove_stale_temps(out_dir)
    fallback_noted: set[str] = set()
    for visit in selected:
        row = _build_row(dataset, visit, renderer, config, out_dir)
        child = dataset.child_of(visit)
        if row.status is Status.RENDERED and child is not None:
            language = family_language(child)
            if language.fell_back and language.requested not in fallback_noted:
                fallback_noted.add(language.requested)
                result.notes.append(
                    f"No handout catalog for the family language '{language.requested}' "
                    f"(first seen for child {child.child_id}); those handouts are in English."
                )
        result.rows.append(row)
        if progress is not None:
            progress(row)
    return result


def _build_row(
    dataset: Dataset, visit: Record, renderer: Renderer, config: Config, out_dir: Path
) -> RowResult:
    child = dataset.child_of(visit)
    row = RowResult(
        visit.sheet, visit.row, visit.get("child_id", ""), visit.get("visit_date"), Status.RENDERED
    )
    blocking = dataset.blocking_problems(visit)
    if blocking:
        row.status, row.problems = Status.INVALID, blocking
        cells = ", ".join(sorted({p.cell for p in blocking}))
        row.reason = f"{len(blocking)} error(s) in {cells}"
        return row
    if child is None:
        row.status, row.reason = Status.INVALID, "no child for this row"
        return row
    status = visit.get("visit_status")
    if status != "done":
        row.status, row.reason = Status.SKIPPED, f"visit {status}: no plan to write"
        return row
    day, moment = visit.get("visit_date"), visit.get("visit_time")
    same_day = [v for v in child.visits if v.get("visit_date") == day and v is not visit]
    stamp = moment if same_day else None  # only two visits on one day need the time in the name
    jobs = (
        ("family-plan", FAMILY_DIR, family_plan_context, family_language(child).code),
        ("ifsp-review", REVIEW_DIR, ifsp_review_context, config.branding.language),
    )
    try:
        for name, folder, make_context, language in jobs:
            data = renderer.render(name, make_context(dataset, child, visit, config.branding), language)
            target = make_private_dir(out_dir / folder) / document_name(child.child_id, day, name, stamp)
            write_atomic(target, data)
            row.files.append(target)
    except TemplateError as exc:
        row.status = Status.FAILED
        row.reason = f"template {name}: {exc.message or type(exc).__name__}"
    return row
