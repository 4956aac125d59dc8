"""PDF copies of the documents, converted by LibreOffice headless (``build --pdf``).

Each document gets a PDF next to it: same folder, same name, ``.pdf``. The work is
done in batches, one ``soffice`` process per batch, at most ``workers`` processes at
a time (2 from 16 documents on: 1.5x faster than one on 2 cores, see
benchmarks/pdf.py), each worker with its own private LibreOffice profile folder (two
processes sharing one profile fail at random). A batch holds documents of one folder:

    soffice --headless --norestore -env:UserInstallation=file:///tmp/plangen-lo-XXXX
            --convert-to pdf --outdir <folder>/.plangen-pdf-XXXX a.docx b.docx …

``soffice`` exits 0 even when a file could not be converted, so every expected PDF
is looked for after each batch; a missing one is a failure of that document, never
silence; a batch that takes too long is stopped, its whole process group with it, as
is every soffice when the run is interrupted. PDFs are converted into a private
folder inside the output folder, then moved into place (``os.replace``: whole files
or none), readable by the owner only (or as ``[output] file_mode`` in plangen.toml says).

LibreOffice is found as ``soffice`` (or ``libreoffice``) on PATH, in its usual
place on macOS and Windows, or where ``PLANGEN_SOFFICE`` says. When it is not
installed, ``find_soffice`` raises ``LibreOfficeMissing`` (an ``InputError``, exit
code 3) with how to install it; ``build`` asks before rendering anything.

With a manifest (``manifest.Manifest``), each PDF is recorded under its own path
with the SHA-256 of the document it was made from as its fingerprint: a PDF whose
document has not changed is not converted again, a missing one is.
"""

from __future__ import annotations

import contextlib
import math
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .manifest import Decision, Manifest, sha256
from .problems import InputError
from .write import TEMP_PREFIX, output_modes

SOFFICE_ENV = "PLANGEN_SOFFICE"
STAGING_PREFIX = f"{TEMP_PREFIX}pdf-"  # a batch's private folder inside the output folder
# Where the installers put soffice when it is not on PATH.
KNOWN_PLACES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
INSTALL_HINT = (
    "Install LibreOffice, then run again:\n"
    "  Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-crosextra-carlito fonts-liberation\n"
    "  macOS:         brew install --cask libreoffice\n"
    "  Windows:       the installer from https://www.libreoffice.org/download/\n"
    f"If it is installed somewhere else, set {SOFFICE_ENV} to the soffice program. "
    "Without --pdf, the Word documents are written as usual."
)
DEFAULT_WORKERS = 2
MIN_BATCH = 8  # fewer documents per process than this: a second process costs more than it saves
MAX_BATCH = 60  # documents per soffice call: a failure or a timeout costs at most one batch
# Seconds a batch may take: LibreOffice's start-up plus a generous time per document.
BATCH_TIMEOUT_START = 90.0
BATCH_TIMEOUT_PER_DOCUMENT = 15.0


class LibreOfficeMissing(InputError):
    """``--pdf`` was asked for, and LibreOffice cannot be found."""


def find_soffice() -> str:
    """The LibreOffice program to convert with; ``LibreOfficeMissing`` says how to install it."""
    wanted = os.environ.get(SOFFICE_ENV, "").strip()
    if wanted:
        found = shutil.which(wanted)
        if found is None:
            raise LibreOfficeMissing(
                f"--pdf needs LibreOffice, and {SOFFICE_ENV}={wanted} is not a program that can be run; "
                "nothing was written.",
                hint=INSTALL_HINT,
            )
        return found
    found = shutil.which("soffice") or shutil.which("libreoffice")
    found = found or next((p for p in KNOWN_PLACES if os.access(p, os.X_OK)), None)
    if found is None:
        raise LibreOfficeMissing(
            "--pdf needs LibreOffice to convert the documents, and it is not installed here "
            "(no soffice on PATH); nothing was written.",
            hint=INSTALL_HINT,
        )
    return found


def pdf_path(document: Path) -> Path:
    """The PDF of ``family/C-1_2026-11-17_family-plan.docx`` is ``family/C-1_2026-11-17_family-plan.pdf``."""
    return document.with_suffix(".pdf")


@dataclass(frozen=True)
class Batch:
    folder: Path  # where the PDFs go: the documents' own folder
    documents: tuple[Path, ...]


