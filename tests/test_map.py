"""`plangen map` explains how a program's own headers are read, and can write the mapping down."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import AS_OF, file_digest
from their_layout import THEIR_TOML, write_their_toml, write_their_workbook

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@pytest.fixture
def their_log(tmp_path: Path) -> Path:
    """Sunny Valley's two-week visit log, without any plangen.toml yet."""
    return write_their_workbook(tmp_path / "visit-log.xlsx", families=3)


def test_map_shows_which_header_became_which_field(run, their_log: Path) -> None:
    write_their_toml(their_log.parent)
    result = run("map", their_log)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "visit-log.xlsx (flat: the child's columns are on each visit row)"
    assert lines[2] == "Sheet 'Week 46': Visits, header on rows 4–5 (group titles on row 4)"
    for expected in (
        "  A   Child's Name           → child_name",
        "  H   Date of Visit          → visit_date",
        "  J   Home Visitor           → provider_name (plangen.toml)",
        "  O   Strategy #1            → strategy_1",
        "  P   Strategy #1 / Steps    → strategy_1_steps",
        "  T   Strategy #1 / Plan B?  → strategy_1_plan_b",
        "  Z   Mileage                ignored (no field like it)",
        "Sheet 'Week 47': Visits, header on row 3",
        "  P   Steps                → strategy_1_steps (plangen.toml)",
        "  T   Plan B?              → strategy_1_plan_b",
    ):
        assert expected in lines, expected
    assert lines[-1] == "Read 2 of 2 sheet(s) (2 Visits); 0 required column(s) missing."


def test_map_suggests_the_closest_fields_and_names_the_missing_ones(run, their_log: Path) -> None:
    result = run("map", their_log)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for expected in (
        "  D   Parent/Caregiver       ignored; did you mean caregiver_names (Caregiver name(s))?",
        "  J   Home Visitor           ignored (no field like it)",
        "  S   Why                  ignored; did you mean strategy_1_why (Strategy 1: why) or "
        "strategy_2_why (Strategy 2: why) or strategy_3_why (Strategy 3: why)?",
        "  missing required field: provider_name (Provider)",
        "  missing required field: caregiver_names (Caregiver name(s))",
    ):
        assert expected in lines, expected
    assert lines[-2:] == [
        "Read 2 of 2 sheet(s) (2 Visits); 4 required column(s) missing.",
        "Add the missing columns, or map your own headers to them under [columns.<sheet>] in plangen.toml "
        "('plangen map --write' writes what was found, for you to complete).",
    ]
    validated = run("validate", their_log)
    assert validated.exit_code == 1
    assert validated.output.splitlines()[0] == (
        "  error: 'Week 46'!5: has no 'Provider' column (field provider_name). Add a column headed "
        "'Provider', or map your own header to provider_name under [columns.\"Week 46\"] in plangen.toml."
    )


def test_map_write_records_the_mapping_and_keeps_the_files_comments(run, their_log: Path) -> None:
    settings = their_log.parent / "plangen.toml"
    settings.write_text('# Our settings\n[program]\nname = "Sunny Valley"  # as on the letterhead\n')
    result = run("map", their_log, "--write")
    assert result.output.endswith(f"Wrote [columns.Visits] to {settings}.\n")
    text = settings.read_text(encoding="utf-8")
    assert text.startswith('# Our settings\n[program]\nname = "Sunny Valley"  # as on the letterhead\n')
    mapping = tomllib.loads(text)["columns"]["Visits"]
    assert mapping["Date of Visit"] == "visit_date"
    assert mapping["Strategy #1 / Steps"] == "strategy_1_steps"
    assert "Home Visitor" not in mapping
    assert '# "Home Visitor" = ""  (not read: put a field name in the quotes to read this column)' in text
    assert (
        '# "Steps" = "strategy_1_steps"  (not read; the closest field: uncomment to use it, or fix)' in text
    )
    before = file_digest(settings)
    run("map", their_log, "--write")
    assert file_digest(settings) == before, "writing the same mapping again changes nothing"


