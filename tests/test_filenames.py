"""File names are built from ids, dates and fixed words through an allow-list, whatever a cell says,
byte-length limited, distinct for distinct ids, and never outside the output folder."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from plangen.consent import copy_name, recipient_slug
from plangen.manifest import Manifest
from plangen.packet import name_slug
from plangen.write import MAX_COMPONENT_BYTES, MAX_NAME_BYTES, document_name, safe_component, safe_target

from conftest import AS_OF, child, outcome, visit

ALLOWED = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
HOSTILE = [
    "../../etc/passwd",
    "..",
    ".",
    "/etc/passwd",
    "C:\\Windows\\System32\\config",
    "\\\\server\\share\\x",
    "CON",
    "con",
    "NUL",
    "LPT1",
    "COM9",
    "a\x00b",
    "C-1\x00../../x",
    "x" * 500,
    "é" * 300,  # 600 bytes of UTF-8
    "С-1001",  # Cyrillic Es
    "Ｃ-1001",  # fullwidth C
    "C‐1001",  # U+2010 hyphen
    "C-1001\u200b",  # zero-width space
    "C-1001\u202e",  # right-to-left override
    "-rf",
    ".hidden",
    "😀",
    "",
    "   ",
    "A/1",
    "A-1",
    "A\\1",
    "A 1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_name_part_is_allow_listed_and_short_whatever_the_text(text: str) -> None:
    part = safe_component(text)
    assert ALLOWED.fullmatch(part), part
    assert len(part.encode()) <= MAX_COMPONENT_BYTES
    assert part.upper() not in WINDOWS_RESERVED
    assert part not in {".", ".."}


def test_distinct_ids_never_share_a_name() -> None:
    """Ids that clean up alike (A/1, A-1, A 1; C-1001 and its look-alikes; long ids with one prefix) stay apart."""
    texts = [t for t in HOSTILE if t.strip()] + ["x" * 499 + "y", "C-1001"]
    parts = [safe_component(t) for t in texts]
    assert len(set(parts)) == len(set(texts))
    assert safe_component("C-1001") == "C-1001", "a plain id is kept as typed"
    assert safe_component("  C-1001 ") == "C-1001"


@pytest.mark.parametrize("text", HOSTILE)
def test_document_names_stay_in_one_folder_and_within_the_byte_limit(text: str) -> None:
    name = document_name(text, dt.date(2026, 11, 17), "family-plan", dt.time(10, 30))
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert ALLOWED.fullmatch(name.removesuffix(".docx"))
    assert name.endswith("_2026-11-17_1030_family-plan.docx")
    folder = Path("/out/family")
    assert (folder / name).parent == folder


@pytest.mark.parametrize("text", HOSTILE)
def test_coordinator_and_recipient_slugs_are_safe(text: str) -> None:
    for slug in (name_slug(text), recipient_slug(text)):
        assert ALLOWED.fullmatch(slug), slug
        assert len(slug.encode()) <= MAX_COMPONENT_BYTES
    name = copy_name(text, dt.date(2026, 11, 17), text, dt.time(9, 0))
    assert len(name.encode()) <= MAX_NAME_BYTES and "/" not in name and "\\" not in name


def test_coordinators_without_latin_letters_get_distinct_packets() -> None:
    assert name_slug("王芳") != name_slug("李娜")
    assert name_slug("Miguel Serrano-Díaz") == "miguel-serrano-diaz"


def test_a_path_that_would_leave_the_output_folder_is_refused(tmp_path: Path) -> None:
    """Defence in depth: names are safe already; the writer still refuses a path out of the folder."""
    for relative in ("../x.docx", "family/../../x.docx", "/etc/x.docx"):
        with pytest.raises(ValueError, match="outside the output folder"):
            safe_target(tmp_path, relative)
        with pytest.raises(ValueError, match="outside the output folder"):
            Manifest(tmp_path).decide(relative, "f", force=False)
    expected = str(tmp_path / "family" / "C-1_family-plan.docx")
    assert safe_target(tmp_path, "family/C-1_family-plan.docx") == (expected, False)


def test_a_link_inside_the_output_folder_never_leads_writing_out_of_it(tmp_path: Path) -> None:
    """A folder or a document replaced by a link to elsewhere is refused; a link that stays inside is not."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (out / "kept").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "x.docx").write_bytes(b"someone's file")
    (out / "family").symlink_to(elsewhere)
    (out / "ifsp-review").mkdir()
    (out / "ifsp-review" / "C-1.docx").symlink_to(elsewhere / "x.docx")
    (out / "kept" / "C-2.docx").symlink_to(out / "kept" / "C-3.docx")
    for relative in ("family/C-1.docx", "ifsp-review/C-1.docx"):
        with pytest.raises(ValueError, match="outside the output folder"):
            safe_target(out, relative)
    assert safe_target(out, "kept/C-2.docx")[0] == str(out / "kept" / "C-2.docx")
    assert (elsewhere / "x.docx").read_bytes() == b"someone's file"


