"""The disclosure log: every document made for someone beyond the IFSP team, on record.

Part C (34 CFR 303.401–417, with FERPA's 99.32 as 303.405 applies it) expects
a program to keep a record of who its records were disclosed to. plangen
writes a copy of a plan for someone beyond the team only with the parent's
recorded consent (``consent.py``); each copy it writes adds one line to
``<out>/disclosures.csv``, the file kept across periods and runs:

    recorded_at, date, child_id, document, recipient_role, purpose,
    consent_reference, source, sha256

- ``date``: the day the consent was judged on (the run's ``--as-of``); ``recorded_at``: when
  the copy was written (UTC);
- ``document``: the copy's path under ``<out>``; ``sha256``: its fingerprint, so the file
  handed over can be proven to be that one;
- ``recipient_role``: *relative*, *child care*, *child welfare or court*, *health care*
  or *other*, read from how the visit names the recipient; never the name itself;
- ``consent_reference``: the date the written consent was signed;
- ``source``: the visit row that asked for the copy (``Visits!12``), where the name is.

No names are written: the log is read by auditors, the workbook holds the rest.
The file is only ever appended to (one write per run), readable by its owner
only (0600). A copy is logged once per content: a re-run that makes a different
copy (changed data) adds a line, one that leaves it as it was does not, and a
copy a killed run wrote but could not log is logged by the next run.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .write import FILE_MODE, make_private_dir

LOG_NAME = "disclosures.csv"
COLUMNS = (
    "recorded_at",
    "date",
    "child_id",
    "document",
    "recipient_role",
    "purpose",
    "consent_reference",
    "source",
    "sha256",
)
PLAN_COPY = "copy of the family joint plan, with the parent's written consent"
_ROLES = (
    ("relative", r"\bgrand|\babuel|\baunt|\buncle|\bt[ií][ao]\b|\bcousin|\bsister|\bbrother|\bsibling|\brelative|\bgod(?:mother|father|parent)|family member"),
    ("child care", r"child ?care|day ?care|\bpre-?school|\bnursery|head start|kindergarten|\bnanny|babysit|guarder[ií]a"),
    ("child welfare or court", r"\bcourt|\bcps\b|protective|case ?worker|social worker|guardian ad litem|\bgal\b|\bfoster|\bdcfs\b|\bdss\b|attorney|lawyer|\bjudge|probation"),
    ("health care", r"doctor|physician|p(?:a)?ediatrician|clinic|hospital|\bnurse|dentist|health|medical"),
)  # fmt: skip
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Disclosure:
    """One copy meant for someone beyond the IFSP team, before it is written."""

    target: Path  # the document
    child_id: str
    recipient: str  # as the visit typed it: only its role is logged
    date: dt.date
    consent_signed: dt.date | None
    source: str  # the visit row that asked for it
    purpose: str = PLAN_COPY


def recipient_role(recipient: str) -> str:
    """What kind of recipient, from the words naming it; 'other' when they don't say."""
    text = recipient.casefold()
    for role, pattern in _ROLES:
        if re.search(pattern, text):
            return role
    return "other"


def _cell(text: str) -> str:
    """Text a spreadsheet opening the log must not take for a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def log_disclosures(out_root: Path, disclosures: Iterable[Disclosure], present: Iterable[Path]) -> int:
    """Append a line for each disclosure whose document is there and not yet logged; how many.

    ``present``: the documents the run stands behind (written now or unchanged). A copy already
    in the log with the same SHA-256 is not logged again, and one a killed run wrote but could
    not log is logged by the next run.
    """
    there = set(present)
    path = out_root / LOG_NAME
    logged = (
        {(line.get("document"), line.get("sha256")) for line in read_log(path)} if path.is_file() else set()
    )
    lines = []
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    for item in disclosures:
        if item.target not in there or not item.target.is_file():
            continue
        digest = hashlib.sha256(item.target.read_bytes()).hexdigest()
        try:
            document = item.target.relative_to(out_root).as_posix()
        except ValueError:
            document = item.target.as_posix()
        if (_cell(document), digest) in logged:
            continue
        signed = f"consent signed {item.consent_signed.isoformat()}" if item.consent_signed else ""
        lines.append(
            [
                now,
                item.date.isoformat(),
                _cell(item.child_id),
                _cell(document),
                recipient_role(item.recipient),
                item.purpose,
                signed,
                item.source,
                digest,
            ]
        )
    if lines:
        append_lines(out_root / LOG_NAME, lines)
    return len(lines)


def append_lines(path: Path, lines: list[list[str]]) -> None:
    """Add ``lines`` to the log in one write, with the header first when the log is new."""
    make_private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, FILE_MODE)
    try:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        if os.fstat(fd).st_size == 0:
            writer.writerow(COLUMNS)
        writer.writerows(lines)
        os.write(fd, buffer.getvalue().encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_log(path: Path) -> list[dict[str, str]]:
    """The log's lines as dictionaries (for tests and audits)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
