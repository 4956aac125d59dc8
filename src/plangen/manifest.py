"""What a run wrote, so the next run redoes only what changed and never overwrites an edit.

``output/<period>/manifest.json`` records, for each document: the rows it was
made from, a *fingerprint* of everything that made it (the template context,
the branded template's bytes, the branding and logo, the language and the
plangen version) and the SHA-256 of the bytes written. Before rendering a
document, ``build`` asks ``decide``:

- no document on disk, or ``--force``: render it;
- a file plangen has no record of: keep it (it may be someone's work);
- the same fingerprint: unchanged, nothing to render;
- the file's bytes differ from what plangen wrote: someone edited it; keep it;
- else render it over the old one.

The fingerprint is computed from the context before rendering, so an
unchanged run renders nothing. The date a document was generated on is left
out: re-running next week does not redo last week's plans.

While a run goes, the entries are kept in a private temporary SQLite database
(``Entries``), not in memory: 50,000 visits make 100,000 documents, and the
memory of a run should not grow with them.

A run killed half-way (power cut, SIGKILL, a closed laptop) loses nothing:
``manifest.json`` is written whole at the end, but every document is on
record before then in ``manifest.journal``, one JSON line each, handed to the
system a batch at a time and always before a document is put in place
(``flush_journal``):

- when ``decide`` says *render*, an *intent*: the path, the fingerprint, and
  the SHA-256 of the file there before (none if there was none);
- once the document is written (``record``), its entry.

``load`` folds the journal into the manifest: an entry is taken as it is; an
intent with no entry after it (killed between the write and the entry) counts
only if the file changed since the intent, and then with the file's own
SHA-256. So the next run knows every document the killed run wrote as
plangen's, skips the unchanged ones and writes the rest. ``save`` writes
``manifest.json`` with all of it and then removes the journal.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import pickle
import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from . import __version__
from .config import Branding
from .write import make_private_dir, output_modes, safe_target, write_atomic

MANIFEST_NAME = "manifest.json"
JOURNAL_NAME = "manifest.journal"
SQLITE_CACHE_KIB = 512  # the entries' page cache (``Entries``)
FORMAT_VERSION = 1
# Context keys that change from run to run without the document's content changing.
VOLATILE_KEYS = frozenset({"generated_on"})


class Decision(str, Enum):
    RENDER = "render"
    UNCHANGED = "unchanged"
    KEPT = "kept"


EDITED = "was edited after it was generated; use --force to replace it"
UNKNOWN = f"is not in {MANIFEST_NAME} (made by hand or by an older plangen); use --force to replace it"


@dataclass(frozen=True, slots=True)
class Entry:
    rows: tuple[str, ...]  # 'Visits!12', the rows the document was made from
    fingerprint: str
    sha256: str  # of the bytes written


class Entries(MutableMapping[str, Entry]):
    """A manifest's entries by path, in a private temporary SQLite database, in path order.

    SQLite's own temporary file (the name ``""``): unlinked once opened and gone when closed,
    even if the process is killed, with a small page cache in memory, so a run holds none of
    its documents' entries. It holds paths, rows like 'Visits!12' and digests: no names.
    """

    def __init__(self) -> None:
        # One connection for the run, used under the manifest's lock by whichever thread records.
        self._db = sqlite3.connect("", check_same_thread=False, isolation_level=None)
        self._db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"  # a scratch copy: the journal file is the record
            # 512 KiB of pages, not SQLite's 2 MB: its cache filled as the table grew (1.3 MB at 2,000
            # visits, 2.1 MB at 10,000), so a run's memory grew with its documents.
            f"PRAGMA cache_size = -{SQLITE_CACHE_KIB};"
            "CREATE TABLE entry (path TEXT PRIMARY KEY, rows TEXT, fingerprint TEXT, sha256 TEXT) WITHOUT ROWID;"
        )
        self._closer = weakref.finalize(self, self._db.close)

    def put_many(self, entries: Iterable[tuple[str, Entry]]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO entry VALUES (?, ?, ?, ?)",
            ((path, json.dumps(e.rows), e.fingerprint, e.sha256) for path, e in entries),
        )

    def __getitem__(self, path: str) -> Entry:
        found = self._db.execute("SELECT rows, fingerprint, sha256 FROM entry WHERE path = ?", (path,)).fetchone()
        if found is None:
            raise KeyError(path)
        rows, fingerprint, digest = found
        return Entry(tuple(json.loads(rows)), fingerprint, digest)

    def __setitem__(self, path: str, entry: Entry) -> None:
        self.put_many([(path, entry)])

    def __delitem__(self, path: str) -> None:
        if self._db.execute("DELETE FROM entry WHERE path = ?", (path,)).rowcount == 0:
            raise KeyError(path)

    def __contains__(self, path: object) -> bool:
        return self._db.execute("SELECT 1 FROM entry WHERE path = ?", (path,)).fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        # BINARY collation orders UTF-8 bytes, which is the order of ``sorted`` on the paths.
        return (path for (path,) in self._db.execute("SELECT path FROM entry ORDER BY path"))

    def __len__(self) -> int:
        count: int = self._db.execute("SELECT count(*) FROM entry").fetchone()[0]
        return count

    def sorted_items(self) -> Iterator[tuple[str, Entry]]:
        """Every entry, in path order, read as it goes."""
        query = "SELECT path, rows, fingerprint, sha256 FROM entry ORDER BY path"
        for path, rows, fingerprint, digest in self._db.execute(query):
            yield path, Entry(tuple(json.loads(rows)), fingerprint, digest)

    def close(self) -> None:
        self._closer()


def _json_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _entry_json(entry: Entry) -> str:
    """``entry`` as ``json.dumps(…, indent=2)`` writes it, six places in: Python's indenting
    encoder is written in Python; this takes a third of its time."""
    rows = "[]" if not entry.rows else "[\n        " + ",\n        ".join(map(_json_text, entry.rows)) + "\n      ]"
    return (
        f'{{\n      "rows": {rows},\n      "fingerprint": {_json_text(entry.fingerprint)},'
        f'\n      "sha256": {_json_text(entry.sha256)}\n    }}'
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))


def fingerprint(context: dict[str, Any], recipe: bytes) -> str:
    """Everything a document is made from, as one digest: its ``recipe`` and its context."""
    digest = hashlib.sha256(recipe)
    digest.update(_context_bytes({k: v for k, v in context.items() if k not in VOLATILE_KEYS}))
    return digest.hexdigest()


def _context_bytes(context: dict[str, Any]) -> bytes:
    """``context`` as bytes that change when it does: a pickle, three times as fast as sorted JSON.

    Without its memo (``fast``), equal contexts give equal bytes whether or not their values
    are shared objects. A context's dicts are built in a fixed order, so their keys need no
    sorting. A fingerprint is only ever compared with one of the same plangen version (the
    recipe holds the version), so the bytes need not last across Python or plangen versions.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: bytes that do not depend on which values are the same object
    pickler.dump(context)
    return buffer.getvalue()


