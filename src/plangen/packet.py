"""The coordinator update packet: one document per service coordinator per period.

It opens with a cover (coordinator, period, families seen, visits done and missed) and
"Needs your action": every flag of the coordinator's families, most urgent first
(``flags``). Then one section per child, each on a new page: the facts the coordinator
keeps (IFSP dates, transition window, concurrent-planning stage), a chart of the recent
visits (``chart``), this period's plans in brief, the outcomes with the progress seen
this period, and the provider's notes for the coordinator.

The packet goes to the IFSP team, never to a family, and is written in the program's
language. Its file is named after the coordinator (staff, not a child):
``coordinator/<coordinator-slug>_update-packet.docx``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from babel.dates import format_date
from docx.shared import Inches
from docxtpl import InlineImage

from .assemble import (
    Formatter,
    format_age,
    next_review_due,
    outcome_numbers,
    program_context,
    sc_items,
    strategies_of,
)
from .chart import ChartVisit, visit_chart
from .check import Child, Dataset
from .config import Branding
from .dates import Period, add_months, age_in_months
from .flags import ANNUAL_MONTHS, Flag, case_stage, transition_window
from .i18n import resolve_language
from .outputs import PeriodDocuments, cells
from .read import Record
from .write import safe_component

PACKET_DIR = "coordinator"
TEMPLATE = "coordinator-packet"  # render.TEMPLATE_FILES: coordinator-packet.docx
KIND = "update-packet"
CHART_WIDTH = Inches(6.0)
MISSED = ("cancelled by family", "cancelled by provider", "no-show")


@dataclass
class Packet:
    coordinator: str
    children: list[Child]
    flags: list[Flag]

    @property
    def slug(self) -> str:
        return name_slug(self.coordinator)


def name_slug(text: str) -> str:
    """'Miguel Serrano-Díaz' → 'miguel-serrano-diaz': letters, digits and '-' only."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return safe_component(slug or text)  # no Latin letters at all: a fingerprint of the name


def _coordinator(child: Child) -> str:
    return " ".join(str(child.get("coordinator_name") or "").split())


def _in_period(visit: Record, period: Period) -> bool:
    return visit.get("visit_date") in period


def group_packets(
    dataset: Dataset,
    period: Period,
    flags: list[Flag],
    include: Callable[[Child], bool] | None = None,
) -> list[Packet]:
    """A packet per coordinator: their children seen in the period or flagged, by child id."""
    flagged: dict[str, list[Flag]] = {}  # by child: one pass, not one over all flags per child
    for f in flags:
        flagged.setdefault(f.child_id, []).append(f)
    return list(packets_of(dataset, period, lambda child: flagged.get(child.child_id, []), include))


def packets_of(
    dataset: Dataset,
    period: Period,
    flags_of: Callable[[Child], list[Flag]],
    include: Callable[[Child], bool] | None = None,
) -> Iterator[Packet]:
    """``group_packets``, made a coordinator at a time: ``flags_of(child)`` is asked for as its
    coordinator's packet is made, so a run need not hold every child's flags at once."""
    # Children by coordinator (the way names are compared), as IDs: each ``Child`` is made as its
    # packet is (``check.Children``), not all 6,250 at once.
    candidates: dict[str, list[str]] = {}
    for child_id in sorted(dataset.children):
        child = dataset.children[child_id]
        name = _coordinator(child)
        if name and (include is None or include(child)):
            candidates.setdefault(name.casefold(), []).append(child_id)
    for key in sorted(candidates):
        packet: Packet | None = None
        for child in map(dataset.children.__getitem__, candidates[key]):
            flags = flags_of(child)
            if not flags and not any(_in_period(v, period) for v in child.visits):
                continue
            if packet is None:
                packet = Packet(_coordinator(child), [], [])
            packet.children.append(child)
            packet.flags.extend(flags)
        if packet is not None:
            packet.flags.sort(key=Flag.sort_key)
            yield packet


# --- what the packet shows ------------------------------------------------------------------------


def due_note(due: dt.date | None, as_of: dt.date) -> str:
    if due is None:
        return ""
    days = (due - as_of).days
    if days == 0:
        return "today"
    plural = "s" if abs(days) != 1 else ""
    return f"{-days} day{plural} overdue" if days < 0 else f"in {days} day{plural}"


def flag_context(flag: Flag, as_of: dt.date, fmt: Formatter) -> dict[str, Any]:
    source = ""
    if flag.source is not None:
        day = fmt.date(flag.source.date, "medium")
        source = f"{day} · {flag.source.cell}" if day else flag.source.cell
    return {
        "code": flag.code,
        "child_id": flag.child_id,
        "title": flag.title,
        "detail": flag.detail,
        "note": flag.note,
        "rule": flag.rule,
        "due": fmt.date(flag.due, "medium"),
        "due_note": due_note(flag.due, as_of),
        "urgency": flag.urgency.value,
        "source": source,
    }