def test_whether_a_document_is_there_is_told_with_its_safe_name(tmp_path: Path) -> None:
    """One look at the name says both: nothing, a file, a link that stays inside (to a file or to
    nothing), and a link out of the folder, which is refused."""
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "there.docx").write_bytes(b"x")
    (tmp_path / "kept" / "to-there.docx").symlink_to(tmp_path / "kept" / "there.docx")
    (tmp_path / "kept" / "to-nothing.docx").symlink_to(tmp_path / "kept" / "gone.docx")
    (tmp_path / "kept" / "out.docx").symlink_to(tmp_path.parent)
    assert safe_target(tmp_path, "kept/new.docx") == (str(tmp_path / "kept" / "new.docx"), False)
    assert safe_target(tmp_path, "kept/there.docx") == (str(tmp_path / "kept" / "there.docx"), True)
    assert safe_target(tmp_path, "kept/to-there.docx") == (str(tmp_path / "kept" / "to-there.docx"), True)
    assert safe_target(tmp_path, "kept/to-nothing.docx") == (str(tmp_path / "kept" / "to-nothing.docx"), False)
    with pytest.raises(ValueError, match="outside the output folder"):
        safe_target(tmp_path, "kept/out.docx")


def test_a_build_with_hostile_ids_and_names_writes_only_inside_the_output_folder(
    run, make_workbook, tmp_path: Path
) -> None:
    ids = ["../../escape", "/abs/path", "CON", "A/1", "A-1", "x" * 300, "С-1001", "C-1001"]
    coordinators = ["../../Evil", "CON", "王芳", "李娜", "x" * 300, "Dana Whitfield", "Dana Whitfield", "NUL"]
    children = [
        child(child_id=i, coordinator_name=c, consent_share_with="../../grandma; 祖母; CON",
              consent_date=dt.date(2026, 3, 1))
        for i, c in zip(ids, coordinators, strict=True)
    ]  # fmt: skip
    workbook = make_workbook(
        children=children,
        outcomes=[outcome(child_id=i) for i in ids],
        visits=[visit(child_id=i, share_copy_with="../../grandma; 祖母; CON") for i in ids],
    )
    out = tmp_path / "deep" / "out"
    before = {p for p in tmp_path.rglob("*")}
    result = run("build", workbook, "--out", out, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    written = {p for p in tmp_path.rglob("*")} - before
    outside = [p for p in written if not p.resolve().is_relative_to(out.resolve()) and p != out.parent]
    assert outside == []
    documents = sorted(out.rglob("*.docx"))
    folder = out / "2026-11-17_to_2026-11-17"
    assert len(list((folder / "family").glob("*.docx"))) == len(ids), "every child its own plan"
    assert len(list((folder / "ifsp-review").glob("*.docx"))) == len(ids)
    assert len(list((folder / "diary").glob("*.docx"))) == len(ids)
    assert len(list((folder / "shared").glob("*.docx"))) == 3 * len(ids), "three recipients, three copies"
    packets = sorted(p.name for p in (folder / "coordinator").glob("*.docx"))
    assert len(packets) == 7, packets  # the two Dana Whitfield children share one
    for document in documents:
        assert ALLOWED.fullmatch(document.name.removesuffix(".docx")), document.name
        assert len(document.name.encode()) <= MAX_NAME_BYTES
        assert document.parent.parent == folder
