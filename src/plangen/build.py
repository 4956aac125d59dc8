"""The pipeline: read → check → select → assemble → render → write.

``build`` never stops at a bad row: each visit row gets a ``RowResult``
(rendered, skipped with a reason, invalid with its problems, or failed), and
valid rows are written whatever happens to the others.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path
from typing import Any

from .assemble import (
    document_language,
    family_language,
    family_plan_context,
    ifsp_review_context,
    previous_done_visit,
    visit_facts,
)
from .check import Child, Dataset, check
from .config import Config
from .consent import write_shared_copies
from .dates import Period, range_period
from .diary import DiaryRun, diary_visits, write_diaries
from .flags import flags_of_children
from .i18n import resolve_language
from .manifest import Decision, Manifest, fingerprint
from .outputs import PeriodDocuments, cells
from .packet import write_packets
from .pdf import PdfRun, find_soffice, pdf_path, write_pdfs
from .problems import Problem, Problems, cell_reference
from .read import Record, RecordList, read_workbook
from .render import Renderer, resolve_templates_dir
from .renderjobs import RenderTask, Runner, default_jobs, run_tasks
from .report import write_report
from .rowstore import SpooledList
from .templatecheck import TemplateErrors, check_prepared
from .write import document_name, make_private_dir, remove_stale_temps

FAMILY_DIR = "family"
REVIEW_DIR = "ifsp-review"


class Status(str, Enum):
    RENDERED = "rendered"
    UNCHANGED = "unchanged"  # its documents are already written from the same data
    KEPT = "kept"  # a document was edited by hand after it was generated; not overwritten
    SKIPPED = "skipped"
    INVALID = "invalid"
    FAILED = "failed"


@dataclass(slots=True)
class RowResult:
    sheet: str
    row: int
    child_id: str
    visit_date: dt.date | None
    status: Status
    reason: str = ""
    # Tuples, not lists: most rows have no problems and keep nothing (one shared empty tuple),
    # and a finished row is spooled as it is (``RowResults``).
    problems: tuple[Problem, ...] = ()
    unchanged: tuple[Path, ...] = ()
    kept: tuple[tuple[Path, str], ...] = ()  # (document, why it was kept)
    # Written by this run, relative to ``folder`` (the run's): a path string each, not a Path.
    written: tuple[str, ...] = ()
    folder: Path = Path()

    @property
    def cell(self) -> str:
        return cell_reference(self.sheet, self.row)

    @property
    def files(self) -> list[Path]:
        """The documents written by this run for this row."""
        return [self.folder / name for name in self.written]


_STATUSES = tuple(Status)
# A row's result in the spool, without its folder (the run's, the same for every row): a Path
# takes longer to pickle and unpickle than the rest of the row together.
_SPOOLED = tuple(f.name for f in fields(RowResult) if f.name != "folder")


class RowResults(Sequence[RowResult]):
    """Each visit row's result, in row order, kept in a temporary file (``rowstore.SpooledList``).

    A run of 50,000 rows holds every result until the report: in memory, their problems and
    document paths grew the run by 28 MB. Here memory holds a status byte per row and a page of
    results; a result is read back when asked for (the report and the CLI read each once, in order).
    A result read back is a copy: to change a row, put it back (``results[i] = row``).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder  # the run's: each row's ``folder``
        self._rows: SpooledList[tuple[Any, ...]] = SpooledList("plangen-results-")
        self._statuses = bytearray()  # each row's status, as its index in _STATUSES
        self._written = 0

    def append(self, row: RowResult) -> None:
        self._rows.append(tuple(getattr(row, name) for name in _SPOOLED))
        self._statuses.append(_STATUSES.index(row.status))
        self._written += len(row.written)

    def __len__(self) -> int:
        return len(self._statuses)

    def __getitem__(self, index: int) -> RowResult:  # type: ignore[override]  # no slices
        return self._result(self._rows[index])

    def _result(self, spooled: tuple[Any, ...]) -> RowResult:
        return RowResult(**dict(zip(_SPOOLED, spooled, strict=True)), folder=self.folder)

    def __setitem__(self, index: int, row: RowResult) -> None:
        self._written += len(row.written) - len(self[index].written)
        self._rows[index] = tuple(getattr(row, name) for name in _SPOOLED)
        self._statuses[index] = _STATUSES.index(row.status)

    def __iter__(self) -> Iterator[RowResult]:
        return (self._result(spooled) for spooled in self._rows)

    def statuses(self) -> Iterator[Status]:
        """Each row's status, in row order, without reading the rows back."""
        return (_STATUSES[code] for code in self._statuses)

    def count_of(self, status: Status) -> int:
        return self._statuses.count(_STATUSES.index(status))

    @property
    def written(self) -> int:
        """How many documents the rows' run wrote."""
        return self._written


