"""plangen's command line: thin Click commands over the library.

Exit codes (all commands):
  0  done; warnings may have been printed
  1  some rows have errors (their documents were not written; the others were)
  2  the command line is wrong (unknown option, bad date)
  3  an input could not be read at all (file, sheet or settings); nothing was written
  70 an unexpected internal error (run again with --debug and report it)
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .build import BuildOptions, BuildResult, Status, build, load
from .config import CONFIG_NAME, STARTER_CONFIG, Config, find_config, load_config
from .dates import Period, range_period, week_period
from .problems import InputError, Problem, Problems
from .starter import write_workbook

EXIT_OK, EXIT_ROWS, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3, 70
STARTER_NAME = "plangen-workbook.xlsx"
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
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
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
    return load_config(find_config(workbook, explicit))


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
show_values_option = click.option(
    "--show-values",
    is_flag=True,
    help="Show the cell values in problems (personal data: your own terminal only).",
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
@show_values_option
@_clean_errors
def validate(
    workbook: Path, config_path: Path | None, as_json: bool, as_of: dt.date | None, show_values: bool
) -> None:
    """Check a workbook and report every problem at once.

    Exit code 0 when there are no errors (warnings are fine), 1 when there are.

    Example:

        plangen validate input/sample-program.xlsx
    """
    config = _config(workbook, config_path)
    dataset = load(workbook, config, as_of or dt.date.today())
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


@cli.command(name="build")
@workbook_argument
@config_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("output"),
    show_default=True,
    help="Folder for the documents; each period gets its own sub-folder.",
)
@click.option("--week", help="Only visits in this ISO week, e.g. 2026-W47.")
@click.option("--from", "start", callback=_date, help="Only visits on or after this date (with --to).")
@click.option("--to", "end", callback=_date, help="Only visits on or before this date (with --from).")
@click.option("--as-of", callback=_date, help="The date deadlines are judged on (default today).")
@click.option("--strict", is_flag=True, help="Write nothing if any row has an error.")
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Folder with your own templates (missing ones fall back to the defaults).",
)
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
    show_values: bool,
) -> None:
    """Write a family joint plan and an IFSP review for each visit.

    Valid rows are written even when other rows have errors; the rows with
    errors are listed and the exit code is 1. Cancelled and no-show visits are
    skipped (no plan was made). Exit codes: 0 all rows written or skipped,
    1 some rows have errors (or --strict found errors and wrote nothing),
    3 the workbook or settings could not be read.

    Example:

        plangen build input/sample-program.xlsx --week 2026-W47
    """
    period = _period(week, start, end)
    config = _config(workbook, config_path)
    options = BuildOptions(
        out=out, period=period, as_of=as_of or dt.date.today(), strict=strict, templates_dir=templates_dir
    )
    result = build(workbook, config, options)
    _report_build(result, show_values)
    sys.exit(EXIT_OK if result.ok else EXIT_ROWS)


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
    for note in result.notes:
        click.echo(f"Note: {note}")
    if result.strict_refused:
        click.echo(
            f"--strict: {len(result.problems.errors)} error(s) found; no documents were written.", err=True
        )
        return
    click.echo(
        f"{result.period.describe()}: {len(result.rows)} visit(s); "
        f"{result.count(Status.RENDERED)} rendered, {result.count(Status.SKIPPED)} skipped, "
        f"{result.count(Status.INVALID)} with errors, {result.count(Status.FAILED)} failed; "
        f"{len(result.files)} document(s) in {result.out_dir}."
    )


def main() -> None:
    cli(prog_name="plangen")
