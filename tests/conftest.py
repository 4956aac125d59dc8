"""Shared fixtures: small invented workbooks written through the starter writer."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document

from plangen.cli import cli
from plangen.fields import Sheet
from plangen.starter import write_workbook

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "input" / "sample-program.xlsx"
AS_OF = dt.date(2026, 11, 20)


def child(**overrides: Any) -> dict[str, Any]:
    row = {
        "child_id": "C-1",
        "child_name": "Zoë",
        "date_of_birth": dt.date(2024, 9, 2),
        "caregiver_names": "Siobhán O'Connor",
        "caregiver_relationship": "mother",
        "family_language": "English",
        "coordinator_name": "Dana Whitfield",
        "coordinator_email": "dana@example.org",
        "primary_provider": "Priya Raman",
        "ifsp_date": dt.date(2026, 3, 10),
        "family_strengths": "Sings with Zoë every morning",
    }
    row.update(overrides)
    return row


def outcome(**overrides: Any) -> dict[str, Any]:
    row = {
        "child_id": "C-1",
        "outcome_number": 1,
        "outcome_kind": "child",
        "outcome_statement": "Zoë will ask for more food with a word or sign.",
        "outcome_criteria": "She asks for 'more' at 3 meals in a week.",
        "outcome_status": "in progress",
    }
    row.update(overrides)
    return row


def visit(**overrides: Any) -> dict[str, Any]:
    row = {
        "child_id": "C-1",
        "visit_date": dt.date(2026, 11, 17),
        "visit_time": dt.time(10, 30),
        "provider_name": "Priya Raman",
        "provider_discipline": "speech-language",
        "visit_status": "done",
        "routine": "Bath & bedtime",
        "outcomes_addressed": "1",
        "practiced": "Waiting for Zoë to reach before handing the cup",
        "strategy_1": "Offer a choice of two foods",
        "strategy_1_steps": "Hold up two foods\nWait < 5 seconds\nName the one she picks",
        "strategy_1_who": "Siobhán",
        "strategy_1_when": "Breakfast and dinner",
        "strategy_1_why": "She learns her words get her what she wants",
        "strategy_1_plan_b": 'Say just the first sound: "mmm"',
        "caregiver_words": "I'll hold up two & wait.",
        "next_visit_date": dt.date(2026, 11, 24),
        "next_visit_time": dt.time(10, 30),
        "next_visit_focus": "Try it at snack time",
    }
    row.update(overrides)
    return row


WorkbookMaker = Callable[..., Path]


@pytest.fixture
def make_workbook(tmp_path: Path) -> WorkbookMaker:
    """Write a workbook from lists of row dicts (by field name)."""

    def make(
        children: list[dict[str, Any]] | None = None,
        outcomes: list[dict[str, Any]] | None = None,
        visits: list[dict[str, Any]] | None = None,
        name: str = "program.xlsx",
    ) -> Path:
        path = tmp_path / name
        write_workbook(
            path,
            {
                Sheet.CHILDREN: children if children is not None else [child()],
                Sheet.OUTCOMES: outcomes if outcomes is not None else [outcome()],
                Sheet.VISITS: visits if visits is not None else [visit()],
            },
        )
        return path

    return make


@pytest.fixture
def run() -> Callable[..., Any]:
    """Invoke the CLI as a user would; stdout and stderr kept apart."""

    def invoke(*args: str | Path) -> Any:
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def docx_text(path: Path) -> str:
    """All text a reader sees: body paragraphs, tables, headers and footers."""
    document = Document(str(path))
    parts: list[str] = [p.text for p in document.paragraphs]

    def tables(items: Any) -> None:
        for table in items:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    tables(document.tables)
    for section in document.sections:
        for part in (section.header, section.footer):
            parts.extend(p.text for p in part.paragraphs)
            tables(part.tables)
    return "\n".join(parts)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
