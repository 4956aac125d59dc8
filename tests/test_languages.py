"""Family handouts in the family's language; the coordinator's documents in the program's."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from plangen.i18n import LOCALES_DIR, resolve_language, translations
from plangen.messages import POT_NAME, extract_messages, render_pot

from conftest import AS_OF, SAMPLE, child, docx_text, visit

PERIOD = "2026-11-17_to_2026-11-17"


def build_one(run, workbook: Path, out: Path):
    when = ("--from", "2026-11-17", "--to", "2026-11-17")
    result = run("build", workbook, "--out", out, "--as-of", AS_OF.isoformat(), *when)
    assert result.exit_code == 0, result.output
    family = docx_text(out / PERIOD / "family" / "C-1_2026-11-17_family-plan.docx")
    review = docx_text(out / PERIOD / "ifsp-review" / "C-1_2026-11-17_ifsp-review.docx")
    return result, family, review


def test_a_spanish_speaking_family_gets_a_fully_spanish_handout(run, make_workbook, tmp_path: Path) -> None:
    workbook = make_workbook(
        children=[child(family_language="Spanish")],
        visits=[
            visit(visit_date=dt.date(2026, 11, 10), next_visit_date=dt.date(2026, 11, 17)),
            visit(followup_used="partly", followup_worked="Le gustó el vaso", followup_still_priority="yes"),
        ],
    )
    _, family, review = build_one(run, workbook, tmp_path / "out")
    for spanish in (
        "Nuestro plan para Zoë",
        "martes, 17 de noviembre de 2026, 10:30",
        "Quiénes estuvieron: Siobhán O'Connor, Priya Raman (habla y lenguaje)",
        "Hicimos este plan juntos. Nadie conoce a su niño mejor que usted.",
        "¿Cómo le fue?",
        "Plan anterior: martes, 10 de noviembre de 2026, Bath & bedtime: Offer a choice of two foods",
        "Usó el plan algunas veces. Sigue siendo lo más importante para nosotros.",
        "Lo que funcionó: Le gustó el vaso",
        "Dónde usamos el plan",
        "Rutina: Bath & bedtime",  # what the provider typed stays as typed
        "Nuestra meta 1: Zoë will ask for more food with a word or sign.",
        "Lo que vamos a hacer",
        "Por qué: lo que Zoë va a aprender",
        'Plan B. Si no funciona, intente: Say just the first sound: "mmm"',
        "En sus palabras",
        "Nuestra próxima visita",
        "martes, 24 de noviembre de 2026, 10:30",
        "Notas para esta semana",
        "Preguntas para la próxima vez",
        "Confidencial: información personal sobre un niño",
    ):
        assert spanish in family, spanish
    spanish = translations("es")
    for message in extract_messages():
        if spanish.gettext(message.id) != message.id:
            assert not re.search(rf"\b{re.escape(message.id)}\b", family), f"English left: {message.id}"
    # The coordinator's review stays in the program's language.
    assert "IFSP review — Child ID C-1" in review
    assert "Tuesday, November 17, 2026, 10:30\u00a0AM" in review
    assert "Priya Raman (speech-language)" in review
    assert "Family language\nEspañol" in review


def test_a_family_language_without_a_catalog_gets_english_and_the_run_says_so(
    run, make_workbook, tmp_path: Path
) -> None:
    workbook = make_workbook(children=[child(family_language="Vietnamese")])
    result, family, review = build_one(run, workbook, tmp_path / "out")
    assert (
        "Note: No handout catalog for the family language 'Vietnamese' (first seen for child C-1); "
        "those handouts are in English.\n"
    ) in result.stdout
    assert "Our plan for Zoë" in family
    assert "Tuesday, November 17, 2026" in family
    assert "Family language\nVietnamese (handout in English)" in review


@pytest.mark.parametrize(
    ("typed", "code", "has_catalog"),
    [
        ("Spanish", "es", True),
        ("español", "es", True),
        ("ES", "es", True),
        ("es-MX", "es", True),
        ("Mexican Spanish", "es", True),
        ("", "en", True),
        ("English", "en", True),
        ("Vietnamese", "en", False),
        ("Klingonese", "en", False),
    ],
)
def test_the_family_language_is_read_by_name_or_code(typed: str, code: str, has_catalog: bool) -> None:
    language = resolve_language(typed)
    assert (language.code, language.has_catalog) == (code, has_catalog)


def test_every_message_of_the_templates_has_a_spanish_translation() -> None:
    """A new sentence in a template without its translation fails here."""
    spanish = translations("es")
    missing = [m.id for m in extract_messages() if m.id not in spanish]
    assert missing == []


def test_the_spanish_catalog_is_complete_and_clean() -> None:
    with (LOCALES_DIR / "es.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    entries = [m for m in catalog if m.id]
    assert all(m.string and not m.fuzzy for m in entries)
    assert not any("tarea" in str(m.string).lower() for m in entries), "a joint plan, never homework"


def test_the_committed_pot_matches_the_templates() -> None:
    """Run `python -m plangen.messages` when this fails."""
    assert (LOCALES_DIR / POT_NAME).read_text(encoding="utf-8") == render_pot(extract_messages())


def test_cli_messages_writes_a_pot_and_says_how_much_is_translated(run, tmp_path: Path) -> None:
    out = tmp_path / "ours.pot"
    result = run("templates", "messages", "--out", out)
    assert result.exit_code == 0, result.output
    total = len(extract_messages())
    assert result.output == f"Wrote {total} message(s) to {out}.\n  es.po: {total} of {total} translated.\n"
    with out.open("rb") as handle:
        pot = read_po(handle)
    assert "How did it go?" in pot
    assert "You used the plan this week." in pot


def test_the_samples_spanish_speaking_family_gets_a_spanish_handout(run, tmp_path: Path) -> None:
    """The bundled sample: José Ángel's family speaks Spanish."""
    out = tmp_path / "out"
    result = run(
        "build", SAMPLE, "--out", out, "--child", "C-1006", "--from", "2026-11-17", "--to", "2026-11-17"
    )
    assert result.exit_code == 0, result.output
    family = docx_text(out / PERIOD / "family" / "C-1006_2026-11-17_family-plan.docx")
    for spanish in (
        "Nuestro plan para José Ángel",
        "martes, 17 de noviembre de 2026",
        "¿Cómo le fue?",
        "Lo que vamos a hacer",
        "Nuestra próxima visita",
        "martes, 24 de noviembre de 2026",
        "Preguntas para la próxima vez",
        "Confidencial:",
    ):
        assert spanish in family, spanish
    spanish_catalog = translations("es")
    for message in extract_messages():
        if spanish_catalog.gettext(message.id) != message.id:
            assert not re.search(rf"\b{re.escape(message.id)}\b", family), f"English left: {message.id}"
