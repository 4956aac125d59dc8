"""Every document plangen writes opens in LibreOffice; the family plan prints on one page."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import AS_OF, SAMPLE, visit

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.libreoffice

if SOFFICE is None and os.environ.get("CI"):
    raise RuntimeError("CI must install LibreOffice (libreoffice-writer-nogui); .ci/run does.")


def convert_to_pdf(documents: list[Path], out: Path, profile: Path) -> dict[str, Path]:
    """One soffice call for all; soffice exits 0 even when a file fails, so check each PDF."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, documents)],
        check=True, capture_output=True, timeout=300,
    )
    pdfs = {d.name: out / (d.stem + ".pdf") for d in documents}
    missing = [name for name, pdf in pdfs.items() if not pdf.is_file()]
    assert not missing, f"LibreOffice could not convert {missing}"
    return pdfs


def test_family_plan_and_ifsp_review_convert_and_the_plan_is_one_page(run, make_workbook, tmp_path: Path) -> None:
    two_strategies = visit(
        strategy_2="Sing the bath song and pause",
        strategy_2_steps="Sing the first line\nStop before the last word\nWait for her to fill it in",
        strategy_2_who="Siobhán and Grandma",
        strategy_2_when="Every bath",
        strategy_2_why="She learns to take a turn with sounds",
        strategy_2_plan_b="Sing the last word slowly and smile",
    )
    workbook = make_workbook(visits=[two_strategies])
    assert run("build", workbook, "--out", tmp_path / "out", "--as-of", AS_OF.isoformat()).exit_code == 0
    documents = sorted((tmp_path / "out").rglob("*.docx"))
    assert [d.name for d in documents] == [
        "dana-whitfield_update-packet.docx",
        "C-1_progress-diary.docx",
        "C-1_2026-11-17_family-plan.docx",
        "C-1_2026-11-17_ifsp-review.docx",
    ]
    pdfs = convert_to_pdf(documents, tmp_path / "pdf", tmp_path / "lo-profile")
    plan = PdfReader(pdfs["C-1_2026-11-17_family-plan.docx"])
    assert len(plan.pages) == 1
    assert "Our plan for Zoë" in plan.pages[0].extract_text()
    review = PdfReader(pdfs["C-1_2026-11-17_ifsp-review.docx"])
    assert "C-1" in review.pages[0].extract_text()


def test_the_sample_s_packets_diaries_and_copies_convert_and_each_child_starts_a_page(run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", SAMPLE, "--out", out, "--as-of", AS_OF.isoformat()).exit_code == 0
    folder = out / "2026-10-05_to_2026-11-20"
    documents = sorted(p for d in ("coordinator", "diary", "shared") for p in (folder / d).glob("*.docx"))
    assert len(documents) == 3 + 14 + 1
    pdfs = convert_to_pdf(documents, tmp_path / "pdf", tmp_path / "lo-profile")
    pages: dict[str, int] = {}
    for name in ("harriet-okafor", "miguel-serrano-diaz", "tamsin-boyle"):
        reader = PdfReader(pdfs[f"{name}_update-packet.docx"])
        texts = [page.extract_text() for page in reader.pages]
        pages[name] = len(texts)
        for number, text in enumerate(texts, start=1):
            lines = text.splitlines()
            assert len(lines) > 5, f"{name} page {number} is blank"  # more than header and footer
            assert f"page {number} of {len(texts)}" in text
        # Each child section starts a page: its heading is the first line under the 3-line header.
        firsts = [text.splitlines()[3] for text in texts]
        children = {"harriet-okafor": 5, "miguel-serrano-diaz": 5, "tamsin-boyle": 4}[name]
        assert len([f for f in firsts if f.startswith("C-10")]) == children, firsts
        assert firsts[0] == "Coordinator update packet"
    # A cover page and a page or more per child (the sample gives 7, 8 and 5 pages with Carlito).
    assert pages["harriet-okafor"] >= 6 and pages["miguel-serrano-diaz"] >= 6 and pages["tamsin-boyle"] >= 5
    diary = PdfReader(pdfs["C-1001_progress-diary.docx"])
    assert "Our progress diary · Zoë" in diary.pages[0].extract_text()
    assert all(page.extract_text().strip() for page in diary.pages)
