"""Privacy by default: private files and folders, no family's names where they don't belong,
neutral document properties, a disclosure log, and no family's data in another family's documents."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from plangen import write
from plangen.disclosure import LOG_NAME, read_log, recipient_role

from conftest import AS_OF, SAMPLE, child, docx_text, file_digest, outcome, visit

PERIOD = "2026-10-05_to_2026-11-20"


@pytest.fixture(autouse=True)
def default_modes():
    """A run with [output] file_mode sets the modes for its process: put the defaults back after."""
    yield
    write.set_output_modes(write.OutputModes())


def build(run, workbook: Path, out: Path, *extra: str):
    return run("build", workbook, "--out", out, "--as-of", AS_OF.isoformat(), *extra)


def modes(out: Path) -> tuple[set[int], set[int]]:
    """The permission bits of every file, and of every folder, under ``out`` (``out`` included)."""
    files = {stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()}
    folders = {stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")] if p.is_dir()}
    return files, folders


def family_names(workbook: Path) -> set[str]:
    """Every child's and caregiver's name in the workbook, each part of a list on its own."""
    names: set[str] = set()
    book = load_workbook(workbook, read_only=True)
    try:
        rows = list(book["Children"].iter_rows(values_only=True))
    finally:
        book.close()  # read-only mode keeps the file open until closed
    header = list(rows[0])
    rows = rows[1:]
    columns = [header.index("Child's name"), header.index("Caregiver name(s)")]
    for row in rows:
        for column in columns:
            for name in re.split(r";|,| and |\(|\)", str(row[column] or "")):
                if name.strip():
                    names.add(name.strip())
    return names


def named(text: str, names: set[str]) -> list[str]:
    return sorted(n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text))


# --- permissions ----------------------------------------------------------------------------------


def test_everything_written_is_for_its_owner_only_by_default(run, tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    assert build(run, SAMPLE, out).exit_code == 0
    files, folders = modes(out)
    assert files == {0o600}
    assert folders == {0o700}
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700, "a folder made on the way is private too"
    assert (out / LOG_NAME).is_file() and (out / PERIOD / "manifest.json").is_file()


@pytest.mark.parametrize("jobs", ["1", "2"])  # worker processes are told the modes too
def test_a_program_can_let_its_group_read_the_documents(run, tmp_path: Path, jobs: str) -> None:
    workbook = tmp_path / "program.xlsx"
    shutil.copyfile(SAMPLE, workbook)
    (tmp_path / "plangen.toml").write_text('[output]\nfile_mode = "0640"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert build(run, workbook, out, "--jobs", jobs).exit_code == 0
    assert stat.S_IMODE((out / LOG_NAME).stat().st_mode) == 0o600, "the disclosure log stays the owner's"
    (out / LOG_NAME).unlink()
    files, folders = modes(out)
    assert files == {0o640}
    assert folders == {0o750}


@pytest.mark.parametrize("mode", ["0644", "0666", "0777", "0200", "0660", "rw-r-----", "9999", "0"])
def test_a_file_mode_that_opens_the_documents_up_is_refused(run, tmp_path: Path, mode: str) -> None:
    workbook = tmp_path / "program.xlsx"
    shutil.copyfile(SAMPLE, workbook)
    (tmp_path / "plangen.toml").write_text(f'[output]\nfile_mode = "{mode}"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = build(run, workbook, out)
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: {tmp_path / 'plangen.toml'} [output]: file_mode '{mode}' is not allowed. "
        'Use "0600" (only you, the default) or "0640" (you and your group may read). Documents about '
        "children are never readable by every account on the computer.\n"
    )
    assert not out.exists()


# --- no names where they don't belong -------------------------------------------------------------


def test_no_family_name_in_file_names_terminal_output_report_manifest_or_log(run, tmp_path: Path) -> None:
    names = family_names(SAMPLE)
    assert {"Zoë", "Siobhán O'Connor", "D'Andre", "Grandma Lo"} <= names
    out = tmp_path / "out"
    built = build(run, SAMPLE, out)
    checked = run("validate", SAMPLE, "--as-of", AS_OF.isoformat())
    as_json = run("validate", SAMPLE, "--as-of", AS_OF.isoformat(), "--json")
    mapped = run("map", SAMPLE)
    for result in (built, checked, as_json, mapped):
        assert named(result.output, names) == []
    assert named("\n".join(p.relative_to(out).as_posix() for p in out.rglob("*")), names) == []
    folder = out / PERIOD
    assert named((folder / "manifest.json").read_text(encoding="utf-8"), names) == []
    assert named((out / LOG_NAME).read_text(encoding="utf-8"), names) == []
    report = load_workbook(folder / "report.xlsx", read_only=True)
    try:
        cells = " ".join(str(v) for ws in report for row in ws.iter_rows(values_only=True) for v in row if v)
    finally:
        report.close()
    assert named(cells, names) == []


def test_problems_name_the_cell_and_child_id_and_show_values_only_when_asked(
    run, make_workbook, tmp_path: Path
) -> None:
    workbook = make_workbook(
        children=[
            child(
                child_name="Anneliese", caregiver_names="Rosalind Quist", coordinator_email="Rosalind Quist"
            )
        ],
        visits=[visit(visit_date="Anneliese's birthday", strategy_1_who="Rosalind Quist")],
    )
    out = tmp_path / "out"
    result = build(run, workbook, out)
    assert result.exit_code == 1
    assert "Visits!B2" in result.stderr and "C-1" in result.stderr
    assert named(result.output, {"Anneliese", "Rosalind Quist"}) == []
    shown = build(run, workbook, out, "--show-values")
    assert '[value: "Anneliese\'s birthday"]' in shown.stderr or "[value: 'Anneliese" in shown.stderr


# --- document properties --------------------------------------------------------------------------


CORE_WITH_NAMES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Plan for Anneliese Quist</dc:title><dc:subject>Quist family</dc:subject>"
    "<dc:creator>Rosalind Author</dc:creator><cp:keywords>Quist; IFSP</cp:keywords>"
    "<dc:description>Notes about Anneliese</dc:description><cp:lastModifiedBy>Rosalind Author</cp:lastModifiedBy>"
    "<cp:lastPrinted>2026-01-02T03:04:05Z</cp:lastPrinted><cp:category>Quist</cp:category>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
    "</cp:coreProperties>"
)


def with_named_properties(template: Path, target: Path) -> None:
    """The template as a program's author might save it: their name, a family's, their company."""
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = CORE_WITH_NAMES.encode()
            elif info.filename == "docProps/app.xml":
                text = data.decode()
                text = re.sub(
                    r"<Company\s*/>|<Company>[^<]*</Company>",
                    "<Company>Quist Family Services</Company>",
                    text,
                )
                text = re.sub(
                    r"<Manager\s*/>|<Manager>[^<]*</Manager>", "<Manager>Rosalind Author</Manager>", text
                )
                data = text.encode()
            out.writestr(info, data)


def test_every_kind_of_document_has_neutral_properties(run, tmp_path: Path) -> None:
    own = tmp_path / "own-templates"
    assert run("templates", "export", own).exit_code == 0
    for template in own.glob("*.docx"):
        staged = template.with_suffix(".tmp")
        with_named_properties(template, staged)
        staged.replace(template)
    out = tmp_path / "out"
    assert build(run, SAMPLE, out, "--templates", own).exit_code == 0
    folder = out / PERIOD
    kinds = {"family": 0, "ifsp-review": 0, "diary": 0, "coordinator": 0, "shared": 0}
    for document in folder.rglob("*.docx"):
        kinds[document.parent.name] += 1
        with zipfile.ZipFile(document) as package:
            core = package.read("docProps/core.xml").decode()
            app = package.read("docProps/app.xml").decode()
        for text in (core, app):
            assert not re.search(r"Quist|Anneliese|Rosalind", text), (document.name, text)
        assert (
            "<dc:creator>plangen</dc:creator>" in core
            and "<cp:lastModifiedBy>plangen</cp:lastModifiedBy>" in core
        )
        for element in ("dc:title", "dc:subject", "cp:keywords", "dc:description", "cp:category"):
            assert f"<{element}/>" in core, element
        assert "lastPrinted" not in core
        assert "<Company/>" in app and "<Manager/>" in app
    assert all(kinds.values()), kinds


# --- the disclosure log ---------------------------------------------------------------------------


def test_each_copy_beyond_the_ifsp_team_is_logged_once_without_names(run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(run, SAMPLE, out).exit_code == 0
    copy = out / PERIOD / "shared" / "C-1001_2026-11-17_family-plan-copy-d4ccd5438a.docx"
    log = out / LOG_NAME
    lines = read_log(log)
    assert len(lines) == 1
    line = lines[0]
    assert dt.datetime.fromisoformat(line.pop("recorded_at")).tzinfo is not None
    assert line == {
        "date": "2026-11-20",
        "child_id": "C-1001",
        "document": f"{PERIOD}/shared/{copy.name}",
        "recipient_role": "child care",
        "purpose": "copy of the family joint plan, with the parent's written consent",
        "consent_reference": "consent signed 2026-06-10",
        "source": "Visits!45",
        "sha256": file_digest(copy),
    }
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert build(run, SAMPLE, out).exit_code == 0  # unchanged: no new copy, no new line
    assert len(read_log(log)) == 1
    # The plan changes (the caregiver's words are corrected): a new copy, a new line.
    workbook = tmp_path / "program.xlsx"
    edited = load_workbook(SAMPLE)
    visits = edited["Visits"]
    words = next(c.column for c in visits[1] if c.value == "Caregiver's words")
    visits.cell(row=45, column=words, value="We will try it at every snack.")
    edited.save(workbook)
    assert build(run, workbook, out).exit_code == 0
    lines = read_log(log)
    assert len(lines) == 2
    assert (lines[1]["document"], lines[1]["sha256"]) == (lines[0]["document"], file_digest(copy))
    assert lines[1]["sha256"] != lines[0]["sha256"]
    assert log.read_text(encoding="utf-8").startswith("recorded_at,date,child_id,document,")


def test_recipient_roles_are_words_for_kinds_of_people_never_names() -> None:
    assert recipient_role("Grandma Rosa") == "relative"
    assert recipient_role("Little Steps child care") == "child care"
    assert recipient_role("CPS caseworker") == "child welfare or court"
    assert recipient_role("Dr. Okafor, pediatrician") == "health care"
    assert recipient_role("Patricia Lopez") == "other"


# --- one family's documents hold nothing of another's ---------------------------------------------


def test_a_family_document_never_holds_another_family_s_data(run, make_workbook, tmp_path: Path) -> None:
    families = {
        "F-1": {"child_name": "Marigold", "caregiver_names": "Ottoline Frost", "strategy_1": "Peekaboo with the blanket",
                "strategy_1_steps": "Hide behind the quilt", "caregiver_words": "We love the quilt game"},
        "F-2": {"child_name": "Bartholomew", "caregiver_names": "Wendell Achterberg", "strategy_1": "Stack the red cups",
                "strategy_1_steps": "Build a tower of cups", "caregiver_words": "Cups every morning"},
    }  # fmt: skip
    child_keys = ("child_name", "caregiver_names")
    workbook = make_workbook(
        children=[
            child(child_id=i, consent_share_with="grandmother", consent_date=dt.date(2026, 3, 1),
                  coordinator_name="Dana Whitfield", **{k: v[k] for k in child_keys})
            for i, v in families.items()
        ],
        outcomes=[outcome(child_id=i, outcome_statement=f"{v['child_name']} will ask for more.") for i, v in families.items()],
        visits=[
            visit(child_id=i, share_copy_with="grandmother", strategy_1_who=v["caregiver_names"],
                  **{k: val for k, val in v.items() if k not in child_keys})
            for i, v in families.items()
        ],
    )  # fmt: skip
    out = tmp_path / "out"
    assert build(run, workbook, out).exit_code == 0
    folder = out / "2026-11-17_to_2026-11-17"
    for own_id, own in families.items():
        other = next(v for i, v in families.items() if i != own_id)
        documents = [p for p in folder.rglob(f"{own_id}_*.docx")]
        assert {p.parent.name for p in documents} == {"family", "ifsp-review", "diary", "shared"}
        for document in documents:
            text = docx_text(document)
            assert own["child_name"] in text, document.name
            for value in other.values():
                assert value not in text, (document.name, value)
    # The coordinator's packet holds both families: it goes to the coordinator, never to a family.
    packets = list(folder.rglob("*update-packet.docx"))
    assert [p.parent.name for p in packets] == ["coordinator"]
    packet = docx_text(packets[0])
    assert "For Dana Whitfield" in packet and "For the IFSP team" in packet
    for family in families.values():
        assert f"For {family['caregiver_names']}" not in packet
