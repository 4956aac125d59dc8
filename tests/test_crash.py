"""Crashes lose nothing: a build killed at any point leaves every document complete or absent, and
the next run finishes the job, knowing the killed run's documents as its own.

The kill test runs ``plangen build`` on the sample as a subprocess and SIGKILLs it at seeded random
moments, alternating plain runs (which resume) and --force runs (which replace every document, so a
kill lands while old documents are being overwritten). After each kill every .docx in the output
must open; then one more run must finish with every document of a clean build, none "kept".
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from plangen.cli import cli
from plangen.manifest import JOURNAL_NAME, MANIFEST_NAME, Manifest, sha256
from plangen.write import TEMP_PREFIX

from conftest import AS_OF, SAMPLE

KILLS = 8
SEED = 20261120
PERIOD = "2026-10-05_to_2026-11-20"


def plangen(out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "plangen", "build", str(SAMPLE), "--out", str(out),
            "--as-of", AS_OF.isoformat(), "--jobs", "2", *extra]  # fmt: skip


def documents(folder: Path) -> list[Path]:
    """What a user sees as output: documents, never the hidden temporary files."""
    return sorted(p for p in folder.rglob("*.docx") if not p.name.startswith(TEMP_PREFIX))


def assert_whole(document: Path) -> None:
    with zipfile.ZipFile(document) as package:
        assert package.testzip() is None, document
    Document(str(document))  # python-docx opens it


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], float]:
    """The sample's documents and their fingerprints from one uninterrupted run, and its seconds."""
    out = tmp_path_factory.mktemp("clean")
    started = time.perf_counter()
    subprocess.run(plangen(out), check=True, capture_output=True, timeout=300)
    seconds = time.perf_counter() - started
    folder = out / PERIOD
    manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["documents"]
    assert len(manifest) == 114
    return {name: entry["fingerprint"] for name, entry in manifest.items()}, seconds


