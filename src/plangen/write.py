"""Write output safely: private folders, safe names, whole files or none.

A document is written to a hidden temporary file in its folder, flushed to
disk, then renamed over the final name, so a crash leaves either the old
document, the new one, or nothing: never half a file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
TEMP_PREFIX = ".plangen-"
MAX_NAME_BYTES = 120
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


def safe_component(text: str, max_bytes: int = 40) -> str:
    """An allow-listed file-name part: letters, digits, '-' and '_' only, never empty or reserved."""
    cleaned = _UNSAFE.sub("-", text).strip("-_")[:max_bytes] or "unnamed"
    if cleaned.upper() in _RESERVED:
        cleaned = f"id-{cleaned}"
    return cleaned


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
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    with contextlib.suppress(PermissionError):
        path.chmod(DIR_MODE)
    return path


def inside(folder: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def write_atomic(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Write ``data`` to ``path`` all at once, readable by the owner only."""
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def remove_stale_temps(folder: Path) -> int:
    """Temporary files left by a killed run: never output, so they go."""
    removed = 0
    if folder.is_dir():
        for temp in folder.rglob(f"{TEMP_PREFIX}*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
                removed += 1
    return removed
