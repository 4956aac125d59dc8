"""Family joint plans, IFSP reviews and coordinator packets from your program's workbook.

Start with 'plangen init', check with 'plangen validate', write with 'plangen build'.

Exit codes (all commands):

\b
  0  done; warnings may have been printed
  1  some rows have errors (their documents were not written; the others were);
     for map: a required column is missing or no Visits sheet was found
  2  the command line is wrong (unknown option, bad date)
  3  an input could not be read at all (file, sheet or settings), or build --pdf found no
     LibreOffice (set PLANGEN_SOFFICE to its soffice program); nothing was written
  4  a template has errors (see 'plangen templates check'); nothing was written
  70 an unexpected internal error (run again with --debug and report it)
"""

# The docstring above is the CLI's own help. This module is a thin layer: each command builds
# the library's options, calls it, and turns its errors into messages and exit codes.

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .build import BuildOptions, BuildResult, RowResult, Status, build, build_diaries, load
from .config import CONFIG_NAME, STARTER_CONFIG, Config, find_config, load_config
from .consent import SHARED_DIR
from .dates import Period, range_period, week_period
from .diary import DIARY_DIR
from .mapping import map_workbook, write_mapping
from .messages import coverage, extract_messages, render_pot
from .outputs import PeriodDocuments
from .packet import PACKET_DIR
from .problems import InputError, Problem, Problems
from .render import TemplatesExist, export_templates
from .renderjobs import default_jobs
from .starter import write_workbook
from .templatecheck import TemplateErrors, TemplateReport, check_templates
from .write import set_output_modes

EXIT_OK, EXIT_ROWS, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3, 70
STARTER_NAME = "plangen-workbook.xlsx"
EXIT_TEMPLATES = 4
F = TypeVar("F", bound=Callable[..., Any])


