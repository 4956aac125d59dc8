"""Assemble what each document shows: checked records → template contexts.

Everything a template prints is formatted here (dates for the reader's
locale, steps split into lines), so templates only lay text out. The names of
the context's keys are documented in docs/templates.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date, format_time

from .check import Child, Dataset, strategy_numbers
from .config import Branding
from .dates import add_months, age_in_months
from .i18n import Language, language_display_name, resolve_language, translations
from .read import Record

_BULLET = re.compile(r"^\s*(?:[-•*·]|\d{1,2}[.)])\s*")
REVIEW_MONTHS = 6

# Follow-up sentences, written to the family (translated like the templates' text).
FOLLOWUP_SENTENCES = {
    "yes": "You used the plan this week.",
    "partly": "You used the plan some of the time.",
    "no": "The plan did not fit this week, and that is okay.",
}


@dataclass(frozen=True)
class Formatter:
    """Dates and times written the way a reader of ``locale`` expects."""

    locale: str

    def date(self, day: dt.date | None, style: str = "full") -> str:
        return format_date(day, format=style, locale=self.locale) if day else ""

    def time(self, moment: dt.time | None) -> str:
        # CLDR puts a narrow no-break space before AM; not every font has it, a plain one is safer.
        text = format_time(moment, format="short", locale=self.locale) if moment else ""
        return text.replace("\u202f", "\u00a0")


def split_steps(text: str) -> list[str]:
    """One step per line; a leading '1.' or '-' typed by the provider is dropped."""
    return [_BULLET.sub("", line).strip() for line in text.splitlines() if line.strip()]


def previous_done_visit(child: Child, visit: Record) -> Record | None:
    earlier = [
        v
        for v in child.visits
        if v is not visit
        and v.get("visit_status") == "done"
        and (v.get("visit_date"), v.get("visit_time") or dt.time())
        < (visit.get("visit_date"), visit.get("visit_time") or dt.time())
    ]
    return earlier[-1] if earlier else None


def strategies_of(visit: Record) -> list[dict[str, Any]]:
    return [
        {
            "number": n,
            "title": visit.get(f"strategy_{n}", ""),
            "steps": split_steps(visit.get(f"strategy_{n}_steps", "")),
            "who": visit.get(f"strategy_{n}_who", ""),
            "when": visit.get(f"strategy_{n}_when", ""),
            "why": visit.get(f"strategy_{n}_why", ""),
            "plan_b": visit.get(f"strategy_{n}_plan_b", ""),
        }
        for n in strategy_numbers(visit)
    ]


def outcome_numbers(visit: Record, name: str) -> list[int]:
    numbers = []
    for text in visit.get(name, ()):
        digits = text.lstrip("#").strip()
        if digits.isdigit():
            numbers.append(int(digits))
    return numbers


def format_age(months: int) -> str:
    years, rest = divmod(max(months, 0), 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)


def next_review_due(child: Child) -> dt.date | None:
    base = max((d for d in (child.get("ifsp_date"), child.get("last_review_date")) if d), default=None)
    return add_months(base, REVIEW_MONTHS) if base else None


def program_context(branding: Branding) -> dict[str, str]:
    return {
        "name": branding.name,
        "phone": branding.phone,
        "email": branding.email,
        "address": branding.address,
        "website": branding.website,
        "footer": branding.footer,
        "contact_line": branding.contact_line,
    }


def family_language(child: Child) -> Language:
    return resolve_language(child.get("family_language", ""))


def visit_context(
    dataset: Dataset, child: Child, visit: Record, fmt: Formatter, language: Language
) -> dict[str, Any]:
    """What both the family plan and the IFSP review show about one visit."""
    gettext = translations(language.code).gettext
    previous = previous_done_visit(child, visit)
    used = visit.get("followup_used", "")
    still = visit.get("followup_still_priority")
    outcomes_by_number = {o.get("outcome_number"): o for o in child.outcomes}
    served = [
        {"number": n, "statement": outcomes_by_number[n].get("outcome_statement", "")}
        for n in outcome_numbers(visit, "outcomes_addressed")
        if n in outcomes_by_number
    ]
    return {
        "child_id": child.child_id,
        "child_name": child.get("child_name", ""),
        "caregiver_names": child.get("caregiver_names", ""),
        "family_language": language_display_name(language.code),
        "family_strengths": child.get("family_strengths", ""),
        "visit_date": fmt.date(visit.get("visit_date")),
        "visit_time": fmt.time(visit.get("visit_time")),
        "provider_name": visit.get("provider_name", ""),
        "provider_discipline": visit.get("provider_discipline", ""),
        "routine": visit.get("routine", ""),
        "practiced": visit.get("practiced", ""),
        "outcomes_served": served,
        "strategies": strategies_of(visit),
        "caregiver_words": visit.get("caregiver_words", ""),
        "next_visit_date": fmt.date(visit.get("next_visit_date")),
        "next_visit_time": fmt.time(visit.get("next_visit_time")),
        "next_visit_focus": visit.get("next_visit_focus", ""),
        "is_first_visit": previous is None,
        "previous": None
        if previous is None
        else {
            "visit_date": fmt.date(previous.get("visit_date")),
            "routine": previous.get("routine", ""),
            "strategies": [s["title"] for s in strategies_of(previous) if s["title"]],
        },
        "followup": {
            "used": used,
            "used_text": gettext(FOLLOWUP_SENTENCES[used]) if used in FOLLOWUP_SENTENCES else "",
            "worked": visit.get("followup_worked", ""),
            "hard": visit.get("followup_hard", ""),
            "still_priority": "" if still is None else ("yes" if still else "no"),
        },
        "generated_on": fmt.date(dataset.as_of, "long"),
    }


def family_plan_context(dataset: Dataset, child: Child, visit: Record, branding: Branding) -> dict[str, Any]:
    language = family_language(child)
    context = visit_context(dataset, child, visit, Formatter(language.code), language)
    context["program"] = program_context(branding)
    return context


def ifsp_review_context(dataset: Dataset, child: Child, visit: Record, branding: Branding) -> dict[str, Any]:
    language = resolve_language(branding.language)
    fmt = Formatter(language.code)
    context = visit_context(dataset, child, visit, fmt, language)
    addressed = set(outcome_numbers(visit, "outcomes_addressed"))
    reported_met = set(outcome_numbers(visit, "sc_outcome_met"))
    birth = child.get("date_of_birth")
    visit_date = visit.get("visit_date")
    context.update(
        {
            "program": program_context(branding),
            "date_of_birth": fmt.date(birth, "medium"),
            "age": format_age(age_in_months(birth, visit_date)) if birth and visit_date else "",
            "coordinator_name": child.get("coordinator_name", ""),
            "primary_provider": child.get("primary_provider", ""),
            "ifsp_date": fmt.date(child.get("ifsp_date"), "medium"),
            "last_review_date": fmt.date(child.get("last_review_date"), "medium"),
            "next_review_due": fmt.date(next_review_due(child), "medium"),
            "service_end_date": fmt.date(child.get("service_end_date"), "medium"),
            "visit_status": visit.get("visit_status", ""),
            "outcomes": [
                {
                    "number": o.get("outcome_number"),
                    "kind": o.get("outcome_kind", ""),
                    "statement": o.get("outcome_statement", ""),
                    "criteria": o.get("outcome_criteria", ""),
                    "target_date": fmt.date(o.get("target_date"), "medium"),
                    "status": o.get("outcome_status", ""),
                    "status_date": fmt.date(o.get("status_date"), "medium"),
                    "progress_notes": o.get("progress_notes", ""),
                    "addressed_this_visit": o.get("outcome_number") in addressed,
                    "reported_met": o.get("outcome_number") in reported_met,
                }
                for o in child.outcomes
            ],
            "sc_items": sc_items(child, visit),
        }
    )
    return context


def sc_items(child: Child, visit: Record) -> list[dict[str, str]]:
    """What this visit asks of the service coordinator, in the provider's words."""
    items = []
    for name, label in (
        ("sc_change_requested", "Change to the IFSP requested"),
        ("sc_resources_requested", "Resources requested"),
        ("sc_concern", "Concern"),
    ):
        if visit.get(name):
            items.append({"label": label, "text": visit.get(name)})
    for number in outcome_numbers(visit, "sc_outcome_met"):
        outcome = child.outcome(number)
        status = outcome.get("outcome_status", "") if outcome else ""
        if status != "met":
            items.append(
                {
                    "label": f"Outcome {number} reported met",
                    "text": f"The provider saw outcome {number} met at this visit; the IFSP shows it as "
                    f"'{status or 'not listed'}'. Update the IFSP.",
                }
            )
    if visit.get("family_wants_exit"):
        items.append(
            {
                "label": "Family asked to end services",
                "text": "The family said they would like to leave the program. Please follow up with them "
                "about their choice, their rights and other resources.",
            }
        )
    return items
