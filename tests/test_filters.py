"""`build --coordinator/--provider/--child` write only those visits' documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AS_OF
from their_layout import write_their_toml, write_their_workbook


@pytest.fixture
def program(tmp_path: Path) -> Path:
    """6 families; coordinators Dana (SV-101, SV-104), Marcus (102, 105), Ines (103, 106)."""
    write_their_toml(tmp_path)
    return write_their_workbook(tmp_path / "visit-log.xlsx", families=6)


def build(run, workbook: Path, *extra: str):
    return run("build", workbook, "--out", workbook.parent / "out", "--as-of", AS_OF.isoformat(), *extra)


def plans(workbook: Path) -> list[str]:
    return sorted(p.name for p in (workbook.parent / "out").rglob("*family-plan.docx"))


def test_coordinator_is_matched_ignoring_case(run, program: Path) -> None:
    result = build(run, program, "--coordinator", "dana WHITFIELD")
    assert result.exit_code == 0
    assert "2026-11-10 to 2026-11-20: 4 visit(s); 4 rendered, 0 skipped" in result.output
    assert plans(program) == [
        "SV-101_2026-11-10_family-plan.docx",
        "SV-101_2026-11-17_family-plan.docx",
        "SV-104_2026-11-13_family-plan.docx",
        "SV-104_2026-11-20_family-plan.docx",
    ]


def test_provider_and_child_with_a_week(run, program: Path) -> None:
    result = build(run, program, "--provider", "Tomás Reyes", "--week", "2026-W47")
    assert "week 2026-W47 (2026-11-16 to 2026-11-22): 2 visit(s); 2 rendered" in result.output
    assert plans(program) == ["SV-102_2026-11-18_family-plan.docx", "SV-106_2026-11-18_family-plan.docx"]
    build(run, program, "--child", "sv-103", "--week", "2026-W46")
    assert "SV-103_2026-11-12_family-plan.docx" in plans(program)
    assert "SV-103_2026-11-19_family-plan.docx" not in plans(program)


def test_a_filter_that_matches_nothing_says_so(run, program: Path) -> None:
    result = build(run, program, "--coordinator", "Dana Whitfeld", "--child", "SV-101")
    assert result.exit_code == 0
    assert (
        "Note: No visit in 2026-11-10 to 2026-11-20 matches --coordinator 'Dana Whitfeld', --child 'SV-101'; "
        "check the spelling." in result.output
    )
    assert plans(program) == []


def test_after_a_filtered_run_the_full_run_renders_only_the_others(run, program: Path) -> None:
    build(run, program, "--coordinator", "Ines Carvalho")
    result = build(run, program)
    assert "12 visit(s); 8 rendered, 4 unchanged, 0 skipped" in result.output