def test_the_written_mapping_completed_by_hand_builds_the_workbook(run, their_log: Path) -> None:
    """The workflow: map --write, uncomment the suggestions, name the one plangen could not guess."""
    run("map", their_log, "--write")
    settings = their_log.parent / "plangen.toml"
    lines = []
    for line in settings.read_text(encoding="utf-8").splitlines():
        if line.startswith('# "') and "closest field" in line:
            line = line[2:].split("  (", 1)[0]
        lines.append(line)
    text = "\n".join(lines) + "\n"
    text = text.replace('"What we worked on" = "followup_worked"', '"What we worked on" = "practiced"')
    text = text.replace('# "Home Visitor" = ""', '"Home Visitor" = "provider_name" #')
    settings.write_text('[workbook]\ndate_order = "MDY"\n\n' + text, encoding="utf-8")
    assert run("map", their_log).exit_code == 0
    result = run("validate", their_log, "--as-of", AS_OF.isoformat())
    assert result.output == "visit-log.xlsx: 3 children, 6 visit rows; 0 error(s), 0 warning(s).\n"


def test_map_creates_plangen_toml_beside_the_workbook_when_there_is_none(run, their_log: Path) -> None:
    result = run("map", their_log, "--write")
    settings = their_log.parent / "plangen.toml"
    assert result.output.endswith(f"Wrote [columns.Visits] to {settings}.\n")
    assert settings.read_text(encoding="utf-8").startswith(
        "# plangen settings for this program (see 'plangen init' for the others).\n"
    )


def test_an_empty_field_in_the_mapping_ignores_a_column_on_purpose(run, their_log: Path) -> None:
    (their_log.parent / "plangen.toml").write_text(THEIR_TOML + '"Language" = ""\n', encoding="utf-8")
    result = run("map", their_log)
    assert '  E   Language               ignored (plangen.toml says "")' in result.output.splitlines()


def test_a_mapping_to_a_field_plangen_does_not_have_is_a_clear_error(run, their_log: Path) -> None:
    settings = their_log.parent / "plangen.toml"
    settings.write_text('[columns.Visits]\n"Date of Visit" = "visit_dat"\n', encoding="utf-8")
    for command in ("map", "validate", "build"):
        result = run(command, their_log)
        assert result.exit_code == 3
        assert result.stderr == (
            f"Error: {settings} [columns.Visits]: 'visit_dat' (for the header 'Date of Visit') is not a "
            "plangen field. Did you mean 'visit_date'? Use a field name from the workbook's Read me sheet, "
            'or "" to ignore that column.\n'
        )


def test_a_sheet_without_a_child_id_column_is_explained_and_its_likely_id_column_named(
    run, tmp_path: Path
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sessions"
    ws.append(["Report for November"])
    ws.append(["Client", "Date of Visit", "Therapist"])
    ws.append(["C-1", "2026-11-17", "Priya Raman"])
    wb.save(tmp_path / "sessions.xlsx")
    result = run("map", tmp_path / "sessions.xlsx")
    assert result.exit_code == 1
    assert result.output.splitlines()[2:5] == [
        "Sheet 'Sessions': not read: no header row with a Child ID column and another plangen field in "
        "the first 12 rows.",
        "  Row 2 has 2 plangen fields (visit_date, provider_name) but no Child ID column.",
        '  If A \'Client\' holds the child\'s id, map it: "Client" = "child_id" under [columns.Sessions] '
        "in plangen.toml.",
    ]
    assert result.output.splitlines()[-1].startswith(
        "No Visits sheet: plangen needs a sheet whose header row"
    )
    (tmp_path / "plangen.toml").write_text('[columns.Sessions]\n"Client" = "child_id"\n', encoding="utf-8")
    assert "Sheet 'Sessions': Visits, header on row 2" in run("map", tmp_path / "sessions.xlsx").output