def test_killed_builds_leave_whole_documents_and_the_next_run_finishes(
    clean_build: tuple[dict[str, str], float], tmp_path: Path
) -> None:
    expected, seconds = clean_build
    out = tmp_path / "out"
    folder = out / PERIOD
    rng = random.Random(SEED)
    # Kill between 0.2 and 2.5 s, or sooner on a machine that builds the sample in under 2.8 s.
    latest = max(0.4, min(2.5, 0.9 * seconds))
    landed = checked = 0
    for attempt in range(KILLS):
        force = ("--force",) if attempt % 2 else ()
        process = subprocess.Popen(plangen(out, *force), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, latest))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            landed += 1
        process.wait(timeout=60)
        for document in documents(out):
            assert_whole(document)
            checked += 1
    # Workers of a killed run may finish their last document after it: let them go first.
    time.sleep(0.5)
    final = subprocess.run(plangen(out), capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    assert "kept:" not in final.stderr and "is not in manifest.json" not in final.stderr, final.stderr
    produced = {p.relative_to(folder).as_posix() for p in documents(folder)}
    assert produced == set(expected)
    for document in documents(folder):
        assert_whole(document)
    manifest = Manifest.load(folder)
    assert {name: e.fingerprint for name, e in manifest.entries.items()} == expected
    for name, entry in manifest.entries.items():
        assert sha256((folder / name).read_bytes()) == entry.sha256, name
    assert not list(out.rglob(f"{TEMP_PREFIX}*")), "no temporary file left after a finished run"
    assert not (folder / JOURNAL_NAME).exists()
    # At least half the kills must land mid-run for the test to mean something.
    assert landed >= KILLS // 2, landed
    print(f"kill test: {landed} of {KILLS} kills landed, {checked} documents checked after kills")


def processes_under(pid: int) -> set[int]:
    """The living processes under ``pid`` (Linux's /proc): a build's worker server, its workers, its
    resource tracker."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
            if state != "Z":
                children.setdefault(int(parent), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_a_killed_build_leaves_no_process_behind(tmp_path: Path) -> None:
    build = subprocess.Popen(plangen(tmp_path / "out", "--force"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    under: set[int] = set()
    while len(under) < 4 and build.poll() is None and time.monotonic() < deadline:  # server, tracker, 2 workers
        time.sleep(0.05)
        under = processes_under(build.pid)
    assert len(under) >= 4, "the build finished before its workers could be seen: nothing was tested"
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=60)
    deadline = time.monotonic() + 20
    while (left := {pid for pid in under if _alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"processes of the killed build still running: {sorted(left)}"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_each_document_is_on_record_in_the_journal_before_it_is_put_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The journal is written a batch at a time: never after a document of the batch is in place.
    folder = tmp_path / "out" / PERIOD
    placed: list[str] = []
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        if str(target).endswith(".docx"):
            relative = Path(target).relative_to(folder).as_posix()
            journal = (folder / JOURNAL_NAME).read_text(encoding="utf-8")
            assert f'{{"path": "{relative}", "fingerprint": ' in journal, f"{relative}: no intent on record"
            placed.append(relative)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    result = CliRunner().invoke(cli, ["build", str(SAMPLE), "--out", str(tmp_path / "out"),
                                      "--as-of", AS_OF.isoformat(), "--jobs", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(placed) == 114


def test_the_journal_keeps_what_a_killed_run_wrote(tmp_path: Path) -> None:
    """Without save(), the next load still knows every document recorded, and intents are checked on disk."""
    folder = tmp_path / "period"
    first = Manifest.load(folder)
    for name, data in (("family/a.docx", b"A"), ("family/b.docx", b"B"), ("family/c.docx", b"C")):
        decision, _ = first.decide(name, f"fp-{name}", force=False)
        assert decision.value == "render"
        (folder / "family").mkdir(parents=True, exist_ok=True)
        if name != "family/c.docx":  # c: killed before its file was written
            (folder / name).write_bytes(data)
        if name == "family/a.docx":  # b: killed after its file was written, before its entry
            first.record(name, ["Visits!2"], f"fp-{name}", data)
    first.close()  # killed: no save
    assert not (folder / MANIFEST_NAME).exists()
    second = Manifest.load(folder)
    assert sorted(second.entries) == ["family/a.docx", "family/b.docx"]
    assert second.entries["family/a.docx"].rows == ("Visits!2",)
    assert second.entries["family/b.docx"].sha256 == sha256(b"B")
    assert second.decide("family/a.docx", "fp-family/a.docx", force=False)[0].value == "unchanged"
    assert second.decide("family/b.docx", "fp-family/b.docx", force=False)[0].value == "unchanged"
    assert second.decide("family/c.docx", "fp-family/c.docx", force=False)[0].value == "render"
    second.save()
    assert not (folder / JOURNAL_NAME).exists()
    assert sorted(Manifest.load(folder).entries) == ["family/a.docx", "family/b.docx"]


def test_an_interrupted_replacement_is_not_taken_for_the_new_document(tmp_path: Path) -> None:
    """Killed after deciding to replace a document but before writing it: the old entry stands."""
    folder = tmp_path / "period"
    folder.mkdir()
    manifest = Manifest(folder)
    (folder / "a.docx").write_bytes(b"old")
    manifest.record("a.docx", [], "fp-old", b"old")
    manifest.save()
    again = Manifest.load(folder)
    assert again.decide("a.docx", "fp-new", force=False)[0].value == "render"
    again.close()  # killed before the new bytes were written
    after = Manifest.load(folder)
    assert after.entries["a.docx"].fingerprint == "fp-old"
    assert after.decide("a.docx", "fp-new", force=False)[0].value == "render"
    after.close()


def test_a_journal_line_cut_short_is_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "period"
    folder.mkdir()
    (folder / "a.docx").write_bytes(b"A")
    line = json.dumps({"path": "a.docx", "rows": [], "fingerprint": "fp", "sha256": sha256(b"A")})
    (folder / JOURNAL_NAME).write_text(line + "\n" + line[:20], encoding="utf-8")
    assert Manifest.load(folder).entries["a.docx"].fingerprint == "fp"


def test_the_journal_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "period"
    manifest = Manifest.load(folder)
    manifest.decide("a.docx", "fp", force=False)
    manifest.flush_journal()  # as before a document is put in place
    assert (folder / JOURNAL_NAME).stat().st_mode & 0o777 == 0o600
    manifest.close()
    if os.name == "posix":
        assert folder.stat().st_mode & 0o777 == 0o700


def test_a_killed_forced_run_that_rewrote_the_same_bytes_is_still_on_record(tmp_path: Path) -> None:
    """Run A (killed) wrote a document; run B (--force, killed) wrote it again, byte for byte."""
    from plangen.manifest import Decision, Manifest

    folder = tmp_path / "out"
    first = Manifest.load(folder)
    assert first.decide("family/C-1.docx", "fp", force=False)[0] is Decision.RENDER
    first.flush_journal()  # the intent on record before the document is put in place
    (folder / "family").mkdir(parents=True)
    (folder / "family" / "C-1.docx").write_bytes(b"same bytes")  # killed before it was recorded
    second = Manifest.load(folder)
    assert second.decide("family/C-1.docx", "fp", force=True)[0] is Decision.RENDER
    second.flush_journal()
    (folder / "family" / "C-1.docx").write_bytes(b"same bytes")  # killed again
    third = Manifest.load(folder)
    assert third.decide("family/C-1.docx", "fp", force=False) == (Decision.UNCHANGED, "")


def test_manifest_json_lists_every_document_in_path_order(tmp_path: Path) -> None:
    """The entries wait in a temporary database during the run; manifest.json comes out as before:
    every document once, the last record of each, in the order Python sorts the paths."""
    folder = tmp_path / "period"
    scratch = [Path(tempfile.gettempdir()), Path("/var/tmp")]  # where SQLite puts its temporary files

    def named_temporary_files() -> set[str]:
        """Files this process has open in the temporary folders that still have a name (the
        folders' listings would also show other programs' files, which come and go)."""
        targets = set()
        for fd in Path("/proc/self/fd").iterdir():
            with contextlib.suppress(OSError):
                targets.add(os.readlink(fd))
        return {
            t for t in targets
            if any(t.startswith(f"{d}/") for d in scratch)
            and not t.startswith(f"{tmp_path}/") and not t.endswith(" (deleted)")
        }

    before = named_temporary_files()  # this process's own output, say
    manifest = Manifest.load(folder)
    for number in range(3000):  # whatever SQLite writes of them goes to a file with no name
        manifest.record(f"filler/{number}.docx", [f"Visits!{number}"], "f" * 64, b"x" * number)
    assert named_temporary_files() == before, "the database's file has no name on disk"
    for number in range(3000):
        del manifest.entries[f"filler/{number}.docx"]
    names = ["family/Zoë-2.docx", "family/Zoe-10.docx", "diary/é.docx", "diary/z.docx", "family/Z.docx"]
    for number, name in enumerate(names):
        manifest.record(name, [f"Visits!{number + 2}", "Children!3"], f"fp-{number}", name.encode())
    manifest.record("diary/z.docx", ["Visits!9"], "fp-again", b"again")
    assert len(manifest.entries) == 5 and "diary/z.docx" in manifest.entries and "x.docx" not in manifest.entries
    manifest.save()
    documents = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["documents"]
    assert list(documents) == sorted(names)
    assert documents["diary/z.docx"] == {"rows": ["Visits!9"], "fingerprint": "fp-again", "sha256": sha256(b"again")}
    assert documents["family/Zoë-2.docx"]["rows"] == ["Visits!2", "Children!3"]
    assert Manifest.load(folder).entries["family/Zoë-2.docx"].rows == ("Visits!2", "Children!3")