def _clean_errors(command: F) -> F:
    """Turn library errors into a message and an exit code; a traceback only with --debug."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(EXIT_INPUT)
        except TemplateErrors as exc:
            _print_template_report(exc.report)
            click.echo("Error: template errors; nothing was written. Fix them in Word and run again.", err=True)
            ctx.exit(EXIT_TEMPLATES)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`plangen validate … | head`): not an error of ours.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(EXIT_OK)
        except Exception as exc:
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(
                f"Internal error: {type(exc).__name__}. Nothing more was written. "
                "Run again with 'plangen --debug …' to see where, and report it.",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write it like 2026-11-17.") from None


def _period(week: str | None, start: dt.date | None, end: dt.date | None) -> Period | None:
    if week and (start or end):
        raise click.UsageError("Give either --week or --from/--to, not both.")
    try:
        if week:
            return week_period(week)
        if start or end:
            if not (start and end):
                raise click.UsageError("--from and --to go together.")
            return range_period(start, end)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    return None


def _config(workbook: Path | None, explicit: Path | None) -> Config:
    config = load_config(find_config(workbook, explicit))
    set_output_modes(config.output)  # [output] file_mode, for everything this command writes
    return config


def _print_problems(problems: list[Problem], show_values: bool, err: bool = True) -> None:
    for problem in problems:
        click.echo("  " + problem.describe(show_values=show_values), err=err)


workbook_argument = click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False))
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"Settings file (default: {CONFIG_NAME} next to the workbook, else in this folder).",
)
out_option = click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("output"),
    show_default=True,
    help="Folder for the documents; each period gets its own sub-folder.",
)


def templates_option(help_text: str) -> Callable[[F], F]:
    return click.option(
        "--templates", "templates_dir", type=click.Path(path_type=Path, file_okay=False, exists=True), help=help_text
    )


show_values_option = click.option(
    "--show-values",
    is_flag=True,
    help="Show the cell values in problems (personal data: your own terminal only).",
)
encoding_option = click.option(
    "--encoding",
    help="Text encoding of a CSV input (default utf-8, with or without BOM; Excel on Windows: cp1252).",
)


@click.group(help=__doc__, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plangen")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def cli(debug: bool) -> None:
    pass


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--force", is_flag=True, help="Overwrite an existing starter workbook and settings.")
@click.option("--program", default="Our Early Intervention Program", help="Program name for plangen.toml.")
@_clean_errors
def init(directory: Path, force: bool, program: str) -> None:
    """Write a starter workbook and plangen.toml to fill in.

    Example:

        plangen init my-program
    """
    workbook = directory / STARTER_NAME
    settings = directory / CONFIG_NAME
    existing = [p for p in (workbook, settings) if p.exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise click.ClickException(f"{names} already exists; nothing was changed. Use --force to overwrite.")
    directory.mkdir(parents=True, exist_ok=True)
    write_workbook(workbook)
    settings.write_text(STARTER_CONFIG.format(name=program.replace('"', "'")), encoding="utf-8")
    click.echo(f"Wrote {workbook} and {settings}.")
    click.echo(f"Next: fill in the workbook, then run: plangen validate {workbook}")


@cli.command()
@workbook_argument
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.option("--as-of", callback=_date, help="Date that 'in the future' is judged against (default today).")
@encoding_option
@show_values_option
@_clean_errors
def validate(
    workbook: Path,
    config_path: Path | None,
    as_json: bool,
    as_of: dt.date | None,
    encoding: str | None,
    show_values: bool,
) -> None:
    """Check a workbook and report every problem at once.

    Exit code 0 when there are no errors (warnings are fine), 1 when there are.

    Example:

        plangen validate input/sample-program.xlsx
    """
    config = _config(workbook, config_path)
    dataset = load(workbook, config, as_of or dt.date.today(), encoding)
    problems = Problems(dataset.problems.sorted())
    if as_json:
        payload = {
            "workbook": str(workbook),
            "errors": len(problems.errors),
            "warnings": len(problems.warnings),
            "problems": [p.as_dict(show_values=show_values) for p in problems],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        _print_problems(list(problems), show_values, err=False)
        click.echo(
            f"{workbook.name}: {len(dataset.children)} children, {len(dataset.visits)} visit rows; "
            f"{len(problems.errors)} error(s), {len(problems.warnings)} warning(s)."
        )
    sys.exit(EXIT_ROWS if problems.errors else EXIT_OK)


@cli.command(name="map")
@workbook_argument
@config_option
@click.option(
    "--write", is_flag=True, help=f"Record the mapping found under [columns.<sheet>] in {CONFIG_NAME}."
)
@encoding_option
@_clean_errors
def map_command(workbook: Path, config_path: Path | None, write: bool, encoding: str | None) -> None:
    """Show how each sheet's headers are read: which became which field, which were ignored.

    For an ignored header, the closest fields are suggested. Map your own
    headers under [columns.<sheet>] in plangen.toml; --write records what was
    found there (comments in the file are kept), for you to complete. Exit
    code 0 when the workbook can be read, 1 when a required column is missing
    or there is no Visits sheet, 3 when the file cannot be read.

    Example:

        plangen map our-visit-log.xlsx --write
    """
    config = _config(workbook, config_path)
    found = map_workbook(workbook, config, encoding=encoding)
    for line in found.lines():
        click.echo(line)
    if write:
        path, tables = write_mapping(found, config, workbook)
        names = ", ".join(tables) or "nothing"
        click.echo(f"Wrote {names} to {path}.")
    sys.exit(EXIT_OK if found.ok else EXIT_ROWS)


@cli.command(name="build")
@workbook_argument
@config_option
@out_option
@click.option("--week", help="Only visits in this ISO week, e.g. 2026-W47.")
@click.option("--from", "start", callback=_date, help="Only visits on or after this date (with --to).")
@click.option("--to", "end", callback=_date, help="Only visits on or before this date (with --from).")
@click.option("--as-of", callback=_date, help="The date deadlines are judged on (default today).")
@click.option("--strict", is_flag=True, help="Write nothing if any row has an error.")
@templates_option("Folder with your own templates (missing ones fall back to the defaults).")
@click.option("--coordinator", default="", help="Only the children of this service coordinator (exact name).")
@click.option("--provider", default="", help="Only visits made by this provider (exact name).")
@click.option("--child", default="", help="Only this child's visits (Child ID).")
@click.option("--force", is_flag=True, help="Write every document again, even unchanged or edited ones.")
@click.option("--jobs", type=click.IntRange(min=1), default=default_jobs(), show_default="the number of cores",
              help="Processes rendering documents at once.")
@click.option("--quiet", is_flag=True, help="No progress bar (it shows only on a terminal anyway).")
@click.option("--pdf", is_flag=True, help="Also a PDF next to each document (needs LibreOffice).")
@encoding_option
@show_values_option
@_clean_errors
def build_command(
    workbook: Path,
    config_path: Path | None,
    out: Path,
    week: str | None,
    start: dt.date | None,
    end: dt.date | None,
    as_of: dt.date | None,
    strict: bool,
    templates_dir: Path | None,
    coordinator: str,
    provider: str,
    child: str,
    force: bool,
    jobs: int,
    quiet: bool,
    pdf: bool,
    encoding: str | None,
    show_values: bool,
) -> None:
    """Write a family joint plan and an IFSP review for each visit.

    Valid rows are written even when other rows have errors; the rows with
    errors are listed and the exit code is 1. Cancelled and no-show visits are
    skipped (no plan was made). A document whose data, template and branding
    are unchanged since the last run is not written again, and one edited by
    hand is kept (--force writes them all). output/<period>/report.xlsx lists
    every row. Each child seen also gets a progress diary (diary/), each
    service coordinator an update packet with the flags judged on --as-of
    (coordinator/), and a plan asked for someone beyond the IFSP team a copy
    (shared/) only when the recorded consent allows it. --pdf also writes a
    PDF next to each document, converted by LibreOffice (soffice on PATH, or
    the program PLANGEN_SOFFICE names); a PDF whose document is unchanged is
    not converted again.
    Exit codes: 0 all rows written, unchanged or skipped,
    1 some rows have errors (or --strict found errors and wrote nothing),
    or a PDF could not be converted (listed as failed),
    3 the workbook or settings could not be read, or --pdf found no LibreOffice
    (nothing was written),
    4 a template has errors (the same check as 'plangen templates check'; nothing was written).

    Example:

        plangen build input/sample-program.xlsx --week 2026-W47 --coordinator "Dana Whitfield"
    """
    period = _period(week, start, end)
    config = _config(workbook, config_path)
    options = BuildOptions(
        out=out,
        period=period,
        as_of=as_of or dt.date.today(),
        strict=strict,
        templates_dir=templates_dir,
        encoding=encoding,
        coordinator=coordinator,
        provider=provider,
        child=child,
        force=force,
        jobs=jobs,
        pdf=pdf,
    )
    with _progress_bar(quiet) as bar:
        result = build(workbook, config, options, *bar)
    _report_build(result, show_values)
    sys.exit(EXIT_OK if result.ok else EXIT_ROWS)


Progress = tuple[Callable[[RowResult], None] | None, Callable[[int], None] | None]


@contextmanager
def _progress_bar(quiet: bool) -> Iterator[Progress]:
    """A bar on stderr for long runs when it is a terminal; nothing in logs, pipes or with --quiet."""
    if quiet or not sys.stderr.isatty():
        yield None, None
        return
    with click.progressbar(length=1, label="Visits", file=sys.stderr, show_pos=True) as bar:

        def start(total: int) -> None:
            bar.length = max(total, 1)

        yield (lambda row: bar.update(1)), start


def _report_build(result: BuildResult, show_values: bool) -> None:
    problems = result.problems.sorted()
    if problems:
        click.echo("Problems:", err=True)
        _print_problems(problems, show_values)
    for row in result.rows:
        if row.status in (Status.INVALID, Status.FAILED, Status.SKIPPED):
            click.echo(
                f"  {row.status.value}: {row.cell} child {row.child_id or '?'}"
                f" {row.visit_date or ''}: {row.reason}",
                err=row.status is not Status.SKIPPED,
            )
        for path, why in row.kept:
            click.echo(f"  kept: {path.relative_to(result.out_dir).as_posix()} {why}.", err=True)
    for note in result.notes:
        click.echo(f"Note: {note}")
    if result.strict_refused:
        click.echo(
            f"--strict: {len(result.problems.errors)} error(s) found; no documents were written.", err=True
        )
        return
    _report_period_documents(result)
    _report_pdfs(result)
    if result.report is not None:
        click.echo(f"Report: {result.report}")
    unchanged, kept = result.count(Status.UNCHANGED), result.count(Status.KEPT)
    click.echo(
        f"{result.period.describe()}: {len(result.rows)} visit(s); "
        f"{result.count(Status.RENDERED)} rendered, "
        + (f"{unchanged} unchanged, " if unchanged else "")
        + (f"{kept} kept, " if kept else "")
        + f"{result.count(Status.SKIPPED)} skipped, "
        f"{result.count(Status.INVALID)} with errors, {result.count(Status.FAILED)} failed; "
        f"{result.written} document(s) in {result.out_dir}."
    )


def _report_pdfs(result: BuildResult) -> None:
    """--pdf: one line; a PDF that failed is listed with its row or document above."""
    pdfs = result.pdfs
    if pdfs is None:
        return
    for path, why in pdfs.kept:
        click.echo(f"  kept: {path.relative_to(result.out_dir).as_posix()} {why}.", err=True)
    click.echo(
        f"PDFs next to the documents: {len(pdfs.written)} converted, {len(pdfs.unchanged)} unchanged"
        + (f", {len(pdfs.kept)} kept" if pdfs.kept else "")
        + f", {len(pdfs.failed)} failed."
    )


def _report_period_documents(result: BuildResult) -> None:
    """One line for the diaries, plan copies and packets; names and recipients never printed."""
    documents = result.period_documents
    if documents is None:
        return
    _report_documents(documents, result.out_dir)
    folders = documents.count_by_folder()
    withheld = f" ({documents.withheld} withheld: no valid consent)" if documents.withheld else ""
    click.echo(
        f"Coordinator packets: {folders[PACKET_DIR]} ({result.flag_count} flag(s)); "
        f"progress diaries: {folders[DIARY_DIR]}; "
        f"plan copies: {folders[SHARED_DIR]}{withheld}."
    )


def _report_documents(documents: PeriodDocuments, out_dir: Path) -> None:
    for path, why in documents.kept:
        click.echo(f"  kept: {path.relative_to(out_dir).as_posix()} {why}.", err=True)
    for failure in documents.failed:
        click.echo(f"  failed: {failure}", err=True)


@cli.command()
@workbook_argument
@config_option
@out_option
@click.option("--child", "child_id", default="", help="Only this child's diary (Child ID).")
@click.option("--week", help="Up to the end of this ISO week, e.g. 2026-W47.")
@click.option("--from", "start", callback=_date, help="With --to: the period (it names the output folder).")
@click.option("--to", "end", callback=_date, help="The last day the diary covers (with --from).")
@click.option("--as-of", callback=_date, help="The date written on the diary (default today).")
@templates_option("Folder with your own templates (a missing progress-diary.docx falls back to the default).")
@encoding_option
@_clean_errors
def diary(
    workbook: Path,
    config_path: Path | None,
    out: Path,
    child_id: str,
    week: str | None,
    start: dt.date | None,
    end: dt.date | None,
    as_of: dt.date | None,
    templates_dir: Path | None,
    encoding: str | None,
) -> None:
    """Write each child's progress diary: every plan made together, and how it went.

    One document per child, in the family's language, for the family to keep:
    every done visit up to the end of the period (default: every visit in the
    workbook), each with the follow-up recorded at the next visit. Written to
    <out>/<period>/diary/<child id>_progress-diary.docx; 'plangen build' writes
    the diaries of the children it sees too. Exit codes: 0 written, 1 a diary
    failed, 2 unknown --child, 3 the workbook could not be read.

    Example:

        plangen diary input/sample-program.xlsx --child C-1001
    """
    period = _period(week, start, end)
    config = _config(workbook, config_path)
    options = BuildOptions(
        out=out,
        period=period,
        as_of=as_of or dt.date.today(),
        templates_dir=templates_dir,
        encoding=encoding,
        child=child_id,
    )
    run = build_diaries(workbook, config, options)
    if child_id and not run.children:
        raise click.UsageError(f"Child ID '{child_id}' is not in {workbook.name}; check the spelling.")
    until = run.period.end.isoformat()
    _report_documents(run.documents, run.documents.out_dir)
    for child in run.without_plans if child_id else ():
        click.echo(f"Note: child {child} has no plan up to {until}; no diary was written.")
    count = len(run.documents.present)
    folder = run.documents.out_dir / DIARY_DIR
    click.echo(f"{count} progress diar{'y' if count == 1 else 'ies'} in {folder} (plans up to {until}).")
    sys.exit(EXIT_ROWS if run.documents.failed else EXIT_OK)


def _print_template_report(report: TemplateReport, err: bool = True) -> None:
    for note in report.notes:
        click.echo(f"Note: {note}")
    for problem in report.problems:
        click.echo(problem.describe(), err=err)


@cli.group()
def templates() -> None:
    """Export, check and translate the Word templates.

    Example:

        plangen templates export my-templates
    """


@templates.command("export")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite templates already in DIRECTORY.")
@_clean_errors
def templates_export(directory: Path, force: bool) -> None:
    """Copy the default templates into DIRECTORY, to edit in Word.

    A build uses them with --templates DIRECTORY, or when the folder is named
    'templates' and sits next to the workbook, or with templates = "DIRECTORY"
    under [workbook] in plangen.toml.

    Example:

        plangen templates export input/templates
    """
    try:
        written = export_templates(directory, force=force)
    except TemplatesExist as exc:
        names = ", ".join(str(p) for p in exc.paths)
        raise click.ClickException(f"{names} already exists; nothing was changed. Use --force to overwrite.") from None
    for path in written:
        click.echo(f"Wrote {path}")
    click.echo(f"Next: edit them in Word, then run: plangen templates check {directory}")


@templates.command("check")
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False, exists=True))
@_clean_errors
def templates_check(directory: Path | None) -> None:
    """Check templates for mistakes before a run (the defaults without DIRECTORY).

    Reports Jinja syntax errors with the template's own text around them,
    unknown variables, broken tags, tags Word split, and row loops misused in
    a table. Exit code 0 when there are no errors (warnings are fine), 1 when
    there are. 'plangen build' runs the same check first.

    Example:

        plangen templates check input/templates
    """
    report = check_templates(directory)
    _print_template_report(report, err=False)
    names = ", ".join(p.name for p in report.checked) or "no templates"
    click.echo(f"{names}: {len(report.errors)} error(s), {len(report.warnings)} warning(s).")
    sys.exit(EXIT_ROWS if report.errors else EXIT_OK)


@templates.command("messages")
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("plangen.pot"),
    show_default=True,
    help="The .pot file to write.",
)
@_clean_errors
def templates_messages(directory: Path | None, out: Path) -> None:
    """Write the templates' fixed text (every _("…")) to a .pot file to translate.

    Copy the .pot to <code>.po, translate each msgstr, and put it in plangen's
    locales folder: docs/templates.md says how.

    Example:

        plangen templates messages input/templates --out plangen.pot
    """
    messages = extract_messages(directory)
    out.write_text(render_pot(messages), encoding="utf-8")
    click.echo(f"Wrote {len(messages)} message(s) to {out}.")
    for language in coverage(messages):
        click.echo(f"  {language.code}.po: {language.translated} of {len(messages)} translated.")


def main() -> None:
    cli(prog_name="plangen")