def recipe(template: bytes, branding: Branding, language: str, template_name: str, logo: bytes | None) -> bytes:
    """What every document of one template and language is made from besides its context (the
    logo: the bytes a run puts in its documents). Worked out once per run (``Renderer.recipe``)."""
    return canonical_json(
        {
            "plangen": __version__,
            "template": template_name,
            "template_sha256": sha256(template),
            "branding": asdict(branding),
            "logo_sha256": sha256(logo or b""),
            "language": language,
        }
    ).encode("utf-8")


@dataclass(frozen=True)
class _Intent:
    """A document ``decide`` said to render: its fingerprint and the file's SHA-256 before ("" if none)."""

    fingerprint: str
    before: str


@dataclass
class Manifest:
    """The documents of one output folder; paths are relative to it, with '/'."""

    folder: Path
    entries: Entries = field(default_factory=Entries)
    notes: list[str] = field(default_factory=list)
    _pending: dict[str, _Intent] = field(default_factory=dict, repr=False)
    _journal: int | None = field(default=None, repr=False)  # the journal's file descriptor, once opened
    _unwritten: list[bytes] = field(default_factory=list, repr=False)  # journal lines not yet written
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @property
    def journal_path(self) -> Path:
        return self.folder / JOURNAL_NAME

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The folder's manifest and its journal; none yet is an empty one, an unreadable one is noted."""
        manifest = cls(folder)
        if manifest.path.is_file():
            try:
                data = json.loads(manifest.path.read_text(encoding="utf-8"))
                documents = data["documents"]
                # All read before any is taken: a manifest that is wrong half-way counts as unreadable.
                entries = [
                    (str(name), Entry(tuple(e["rows"]), str(e["fingerprint"]), str(e["sha256"])))
                    for name, e in documents.items()
                ]
                manifest.entries.put_many(entries)
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                manifest.notes.append(
                    f"{manifest.path} could not be read; documents already in the folder are kept. "
                    "Use --force to write them again."
                )
        manifest._fold_journal()
        return manifest

    def _fold_journal(self) -> None:
        """Take in what a run killed before ``save`` wrote down, line by line."""
        try:
            lines = self.journal_path.read_bytes().splitlines()
        except OSError:
            return
        pending: dict[str, _Intent] = {}
        for line in lines:
            try:
                item = json.loads(line)
                name = str(item["path"])
                if "sha256" in item:
                    self.entries[name] = Entry(
                        tuple(str(r) for r in item["rows"]), str(item["fingerprint"]), str(item["sha256"])
                    )
                    pending.pop(name, None)
                else:
                    if name in pending:
                        # An earlier killed run's intent for the same file: settle it first. A later
                        # run may have rewritten the file with the very same bytes (same content).
                        self._settle({name: pending.pop(name)})
                    pending[name] = _Intent(str(item["fingerprint"]), str(item["before"] or ""))
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by the kill: its document is checked on disk below
        self._settle(pending)

    def _settle(self, pending: dict[str, _Intent]) -> None:
        """Intents with no entry: the document counts as written if the file changed since the intent."""
        for name, intent in pending.items():
            target = self.folder / name
            try:
                digest = sha256(target.read_bytes())
            except OSError:
                continue  # never written
            if digest != intent.before:
                rows = self.entries[name].rows if name in self.entries else ()
                self.entries[name] = Entry(rows, intent.fingerprint, digest)

    def decide(self, relative: str, fingerprint: str, *, force: bool) -> tuple[Decision, str]:
        """Render, keep (with the reason) or leave unchanged the document at ``relative``.

        A decision to render is written to the journal first (see the module's docstring).
        """
        target, there = safe_target(self.folder, relative)
        if not there:
            self._intend(relative, fingerprint, "")
            return Decision.RENDER, ""
        if force:
            self._intend(relative, fingerprint, sha256(_read(target)))
            return Decision.RENDER, ""
        entry = self.entries.get(relative)
        if entry is None:
            return Decision.KEPT, UNKNOWN
        if entry.fingerprint == fingerprint:
            return Decision.UNCHANGED, ""  # nothing new to write, edited by hand or not
        current = sha256(_read(target))
        if current != entry.sha256:
            return Decision.KEPT, EDITED
        self._intend(relative, fingerprint, current)
        return Decision.RENDER, ""

    def _intend(self, relative: str, fingerprint: str, before: str) -> None:
        with self._lock:
            self._pending[relative] = _Intent(fingerprint, before)
            self._append({"path": relative, "fingerprint": fingerprint, "before": before or None})

    def record(self, relative: str, rows: list[str], fingerprint: str, data: bytes) -> None:
        """Put the document written at ``relative`` on record (``data``: the bytes written)."""
        self.record_written(relative, rows, fingerprint, sha256(data))

    def record_written(self, relative: str, rows: Sequence[str], fingerprint: str, digest: str) -> None:
        """Put the document written at ``relative`` on record, by the SHA-256 of its bytes."""
        entry = Entry(tuple(rows), fingerprint, digest)
        with self._lock:
            self.entries[relative] = entry
            self._pending.pop(relative, None)
            self._append(
                {"path": relative, "rows": list(entry.rows), "fingerprint": fingerprint, "sha256": digest}
            )

    def _append(self, item: dict[str, Any]) -> None:
        """One line for the journal, handed to the system with the others by ``flush_journal``."""
        self._unwritten.append((json.dumps(item, ensure_ascii=False) + "\n").encode("utf-8"))

    def flush_journal(self) -> None:
        """The journal's new lines to the system, in one write. Called before any document decided
        on is put in place (``Runner``'s ``before_writing``, ``write_pdfs``), so its intent is on
        record before its file changes. A write a line took 0.22-0.27 s of a 2,000-visit build
        (8,510 lines, 28 µs each while the disk made the batch before durable); a write a batch,
        0.06 s with the lines' JSON."""
        with self._lock:
            self._write_unwritten()

    def _write_unwritten(self) -> None:
        if not self._unwritten:
            return
        if self._journal is None:
            make_private_dir(self.folder)
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
            self._journal = os.open(self.journal_path, flags, output_modes().file)
        # Whole lines, in order: a kill leaves at most the last one cut short.
        view = memoryview(b"".join(self._unwritten))
        self._unwritten.clear()
        while view:
            view = view[os.write(self._journal, view) :]

    def save(self) -> None:
        """Write the manifest whole (or not at all), readable by the owner only; then drop the journal."""
        with self._lock:
            self._write_unwritten()  # on record, should writing manifest.json fail
            pending, self._pending = self._pending, {}
            self._settle(pending)  # interrupted (Ctrl+C): documents written but not yet recorded
            write_atomic(self.path, (text.encode("utf-8") for text in self._json()))
            self.close()
            with contextlib.suppress(FileNotFoundError):
                self.journal_path.unlink()

    def _json(self) -> Iterator[str]:
        """manifest.json a document at a time (as ``json.dumps(…, indent=2)`` would write it whole):
        100,000 documents' entries are never one string in memory."""
        yield f'{{\n  "format": {FORMAT_VERSION},\n  "generator": {json.dumps(f"plangen {__version__}")},\n  "documents": {{'
        separator = "\n    "
        for name, e in self.entries.sorted_items():
            yield f"{separator}{_json_text(name)}: {_entry_json(e)}"
            separator = ",\n    "
        yield "}\n}\n" if separator == "\n    " else "\n  }\n}\n"

    def close(self) -> None:
        """Close the journal (``save`` does); what it holds stays for the next ``load``."""
        self._write_unwritten()
        if self._journal is not None:
            os.close(self._journal)
            self._journal = None


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()