def _visit_counts(visits: Iterable[Record]) -> Counter[str]:
    return Counter(str(v.get("visit_status") or "") for v in visits)


def visits_brief(visits: list[Record]) -> str:
    """'3 done, 1 cancelled by family', or 'no visits'."""
    counts = _visit_counts(visits)
    return ", ".join(f"{counts[s]} {s}" for s in ("done", *MISSED) if counts[s]) or "no visits"


def visit_summary(visits: list[Record]) -> str:
    """'4 visits: 3 done, 1 cancelled by family. Last plan used: yes 2, partly 1.'"""
    if not visits:
        return "No visits this period."
    counts = _visit_counts(visits)
    parts = [f"{counts[s]} {s}" for s in ("done", *MISSED) if counts[s]]
    text = f"{len(visits)} visit{'s' if len(visits) != 1 else ''} this period: {', '.join(parts)}."
    used = Counter(v.get("followup_used") for v in visits if v.get("followup_used"))
    if used:
        text += (
            " Last plan used: "
            + ", ".join(f"{w} {used[w]}" for w in ("yes", "partly", "no") if used[w])
            + "."
        )
    return text


def _stage_context(child: Child, as_of: dt.date, fmt: Formatter) -> dict[str, Any] | None:
    stage = case_stage(child, as_of)
    if stage is None:
        return None
    info = stage.info
    opened = ""
    if stage.opened is not None and stage.months_open is not None:
        months = stage.months_open
        opened = (
            f"Case opened {fmt.date(stage.opened, 'medium')}: {months} month{'s' if months != 1 else ''} ago."
        )
    how = "Entered by hand" if stage.by_hand else "From the case-open date"
    if stage.by_hand and stage.computed is not None and stage.computed != info.number:
        how += f"; the case-open date gives stage {stage.computed}"
    return {
        "number": info.number,
        "name": info.name,
        "months": info.months,
        "parent": info.parent,
        "worker": info.worker,
        "opened": opened,
        "how": how + ".",
        "past_limit": stage.past_limit,
    }


def _outcomes_context(child: Child, period_visits: list[Record], fmt: Formatter) -> list[dict[str, Any]]:
    rows = []
    for o in child.outcomes:
        number = o.get("outcome_number")
        worked = [
            v
            for v in period_visits
            if v.get("visit_status") == "done" and number in outcome_numbers(v, "outcomes_addressed")
        ]
        met = [v for v in period_visits if number in outcome_numbers(v, "sc_outcome_met")]
        rows.append(
            {
                "number": number,
                "kind": o.get("outcome_kind", ""),
                "statement": o.get("outcome_statement", ""),
                "status": o.get("outcome_status", ""),
                "status_date": fmt.date(o.get("status_date"), "medium"),
                "progress_notes": o.get("progress_notes", ""),
                "worked_on": ", ".join(fmt.date(v.get("visit_date"), "MMM d") for v in worked),
                "reported_met": ", ".join(fmt.date(v.get("visit_date"), "MMM d") for v in met),
                "marked_met": o.get("outcome_status") == "met",
            }
        )
    return rows


def _plans_context(child: Child, period_visits: list[Record], fmt: Formatter) -> list[dict[str, Any]]:
    rows = []
    for v in period_visits:
        done = v.get("visit_status") == "done"
        rows.append(
            {
                "date": fmt.date(v.get("visit_date"), "medium"),
                "time": fmt.time(v.get("visit_time")),
                "status": v.get("visit_status", ""),
                "done": done,
                "provider": v.get("provider_name", ""),
                "routine": v.get("routine", "") if done else "",
                "strategies": "; ".join(s["title"] for s in strategies_of(v) if s["title"]) if done else "",
                "plan_used": v.get("followup_used", "") if done else "",
                "worked": v.get("followup_worked", "") if done else "",
                "hard": v.get("followup_hard", "") if done else "",
            }
        )
    return rows