def plan_batches(documents: Iterable[Path], workers: int, max_batch: int = MAX_BATCH) -> list[Batch]:
    """Documents grouped by folder, each group cut so that every worker has a share; largest first."""
    folders: dict[Path, list[Path]] = {}
    for document in documents:
        folders.setdefault(document.parent, []).append(document)
    total = sum(len(group) for group in folders.values())
    share = max(1, min(max_batch, math.ceil(total / max(1, workers))))
    batches = [
        Batch(folder, tuple(group[i : i + share]))
        for folder, group in folders.items()
        for i in range(0, len(group), share)
    ]
    return sorted(batches, key=lambda b: len(b.documents), reverse=True)


def worker_count(documents: int, workers: int | None = None) -> int:
    """``workers`` when given; else 2 (``DEFAULT_WORKERS``, capped by the cores) for many documents."""
    if workers is not None:
        return max(1, workers)
    cores = os.cpu_count() or 1
    return max(1, min(DEFAULT_WORKERS, cores, documents // MIN_BATCH))


def batch_timeout(documents: int) -> float:
    return BATCH_TIMEOUT_START + BATCH_TIMEOUT_PER_DOCUMENT * documents


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """soffice starts soffice.bin under it: stop the whole process group."""
    with contextlib.suppress(ProcessLookupError, PermissionError, AttributeError):
        os.killpg(process.pid, signal.SIGKILL)  # type: ignore[attr-defined,unused-ignore]
    with contextlib.suppress(ProcessLookupError):
        process.kill()


NOT_CONVERTED = "LibreOffice did not convert it; open the document to check it, then run again"


def _why(returncode: int, stderr: bytes) -> str:
    """Why a document of the batch has no PDF; soffice's errors are the batch's, not the file's."""
    lines = stderr.decode("utf-8", "replace").splitlines()
    errors = list(dict.fromkeys(s for line in lines if (s := line.strip()).lower().startswith("error")))
    said = [*([f"exit code {returncode}"] if returncode else []), *(e[:200] for e in errors[:3])]
    return f"{NOT_CONVERTED} (soffice said: {'; '.join(said)})" if said else NOT_CONVERTED


def _move_into_place(made: Path, target: Path) -> None:
    os.chmod(made, output_modes().file)  # 0600 unless plangen.toml says otherwise
    with open(made, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(made, target)


class Running:
    """The soffice processes running now, to stop them all when the run is interrupted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.processes: set[subprocess.Popen[bytes]] = set()
        self.stopped = False

    def add(self, process: subprocess.Popen[bytes]) -> None:
        with self.lock:
            self.processes.add(process)
            if self.stopped:
                _kill_group(process)

    def discard(self, process: subprocess.Popen[bytes]) -> None:
        with self.lock:
            self.processes.discard(process)

    def stop_all(self) -> None:
        with self.lock:
            self.stopped = True
            for process in self.processes:
                _kill_group(process)


def convert_batch(
    soffice: str, batch: Batch, profile: Path, timeout: float | None = None, running: Running | None = None
) -> dict[Path, str | None]:
    """Convert one batch with one soffice process; each document's failure (or None) by document."""
    timeout = batch_timeout(len(batch.documents)) if timeout is None else timeout
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=batch.folder))  # private: 0700
    command = [
        soffice,
        "--headless",
        "--norestore",
        "--nologo",
        "--nolockcheck",
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(staging),
        *(str(d.resolve()) for d in batch.documents),
    ]
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, to stop it whole on a timeout
        )
        if running is not None:
            running.add(process)
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            why = (
                f"LibreOffice took longer than {timeout:.0f} s for {len(batch.documents)} document(s) "
                "and was stopped; run again"
            )
            return dict.fromkeys(batch.documents, why)
        except BaseException:
            _kill_group(process)  # interrupted: leave no LibreOffice behind
            process.communicate()
            raise
        finally:
            if running is not None:
                running.discard(process)
        results: dict[Path, str | None] = {}
        for document in batch.documents:
            made = staging / pdf_path(document).name
            if made.is_file() and made.stat().st_size > 0:
                _move_into_place(made, pdf_path(document))
                results[document] = None
            else:
                results[document] = _why(process.returncode, err)
        return results
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove_stale_staging(folders: Iterable[Path]) -> None:
    """Batch folders left by a killed run: never output, so they go."""
    for folder in folders:
        for stale in folder.glob(f"{STAGING_PREFIX}*"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)


