"""The family's progress diary: every plan made together, and how it went, in date order.

One document per child, in the family's language, for the family to keep (seed 001:
"the family then also has a diary of progress"). It holds every done visit of the child
up to the end of the run's period (not only the period's), each plan with its steps,
and the follow-up recorded at the next visit: how it went, what worked, what was hard.
A visit row with errors has no family plan, so it has no diary entry either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .assemble import (
    Formatter,
    family_language,
    previous_done_visit,
    program_context,
    visit_context,
)
from .check import Child, Dataset
from .config import Branding
from .dates import Period
from .outputs import PeriodDocuments, cells
from .read import Record
from .write import document_name

DIARY_DIR = "diary"
TEMPLATE = "diary"  # render.TEMPLATE_FILES: progress-diary.docx
KIND = "progress-diary"


def diary_visits(dataset: Dataset, child: Child, until: dt.date) -> list[Record]:
    """The child's done visits on or before ``until`` whose plan could be written, in date order."""
    return [
        v
        for v in child.visits
        if v.get("visit_status") == "done"
        and v.get("visit_date") is not None
        and v.get("visit_date") <= until
        and not dataset.blocking_problems(v)
    ]


def diary_context(dataset: Dataset, child: Child, until: dt.date, branding: Branding) -> dict[str, Any]:
    language = family_language(child)
    fmt = Formatter(language.code)
    visits = diary_visits(dataset, child, until)
    contexts = [visit_context(dataset, child, v, fmt, language) for v in visits]
    # The follow-up of a plan is recorded at the next done visit: hang it on the plan it is about.
    went: dict[Record, dict[str, Any]] = {}
    for visit, context in zip(visits, contexts, strict=True):
        previous = previous_done_visit(child, visit)
        followup = context["followup"]
        if previous is not None and any(followup[k] for k in ("used", "worked", "hard", "still_priority")):
            went[previous] = {**followup, "visit_date": context["visit_date"]}
    entries = []
    for number, (visit, context) in enumerate(zip(visits, contexts, strict=True), start=1):
        entries.append(
            {
                "number": number,
                "visit_date": context["visit_date"],
                "visit_time": context["visit_time"],
                "provider_name": context["provider_name"],
                "provider_discipline": context["provider_discipline"],
                "routine": context["routine"],
                "practiced": context["practiced"],
                "outcomes_served": context["outcomes_served"],
                "strategies": context["strategies"],
                "caregiver_words": context["caregiver_words"],
                "how_it_went": went.get(visit),
                "is_latest": number == len(visits),
            }
        )
    return {
        "child_id": child.child_id,
        "child_name": child.get("child_name", ""),
        "caregiver_names": child.get("caregiver_names", ""),
        "family_strengths": child.get("family_strengths", ""),
        "family_language": contexts[0]["family_language"] if contexts else "",
        "entries": entries,
        "until": fmt.date(until, "long"),
        "generated_on": fmt.date(dataset.as_of, "long"),
        "program": program_context(branding),
    }


@dataclass
class DiaryRun:
    """What ``plangen diary`` did."""

    period: Period
    children: list[str]  # the ids asked for (all, or --child)
    documents: PeriodDocuments
    without_plans: list[str]  # ids with no plan up to the period's end: no diary


def write_diaries(
    dataset: Dataset, children: Iterable[Child], period: Period, documents: PeriodDocuments
) -> list[str]:
    """``diary/<child_id>_progress-diary.docx`` for each child with a plan up to the period's end.

    Returns the ids of the children with no plan to show (no diary for them).
    """
    without_plans = []
    for child in children:
        visits = diary_visits(dataset, child, period.end)
        if not visits:
            without_plans.append(child.child_id)
            continue
        language = family_language(child).code
        context = diary_context(dataset, child, period.end, documents.branding)

        relative = f"{DIARY_DIR}/{document_name(child.child_id, None, KIND)}"
        rows = cells([child.record, *child.outcomes, *visits])
        documents.write(relative, TEMPLATE, language, context, rows)
    return without_plans
