"""A program's own copy of the templates builds without code changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document

from docxkit import add_column, make_docx, make_logo, media
from plangen.render import TEMPLATE_FILES, default_templates_dir

from conftest import AS_OF, child, docx_text, visit

PERIOD = "2026-11-17_to_2026-11-17"
SENTENCE = '{{ _("We made this plan together. You know your child best.") }}'


def edit_family_plan(path: Path) -> None:
    """What a program does in Word: reword a sentence and show a column of its own."""
    doc = Document(str(path))
    runs = [r for p in doc.paragraphs for r in p.runs if r.text == SENTENCE]
    assert len(runs) == 1
    runs[0].text = "We wrote this plan as a team. You know your child best."
    doc.add_paragraph("Favourite song: {{ extra.favourite_song }}")
    doc.save(str(path))


def test_export_copies_the_default_templates_and_never_overwrites_unasked(run, tmp_path: Path) -> None:
    target = tmp_path / "ours"
    result = run("templates", "export", target)
    assert result.exit_code == 0, result.output
    names = list(TEMPLATE_FILES.values())
    assert result.output == (
        "".join(f"Wrote {target / name}\n" for name in names)
        + f"Next: edit them in Word, then run: plangen templates check {target}\n"
    )
    for name in names:
        assert (target / name).read_bytes() == (default_templates_dir() / name).read_bytes()
    (target / "family-plan.docx").write_bytes(b"edited")
    again = run("templates", "export", target)
    assert again.exit_code == 1
    assert again.stderr == (
        f"Error: {', '.join(str(target / name) for name in names)} already exists; nothing was "
        "changed. Use --force to overwrite.\n"
    )
    assert (target / "family-plan.docx").read_bytes() == b"edited"
    assert run("templates", "export", target, "--force").exit_code == 0
    assert (target / "family-plan.docx").read_bytes() != b"edited"


@pytest.mark.parametrize("how", ["--templates", "next to the workbook", "plangen.toml"])
def test_an_edited_family_template_builds_without_code_changes(
    run, make_workbook, tmp_path: Path, how: str
) -> None:
    """Logo replaced, a sentence reworded, a new column shown: the issue's "done when"."""
    folder = tmp_path / ("templates" if how == "next to the workbook" else "our-templates")
    assert run("templates", "export", folder).exit_code == 0
    edit_family_plan(folder / "family-plan.docx")
    logo = make_logo(tmp_path / "our-logo.png")
    setting = 'templates = "our-templates"' if how == "plangen.toml" else ""
    (tmp_path / "plangen.toml").write_text(
        f'[program]\nname = "Sunrise EI"\nlogo = "our-logo.png"\n[workbook]\n{setting}\n', encoding="utf-8"
    )
    workbook = make_workbook()
    add_column(workbook, "Visits", "Favourite song", ["Twinkle Twinkle"])
    assert run("templates", "check", folder).exit_code == 0
    extra = ("--templates", folder) if how == "--templates" else ()
    result = run("build", workbook, "--out", tmp_path / "out", "--as-of", AS_OF.isoformat(), *extra)
    assert result.exit_code == 0, result.output
    if how == "next to the workbook":
        assert f"Note: Using the templates in {folder} (the folder next to the workbook)." in result.output
    plan = tmp_path / "out" / PERIOD / "family" / "C-1_2026-11-17_family-plan.docx"
    text = docx_text(plan)
    assert "We wrote this plan as a team. You know your child best." in text
    assert "We made this plan together." not in text
    assert "Favourite song: Twinkle Twinkle" in text
    assert "Sunrise EI" in text
    assert logo.read_bytes() in media(plan)
    review = tmp_path / "out" / PERIOD / "ifsp-review" / "C-1_2026-11-17_ifsp-review.docx"
    assert logo.read_bytes() in media(review)


def test_a_template_missing_from_the_folder_falls_back_to_the_default(
    run, make_workbook, tmp_path: Path
) -> None:
    own = tmp_path / "own"
    make_docx(own / "ifsp-review.docx", "Review for {{ child_id }}")
    result = run("build", make_workbook(), "--out", tmp_path / "out", "--templates", own)
    assert result.exit_code == 0, result.output
    assert f"Note: family-plan.docx not found in {own}; using the default template." in result.output
    review = docx_text(tmp_path / "out" / PERIOD / "ifsp-review" / "C-1_2026-11-17_ifsp-review.docx")
    assert review.strip() == "Review for C-1"
    plan = docx_text(tmp_path / "out" / PERIOD / "family" / "C-1_2026-11-17_family-plan.docx")
    assert "Our plan for Zoë" in plan


def test_extra_columns_are_text_from_the_child_and_the_visit_row(run, make_workbook, tmp_path: Path) -> None:
    own = tmp_path / "own"
    make_docx(
        own / "family-plan.docx",
        "Song: {{ extra.favourite_song }}|",
        "Pets: {{ extra.pets }}|",
        "Since: {{ extra.enrolled_since }}|",
        "Nickname: {{ extra.ninos_nickname }}|",
        "Blank: {{ extra.blank_one }}|",
    )
    workbook = make_workbook(children=[child(family_language="Spanish")])
    add_column(workbook, "Children", "Niño's nickname", ["Zozo"])
    add_column(workbook, "Children", "Enrolled since", [dt.datetime(2026, 3, 10)])
    add_column(workbook, "Visits", "Favourite song", ["{{ 7*7 }}"])
    add_column(workbook, "Visits", "Pets", [2.0])
    add_column(workbook, "Visits", "Blank one", [None])
    result = run("build", workbook, "--out", tmp_path / "out", "--templates", own)
    assert result.exit_code == 0, result.output
    text = docx_text(tmp_path / "out" / PERIOD / "family" / "C-1_2026-11-17_family-plan.docx")
    assert text.splitlines()[:5] == [
        "Song: {{ 7*7 }}|",  # a value is data: never evaluated as a template
        "Pets: 2|",
        "Since: 10 mar 2026|",  # the family's language
        "Nickname: Zozo|",
        "Blank: |",
    ]


def test_a_template_naming_a_column_the_workbook_lacks_fails_that_row_clearly(
    run, make_workbook, tmp_path: Path
) -> None:
    own = tmp_path / "own"
    make_docx(own / "family-plan.docx", "Song: {{ extra.favourite_song }}")
    workbook = make_workbook(visits=[visit(), visit(visit_date=dt.date(2026, 11, 18), child_id="C-1")])
    add_column(workbook, "Visits", "Pets", ["cat", "dog"])
    result = run("build", workbook, "--out", tmp_path / "out", "--templates", own)
    assert result.exit_code == 1
    assert (
        "  failed: Visits!2 child C-1 2026-11-17: template family-plan: no value named 'favourite_song' "
        "here (there is: pets)"
    ) in result.stderr