@dataclass
class BuildResult:
    period: Period
    out_dir: Path
    rows: RowResults
    problems: Problems
    notes: list[str] = field(default_factory=list)
    strict_refused: bool = False
    report: Path | None = None
    flag_count: int = 0  # flags in the coordinator packets, as of the run's date
    # The diaries, plan copies and coordinator packets (None when nothing was written: --strict).
    period_documents: PeriodDocuments | None = None
    pdfs: PdfRun | None = None  # --pdf: the PDFs next to the documents

    def count(self, status: Status) -> int:
        return self.rows.count_of(status)

    @property
    def files(self) -> list[Path]:
        return [f for r in self.rows for f in r.files]

    @property
    def written(self) -> int:
        """How many documents the rows' run wrote (without making a Path for each of 100,000)."""
        return self.rows.written

    @property
    def ok(self) -> bool:
        return (
            not self.strict_refused
            and self.count(Status.INVALID) == 0
            and self.count(Status.FAILED) == 0
            and not (self.period_documents and self.period_documents.failed)
        )


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    period: Period | None = None
    as_of: dt.date = field(default_factory=dt.date.today)
    strict: bool = False
    templates_dir: Path | None = None
    encoding: str | None = None  # of a CSV input
    # Only visits of this coordinator, provider or child (case-insensitive, exact).
    coordinator: str = ""
    provider: str = ""
    child: str = ""
    force: bool = False  # render every document, even unchanged or edited ones
    jobs: int = field(default_factory=default_jobs)  # processes rendering documents
    pdf: bool = False  # also a PDF next to each document, converted by LibreOffice (pdf.py)


def load(workbook: Path, config: Config, as_of: dt.date, encoding: str | None = None) -> Dataset:
    return check(read_workbook(workbook, config, encoding=encoding), as_of)


def _same(wanted: str, value: object) -> bool:
    return not wanted or (isinstance(value, str) and value.strip().casefold() == wanted.strip().casefold())


def matches_filters(dataset: Dataset, visit: Record, options: BuildOptions) -> bool:
    """``--coordinator``, ``--provider`` and ``--child``: exact names or id, case ignored."""
    child = dataset.child_of(visit)
    coordinator = child.get("coordinator_name") if child is not None else None
    return (
        _same(options.coordinator, coordinator)
        and _same(options.provider, visit.get("provider_name"))
        and _same(options.child, visit.get("child_id"))
    )


