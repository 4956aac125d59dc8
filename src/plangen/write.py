"""Write output safely: private folders, safe names, whole files or none.

A document is written to a hidden temporary file in its folder, flushed to
disk, then renamed over the final name, so a crash leaves either the old
document, the new one, or nothing: never half a file. The temporary files a
killed run leaves (``.plangen-*.tmp``) are never output; the next run removes
them.

File names are built from ids, dates and fixed words only, through an
allow-list (ASCII letters, digits, ``-`` and ``_``), whatever a cell says: a
``../``, a ``/`` or ``\\``, a drive letter, a NUL byte, a name Windows reserves
(``CON``), a look-alike letter from another alphabet or a 500-character id all
become a plain name inside the output folder. An id that is not already such a
name keeps what it can and gets a short fingerprint of the id as typed, so two
ids that clean up alike (``A/1`` and ``A-1``) never share a file.

Folders are made readable by their owner only (0700) and files 0600, unless
plangen.toml says otherwise (``[output] file_mode``, ``config.py``).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import hashlib
import os
import re
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

DIR_MODE = 0o700
FILE_MODE = 0o600
TEMP_PREFIX = ".plangen-"
MAX_NAME_BYTES = 120
# A name part: at most this long, then a fingerprint makes it unique.
MAX_COMPONENT_BYTES = 40
FINGERPRINT_CHARS = 8
_SAFE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
# Names Windows refuses whatever the extension.
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


@dataclass(frozen=True)
class OutputModes:
    """Permissions of what plangen writes: files, and the folders that hold them."""

    file: int = FILE_MODE
    folder: int = DIR_MODE


_modes = OutputModes()


def output_modes() -> OutputModes:
    return _modes


def set_output_modes(modes: OutputModes) -> None:
    """Use ``modes`` for every file and folder written from now on (``[output]`` in plangen.toml).

    ``renderjobs`` hands them to each worker process it starts (a worker does not inherit them).
    """
    global _modes
    _modes = modes


def folder_mode(file_mode: int) -> int:
    """The folder mode that goes with a file mode: whoever may read the files may open the folder."""
    mode = file_mode | 0o700
    for read, search in ((0o040, 0o010), (0o004, 0o001)):
        if file_mode & read:
            mode |= search
    return mode & 0o777


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:FINGERPRINT_CHARS]


def safe_component(text: str, max_bytes: int = MAX_COMPONENT_BYTES) -> str:
    """An allow-listed file-name part: letters, digits, '-' and '_' only, never empty or reserved.

    Text that is already such a part (and not too long) is kept as it is; anything else keeps its
    safe characters and gets a fingerprint of the text as typed, so distinct texts stay distinct.
    """
    text = text.strip()
    if _SAFE.fullmatch(text) and len(text) <= max_bytes and text.upper() not in _RESERVED:
        return text
    keep = max(1, max_bytes - FINGERPRINT_CHARS - 1)
    cleaned = _UNSAFE.sub("-", text).strip("-_")[:keep].strip("-_") or "id"
    return f"{cleaned}-{_fingerprint(text)}"


def document_name(child_id: str, day: dt.date | None, kind: str, moment: dt.time | None = None) -> str:
    """``C-1001_2026-11-17_family-plan.docx``: ids and dates only, never names."""
    parts = [safe_component(child_id)]
    if day is not None:
        parts.append(day.isoformat())
    if moment is not None:
        parts.append(moment.strftime("%H%M"))
    parts.append(safe_component(kind))
    name = "_".join(parts) + ".docx"
    return name[-MAX_NAME_BYTES:] if len(name.encode()) > MAX_NAME_BYTES else name


def make_private_dir(path: Path) -> Path:
    """``path`` and any folder made on the way to it, private (folders that were there are left as they are)."""
    mode = _modes.folder
    made = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        made.append(folder)
        folder = folder.parent
    for folder in reversed(made):
        folder.mkdir(mode=mode, exist_ok=True)
    for folder in [*made, path]:
        with contextlib.suppress(PermissionError):
            folder.chmod(mode)
    return path


def inside(folder: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def safe_target(folder: Path, relative: str) -> tuple[str, bool]:
    """``folder/relative``, and whether anything is there, refusing any path that would leave
    ``folder`` (a bug, never a cell's doing).

    A build asks for thousands of documents in a few folders: each folder is checked (and
    resolved) once per run; per document only its name is, and one ``lstat`` tells whether it is
    there and whether it is itself a link. The path is a string, not a Path: Python 3.11 interns
    every part of a Path, and its table of interned strings grew with the documents.
    """
    head, slash, name = relative.rpartition("/")
    # A name that is not one (Windows: a drive or a backslash in it); not asked of a PurePath, which
    # would intern the name (see above).
    if (slash and not head) or name in ("", ".", "..") or os.path.basename(name) != name:
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    parent = _checked_folder(folder, head)
    if parent is None:
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    target = os.path.join(parent, name)
    try:
        mode = os.lstat(target).st_mode
    except OSError:
        return target, False
    if not stat.S_ISLNK(mode):
        return target, True
    if not inside(folder, Path(target)):
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    return target, os.path.exists(target)


@lru_cache(maxsize=256)
def _checked_folder(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` if it stays inside ``folder`` once links are followed, else None."""
    path = Path(relative)
    if path.is_absolute() or ".." in path.parts or not inside(folder, folder / path):
        return None
    return folder / path


def write_atomic(
    path: Path, data: bytes | Iterable[bytes] | Callable[[BinaryIO], object], mode: int | None = None
) -> None:
    """Write ``data`` to ``path`` all at once, readable by the owner only (or as configured).

    ``data`` may come in pieces (a large manifest), or be a function that writes to the file
    it is given (a workbook's ``save``), so it never has to be in memory whole.
    """
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            elif callable(data):
                data(handle)
            else:
                handle.writelines(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, _modes.file if mode is None else mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _sync_folder(path.parent)  # the rename, too, survives a power cut


def write_atomic_many(files: Sequence[tuple[str, bytes]], mode: int | None = None) -> None:
    """``write_atomic`` for a batch of files, made durable together (``DurableBatches``)."""
    batches = DurableBatches(mode, background=False)
    batches.finish(batches.start(files))
    batches.close()


@dataclass
class PendingBatch:
    """A batch whose bytes are in temporary files, on their way to disk."""

    temps: list[tuple[str, str]]  # (temporary file, its final name)
    durable: Future[None]


class DurableBatches:
    """Files written a batch at a time, so that a crash or a power cut leaves each old, new or absent.

    ``start`` writes a batch's bytes to temporary files beside their final names at once, then has
    them made durable: by a background thread (``background``), so that the next batches render
    meanwhile. ``finish`` waits for that and renames each temporary file over its final name;
    ``close`` makes the renames durable. Where Linux's ``syncfs`` is there, one call makes durable
    every batch written since the thread's last call (the disk flushed once, not once per file or
    per batch, so a slow flush is shared by the batches that queued behind it); elsewhere each file
    is synced. The thread does nothing but wait on the disk, so the rendering keeps the processor
    (a thread doing the writing itself fought the rendering for Python's lock at every call).
    """

    def __init__(self, mode: int | None = None, *, background: bool = True) -> None:
        self.mode = _modes.file if mode is None else mode
        self._background = background
        self._queued: list[_Unsynced] = []  # written, waiting for the thread (under ``_wake``)
        self._wake = threading.Condition()
        self._closing = False
        self._thread: threading.Thread | None = None
        self._folders: dict[str, None] = {}  # written into, in order

    def start(self, files: Sequence[tuple[str, bytes]]) -> PendingBatch:
        """Write each (path, bytes) to a temporary file beside ``path``; see ``finish``."""
        temps: list[tuple[str, str]] = []
        handles: list[int] = []  # open until synced, where each file is synced on its own
        folders: dict[str, None] = {}  # this batch's, in order
        try:
            for path, data in files:
                folder = os.path.dirname(path)
                fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
                temps.append((temp, path))
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view) :]
                    if self.mode != FILE_MODE:  # mkstemp makes it 0600 already
                        os.chmod(temp, self.mode)
                finally:
                    if _SYNCFS is None:
                        handles.append(fd)
                    else:
                        os.close(fd)
                folders.setdefault(folder)
        except BaseException:
            _close_all(handles)
            _remove([temp for temp, _path in temps])
            raise
        self._folders.update(folders)
        unsynced = _Unsynced(handles, list(folders), Future())
        if not self._background:
            _settle([unsynced])
        else:
            with self._wake:
                self._queued.append(unsynced)
                if self._thread is None:
                    self._thread = threading.Thread(target=self._sync_queued, name="plangen-sync", daemon=True)
                    self._thread.start()
                self._wake.notify()
        return PendingBatch(temps, unsynced.durable)

    def _sync_queued(self) -> None:
        """The background thread: every batch queued since its last sync, made durable together."""
        while True:
            with self._wake:
                while not self._queued and not self._closing:
                    self._wake.wait()
                queued, self._queued = self._queued, []
            if not queued:
                return
            _settle(queued)

    def finish(self, batch: PendingBatch) -> None:
        """Once the batch is durable, each file in place (its temporary file renamed over it)."""
        renamed = 0
        try:
            batch.durable.result()
            for temp, path in batch.temps:
                os.replace(temp, path)
                renamed += 1
        except BaseException:
            _remove([temp for temp, _path in batch.temps[renamed:]])
            raise

    def abandon(self, batch: PendingBatch) -> None:
        """A batch that will not be finished (the run stopped): its temporary files go."""
        with contextlib.suppress(BaseException):
            batch.durable.result()
        _remove([temp for temp, _path in batch.temps])

    def close(self) -> None:
        """Stop the background thread once its batches are durable, and make the renames durable
        (each folder synced)."""
        with self._wake:
            self._closing = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._closing = False  # a batch started after this starts a new thread
        folders, self._folders = list(self._folders), {}
        for folder in folders:
            _sync_folder(folder)


