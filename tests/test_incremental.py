"""Re-runs redo only what changed, and never overwrite a document edited by hand."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from docxkit import make_logo
from plangen.render import Renderer

from conftest import AS_OF, docx_text, file_digest
from their_layout import write_their_toml, write_their_workbook

PERIOD = "2026-11-10_to_2026-11-20"


@pytest.fixture
def program(tmp_path: Path) -> Path:
    """Sunny Valley's visit log (4 families, 2 weeks: 8 visits) and its plangen.toml."""
    write_their_toml(tmp_path)
    return write_their_workbook(tmp_path / "visit-log.xlsx", families=4)


def build(run, workbook: Path, *extra: str):
    return run("build", workbook, "--out", workbook.parent / "out", "--as-of", AS_OF.isoformat(), *extra)


def summary(result) -> str:
    """The line that counts the run's visits."""
    return next(line for line in result.output.splitlines() if " visit(s); " in line)


def visit_documents(workbook: Path) -> list[Path]:
    """The documents of each visit: the family plan and the IFSP review."""
    folder = workbook.parent / "out" / PERIOD
    return sorted(p for d in ("family", "ifsp-review") for p in (folder / d).glob("*.docx"))


def documents(workbook: Path) -> dict[str, str]:
    folder = workbook.parent / "out" / PERIOD
    return {p.relative_to(folder).as_posix(): file_digest(p) for p in visit_documents(workbook)}


def rewritten(workbook: Path, before: dict[Path, int]) -> list[str]:
    """The documents written again since ``before`` (their modification times)."""
    folder = workbook.parent / "out" / PERIOD
    return sorted(p.relative_to(folder).as_posix() for p, t in before.items() if p.stat().st_mtime_ns != t)


def mtimes(workbook: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in visit_documents(workbook)}


def edit_cell(workbook: Path, sheet: str, cell: str, value: object) -> None:
    wb = load_workbook(workbook)
    wb[sheet][cell] = value
    wb.save(workbook)


def test_a_second_run_over_unchanged_input_renders_nothing(run, tmp_path: Path, monkeypatch) -> None:
    write_their_toml(tmp_path)
    workbook = write_their_workbook(tmp_path / "visit-log.xlsx", families=20)  # 40 visits
    first = build(run, workbook)
    out = tmp_path / "out" / PERIOD
    assert summary(first) == (
        f"2026-11-10 to 2026-11-20: 40 visit(s); 38 rendered, 2 skipped, 0 with errors, 0 failed; "
        f"76 document(s) in {out}."
    )
    before = documents(workbook)
    written = mtimes(workbook)

    def no_rendering(self: Renderer, name: str, *args: object, **kwargs: object) -> tuple[bytes, str]:
        raise AssertionError(f"an unchanged document was rendered ({name})")

    monkeypatch.setattr(Renderer, "render_document", no_rendering)
    second = build(run, workbook)
    assert second.exit_code == 0
    assert summary(second) == (
        f"2026-11-10 to 2026-11-20: 40 visit(s); 0 rendered, 38 unchanged, 2 skipped, 0 with errors, "
        f"0 failed; 0 document(s) in {out}."
    )
    assert documents(workbook) == before
    assert rewritten(workbook, written) == []


def test_a_rerun_in_another_process_finds_every_document_unchanged(program: Path) -> None:
    # Each process orders sets and hashes strings its own way (PYTHONHASHSEED): the fingerprint
    # of a document must not depend on that, or every weekly run would redo every document.
    command = [sys.executable, "-m", "plangen", "build", str(program), "--out", str(program.parent / "out"),
               "--as-of", AS_OF.isoformat(), "--jobs", "1"]  # fmt: skip
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert "; 8 rendered, 0 skipped" in outputs[0]
    assert "; 0 rendered, 8 unchanged, 0 skipped" in outputs[1]


