"""build --pdf on the sample, with LibreOffice: a PDF for every document, each print-ready.

The sample is built and converted once for the module (about 20 s on 2 cores).
Family plans print on one page (English and Spanish, one to three strategies);
coordinator packets have the coordinator and period in the header, "page N of M"
in the footer, a cover, then each child's section from the top of a new page;
no document has a page without text.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from plangen.build import load
from plangen.cli import cli
from plangen.config import Config
from plangen.packet import name_slug

from conftest import AS_OF, SAMPLE

pytestmark = pytest.mark.libreoffice

if shutil.which("soffice") is None and os.environ.get("CI"):
    raise RuntimeError("CI must install LibreOffice (libreoffice-writer-nogui); .ci/run does.")

PERIOD = "2026-10-05_to_2026-11-20"
PERIOD_SHOWN = "Oct 5, 2026 – Nov 20, 2026"
PACKET_HEADER = 3  # program name, contact line, coordinator · period
PROGRAM = "Riverbend Early Intervention"


@dataclass
class SampleBuild:
    out: Path
    first: Any  # the CLI result of the --pdf build
    again: Any  # the same command run again
    pdf_times: dict[Path, int]  # modification times after the first run

    def pages(self, pdf: Path) -> list[str]:
        return [page.extract_text() for page in PdfReader(pdf).pages]


def invoke(*args: str | Path) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleBuild]:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("print-ready")
    command = ("build", SAMPLE, "--out", out, "--as-of", AS_OF.isoformat(), "--pdf", "--quiet")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PLANGEN_SOFFICE", raising=False)
        first = invoke(*command)
        times = {p: p.stat().st_mtime_ns for p in (out / PERIOD).rglob("*.pdf")}
        again = invoke(*command)
    yield SampleBuild(out / PERIOD, first, again, times)


def body(page: str, header_lines: int = 2) -> list[str]:
    """A page's lines between the branded header and the footer (its last line)."""
    lines = page.splitlines()
    assert lines[0] == PROGRAM, lines[:3]
    assert lines[-1].startswith(("Confidential: ", "Confidencial: ")), lines[-1]
    return lines[header_lines:-1]


def test_pdf_on_the_sample_writes_a_pdf_next_to_every_document(sample: SampleBuild) -> None:
    assert sample.first.exit_code == 0, sample.first.output
    documents = sorted(p.with_suffix("") for p in sample.out.rglob("*.docx"))
    pdfs = sorted(p.with_suffix("") for p in sample.out.rglob("*.pdf"))
    assert len(documents) == 48 + 48 + 14 + 3 + 1
    assert pdfs == documents
    assert "PDFs next to the documents: 114 converted, 0 unchanged, 0 failed." in sample.first.output
    for pdf in sample.out.rglob("*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF-")


def test_a_rerun_converts_no_pdf_again(sample: SampleBuild) -> None:
    assert sample.again.exit_code == 0
    assert "PDFs next to the documents: 0 converted, 114 unchanged, 0 failed." in sample.again.output
    assert {p: p.stat().st_mtime_ns for p in sample.out.rglob("*.pdf")} == sample.pdf_times


def test_every_family_plan_prints_on_one_page_in_english_and_spanish(sample: SampleBuild) -> None:
    plans = sorted((sample.out / "family").glob("*.pdf")) + sorted((sample.out / "shared").glob("*.pdf"))
    assert len(plans) == 49
    pages = {plan.name: sample.pages(plan) for plan in plans}
    assert {name: len(texts) for name, texts in pages.items() if len(texts) != 1} == {}
    spanish = [name for name, texts in pages.items() if "Nuestro plan para" in texts[0]]
    assert len(spanish) == 8, "C-1006 and C-1007: 4 visits each"
    # Two strategies in Spanish, the longest kind of plan in the sample, still one page:
    two = pages["C-1006_2026-11-17_family-plan.pdf"][0]
    assert "Plan B." in two and two.count("Plan B.") == 2
    # Three strategies (more than most families pick) fit too with the sample's text.
    assert len(pages["C-1011_2026-11-09_family-plan.pdf"]) == 1


def test_the_ifsp_reviews_and_diaries_have_text_on_every_page(sample: SampleBuild) -> None:
    counts: dict[str, int] = {}
    for folder in ("ifsp-review", "diary"):
        for pdf in sorted((sample.out / folder).glob("*.pdf")):
            texts = sample.pages(pdf)
            counts[pdf.name] = len(texts)
            for number, text in enumerate(texts, start=1):
                assert body(text), f"{pdf.name} page {number} is blank"
    assert {n for name, n in counts.items() if "ifsp-review" in name} == {1}
    assert {n for name, n in counts.items() if "diary" in name} <= {1, 2, 3}, "the sample: 1 to 3 pages"


def packet_children() -> dict[str, tuple[str, list[str]]]:
    """The sample's coordinators by packet file name: their name and children (each seen in the period)."""
    dataset = load(SAMPLE, Config(), AS_OF)
    packets: dict[str, tuple[str, list[str]]] = {}
    for child in sorted(dataset.children.values(), key=lambda c: c.child_id):
        name = str(child.get("coordinator_name"))
        packets.setdefault(name_slug(name), (name, []))[1].append(child.child_id)
    return packets


def test_packets_have_a_cover_then_each_child_from_a_new_page_numbered_page_n_of_m(
    sample: SampleBuild,
) -> None:
    children = packet_children()
    assert sorted(children) == ["harriet-okafor", "miguel-serrano-diaz", "tamsin-boyle"]
    found: dict[str, tuple[int, list[int]]] = {}
    for slug, (coordinator, ids) in children.items():
        texts = sample.pages(sample.out / "coordinator" / f"{slug}_update-packet.pdf")
        starts: list[int] = []
        for number, text in enumerate(texts, start=1):
            lines = text.splitlines()
            assert lines[PACKET_HEADER - 1] == f"{coordinator} · {PERIOD_SHOWN}", "the header, on every page"
            assert lines[-1].endswith(f"Update packet · page {number} of {len(texts)}")
            assert len(body(text, PACKET_HEADER)) > 2, f"{slug} page {number} is blank"
            first = body(text, PACKET_HEADER)[0]
            if first.split(" · ")[0] in ids:
                starts.append(number)
                assert first.split(" · ")[0] == ids[len(starts) - 1], "children in id order"
        assert body(texts[0], PACKET_HEADER)[0] == "Coordinator update packet"
        assert len(starts) == len(ids), f"{slug}: each child's section starts a page"
        cover = starts[0] - 1
        sections = [b - a for a, b in zip(starts, [*starts[1:], len(texts) + 1], strict=True)]
        found[slug] = (cover, sections)
    # Pages = cover + each child's section; the sample, with Carlito: 7, 8 and 5 pages.
    assert found == {
        "harriet-okafor": (2, [1, 1, 1, 1, 1]),
        "miguel-serrano-diaz": (2, [1, 1, 1, 2, 1]),
        "tamsin-boyle": (1, [1, 1, 1, 1]),
    }