def default_period(visits: Iterable[Record]) -> Period:
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
    on_total: Callable[[int], None] | None = None,
) -> BuildResult:
    """Build the period's documents; ``on_total`` hears how many rows, ``progress`` each row done."""
    soffice = find_soffice() if options.pdf else ""  # --pdf without LibreOffice: stop before writing
    templates_dir, template_notes = resolve_templates_dir(workbook, options.templates_dir, config.templates)
    renderer = Renderer(config.branding, templates_dir)
    checked = check_prepared(renderer.templates)
    renderer.notes[:0] = template_notes
    if checked.errors:
        checked.notes[:0] = renderer.notes
        raise TemplateErrors(checked)  # before the workbook is read: nothing is written
    renderer.notes.extend(f"template warning: {p.where}: {p.message}" for p in checked.warnings)
    dataset = load(workbook, config, options.as_of, options.encoding)
    period = options.period or default_period(dataset.visits)
    out_dir = options.out / period.label
    # A row whose date could not be read belongs to no period: it is listed as invalid.
    selected = RecordList(
        v
        for v in dataset.visits
        if (v.get("visit_date") in period or v.get("visit_date") is None) and matches_filters(dataset, v, options)
    )
    result = BuildResult(period, out_dir, RowResults(out_dir), dataset.problems, list(renderer.notes))
    filters = {"--coordinator": options.coordinator, "--provider": options.provider, "--child": options.child}
    given = ", ".join(f"{option} '{wanted}'" for option, wanted in filters.items() if wanted)
    if given and not selected:
        result.notes.append(f"No visit in {period.describe()} matches {given}; check the spelling.")
    # Rows outside the period are not this run's business, except their errors,
    # which stay in the report (they may break the follow-up of a later visit).
    if options.strict and dataset.problems.errors:
        result.strict_refused = True
        return result
    make_private_dir(out_dir)
    remove_stale_temps(out_dir)
    manifest = Manifest.load(out_dir)
    result.notes.extend(manifest.notes)
    if on_total is not None:
        on_total(len(selected))
    try:
        # One runner for the whole build: its worker processes start once, while this process is
        # still small (a worker started later would begin as large as the run had grown).
        with Runner(renderer, options.jobs, before_writing=manifest.flush_journal) as runner:
            _build_rows(dataset, selected, renderer, config, options, manifest, result, progress, runner)
            _build_period_documents(dataset, selected, renderer, config, options, manifest, result, runner)
        if options.pdf:
            _write_pdfs(result, manifest, soffice, options.force)
    finally:
        manifest.save()  # even when interrupted: what was written is on record
    result.report = write_report(result)
    return result


def _build_rows(
    dataset: Dataset,
    selected: RecordList,
    renderer: Renderer,
    config: Config,
    options: BuildOptions,
    manifest: Manifest,
    result: BuildResult,
    progress: Callable[[RowResult], None] | None,
    runner: Runner,
) -> None:
    """Plan each row here, render the documents that need it (in parallel), record them in row order.

    Rows are planned as the rendering goes (``run_tasks`` takes a generator), so only the tasks
    in flight hold their contexts, whatever the number of rows.
    """
    fallback_noted: set[str] = set()
    # Rows planned and not yet reported, by index: a row is finished (and leaves memory for
    # result.rows) once all its documents are written, in row order.
    pending: dict[int, RowResult] = {}
    waiting: dict[int, int] = {}  # row index → documents not yet written
    unreported: deque[int] = deque()  # rows not yet reported, in order
    # (relative, digest, rows) of each task handed to run_tasks, in order: outcomes come back in it.
    planned_documents: deque[tuple[str, str, tuple[str, ...]]] = deque()

    def report_ready() -> None:
        """Rows whose documents are all done, in row order."""
        while unreported and waiting[unreported[0]] == 0:
            index = unreported.popleft()
            del waiting[index]
            row = pending.pop(index)
            _finish_row(row, manifest)
            result.rows.append(row)
            if progress is not None:
                progress(row)

    def tasks() -> Iterator[RenderTask]:
        for index, visit in enumerate(selected):
            row, planned = _plan_row(dataset, visit, config, manifest, renderer, options.force, index)
            child = dataset.child_of(visit)
            if row.status in (Status.RENDERED, Status.UNCHANGED) and child is not None:
                language = family_language(child)
                if language.fell_back and language.requested not in fallback_noted:
                    fallback_noted.add(language.requested)
                    result.notes.append(
                        f"No handout catalog for the family language '{language.requested}' "
                        f"(first seen for child {child.child_id}); those handouts are in English."
                    )
            pending[index] = row
            waiting[index] = len(planned)
            unreported.append(index)
            for task, relative, digest, rows in planned:
                planned_documents.append((relative, digest, rows))
                yield task
            report_ready()

    for task, outcome in run_tasks(tasks(), renderer, options.jobs, runner):
        row = pending[task.row]
        relative, digest, rows = planned_documents.popleft()
        if outcome.error:
            row.status, row.reason = Status.FAILED, outcome.error
        else:
            manifest.record_written(relative, rows, digest, outcome.sha256)
            row.written += (relative,)
        waiting[task.row] -= 1
        report_ready()
    report_ready()