@dataclass
class _Unsynced:
    """A batch's bytes handed to the system; ``durable`` is told once they are on disk."""

    handles: list[int]  # where each file is synced on its own: its open file
    folders: list[str]
    durable: Future[None]


def _settle(batches: list[_Unsynced]) -> None:
    """Make ``batches`` durable together, and tell each one (the error, if any, to all)."""
    try:
        _make_durable(
            [fd for batch in batches for fd in batch.handles],
            list(dict.fromkeys(folder for batch in batches for folder in batch.folders)),
        )
    except BaseException as error:  # the batch's ``finish`` raises it
        for batch in batches:
            batch.durable.set_exception(error)
    else:
        for batch in batches:
            batch.durable.set_result(None)


def _make_durable(handles: list[int], folders: list[str]) -> None:
    """A batch's data on disk: ``syncfs`` once per filesystem, or each file synced (and closed)."""
    try:
        if _SYNCFS is not None:
            synced: set[int] = set()
            for folder in folders:
                fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
                try:
                    device = os.fstat(fd).st_dev
                    if device not in synced:
                        _SYNCFS(fd)
                        synced.add(device)
                finally:
                    os.close(fd)
        for fd in handles:
            os.fsync(fd)
    finally:
        _close_all(handles)


def _close_all(handles: list[int]) -> None:
    for fd in handles:
        with contextlib.suppress(OSError):
            os.close(fd)
    handles.clear()


def _remove(temps: list[str]) -> None:
    for temp in temps:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _linux_syncfs() -> Callable[[int], None] | None:
    """Linux's syncfs(2), which the os module does not offer: all that was written to one
    filesystem made durable by one call (the C library's, through ctypes, which lets go of the GIL)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes, function.restype = [ctypes.c_int], ctypes.c_int

    def syncfs(fd: int) -> None:
        if function(fd) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error))

    return syncfs


_SYNCFS = _linux_syncfs()


def _sync_folder(folder: str | Path) -> None:
    """Make the renames in ``folder`` durable (where the system allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temps(folder: Path) -> int:
    """Temporary files left by a killed run: never output, so they go."""
    removed = 0
    if folder.is_dir():
        for temp in folder.rglob(f"{TEMP_PREFIX}*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
                removed += 1
    return removed