def test_a_fingerprint_follows_the_values_not_the_objects_holding_them() -> None:
    from plangen.config import Branding
    from plangen.manifest import fingerprint, recipe

    english = recipe(b"template", Branding(), "en", "family-plan", None)

    def of(context: dict[str, object]) -> str:
        return fingerprint(context, english)

    shared = "Sing the bath song"
    context = {"strategies": [{"title": shared}, {"title": shared}], "number": 1, "generated_on": "Nov 20"}
    copied = {"strategies": [{"title": "Sing the bath " + "song"}, {"title": "".join(shared)}], "number": 1}
    assert of(context) == of(copied), "equal values, shared or not, and the run's date left out"
    assert of(context) != of({**copied, "number": True}), "a yes/no is not the number 1"
    assert of(context) != of({**copied, "strategies": [{"title": shared}, {"title": "Sing the bath song!"}]})
    assert of(context) != fingerprint(context, recipe(b"template", Branding(), "es", "family-plan", None))
    assert of(context) != fingerprint(context, recipe(b"template", Branding(), "en", "family-plan", b"a logo"))


def test_changing_one_row_rerenders_only_the_documents_that_depend_on_it(run, program: Path) -> None:
    build(run, program)
    before = mtimes(program)
    # Week 47, third family (row 6): a new strategy for this week.
    edit_cell(program, "Week 47", "O6", "Sing the bath song and pause")
    result = build(run, program)
    assert "; 1 rendered, 7 unchanged, 0 skipped" in summary(result)
    assert rewritten(program, before) == [
        "family/SV-103_2026-11-19_family-plan.docx",
        "ifsp-review/SV-103_2026-11-19_ifsp-review.docx",
    ]
    assert "Sing the bath song and pause" in docx_text(
        program.parent / "out" / PERIOD / "family/SV-103_2026-11-19_family-plan.docx"
    )


def test_an_earlier_visit_changing_redoes_the_later_plan_that_follows_it_up(run, program: Path) -> None:
    build(run, program)
    before = mtimes(program)
    edit_cell(program, "Week 46", "O7", "Name what he does")  # second family's first strategy
    result = build(run, program)
    assert "; 2 rendered, 6 unchanged, 0 skipped" in summary(result)
    assert rewritten(program, before) == [
        "family/SV-102_2026-11-11_family-plan.docx",
        "family/SV-102_2026-11-18_family-plan.docx",
        "ifsp-review/SV-102_2026-11-11_ifsp-review.docx",
        "ifsp-review/SV-102_2026-11-18_ifsp-review.docx",
    ]


def test_a_document_edited_by_hand_is_kept_and_reported_until_force(run, program: Path) -> None:
    build(run, program)
    plan = program.parent / "out" / PERIOD / "family/SV-101_2026-11-17_family-plan.docx"
    document = Document(str(plan))
    document.add_paragraph("Added by Priya after the visit.")
    document.save(str(plan))
    edited = file_digest(plan)
    assert "0 rendered, 8 unchanged" in summary(build(run, program)), "nothing new to write: no fuss"
    edit_cell(program, "Week 47", "V4", "We'll sing it together.")  # that visit's caregiver's words
    result = build(run, program)
    assert result.exit_code == 0
    assert (
        "  kept: family/SV-101_2026-11-17_family-plan.docx was edited after it was generated; "
        "use --force to replace it.\n" in result.stderr
    )
    assert "; 1 rendered, 7 unchanged, 0 skipped" in summary(result), "its IFSP review is redone"
    assert file_digest(plan) == edited
    assert "kept: family/SV-101_2026-11-17_family-plan.docx" in build(run, program).stderr, (
        "every run says so"
    )
    forced = build(run, program, "--force")
    assert "; 8 rendered, 0 skipped" in summary(forced)
    text = docx_text(plan)
    assert "Added by Priya after the visit." not in text
    assert "We'll sing it together." in text


def test_a_document_plangen_did_not_write_is_kept(run, program: Path) -> None:
    own = program.parent / "out" / PERIOD / "family" / "SV-101_2026-11-10_family-plan.docx"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"a plan written in Word")
    result = build(run, program)
    assert (
        "  kept: family/SV-101_2026-11-10_family-plan.docx is not in manifest.json (made by hand or by "
        "an older plangen); use --force to replace it.\n" in result.stderr
    )
    assert "; 8 rendered, 0 skipped, 0 with errors, 0 failed; 15 document(s)" in summary(result)
    assert own.read_bytes() == b"a plan written in Word"