def _finish_row(row: RowResult, manifest: Manifest) -> None:
    if row.status is not Status.RENDERED:
        return
    if not row.written:
        row.status = Status.KEPT if row.kept else Status.UNCHANGED
    row.reason = "; ".join(f"{p.relative_to(manifest.folder).as_posix()} {why}" for p, why in row.kept)


def source_rows(child: Child, visit: Record) -> list[str]:
    """The rows a visit's documents are made from: the visit, its child, outcomes, previous visit."""
    return cells([visit, child.record, *child.outcomes, previous_done_visit(child, visit)])


def _plan_row(
    dataset: Dataset,
    visit: Record,
    config: Config,
    manifest: Manifest,
    renderer: Renderer,
    force: bool,
    index: int,
) -> tuple[RowResult, list[tuple[RenderTask, str, str, tuple[str, ...]]]]:
    """The row's result so far, and the documents it needs rendered (task, path, fingerprint, rows)."""
    child = dataset.child_of(visit)
    row = RowResult(
        visit.sheet, visit.row, visit.get("child_id", ""), visit.get("visit_date"), Status.RENDERED,
        folder=manifest.folder,
    )
    blocking = dataset.blocking_problems(visit)
    if blocking:
        row.status, row.problems = Status.INVALID, tuple(blocking)
        cells = ", ".join(sorted({p.cell for p in blocking}))
        row.reason = f"{len(blocking)} error(s) in {cells}"
        return row, []
    if child is None:
        row.status, row.reason = Status.INVALID, "no child for this row"
        return row, []
    status = visit.get("visit_status")
    if status != "done":
        row.status, row.reason = Status.SKIPPED, f"visit {status}: no plan to write"
        return row, []
    day, moment = visit.get("visit_date"), visit.get("visit_time")
    same_day = [v for v in child.visits if v.get("visit_date") == day and v != visit]
    stamp = moment if same_day else None  # only two visits on one day need the time in the name
    # A family document is in the family's language, the others in the program's (i18n.FAMILY_DOCUMENTS).
    family, program = (
        document_language(n, child, config.branding).code for n in ("family-plan", "ifsp-review")
    )
    documents = (
        ("family-plan", FAMILY_DIR, family_plan_context, family),
        ("ifsp-review", REVIEW_DIR, ifsp_review_context, program),
    )
    rows = tuple(source_rows(child, visit))
    facts = visit_facts(dataset, child, visit)  # shared by both documents, whatever their languages
    planned = []
    for name, folder, make_context, language in documents:
        context = make_context(dataset, child, visit, config.branding, facts)
        file_name = document_name(child.child_id, day, name, stamp)
        relative = f"{folder}/{file_name}"
        # Decided before rendering: an unchanged document costs no rendering at all.
        digest = fingerprint(context, renderer.recipe(name, language))
        decision, why = manifest.decide(relative, digest, force=force)
        if decision is Decision.UNCHANGED:
            row.unchanged += (manifest.folder / relative,)
        elif decision is Decision.KEPT:
            row.kept += ((manifest.folder / relative, why),)
        else:
            task = RenderTask(index, name, language, context, manifest.folder / folder, file_name)
            planned.append((task, relative, digest, rows))
    return row, planned