def convert(
    documents: list[Path],
    soffice: str,
    workers: int | None = None,
    timeout: float | None = None,
    max_batch: int = MAX_BATCH,
    on_done: Callable[[Path, str | None], None] | None = None,
) -> dict[Path, str | None]:
    """Convert ``documents`` to PDFs next to them; for each, why it failed, or None.

    ``workers`` threads each drive one soffice process at a time, with its own profile.
    ``on_done`` hears each document as its batch finishes, in this thread. When this
    thread is interrupted (Ctrl-C), every soffice is stopped before the interrupt goes on.
    """
    documents = list(dict.fromkeys(documents))
    if not documents:
        return {}
    count = worker_count(len(documents), workers)
    pending: queue.Queue[Batch] = queue.Queue()
    for batch in plan_batches(documents, count, max_batch):
        pending.put(batch)
    remove_stale_staging({d.parent for d in documents})
    finished: queue.Queue[dict[Path, str | None] | BaseException | None] = queue.Queue()
    running = Running()

    def work() -> None:
        try:
            with tempfile.TemporaryDirectory(prefix="plangen-lo-") as profile:
                while not running.stopped:
                    try:
                        batch = pending.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        done = convert_batch(soffice, batch, Path(profile), timeout, running)
                    except OSError as exc:  # soffice could not be started
                        done = dict.fromkeys(
                            batch.documents, f"LibreOffice could not be started: {exc.strerror}"
                        )
                    finished.put(done)
        except BaseException as exc:
            finished.put(exc)
        finally:
            finished.put(None)  # this worker has stopped

    threads = [threading.Thread(target=work, name=f"plangen-pdf-{i}", daemon=True) for i in range(count)]
    results: dict[Path, str | None] = {}
    try:
        for thread in threads:
            thread.start()
        working = len(threads)
        while working:
            item = finished.get()
            if item is None:
                working -= 1
            elif isinstance(item, BaseException):
                raise item
            else:
                for document, failure in item.items():
                    results[document] = failure
                    if on_done is not None:
                        on_done(document, failure)
    except BaseException:
        running.stop_all()
        for thread in threads:
            if thread.is_alive():
                thread.join(timeout=30)
        raise
    return {d: results.get(d, NOT_CONVERTED) for d in documents}


@dataclass
class PdfRun:
    """What a run did with the PDFs."""

    written: list[Path] = field(default_factory=list)  # converted by this run
    unchanged: list[Path] = field(default_factory=list)  # already made from the same document
    kept: list[tuple[Path, str]] = field(default_factory=list)  # (PDF, why it was kept)
    failed: dict[Path, str] = field(default_factory=dict)  # document → why its PDF is missing
    seconds: float = 0.0

    @property
    def present(self) -> list[Path]:
        return [*self.written, *self.unchanged]


def write_pdfs(
    documents: list[Path],
    soffice: str,
    manifest: Manifest | None = None,
    *,
    force: bool = False,
    workers: int | None = None,
    timeout: float | None = None,
) -> PdfRun:
    """A PDF next to each document, converted only when its document changed (with a manifest)."""
    run = PdfRun()
    todo: list[Path] = []
    digests: dict[Path, str] = {}
    for document in dict.fromkeys(documents):
        if manifest is not None:
            digest = digests[document] = sha256(document.read_bytes())
            decision, why = manifest.decide(_relative(manifest, pdf_path(document)), digest, force=force)
            if decision is Decision.UNCHANGED:
                run.unchanged.append(pdf_path(document))
                continue
            if decision is Decision.KEPT:
                run.kept.append((pdf_path(document), why))
                continue
        todo.append(document)
    if manifest is not None:
        manifest.flush_journal()  # each PDF's intent on record before LibreOffice writes it

    converted: set[Path] = set()

    def done(document: Path, failure: str | None) -> None:
        if failure is not None:
            run.failed[document] = failure
            return
        pdf = pdf_path(document)
        converted.add(document)
        if manifest is not None:  # at once: an interrupted run keeps on record what it converted
            source = manifest.entries.get(_relative(manifest, document))
            rows = list(source.rows) if source is not None else []
            manifest.record(_relative(manifest, pdf), rows, digests[document], pdf.read_bytes())

    started = time.perf_counter()
    convert(todo, soffice, workers, timeout, on_done=done)
    run.seconds = time.perf_counter() - started
    # In the documents' order, not the batches'.
    run.written = [pdf_path(d) for d in todo if d in converted]
    run.failed = {d: run.failed[d] for d in todo if d in run.failed}
    return run


def _relative(manifest: Manifest, path: Path) -> str:
    return path.relative_to(manifest.folder).as_posix()
