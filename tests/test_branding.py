"""Branding from plangen.toml reaches every document; a bad setting is a clear error naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from docxkit import make_logo, media, part_text

from conftest import AS_OF, docx_text

PERIOD = "2026-11-17_to_2026-11-17"


def write_toml(folder: Path, program: str, workbook: str = "") -> Path:
    path = folder / "plangen.toml"
    path.write_text(f"[program]\n{program}\n[workbook]\n{workbook}\n", encoding="utf-8")
    return path


def build(run, workbook: Path, out: Path):
    return run("build", workbook, "--out", out, "--as-of", AS_OF.isoformat())


def test_branding_is_applied_to_every_document(run, make_workbook, tmp_path: Path) -> None:
    logo = make_logo(tmp_path / "sunrise.png")
    write_toml(
        tmp_path,
        'name = "Sunrise Early Intervention"\nphone = "(555) 010-7788"\nemail = "hello@sunrise.example"\n'
        'address = "12 Elm Street"\nwebsite = "sunrise.example"\nfooter = "Private: for the family and team."\n'
        'logo = "sunrise.png"\naccent_color = "#7A2E8E"\nfont = "Georgia"',
    )
    result = build(run, make_workbook(), tmp_path / "out")
    assert result.exit_code == 0, result.output
    documents = sorted((tmp_path / "out" / PERIOD).rglob("*.docx"))
    assert {"family", "ifsp-review"} <= {d.parent.name for d in documents}
    for document in documents:
        text = docx_text(document)
        assert "Sunrise Early Intervention" in text
        assert "(555) 010-7788 · hello@sunrise.example · 12 Elm Street · sunrise.example" in text
        assert "Private: for the family and team." in text
        assert logo.read_bytes() in media(document)
        styles = part_text(document, "word/styles.xml")
        assert 'w:ascii="Georgia"' in styles and "Calibri" not in styles
        for part in ("word/styles.xml", "word/document.xml"):
            assert "1F6F8B" not in part_text(document, part)
        assert "7A2E8E" in part_text(document, "word/styles.xml")


@pytest.mark.parametrize(
    ("program", "message"),
    [
        (
            'logo = "missing.png"',
            "Error: {toml} [program]: logo file 'missing.png' not found (looked in {folder}). Put the image "
            "next to plangen.toml or fix the 'logo' setting; leave it empty for no logo.",
        ),
        (
            'accent_color = "teal"',
            "Error: {toml} [program]: accent_color 'teal' is not a colour. "
            'Use six hex digits, e.g. accent_color = "#1F6F8B".',
        ),
        (
            'logo = "notes.txt"',
            "Error: {toml} [program]: logo 'notes.txt' must be a PNG, JPEG, GIF or BMP image.",
        ),
    ],
)
def test_a_bad_branding_setting_names_the_setting_and_writes_nothing(
    run, make_workbook, tmp_path: Path, program: str, message: str
) -> None:
    (tmp_path / "notes.txt").write_text("not an image")
    toml = write_toml(tmp_path, program)
    result = build(run, make_workbook(), tmp_path / "out")
    assert result.exit_code == 3
    assert result.stderr == message.format(toml=toml, folder=tmp_path) + "\n"
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_a_templates_setting_naming_no_folder_is_an_input_error(run, make_workbook, tmp_path: Path) -> None:
    toml = write_toml(tmp_path, "", 'templates = "our-templates"')
    result = build(run, make_workbook(), tmp_path / "out")
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: {toml} [workbook]: templates folder 'our-templates' not found (looked in {tmp_path}). "
        "Fix the 'templates' setting, or run 'plangen templates export' to make the folder.\n"
    )
    assert not (tmp_path / "out").exists()
