"""Consent to share (34 CFR 303.401–417): who beyond the IFSP team may get a copy of a plan.

A visit asks for a copy with ``share_copy_with`` (e.g. "Little Steps child care"). The copy
is made only when the child's written consent (``consent_share_with``) names that recipient
(case and spacing ignored), is signed (``consent_date``), has not expired
(``consent_expires``: valid through that day) and was not revoked (``consent_revoked``; a
consent signed after a revocation counts again). Otherwise the copy is withheld and the
coordinator packet says why. Judged on the run's as-of date: a copy is sent now.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from .assemble import Formatter, family_language, family_plan_context, previous_done_visit
from .check import Child, Dataset
from .disclosure import Disclosure
from .outputs import PeriodDocuments, cells
from .read import Record
from .write import MAX_NAME_BYTES, safe_component

COPY_KIND = "family-plan-copy"
SHARED_DIR = "shared"


class ShareStatus(str, Enum):
    ALLOWED = "allowed"
    NO_CONSENT = "no consent"  # nobody named on the child's consent
    NOT_NAMED = "not named"
    NOT_SIGNED = "not signed"  # named, but no signed date (or signed after the as-of date)
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class ShareDecision:
    recipient: str
    status: ShareStatus
    on: dt.date | None = None  # the date that decided it: expiry or revocation

    @property
    def allowed(self) -> bool:
        return self.status is ShareStatus.ALLOWED

    def reason(self, fmt: Formatter) -> str:
        """Why, in a sentence that names no child."""
        day = fmt.date(self.on, "medium") if self.on else ""
        return {
            ShareStatus.ALLOWED: f"the recorded consent names {self.recipient}.",
            ShareStatus.NO_CONSENT: "no consent to share is recorded for this child.",
            ShareStatus.NOT_NAMED: f"the recorded consent does not name {self.recipient}.",
            ShareStatus.NOT_SIGNED: "the consent has no signed date on record.",
            ShareStatus.EXPIRED: f"the consent expired on {day}.",
            ShareStatus.REVOKED: f"the parent revoked the consent on {day}.",
        }[self.status]


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def requested_copies(visit: Record) -> list[str]:
    """The recipients a visit asks a copy for, each once (case ignored), as typed."""
    seen: dict[str, str] = {}
    for item in visit.get("share_copy_with", ()) or ():
        text = " ".join(str(item).split())
        if text:
            seen.setdefault(_fold(text), text)
    return list(seen.values())


def decide(child: Child, recipient: str, on: dt.date) -> ShareDecision:
    """May ``recipient`` get a copy on ``on``?"""
    signed, revoked = child.get("consent_date"), child.get("consent_revoked")
    expires = child.get("consent_expires")
    named = {_fold(str(n)) for n in child.get("consent_share_with", ()) or ()}
    if revoked is not None and (signed is None or revoked >= signed):
        return ShareDecision(recipient, ShareStatus.REVOKED, revoked)
    if not named:
        return ShareDecision(recipient, ShareStatus.NO_CONSENT)
    if _fold(recipient) not in named:
        return ShareDecision(recipient, ShareStatus.NOT_NAMED)
    if signed is None or signed > on:
        return ShareDecision(recipient, ShareStatus.NOT_SIGNED)
    if expires is not None and on > expires:
        return ShareDecision(recipient, ShareStatus.EXPIRED, expires)
    return ShareDecision(recipient, ShareStatus.ALLOWED)


def recipient_slug(recipient: str) -> str:
    """A short fingerprint of the recipient: staff may type a relative's name, and names stay out of
    file names. The packet and ``disclosures.csv`` say who each copy is for."""
    folded = " ".join(unicodedata.normalize("NFKC", recipient).casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:10]


def copy_name(child_id: str, day: dt.date | None, recipient: str, moment: dt.time | None = None) -> str:
    """``C-1001_2026-11-17_family-plan-copy-3f2a9c01be.docx``."""
    parts = [safe_component(child_id)]
    if day is not None:
        parts.append(day.isoformat())
    if moment is not None:
        parts.append(moment.strftime("%H%M"))
    parts.append(f"{COPY_KIND}-{recipient_slug(recipient)}")
    name = "_".join(parts) + ".docx"
    return name if len(name.encode()) <= MAX_NAME_BYTES else name[-MAX_NAME_BYTES:]


def write_shared_copies(
    dataset: Dataset, visits: Iterable[Record], on: dt.date, documents: PeriodDocuments
) -> None:
    """For each written plan that asks for a copy: the copy, if the consent allows it, else nothing."""
    for visit in visits:
        child = dataset.child_of(visit)
        if child is None or visit.get("visit_status") != "done":
            continue
        for recipient in requested_copies(visit):
            if not decide(child, recipient, on).allowed:
                documents.withheld += 1
                continue
            day = visit.get("visit_date")
            same_day = any(v != visit and v.get("visit_date") == day for v in child.visits)
            name = copy_name(child.child_id, day, recipient, visit.get("visit_time") if same_day else None)
            language = family_language(child).code
            context = family_plan_context(dataset, child, visit, documents.branding)

            rows = cells([visit, child.record, *child.outcomes, previous_done_visit(child, visit)])
            made_of = {"recipient": recipient, "consent": str(decide(child, recipient, on).status.value)}
            documents.write(f"{SHARED_DIR}/{name}", "family-plan", language, context, rows, made_of)
            documents.disclosures.append(
                Disclosure(documents.out_dir / SHARED_DIR / name, child.child_id, recipient, on,
                           child.get("consent_date"), f"{visit.sheet}!{visit.row}")
            )  # fmt: skip