def test_new_branding_redoes_every_document_but_a_new_as_of_date_does_not(run, program: Path) -> None:
    build(run, program)
    later = run("build", program, "--out", program.parent / "out", "--as-of", "2026-12-01")
    assert "0 rendered, 8 unchanged" in summary(later)
    settings = program.parent / "plangen.toml"
    settings.write_text(
        settings.read_text().replace('name = "Sunny Valley Early Intervention"', 'name = "Sunny Valley EI"')
    )
    assert "; 8 rendered, 0 skipped" in summary(build(run, program))


def test_a_new_logo_in_the_same_file_redoes_every_document(run, program: Path) -> None:
    settings = program.parent / "plangen.toml"
    settings.write_text(settings.read_text().replace("[program]\n", '[program]\nlogo = "logo.png"\n'))
    make_logo(program.parent / "logo.png", rgb=(31, 111, 139))
    assert "; 8 rendered, 0 skipped" in summary(build(run, program))
    make_logo(program.parent / "logo.png", rgb=(122, 46, 142))  # the program's new colours
    assert "; 8 rendered, 0 skipped" in summary(build(run, program))
    assert "; 0 rendered, 8 unchanged, 0 skipped" in summary(build(run, program))


def test_the_manifest_records_rows_fingerprint_and_what_was_written(run, program: Path) -> None:
    build(run, program)
    path = program.parent / "out" / PERIOD / "manifest.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    manifest = json.loads(path.read_text(encoding="utf-8"))
    entry = manifest["documents"]["family/SV-101_2026-11-17_family-plan.docx"]
    # The visit, the child's row (the first visit, in a flat workbook) and the visit it follows up.
    assert entry["rows"] == ["Week 47!4", "Week 46!6"]
    assert entry["sha256"] == file_digest(path.parent / "family/SV-101_2026-11-17_family-plan.docx")
    assert len(entry["fingerprint"]) == 64
    assert len(manifest["documents"]) == 16 + 4 + 3, "8 plans and 8 reviews, 4 diaries, 3 coordinator packets"
    assert "Amara" not in path.read_text(encoding="utf-8"), "no child's name in the manifest"


def test_an_unreadable_manifest_keeps_what_is_there(run, program: Path) -> None:
    build(run, program)
    path = program.parent / "out" / PERIOD / "manifest.json"
    path.write_text("{ not json")
    result = build(run, program)
    assert (
        f"Note: {path} could not be read; documents already in the folder are kept. "
        "Use --force to write them again." in result.output
    )
    assert "; 0 rendered, 8 kept, 0 skipped" in summary(result)
    assert "; 8 rendered, 0 skipped" in summary(build(run, program, "--force"))
    assert "0 rendered, 8 unchanged" in summary(build(run, program))


def test_manifest_json_is_written_a_document_at_a_time_as_json_would_write_it_whole(tmp_path: Path) -> None:
    from plangen import __version__
    from plangen.manifest import Manifest

    manifest = Manifest.load(tmp_path)
    manifest.save()
    empty = {"format": 1, "generator": f"plangen {__version__}", "documents": {}}
    assert (tmp_path / "manifest.json").read_text("utf-8") == json.dumps(empty, indent=2) + "\n"
    manifest = Manifest.load(tmp_path)
    manifest.record_written("family/C-1_2026-11-17_family-plan.docx", ["Visits!2", "Children!2"], "f" * 64, "a" * 64)
    manifest.record_written("diary/Zoë-1.docx", ["Visits!2"], "b" * 64, "c" * 64)
    manifest.record_written("coordinator/no-rows.docx", [], "d" * 64, "e" * 64)
    manifest.save()
    whole = {
        **empty,
        "documents": {
            "coordinator/no-rows.docx": {"rows": [], "fingerprint": "d" * 64, "sha256": "e" * 64},
            "diary/Zoë-1.docx": {"rows": ["Visits!2"], "fingerprint": "b" * 64, "sha256": "c" * 64},
            "family/C-1_2026-11-17_family-plan.docx": {
                "rows": ["Visits!2", "Children!2"], "fingerprint": "f" * 64, "sha256": "a" * 64,
            },
        },
    }
    text = (tmp_path / "manifest.json").read_text("utf-8")
    assert text == json.dumps(whole, indent=2, ensure_ascii=False) + "\n"
    assert Manifest.load(tmp_path).entries["diary/Zoë-1.docx"].sha256 == "c" * 64
