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
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from . import __version__
from .config import Branding
from .write import make_private_dir, write_atomic

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1
# Context keys that change from run to run without the document's content changing.
VOLATILE_KEYS = frozenset({"generated_on"})


class Decision(str, Enum):
    RENDER = "render"
    UNCHANGED = "unchanged"
    KEPT = "kept"


EDITED = "was edited after it was generated; use --force to replace it"
UNKNOWN = f"is not in {MANIFEST_NAME} (made by hand or by an older plangen); use --force to replace it"


@dataclass(frozen=True)
class Entry:
    rows: tuple[str, ...]  # 'Visits!12', the rows the document was made from
    fingerprint: str
    sha256: str  # of the bytes written


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))


def fingerprint(
    context: dict[str, Any], template: bytes, branding: Branding, language: str, template_name: str
) -> str:
    """Everything a document is made from, as one digest."""
    logo = branding.logo.read_bytes() if branding.logo is not None and branding.logo.is_file() else b""
    made_of = {
        "plangen": __version__,
        "template": template_name,
        "template_sha256": sha256(template),
        "branding": asdict(branding),
        "logo_sha256": sha256(logo),
        "language": language,
        "context": {k: v for k, v in context.items() if k not in VOLATILE_KEYS},
    }
    return sha256(canonical_json(made_of).encode("utf-8"))


@dataclass
class Manifest:
    """The documents of one output folder; paths are relative to it, with '/'."""

    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The folder's manifest; none yet is an empty one, an unreadable one is noted and ignored."""
        manifest = cls(folder)
        if not manifest.path.is_file():
            return manifest
        try:
            data = json.loads(manifest.path.read_text(encoding="utf-8"))
            documents = data["documents"]
            manifest.entries = {
                str(name): Entry(tuple(e["rows"]), str(e["fingerprint"]), str(e["sha256"]))
                for name, e in documents.items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            manifest.notes.append(
                f"{manifest.path} could not be read; documents already in the folder are kept. "
                "Use --force to write them again."
            )
        return manifest

    def decide(self, relative: str, fingerprint: str, *, force: bool) -> tuple[Decision, str]:
        """Render, keep (with the reason) or leave unchanged the document at ``relative``."""
        target = self.folder / relative
        if force or not target.exists():
            return Decision.RENDER, ""
        entry = self.entries.get(relative)
        if entry is None:
            return Decision.KEPT, UNKNOWN
        if entry.fingerprint == fingerprint:
            return Decision.UNCHANGED, ""  # nothing new to write, edited by hand or not
        if sha256(target.read_bytes()) != entry.sha256:
            return Decision.KEPT, EDITED
        return Decision.RENDER, ""

    def record(self, relative: str, rows: list[str], fingerprint: str, data: bytes) -> None:
        self.record_written(relative, rows, fingerprint, sha256(data))

    def record_written(self, relative: str, rows: list[str], fingerprint: str, digest: str) -> None:
        """Record a document another process wrote, by the SHA-256 of its bytes."""
        self.entries[relative] = Entry(tuple(rows), fingerprint, digest)

    def produce(
        self,
        relative: str,
        fingerprint: str,
        render: Callable[[], bytes],
        *,
        rows: list[str],
        force: bool = False,
    ) -> tuple[Decision, str]:
        """Render and write the document at ``relative`` only if ``decide`` says so; record it.

        ``render`` is called only then: an unchanged or kept document costs nothing.
        """
        decision, why = self.decide(relative, fingerprint, force=force)
        if decision is Decision.RENDER:
            data = render()
            target = self.folder / relative
            make_private_dir(target.parent)
            write_atomic(target, data)
            self.record(relative, rows, fingerprint, data)
        return decision, why

    def save(self) -> None:
        """Write the manifest whole (or not at all), readable by the owner only."""
        data = {
            "format": FORMAT_VERSION,
            "generator": f"plangen {__version__}",
            "documents": {
                name: {"rows": list(e.rows), "fingerprint": e.fingerprint, "sha256": e.sha256}
                for name, e in sorted(self.entries.items())
            },
        }
        write_atomic(self.path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
