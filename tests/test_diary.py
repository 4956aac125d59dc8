"""The progress diary: every plan and how it went, in date order, in the family's language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document

from conftest import AS_OF, SAMPLE, docx_text, visit


def three_visits() -> list[dict]:
    return [
        visit(
            visit_date=dt.date(2026, 11, 3),
            next_visit_date=dt.date(2026, 11, 10),
            routine="Mealtime",
            strategy_1="Offer two foods",
            strategy_1_steps="Hold up two foods\nWait for her to reach",
        ),
        visit(
            visit_date=dt.date(2026, 11, 10),
            next_visit_date=dt.date(2026, 11, 17),
            routine="Bath",
            strategy_1="Sing and pause",
            strategy_1_steps="Sing the bath song\nStop before the last word",
            followup_used="partly",
            followup_worked="She reached for the banana",
            followup_hard="Busy mornings",
            followup_still_priority="yes",
        ),
        visit(visit_date=dt.date(2026, 11, 13), visit_status="no-show"),
        visit(
            routine="Play",
            strategy_1="Wait for a look",
            followup_used="yes",
            followup_worked="She filled in the last word twice",
            followup_still_priority="no",
        ),
    ]


def boxes(path: Path) -> list[str]:
    """The text of each "How did it go?" box, in order."""
    return [
        "\n".join(p.text for p in t._cells[0].paragraphs)
        for t in Document(str(path)).tables
        if t._cells[0].paragraphs[0].text in ("How did it go?", "¿Cómo le fue?")
    ]


def test_build_writes_a_diary_with_every_plan_and_how_it_went(run, make_workbook, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", make_workbook(visits=three_visits()), "--out", out, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0
    diary = out / "2026-11-03_to_2026-11-17" / "diary" / "C-1_progress-diary.docx"
    document = Document(str(diary))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Our progress diary · Zoë",
        "Tuesday, November 3, 2026  ·  Mealtime",
        "Tuesday, November 10, 2026  ·  Bath",
        "Tuesday, November 17, 2026  ·  Play",
    ], "one entry per plan, in date order; the no-show has none"
    # Each plan's box holds the follow-up recorded at the next visit.
    assert boxes(diary) == [
        "How did it go?\nYou used the plan some of the time. It is still our top priority.\n"
        "What worked: She reached for the banana\nWhat was hard: Busy mornings",
        "How did it go?\nYou used the plan this week. We are ready for a new focus.\n"
        "What worked: She filled in the last word twice",
        "How did it go?\nWe will look at how it went at our next visit.",
    ]
    text = docx_text(diary)
    for expected in (
        "Offer two foods",
        "1.\tHold up two foods",
        "Sing and pause",
        "Wait for a look",
        "Siobhán",
    ):
        assert expected in text
    assert "Coordinator" not in text and "C-1" not in text, "written to the family: no ids, no staff talk"


def test_the_diary_covers_every_visit_up_to_the_period_s_end(run, make_workbook, tmp_path: Path) -> None:
    out = tmp_path / "out"
    workbook = make_workbook(visits=three_visits())
    assert (
        run("build", workbook, "--out", out, "--as-of", AS_OF.isoformat(), "--week", "2026-W47").exit_code
        == 0
    )
    week_47 = docx_text(out / "2026-W47" / "diary" / "C-1_progress-diary.docx")
    assert "Tuesday, November 3, 2026" in week_47, "earlier plans are in the diary too"
    assert (
        run("build", workbook, "--out", out, "--as-of", AS_OF.isoformat(), "--week", "2026-W46").exit_code
        == 0
    )
    week_46 = docx_text(out / "2026-W46" / "diary" / "C-1_progress-diary.docx")
    assert "Tuesday, November 10, 2026" in week_46
    assert "November 17" not in week_46, "nothing after the period's end"


def test_a_visit_row_with_errors_has_no_diary_entry(run, make_workbook, tmp_path: Path) -> None:
    visits = three_visits()
    visits[1]["visit_time"] = "half past ten"
    out = tmp_path / "out"
    result = run("build", make_workbook(visits=visits), "--out", out, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1
    diary = Document(str(out / "2026-11-03_to_2026-11-17" / "diary" / "C-1_progress-diary.docx"))
    assert [p.text for p in diary.paragraphs if p.style.name == "Heading 2"] == [
        "Tuesday, November 3, 2026  ·  Mealtime",
        "Tuesday, November 17, 2026  ·  Play",
    ]


def test_the_diary_is_in_the_family_s_language(run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("diary", SAMPLE, "--out", out, "--as-of", AS_OF.isoformat(), "--child", "C-1006")
    assert result.exit_code == 0
    diary = out / "2026-10-05_to_2026-11-20" / "diary" / "C-1006_progress-diary.docx"
    text = docx_text(diary)
    assert "Nuestro diario de progreso · José Ángel" in text
    assert "martes, 27 de octubre de 2026" in text
    assert boxes(diary)[0].startswith("¿Cómo le fue?\nUsó el plan esta semana.")
    assert boxes(diary)[-1] == "¿Cómo le fue?\nEn nuestra próxima visita veremos cómo le fue."


def test_diary_command_writes_one_child_or_all(run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    folder = out / "2026-10-05_to_2026-11-20" / "diary"
    one = run("diary", SAMPLE, "--out", out, "--as-of", AS_OF.isoformat(), "--child", "c-1001")
    assert one.exit_code == 0
    assert one.stdout == f"1 progress diary in {folder} (plans up to 2026-11-20).\n"
    assert [p.name for p in folder.iterdir()] == ["C-1001_progress-diary.docx"]
    again = run("diary", SAMPLE, "--out", out, "--as-of", AS_OF.isoformat())
    assert again.exit_code == 0
    assert again.stdout == f"14 progress diaries in {folder} (plans up to 2026-11-20).\n"
    assert len(list(folder.iterdir())) == 14


def test_diary_command_clean_errors(run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    unknown = run("diary", SAMPLE, "--out", out, "--child", "C-9")
    assert unknown.exit_code == 2
    assert "Error: Child ID 'C-9' is not in sample-program.xlsx; check the spelling." in unknown.stderr
    early = run(
        "diary", SAMPLE, "--out", out, "--as-of", AS_OF.isoformat(), "--week", "2026-W40", "--child", "C-1001"
    )
    assert early.exit_code == 0
    assert early.stdout == (
        "Note: child C-1001 has no plan up to 2026-10-04; no diary was written.\n"
        f"0 progress diaries in {out / '2026-W40' / 'diary'} (plans up to 2026-10-04).\n"
    )
    assert not out.exists(), "nothing to write: no folder either"


def test_a_diary_edited_by_hand_is_kept(run, make_workbook, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        run(
            "diary", make_workbook(visits=three_visits()), "--out", out, "--as-of", AS_OF.isoformat()
        ).exit_code
        == 0
    )
    diary = out / "2026-11-03_to_2026-11-17" / "diary" / "C-1_progress-diary.docx"
    document = Document(str(diary))
    document.add_paragraph("Grandma's note: she said 'more' at lunch!")
    document.save(str(diary))
    changed = three_visits()
    changed[0]["routine"] = "Breakfast"
    result = run("build", make_workbook(visits=changed), "--out", out, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0
    assert (
        "  kept: diary/C-1_progress-diary.docx was edited after it was generated; use --force to replace it.\n"
        in result.stderr
    )
    assert "progress diaries: 0;" in result.stdout
    assert "Grandma's note" in docx_text(diary)
    forced = run(
        "build", make_workbook(visits=changed), "--out", out, "--as-of", AS_OF.isoformat(), "--force"
    )
    assert "progress diaries: 1;" in forced.stdout
    assert "Grandma's note" not in docx_text(diary) and "Breakfast" in docx_text(diary)