def _build_period_documents(
    dataset: Dataset,
    selected: RecordList,
    renderer: Renderer,
    config: Config,
    options: BuildOptions,
    manifest: Manifest,
    result: BuildResult,
    runner: Runner,
) -> None:
    """The period's documents: flags, each seen child's diary, plan copies, coordinator packets."""
    has_plan = (Status.RENDERED, Status.UNCHANGED, Status.KEPT)

    def plans() -> Iterator[Record]:
        """The selected visits with a plan, read again when asked (result.rows holds one result
        per selected visit, in the same order): none of them held for the period's documents."""
        return (v for v, status in zip(selected, result.rows.statuses(), strict=True) if status in has_plan)

    seen = {v.get("child_id") for v in selected} if options.provider else set()

    def in_scope(child: Child) -> bool:
        """--coordinator and --child narrow the packets; --provider keeps the children it saw."""
        return (
            _same(options.coordinator, child.get("coordinator_name"))
            and _same(options.child, child.child_id)
            and (not options.provider or child.child_id in seen)
        )

    # Each child's flags are worked out as its coordinator's packet is made, not all at once:
    # 50,000 visits' flags held together took 3 MB.
    flags_of = flags_of_children(result.period, options.as_of, resolve_language(config.branding.language).code)
    documents = PeriodDocuments(
        manifest.folder, renderer, config.branding, manifest, options.force, jobs=options.jobs, shared_runner=runner
    )
    result.period_documents = documents
    try:
        # Each child with a plan, once, in the plans' order; made as its diary is (``check.Children``).
        write_diaries(dataset, dataset.children.each_once(v.get("child_id") for v in plans()), result.period, documents)
        write_shared_copies(dataset, plans(), options.as_of, documents)
        result.flag_count = write_packets(dataset, result.period, flags_of, documents, in_scope)
    except BaseException:
        documents.abort()
        raise
    documents.flush()


def _write_pdfs(result: BuildResult, manifest: Manifest, soffice: str, force: bool) -> None:
    """--pdf, once every document is written: a PDF next to each; a missing PDF fails its row or document."""
    # Each document → the index of its row (result.rows keeps rows in a file: no Path per
    # document and no row in memory until one fails).
    rows = {p: i for i, r in enumerate(result.rows) for p in [*r.files, *r.unchanged, *(p for p, _ in r.kept)]}
    documents = result.period_documents
    others = [*documents.present, *(p for p, _ in documents.kept)] if documents is not None else []
    result.pdfs = write_pdfs([*rows, *others], soffice, manifest, force=force)
    for document, why in result.pdfs.failed.items():
        failure = f"{pdf_path(document).relative_to(result.out_dir).as_posix()}: {why}"
        index = rows.get(document)
        if index is not None:
            row = result.rows[index]
            row.status = Status.FAILED
            row.reason = f"{row.reason}; {failure}" if row.reason else failure
            result.rows[index] = row
        elif documents is not None:
            documents.failed.append(failure)


def build_diaries(workbook: Path, config: Config, options: BuildOptions) -> DiaryRun:
    """``plangen diary``: the progress diary of each child (or ``options.child``) up to the period's end."""
    templates_dir, _notes = resolve_templates_dir(workbook, options.templates_dir, config.templates)
    renderer = Renderer(config.branding, templates_dir)
    checked = check_prepared({"diary": renderer.templates["diary"]})
    if checked.errors:
        raise TemplateErrors(checked)
    dataset = load(workbook, config, options.as_of, options.encoding)
    period = options.period or default_period(dataset.visits)
    children = [c for c in dataset.children.values() if _same(options.child, c.child_id)]
    out_dir = options.out / period.label
    documents = PeriodDocuments(out_dir, renderer, config.branding, None, options.force, jobs=options.jobs)
    if any(diary_visits(dataset, c, period.end) for c in children):
        make_private_dir(out_dir)
        remove_stale_temps(out_dir)
        documents.manifest = Manifest.load(out_dir)
        try:
            without_plans = write_diaries(dataset, children, period, documents)
        except BaseException:
            documents.abort()
            raise
        else:
            documents.flush()
        finally:
            documents.manifest.save()
    else:
        without_plans = [c.child_id for c in children]
    return DiaryRun(period, [c.child_id for c in children], documents, without_plans)