def child_context(
    dataset: Dataset, child: Child, period: Period, flags: list[Flag], fmt: Formatter
) -> dict[str, Any]:
    as_of = dataset.as_of
    period_visits = [v for v in child.visits if _in_period(v, period)]
    birth, ifsp = child.get("date_of_birth"), child.get("ifsp_date")
    window = transition_window(child)
    notes = [
        {"date": fmt.date(v.get("visit_date"), "medium"), **item}
        for v in period_visits
        for item in sc_items(child, v)
    ]
    return {
        "child_id": child.child_id,
        "child_name": child.get("child_name", ""),
        "date_of_birth": fmt.date(birth, "medium"),
        "age": format_age(age_in_months(birth, as_of)) if birth else "",
        "caregiver_names": child.get("caregiver_names", ""),
        "family_language": child.get("family_language", "") or "English",
        "primary_provider": child.get("primary_provider", ""),
        "ifsp_date": fmt.date(ifsp, "medium"),
        "last_review_date": fmt.date(child.get("last_review_date"), "medium"),
        "next_review_due": fmt.date(next_review_due(child), "medium"),
        "annual_due": fmt.date(add_months(ifsp, ANNUAL_MONTHS), "medium") if ifsp else "",
        "service_end_date": fmt.date(child.get("service_end_date"), "medium"),
        "transition_window": f"{fmt.date(window[0], 'medium')} – {fmt.date(window[1], 'medium')}"
        if window
        else "",
        "stage": _stage_context(child, as_of, fmt),
        "flags": [flag_context(f, as_of, fmt) for f in flags if f.child_id == child.child_id],
        "visit_summary": visit_summary(period_visits),
        "visits_brief": visits_brief(period_visits),
        "chart": "",  # the picture, added when the packet is rendered (an InlineImage)
        "plans": _plans_context(child, period_visits, fmt),
        "outcomes": _outcomes_context(child, period_visits, fmt),
        "notes": notes,
    }


def packet_context(dataset: Dataset, packet: Packet, period: Period, branding: Branding) -> dict[str, Any]:
    fmt = Formatter(resolve_language(branding.language).code)
    visits = [v for c in packet.children for v in c.visits if _in_period(v, period)]
    counts = _visit_counts(visits)
    seen = {
        c.child_id
        for c in packet.children
        for v in c.visits
        if _in_period(v, period) and v.get("visit_status") == "done"
    }
    children = [child_context(dataset, c, period, packet.flags, fmt) for c in packet.children]
    return {
        "program": program_context(branding),
        "coordinator_name": packet.coordinator,
        "period": f"{fmt.date(period.start, 'medium')} – {fmt.date(period.end, 'medium')}",
        "period_label": period.label,
        "generated_on": fmt.date(dataset.as_of, "long"),
        "families_seen": len(seen),
        "visits_total": len(visits),
        "visits_done": counts["done"],
        "visits_cancelled": counts["cancelled by family"] + counts["cancelled by provider"],
        "visits_no_show": counts["no-show"],
        "flags": [flag_context(f, dataset.as_of, fmt) for f in packet.flags],
        "overdue": sum(1 for f in packet.flags if f.urgency.value == "overdue"),
        "children": children,
    }


def chart_data(packet: Packet, locale: str) -> dict[str, list[ChartVisit]]:
    """What each child's chart shows: every visit's date, status and how the last plan went."""
    return {
        child.child_id: [
            ChartVisit(
                v.get("visit_date"),
                format_date(v.get("visit_date"), "MMM d", locale=locale),
                str(v.get("visit_status") or ""),
                str(v.get("followup_used") or ""),
            )
            for v in child.visits
            if v.get("visit_date") is not None
        ]
        for child in packet.children
    }


# --- writing --------------------------------------------------------------------------------------


def chart_images(
    charted: dict[str, list[ChartVisit]], period: Period, children: list[dict[str, Any]], owner: Any
) -> dict[str, Any]:
    """Each child's chart, drawn when the packet renders (in whichever process renders it)."""
    pictures = {child_id: visit_chart(visits, period) for child_id, visits in charted.items()}
    return {
        "children": [
            {**c, "chart": InlineImage(owner, io.BytesIO(pictures[c["child_id"]]), width=CHART_WIDTH)}
            for c in children
        ]
    }


def write_packets(
    dataset: Dataset,
    period: Period,
    flags_of: Callable[[Child], list[Flag]],
    documents: PeriodDocuments,
    include: Callable[[Child], bool] | None = None,
) -> int:
    """``coordinator/<slug>_update-packet.docx`` for each coordinator with something to tell;
    how many flags the packets hold (``flags_of(child)``: the child's, most urgent first)."""
    language = resolve_language(documents.branding.language).code
    used: Counter[str] = Counter()
    flagged = 0
    for packet in packets_of(dataset, period, flags_of, include):
        flagged += len(packet.flags)
        used[packet.slug] += 1
        slug = packet.slug if used[packet.slug] == 1 else f"{packet.slug}-{used[packet.slug]}"
        context = packet_context(dataset, packet, period, documents.branding)
        charted = chart_data(packet, language)

        rows = cells([r for c in packet.children for r in (c.record, *c.outcomes, *c.visits)])
        relative = f"{PACKET_DIR}/{slug}_{KIND}.docx"
        images = partial(chart_images, charted, period, context["children"])
        documents.write(relative, TEMPLATE, language, context, rows, made_of=charted, images=images)
    return flagged
