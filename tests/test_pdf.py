"""build --pdf: a PDF next to each document, in batches, never a silent miss (a stand-in soffice).

These tests run a small fake ``soffice`` (PLANGEN_SOFFICE points at it): it writes a
stand-in PDF for each document, logs how it was called, and can skip a file (as
LibreOffice does, exiting 0) or hang. tests/test_print_ready.py converts for real.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from plangen.manifest import Manifest
from plangen.pdf import Batch, convert, plan_batches, worker_count, write_pdfs

from conftest import AS_OF, file_digest

PERIOD = "2026-11-17_to_2026-11-17"
INSTALL = (
    "Install LibreOffice, then run again:\n"
    "  Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-crosextra-carlito fonts-liberation\n"
    "  macOS:         brew install --cask libreoffice\n"
    "  Windows:       the installer from https://www.libreoffice.org/download/\n"
    "If it is installed somewhere else, set PLANGEN_SOFFICE to the soffice program. "
    "Without --pdf, the Word documents are written as usual.\n"
)
DOCUMENTS = [
    "coordinator/dana-whitfield_update-packet",
    "diary/C-1_progress-diary",
    "family/C-1_2026-11-17_family-plan",
    "ifsp-review/C-1_2026-11-17_ifsp-review",
]
FAKE = """\
#!{python}
import json, os, pathlib, subprocess, sys, time
args = sys.argv[1:]
with open(os.environ["FAKE_SOFFICE_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
hang_on = os.environ.get("FAKE_SOFFICE_HANG_ON", "")
if os.environ.get("FAKE_SOFFICE_HANG") and any(hang_on in a for a in args):
    helper = subprocess.Popen(["sleep", "60"])  # soffice.bin, started by the soffice script
    pathlib.Path(os.environ["FAKE_SOFFICE_HANG"]).write_text(str(helper.pid))
    time.sleep(60)
outdir = pathlib.Path(args[args.index("--outdir") + 1])
skip = os.environ.get("FAKE_SOFFICE_SKIP", "")
for name in (a for a in args if a.endswith(".docx")):
    document = pathlib.Path(name)
    if skip and skip in document.name:
        print("Error: source file could not be loaded", file=sys.stderr)
        continue
    (outdir / (document.stem + ".pdf")).write_bytes(b"%PDF-1.4 stand-in for " + document.name.encode())
"""


class FakeSoffice:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "bin" / "soffice"
        self.log = folder / "soffice-calls.jsonl"
        self.path.parent.mkdir()
        self.path.write_text(FAKE.format(python=sys.executable), encoding="utf-8")
        self.path.chmod(0o755)

    def calls(self) -> list[list[str]]:
        if not self.log.is_file():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]

    def converted(self) -> list[str]:
        """The documents given to soffice, by file name, in every call so far."""
        return sorted(Path(a).name for call in self.calls() for a in call if a.endswith(".docx"))


@pytest.fixture
def soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeSoffice:
    fake = FakeSoffice(tmp_path)
    monkeypatch.setenv("PLANGEN_SOFFICE", str(fake.path))
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(fake.log))
    return fake


def build(run: Any, workbook: Path, *extra: str) -> Any:
    return run("build", workbook, "--out", workbook.parent / "out", "--as-of", AS_OF.isoformat(), *extra)


def folder(workbook: Path) -> Path:
    return workbook.parent / "out" / PERIOD


def pdf_line(result: Any) -> str:
    return next(line for line in result.output.splitlines() if line.startswith("PDFs "))


def test_without_libreoffice_pdf_stops_before_writing_anything_and_says_how_to_install_it(
    run, make_workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANGEN_SOFFICE", "/nonexistent/soffice")
    workbook = make_workbook()
    result = build(run, workbook, "--pdf")
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: --pdf needs LibreOffice, and PLANGEN_SOFFICE=/nonexistent/soffice is not a program that "
        "can be run; nothing was written. " + INSTALL
    )
    assert not (workbook.parent / "out").exists()
    assert build(run, workbook).exit_code == 0, "without --pdf the Word documents are written as usual"
    assert (
        sorted(p.suffix for p in folder(workbook).rglob("*.*") if p.parent != folder(workbook))
        == [".docx"] * 4
    )


def test_with_no_soffice_on_path_pdf_exits_3_with_the_install_commands(
    run, make_workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLANGEN_SOFFICE", raising=False)
    monkeypatch.setattr("plangen.pdf.KNOWN_PLACES", ())  # not where the macOS or Windows installer puts it
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    workbook = make_workbook()
    result = build(run, workbook, "--pdf")
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: --pdf needs LibreOffice to convert the documents, and it is not installed here "
        "(no soffice on PATH); nothing was written. " + INSTALL
    )
    assert not (workbook.parent / "out").exists()


def test_pdf_writes_a_pdf_next_to_each_document_readable_by_the_owner_only(
    run, make_workbook, soffice: FakeSoffice
) -> None:
    workbook = make_workbook()
    result = build(run, workbook, "--pdf")
    assert result.exit_code == 0, result.output
    assert pdf_line(result) == "PDFs next to the documents: 4 converted, 0 unchanged, 0 failed."
    out = folder(workbook)
    pdfs = sorted(p.relative_to(out).with_suffix("").as_posix() for p in out.rglob("*.pdf"))
    assert pdfs == DOCUMENTS
    for name in DOCUMENTS:
        pdf = out / f"{name}.pdf"
        assert pdf.read_bytes() == f"%PDF-1.4 stand-in for {Path(name).name}.docx".encode()
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    assert not list(out.rglob(".plangen-*")), "no batch folder or temporary file is left"


def test_each_batch_is_one_soffice_call_per_folder_with_a_private_profile_and_a_hidden_outdir(
    run, make_workbook, soffice: FakeSoffice, tmp_path: Path
) -> None:
    workbook = make_workbook()
    assert build(run, workbook, "--pdf").exit_code == 0
    calls = soffice.calls()
    assert len(calls) == 4, "4 folders, one document each"
    out = folder(workbook).resolve()
    for call in calls:
        assert call[:4] == ["--headless", "--norestore", "--nologo", "--nolockcheck"]
        profile = call[4].removeprefix("-env:UserInstallation=file://")
        assert call[4].startswith("-env:UserInstallation=file:///")
        assert not Path(profile).is_relative_to(out) and not Path(profile).exists(), "removed after the run"
        assert call[5:8] == ["--convert-to", "pdf", "--outdir"]
        outdir, documents = Path(call[8]), [Path(d) for d in call[9:]]
        assert outdir.name.startswith(".plangen-pdf-")
        assert {d.parent for d in documents} == {outdir.parent}, "the batch folder sits with its documents"
    assert len({call[4] for call in calls}) == 1, "one worker for a few documents: one profile"


def test_the_manifest_records_each_pdf_with_its_document_s_sha256(
    run, make_workbook, soffice: FakeSoffice
) -> None:
    workbook = make_workbook()
    assert build(run, workbook, "--pdf").exit_code == 0
    out = folder(workbook)
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
    for name in DOCUMENTS:
        docx, pdf = entries[f"{name}.docx"], entries[f"{name}.pdf"]
        assert pdf["fingerprint"] == file_digest(out / f"{name}.docx")
        assert pdf["sha256"] == file_digest(out / f"{name}.pdf")
        assert pdf["rows"] == docx["rows"]


def test_a_rerun_converts_nothing_unchanged_and_a_missing_pdf_again(
    run, make_workbook, soffice: FakeSoffice
) -> None:
    workbook = make_workbook()
    assert build(run, workbook, "--pdf").exit_code == 0
    out = folder(workbook)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    calls = len(soffice.calls())

    again = build(run, workbook, "--pdf")
    assert again.exit_code == 0
    assert pdf_line(again) == "PDFs next to the documents: 0 converted, 4 unchanged, 0 failed."
    assert len(soffice.calls()) == calls, "soffice is not even started"
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == before

    (out / "family/C-1_2026-11-17_family-plan.pdf").unlink()
    third = build(run, workbook, "--pdf")
    assert pdf_line(third) == "PDFs next to the documents: 1 converted, 3 unchanged, 0 failed."
    assert soffice.calls()[-1][9:] == [str((out / "family/C-1_2026-11-17_family-plan.docx").resolve())]
    assert (out / "family/C-1_2026-11-17_family-plan.pdf").is_file()

    forced = build(run, workbook, "--pdf", "--force")
    assert pdf_line(forced) == "PDFs next to the documents: 4 converted, 0 unchanged, 0 failed."


def test_a_first_pdf_run_after_a_docx_only_run_converts_the_unchanged_documents(
    run, make_workbook, soffice: FakeSoffice
) -> None:
    workbook = make_workbook()
    assert build(run, workbook).exit_code == 0
    assert soffice.calls() == []
    result = build(run, workbook, "--pdf")
    assert "1 visit(s); 0 rendered, 1 unchanged," in result.output
    assert pdf_line(result) == "PDFs next to the documents: 4 converted, 0 unchanged, 0 failed."


def test_a_pdf_libreoffice_did_not_write_fails_its_row_and_the_exit_code_is_1(
    run, make_workbook, soffice: FakeSoffice, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SOFFICE_SKIP", "ifsp-review")
    workbook = make_workbook()
    result = build(run, workbook, "--pdf")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "  failed: Visits!2 child C-1 2026-11-17: ifsp-review/C-1_2026-11-17_ifsp-review.pdf: LibreOffice "
        "did not convert it; open the document to check it, then run again "
        "(soffice said: Error: source file could not be loaded)"
    ]
    assert pdf_line(result) == "PDFs next to the documents: 3 converted, 0 unchanged, 1 failed."
    out = folder(workbook)
    assert not (out / "ifsp-review/C-1_2026-11-17_ifsp-review.pdf").exists()
    assert (out / "family/C-1_2026-11-17_family-plan.pdf").is_file()
    rows = list(load_workbook(out / "report.xlsx")["Rows"].iter_rows(values_only=True))
    assert rows[1][rows[0].index("Status")] == "failed"

    monkeypatch.delenv("FAKE_SOFFICE_SKIP")
    fixed = build(run, workbook, "--pdf")
    assert fixed.exit_code == 0
    assert pdf_line(fixed) == "PDFs next to the documents: 1 converted, 3 unchanged, 0 failed."


def test_a_period_document_whose_pdf_failed_is_listed_and_the_exit_code_is_1(
    run, make_workbook, soffice: FakeSoffice, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SOFFICE_SKIP", "update-packet")
    result = build(run, make_workbook(), "--pdf")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "  failed: coordinator/dana-whitfield_update-packet.pdf: LibreOffice did not convert it; "
        "open the document to check it, then run again (soffice said: Error: source file could not be loaded)"
    ]
    assert "1 rendered, 0 skipped, 0 with errors, 0 failed;" in result.output


def test_a_hung_batch_is_stopped_whole_after_its_timeout_and_each_document_reported(
    soffice: FakeSoffice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SOFFICE_HANG", str(tmp_path / "helper.pid"))
    documents = [tmp_path / "out" / f"C-{i}_family-plan.docx" for i in (1, 2)]
    documents[0].parent.mkdir()
    for document in documents:
        document.write_bytes(b"docx")
    started = time.monotonic()
    results = convert(documents, str(soffice.path), workers=1, timeout=1)
    assert time.monotonic() - started < 10
    why = "LibreOffice took longer than 1 s for 2 document(s) and was stopped; run again"
    assert results == dict.fromkeys(documents, why)
    helper = int((tmp_path / "helper.pid").read_text())
    status = Path(f"/proc/{helper}/status")
    assert not status.exists() or "zombie" in status.read_text(), "the process soffice started is stopped too"
    assert sorted(p.name for p in documents[0].parent.iterdir()) == [
        "C-1_family-plan.docx",
        "C-2_family-plan.docx",
    ]

@pytest.fixture
def ctrl_c() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt here even when the test run was started with SIGINT ignored
    (a background job, some CI runners): these tests send it to themselves."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def test_ctrl_c_during_a_conversion_stops_every_soffice_and_goes_on(
    ctrl_c: None,
    soffice: FakeSoffice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SOFFICE_HANG", str(tmp_path / "helper.pid"))
    document = tmp_path / "out" / "C-1_family-plan.docx"
    document.parent.mkdir()
    document.write_bytes(b"docx")
    threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGINT)).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        convert([document], str(soffice.path), workers=1)
    assert time.monotonic() - started < 10
    helper = int((tmp_path / "helper.pid").read_text())
    status = Path(f"/proc/{helper}/status")
    assert not status.exists() or "zombie" in status.read_text()
    assert [p.name for p in document.parent.iterdir()] == ["C-1_family-plan.docx"]


def test_an_interrupted_run_keeps_on_record_the_pdfs_already_converted(
    ctrl_c: None,
    soffice: FakeSoffice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SOFFICE_HANG", str(tmp_path / "helper.pid"))
    monkeypatch.setenv("FAKE_SOFFICE_HANG_ON", "ifsp-review")
    out = tmp_path / "out"
    plans = [out / "family" / f"C-{i}_family-plan.docx" for i in (1, 2)]
    review = out / "ifsp-review" / "C-1_ifsp-review.docx"
    for document in [*plans, review]:
        document.parent.mkdir(parents=True, exist_ok=True)
        document.write_bytes(b"docx " + document.name.encode())
    manifest = Manifest(out)
    threading.Timer(2.5, os.kill, (os.getpid(), signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        write_pdfs([*plans, review], str(soffice.path), manifest, workers=1)
    assert sorted(manifest.entries) == ["family/C-1_family-plan.pdf", "family/C-2_family-plan.pdf"]
    assert manifest.entries["family/C-1_family-plan.pdf"].fingerprint == file_digest(plans[0])
    assert not review.with_suffix(".pdf").exists()


def test_two_workers_convert_in_parallel_each_with_its_own_profile(
    soffice: FakeSoffice, tmp_path: Path
) -> None:
    documents = [tmp_path / "out" / kind / f"C-{i}_{kind}.docx" for kind in ("a", "b") for i in range(12)]
    for document in documents:
        document.parent.mkdir(parents=True, exist_ok=True)
        document.write_bytes(b"docx")
    assert set(convert(documents, str(soffice.path), workers=2).values()) == {None}
    assert all(d.with_suffix(".pdf").is_file() for d in documents)
    profiles = {call[4] for call in soffice.calls()}
    assert len(soffice.calls()) == 2 and len(profiles) == 2


def test_batches_keep_to_one_folder_and_give_each_worker_a_share() -> None:
    family = [Path(f"out/family/C-{i}.docx") for i in range(40)]
    review = [Path(f"out/ifsp-review/C-{i}.docx") for i in range(40)]
    packets = [Path(f"out/coordinator/{name}.docx") for name in ("a", "b", "c")]
    batches = plan_batches([*family, *review, *packets], workers=2)
    assert [(b.folder.name, len(b.documents)) for b in batches] == [
        ("family", 40),
        ("ifsp-review", 40),
        ("coordinator", 3),
    ]
    one_folder = plan_batches(family, workers=2)
    assert [len(b.documents) for b in one_folder] == [20, 20]
    many = [Path(f"out/family/C-{i}.docx") for i in range(130)]
    assert plan_batches(many, workers=1, max_batch=60) == [
        Batch(Path("out/family"), tuple(many[:60])),
        Batch(Path("out/family"), tuple(many[60:120])),
        Batch(Path("out/family"), tuple(many[120:])),
    ], "at most max_batch documents per soffice call"
    assert worker_count(4) == 1, "a few documents: one LibreOffice"
    assert worker_count(114) == min(2, os.cpu_count() or 1)
    assert worker_count(114, workers=3) == 3


def test_without_pdf_no_pdf_is_written_and_libreoffice_is_not_needed(
    run, make_workbook, soffice: FakeSoffice
) -> None:
    workbook = make_workbook()
    result = build(run, workbook)
    assert result.exit_code == 0
    assert not list(folder(workbook).rglob("*.pdf"))
    assert soffice.calls() == []
    assert "PDFs" not in result.output
