"""Assemble what each document shows: checked records → template contexts.

Everything a template prints is formatted here (dates for the reader's
locale, steps split into lines), so templates only lay text out. The names of
the context's keys are declared once, in ``CONTEXT_VARIABLES`` at the end of
this module: the template check and docs/templates.md are generated from it,
and a test keeps it equal to what the context functions build.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel.dates import format_date, format_time

from .check import STRATEGY_KEYS, Child, Dataset, strategy_numbers
from .config import Branding
from .dates import add_months, age_in_months
from .fields import DISCIPLINES, Kind, Sheet, field_by_name
from .i18n import FAMILY_DOCUMENTS, Language, language_display_name, resolve_language, translations
from .read import Record

_BULLET = re.compile(r"^\s*(?:[-•*·]|\d{1,2}[.)])\s*")
REVIEW_MONTHS = 6

# Follow-up sentences, written to the family (translated like the templates' text).
FOLLOWUP_SENTENCES = {
    "yes": "You used the plan this week.",
    "partly": "You used the plan some of the time.",
    "no": "The plan did not fit this week, and that is okay.",
}
# Fixed text this module puts in family documents: extracted into locales/plangen.pot with the
# templates' _() text. Discipline names are a fixed list, so they are translated too.
TRANSLATED_TEXT: tuple[str, ...] = (*FOLLOWUP_SENTENCES.values(), *DISCIPLINES, Branding().footer)


@dataclass(frozen=True)
class Formatter:
    """Dates and times written the way a reader of ``locale`` expects."""

    locale: str

    def date(self, day: dt.date | None, style: str = "full") -> str:
        return _format_date(day, style, self.locale) if day else ""

    def time(self, moment: dt.time | None) -> str:
        return _format_time(moment, self.locale) if moment else ""


# A week's visits share a few dozen dates: babel formats each (date, style, locale) once.
@lru_cache(maxsize=4096)
def _format_date(day: dt.date, style: str, locale: str) -> str:
    return str(format_date(day, format=style, locale=locale))


@lru_cache(maxsize=4096)
def _format_time(moment: dt.time, locale: str) -> str:
    # CLDR puts a narrow no-break space before AM; not every font has it, a plain one is safer.
    return str(format_time(moment, format="short", locale=locale)).replace("\u202f", "\u00a0")


_QUOTES = {'"': '"', "“": "”", "'": "'", "«": "»", "„": "“"}


def unquote(text: str) -> str:
    """The templates put the caregiver's words in quotation marks; don't double the ones typed."""
    stripped = text.strip()
    if len(stripped) >= 2 and _QUOTES.get(stripped[0]) == stripped[-1]:
        return stripped[1:-1].strip()
    return text


def split_steps(text: str) -> list[str]:
    """One step per line; a leading '1.' or '-' typed by the provider is dropped."""
    return [_BULLET.sub("", line).strip() for line in text.splitlines() if line.strip()]


def previous_done_visit(child: Child, visit: Record) -> Record | None:
    """The child's last done visit strictly before ``visit`` (date, then time), if any."""
    return child.previous_done_visit(visit)


def strategies_of(visit: Record) -> list[dict[str, Any]]:
    values = visit.values  # read back from the row store once, not six times a strategy
    strategies = []
    for n in strategy_numbers(visit):
        title, steps, who, when, why, plan_b = STRATEGY_KEYS[n - 1][1]
        strategies.append(
            {
                "number": n,
                "title": values.get(title, ""),
                "steps": split_steps(values.get(steps, "")),
                "who": values.get(who, ""),
                "when": values.get(when, ""),
                "why": values.get(why, ""),
                "plan_b": values.get(plan_b, ""),
            }
        )
    return strategies


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


def handout_language_name(language: Language) -> str:
    """'Español'; for a language without a catalog, what was asked and what the handout uses."""
    name = language_display_name(language.code)
    return f"{language.requested} (handout in {name})" if language.fell_back else name


def document_language(template: str, child: Child, branding: Branding) -> Language:
    """A document written to the family is in its language; the others in the program's."""
    if template in FAMILY_DOCUMENTS:
        return family_language(child)
    return resolve_language(branding.language)


def extra_key(header: str) -> str:
    """A workbook header as a template name: 'Favourite song' → 'favourite_song'."""
    decomposed = unicodedata.normalize("NFKD", header)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"['’]", "", plain)
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def _as_text(value: Any, fmt: Formatter) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return fmt.date(value.date(), "medium")
        return f"{fmt.date(value.date(), 'medium')} {fmt.time(value.time())}"
    if isinstance(value, dt.date):
        return fmt.date(value, "medium")
    if isinstance(value, dt.time):
        return fmt.time(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def extra_values(dataset: Dataset, child: Child, visit: Record, fmt: Formatter) -> dict[str, str]:
    """Columns that match no catalog field, as text ("" when blank): the child's row, the visit's over it."""
    ignored = {layout.name: [c.header for c in layout.ignored] for layout in dataset.data.layouts}
    extra: dict[str, str] = {}
    for record in (child.record, visit):
        for header in [*ignored.get(record.sheet, ()), *record.extra]:
            key, text = extra_key(header), _as_text(record.extra.get(header), fmt)
            if key and (text or key not in extra):
                extra[key] = text
    return extra


def visit_facts(dataset: Dataset, child: Child, visit: Record) -> dict[str, Any]:
    """The part of a visit's context that is the same in every language (worked out once per row)."""
    previous = previous_done_visit(child, visit)
    outcomes_by_number = {o.get("outcome_number"): o for o in child.outcomes}
    served = [
        {"number": n, "statement": outcomes_by_number[n].get("outcome_statement", "")}
        for n in outcome_numbers(visit, "outcomes_addressed")
        if n in outcomes_by_number
    ]
    return {
        "previous": previous,
        "previous_strategies": None
        if previous is None
        else [s["title"] for s in strategies_of(previous) if s["title"]],
        "served": served,
        "strategies": strategies_of(visit),
        "family_language": handout_language_name(family_language(child)),
    }


def visit_context(
    dataset: Dataset,
    child: Child,
    visit: Record,
    fmt: Formatter,
    language: Language,
    facts: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What both the family plan and the IFSP review show about one visit.

    ``facts`` (``visit_facts``) may be shared by the contexts of one visit in several languages.
    """
    if facts is None:
        facts = visit_facts(dataset, child, visit)
    gettext = translations(language.code).gettext
    previous: Record | None = facts["previous"]
    values = visit.values  # read back from the row store once
    used = values.get("followup_used", "")
    still = values.get("followup_still_priority")
    return {
        "child_id": child.child_id,
        "child_name": child.get("child_name", ""),
        "caregiver_names": child.get("caregiver_names", ""),
        "family_language": facts["family_language"],
        "family_strengths": child.get("family_strengths", ""),
        "visit_date": fmt.date(values.get("visit_date")),
        "visit_time": fmt.time(values.get("visit_time")),
        "provider_name": values.get("provider_name", ""),
        "provider_discipline": gettext(values.get("provider_discipline", "")),
        "routine": values.get("routine", ""),
        "practiced": values.get("practiced", ""),
        "outcomes_served": facts["served"],
        "strategies": facts["strategies"],
        "caregiver_words": unquote(values.get("caregiver_words", "")),
        "next_visit_date": fmt.date(values.get("next_visit_date")),
        "next_visit_time": fmt.time(values.get("next_visit_time")),
        "next_visit_focus": values.get("next_visit_focus", ""),
        "is_first_visit": previous is None,
        "previous": None
        if previous is None
        else {
            "visit_date": fmt.date(previous.get("visit_date")),
            "routine": previous.get("routine", ""),
            "strategies": facts["previous_strategies"],
        },
        "followup": {
            "used": used,
            "used_text": gettext(FOLLOWUP_SENTENCES[used]) if used in FOLLOWUP_SENTENCES else "",
            "worked": values.get("followup_worked", ""),
            "hard": values.get("followup_hard", ""),
            "still_priority": "" if still is None else ("yes" if still else "no"),
        },
        "generated_on": fmt.date(dataset.as_of, "long"),
        "extra": extra_values(dataset, child, visit, fmt),
    }


def family_plan_context(
    dataset: Dataset, child: Child, visit: Record, branding: Branding, facts: dict[str, Any] | None = None
) -> dict[str, Any]:
    language = family_language(child)
    context = visit_context(dataset, child, visit, Formatter(language.code), language, facts)
    context["program"] = program_context(branding)
    # The default footer is plangen's own text, so it is translated; a program's own is kept as written.
    context["program"]["footer"] = translations(language.code).gettext(branding.footer)
    return context


def ifsp_review_context(
    dataset: Dataset, child: Child, visit: Record, branding: Branding, facts: dict[str, Any] | None = None
) -> dict[str, Any]:
    language = resolve_language(branding.language)
    fmt = Formatter(language.code)
    context = visit_context(dataset, child, visit, fmt, language, facts)
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


# ---------------------------------------------------------------------------------------------
# The registry of template variables: every name each template's context provides.
#
# Names copied from a workbook column are generated from the field catalog (description from
# the field's help, source from its sheet and label); the names assemble derives are declared
# here with their own description. The template check (templatecheck.py) and the template
# authors' guide (docs.py → docs/templates.md) both read this registry, and
# tests/test_templates_check.py keeps it equal to what the context functions above build.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variable:
    """One name a template can use: what it holds and where it comes from."""

    name: str
    description: str
    # text, date, time, number, yes/no, list, object, mapping or image.
    type: str = "text"
    source: str = ""  # the workbook column or setting it comes from; "" when assemble derives it
    # An object's members, or the members of each item of a list (a list without members holds text).
    members: tuple[Variable, ...] = ()


_TYPES = {
    Kind.DATE: "date",
    Kind.TIME: "time",
    Kind.INTEGER: "number",
    Kind.YESNO: "yes/no",
    Kind.LIST: "list",
}
_FULL_DATE = ' Written out for the reader\'s language: "Tuesday, November 17, 2026".'
_SHORT_DATE = ' Written short for the reader\'s language: "Nov 17, 2026".'
_TIME = ' For the reader\'s language: "10:30 AM".'


def _column(sheet: Sheet, field_name: str, name: str = "", note: str = "", type: str = "") -> Variable:
    """A variable that shows one workbook column, described by the field catalog."""
    f = field_by_name(sheet, field_name)
    return Variable(
        name or field_name,
        f.help + note,
        type or _TYPES.get(f.kind, "text"),
        f"{sheet.value}: {f.label}",
    )


def _strategy_column(part: str, name: str, type: str = "text", note: str = "") -> Variable:
    suffix = f"_{part}" if part else ""
    f = field_by_name(Sheet.VISITS, f"strategy_1{suffix}")
    label = f.label.replace("Strategy 1", "Strategy N")
    return Variable(name, f.help + note, type, f"{Sheet.VISITS.value}: {label}")


C_, O_, V_ = Sheet.CHILDREN, Sheet.OUTCOMES, Sheet.VISITS

PROGRAM_VARIABLE = Variable(
    "program",
    "The program's details, from [program] in plangen.toml.",
    "object",
    "plangen.toml [program]",
    (
        Variable("name", "The program's name.", source="plangen.toml: name"),
        Variable("phone", "Phone number.", source="plangen.toml: phone"),
        Variable("email", "Email address.", source="plangen.toml: email"),
        Variable("address", "Postal address.", source="plangen.toml: address"),
        Variable("website", "Website.", source="plangen.toml: website"),
        Variable(
            "footer",
            "The footer sentence. The default one is translated in family documents.",
            source="plangen.toml: footer",
        ),
        Variable("contact_line", "Phone, email, address and website joined with ' · ' (blanks left out)."),
    ),
)
LOGO_VARIABLE = Variable(
    "logo",
    "The program's logo (or plangen's mark), 14 mm high. Put {{ logo }} alone in its own run.",
    "image",
    "plangen.toml: logo",
)

VISIT_VARIABLES: tuple[Variable, ...] = (
    _column(C_, "child_id"),
    _column(C_, "child_name"),
    _column(C_, "caregiver_names"),
    Variable(
        "family_language",
        "The language of the family handout, named in that language: English, Español. For a "
        "language without a catalog: what the workbook says, then (handout in English).",
        source=f"{C_.value}: {field_by_name(C_, 'family_language').label}",
    ),
    _column(C_, "family_strengths"),
    _column(V_, "visit_date", note=_FULL_DATE),
    _column(V_, "visit_time", note=_TIME),
    _column(V_, "provider_name"),
    _column(V_, "provider_discipline", note=" Translated in family documents."),
    _column(V_, "routine"),
    _column(V_, "practiced"),
    Variable(
        "outcomes_served",
        "The IFSP outcomes this visit worked on (from Outcome(s) addressed), in that order.",
        "list",
        f"{V_.value}: {field_by_name(V_, 'outcomes_addressed').label}",
        (
            _column(O_, "outcome_number", "number"),
            _column(O_, "outcome_statement", "statement"),
        ),
    ),
    Variable(
        "strategies",
        "The strategies of this plan (1 to 3), in order; a strategy with any of its columns filled is listed.",
        "list",
        f"{V_.value}: Strategy 1 … Strategy 3",
        (
            Variable("number", "The strategy's number: 1, 2 or 3.", "number"),
            _strategy_column("", "title"),
            _strategy_column("steps", "steps", "list", " Split into lines; a leading '1.' or '-' is dropped."),
            _strategy_column("who", "who"),
            _strategy_column("when", "when"),
            _strategy_column("why", "why"),
            _strategy_column("plan_b", "plan_b"),
        ),
    ),
    _column(V_, "caregiver_words"),
    _column(V_, "next_visit_date", note=_FULL_DATE),
    _column(V_, "next_visit_time", note=_TIME),
    _column(V_, "next_visit_focus"),
    Variable("is_first_visit", "True when this child has no earlier done visit.", "yes/no"),
    Variable(
        "previous",
        "The child's previous done visit, or nothing (test it: {% if previous %}).",
        "object",
        "",
        (
            _column(V_, "visit_date", note=_FULL_DATE),
            _column(V_, "routine"),
            Variable("strategies", "The previous plan's strategy titles.", "list", f"{V_.value}: Strategy N"),
        ),
    ),
    Variable(
        "followup",
        "How the last plan went, as recorded at this visit.",
        "object",
        "",
        (
            _column(V_, "followup_used", "used"),
            Variable(
                "used_text",
                "A sentence for the family saying how the plan was used (translated), or blank.",
                source=f"{V_.value}: {field_by_name(V_, 'followup_used').label}",
            ),
            _column(V_, "followup_worked", "worked"),
            _column(V_, "followup_hard", "hard"),
            _column(V_, "followup_still_priority", "still_priority", ' "yes", "no" or blank.', "text"),
        ),
    ),
    Variable("generated_on", "The date the run is judged on (--as-of), written long: November 20, 2026.", "date"),
    Variable(
        "extra",
        "The workbook's other columns (those that match no field), by header in lower case with _ "
        "for spaces: a 'Favourite song' column is {{ extra.favourite_song }}. Values are text; "
        "a blank cell is blank. A visit row's filled cell wins over the child row's of the same name.",
        "mapping",
        "any other column",
    ),
)

REVIEW_VARIABLES: tuple[Variable, ...] = (
    _column(C_, "date_of_birth", note=_SHORT_DATE),
    Variable(
        "age",
        "The child's age on the visit date: 2 years 2 months.",
        source=f"{C_.value}: {field_by_name(C_, 'date_of_birth').label}",
    ),
    _column(C_, "coordinator_name"),
    _column(C_, "primary_provider"),
    _column(C_, "ifsp_date", note=_SHORT_DATE),
    _column(C_, "last_review_date", note=_SHORT_DATE),
    Variable(
        "next_review_due",
        f"{REVIEW_MONTHS} months after the IFSP date or the last review, whichever is later.{_SHORT_DATE}",
        "date",
    ),
    _column(C_, "service_end_date", note=_SHORT_DATE),
    _column(V_, "visit_status", type="text"),
    Variable(
        "outcomes",
        "All of the child's IFSP outcomes, by number.",
        "list",
        f"{O_.value} sheet",
        (
            _column(O_, "outcome_number", "number"),
            _column(O_, "outcome_kind", "kind"),
            _column(O_, "outcome_statement", "statement"),
            _column(O_, "outcome_criteria", "criteria"),
            _column(O_, "target_date", note=_SHORT_DATE),
            _column(O_, "outcome_status", "status"),
            _column(O_, "status_date", note=_SHORT_DATE),
            _column(O_, "progress_notes"),
            Variable("addressed_this_visit", "True when this visit worked on the outcome.", "yes/no"),
            Variable("reported_met", "True when the provider saw it met at this visit.", "yes/no"),
        ),
    ),
    Variable(
        "sc_items",
        "What this visit asks of the service coordinator: changes, resources, concerns, outcomes "
        "reported met, a family that asked to end services.",
        "list",
        f"{V_.value}: the columns for the coordinator",
        (
            Variable("label", "What kind of item: Resources requested, Concern, …"),
            Variable("text", "The provider's words, or what to do."),
        ),
    ),
)

# The progress diary (diary.diary_context) and the coordinator packet (packet.packet_context).
_BY_NAME = {v.name: v for v in (*VISIT_VARIABLES, *REVIEW_VARIABLES)}


def _v(name: str, description: str, type: str = "text", *members: Variable) -> Variable:
    return Variable(name, description, type, "", members)


DIARY_VARIABLES: tuple[Variable, ...] = (
    *(_BY_NAME[n] for n in ("child_id", "child_name", "caregiver_names", "family_language", "family_strengths")),
    _v(
        "entries",
        "Every done visit of the child up to the end of the period, in date order: one plan each.",
        "list",
        _v("number", "1 for the first plan, 2 for the next…", "number"),
        *(_BY_NAME[n] for n in ("visit_date", "visit_time", "provider_name", "provider_discipline")),
        *(_BY_NAME[n] for n in ("routine", "practiced", "outcomes_served", "strategies", "caregiver_words")),
        _v(
            "how_it_went",
            "The follow-up of this plan, recorded at the next visit, or nothing (test it: {% if e.how_it_went %}).",
            "object",
            *_BY_NAME["followup"].members,
            _v("visit_date", f"The visit the follow-up was recorded at.{_FULL_DATE}", "date"),
        ),
        _v("is_latest", "True for the last plan (its follow-up is still to come).", "yes/no"),
    ),
    _v("until", "The last day the diary covers (the period's end), written long.", "date"),
    _BY_NAME["generated_on"],
)

_FLAG_MEMBERS: tuple[Variable, ...] = (
    _v("code", "The flag's kind: periodic-review, copy-withheld… (flags.RULES)."),
    _v("child_id", "The child's id (flags never name a child)."),
    _v("title", "What happened, in a few words: Periodic IFSP review overdue."),
    _v("detail", "What happened and what to do, with the dates."),
    _v("note", "The provider's own words for the coordinator, or blank."),
    _v("rule", "The regulation or the reason: 34 CFR 303.342(b): …"),
    _v("due", f"The date it is due, or blank.{_SHORT_DATE}", "date"),
    _v("due_note", '"15 days overdue", "in 20 days", "today" or blank.'),
    _v("urgency", '"overdue", "due soon" or "follow up".'),
    _v("source", 'The visit it came from: "Nov 16, 2026 · Visits!43", or blank.'),
)

PACKET_VARIABLES: tuple[Variable, ...] = (
    _column(C_, "coordinator_name"),
    _v("period", 'The period the packet covers: "Nov 16, 2026 – Nov 22, 2026".'),
    _v("period_label", "The period's folder name: 2026-W47."),
    _BY_NAME["generated_on"],
    _v("families_seen", "Children with a visit done in the period.", "number"),
    _v("visits_total", "Visit rows in the period, whatever their status.", "number"),
    _v("visits_done", "Visits done in the period.", "number"),
    _v("visits_cancelled", "Visits cancelled by the family or the provider.", "number"),
    _v("visits_no_show", "No-show visits.", "number"),
    _v("overdue", "How many flags are overdue.", "number"),
    _v("flags", "Every flag of the coordinator's families, most urgent first.", "list", *_FLAG_MEMBERS),
    _v(
        "children",
        "One section per child seen in the period or flagged, by child id.",
        "list",
        *(_BY_NAME[n] for n in ("child_id", "child_name", "date_of_birth", "caregiver_names", "family_language")),
        _v("age", "The child's age on the as-of date: 2 years 2 months."),
        *(_BY_NAME[n] for n in ("primary_provider", "ifsp_date", "last_review_date", "next_review_due")),
        _v("annual_due", f"One year after the IFSP date.{_SHORT_DATE}", "date"),
        _BY_NAME["service_end_date"],
        _v("transition_window", "From 2 years 3 months of age to 90 days before the 3rd birthday."),
        _v(
            "stage",
            "The concurrent-planning stage (seed 004), or nothing when there is no child-welfare case.",
            "object",
            _v("number", "1, 2 or 3.", "number"),
            _v("name", "Doing For, Doing With, Moving towards Independence."),
            _v("months", "The stage's months since the case opened: months 5–8."),
            _v("parent", "What the stage expects of the parent."),
            _v("worker", "What the stage expects of the worker."),
            _v("opened", "When the case opened and how many months ago, or blank."),
            _v("how", "Entered by hand, or from the case-open date."),
            _v("past_limit", "True when the case is past 15 months.", "yes/no"),
        ),
        _v("flags", "This child's flags, most urgent first.", "list", *_FLAG_MEMBERS),
        _v("visit_summary", "The period's visits in a sentence: 4 visits this period: 3 done, 1 no-show."),
        _v("visits_brief", "The period's visits in a few words: 3 done, 1 no-show."),
        _v("chart", "A picture of the recent visits and how each plan went. Put {{ c.chart }} alone in its run.", "image"),
        _v(
            "plans",
            "The child's visits in the period, in date order.",
            "list",
            _v("date", f"The visit date.{_SHORT_DATE}", "date"),
            _v("time", f"The visit time.{_TIME}", "time"),
            _v("status", "done, cancelled by family, cancelled by provider or no-show."),
            _v("done", "True when the visit happened.", "yes/no"),
            _v("provider", "Who made (or was to make) the visit."),
            _v("routine", "The plan's routine (blank when the visit did not happen)."),
            _v("strategies", "The plan's strategies, joined with '; '."),
            _v("plan_used", "Follow-up of the last plan: yes, partly, no or blank."),
            _v("worked", "Follow-up: what worked."),
            _v("hard", "Follow-up: what was hard."),
        ),
        _v(
            "outcomes",
            "All of the child's IFSP outcomes, by number.",
            "list",
            *(m for m in _BY_NAME["outcomes"].members if m.name in ("number", "kind", "statement", "status")),
            *(m for m in _BY_NAME["outcomes"].members if m.name in ("status_date", "progress_notes")),
            _v("worked_on", "The period's visits that worked on it: Nov 3, Nov 10."),
            _v("reported_met", "The period's visits where the provider saw it met, or blank."),
            _v("marked_met", "True when the IFSP shows it met.", "yes/no"),
        ),
        _v(
            "notes",
            "The provider's notes for the coordinator from the period's visits.",
            "list",
            _v("date", f"The visit date.{_SHORT_DATE}", "date"),
            *_BY_NAME["sc_items"].members,
        ),
    ),
)

# Template name (render.TEMPLATE_FILES) → every variable its context provides.
CONTEXT_VARIABLES: dict[str, tuple[Variable, ...]] = {
    "family-plan": (*VISIT_VARIABLES, PROGRAM_VARIABLE, LOGO_VARIABLE),
    "ifsp-review": (*VISIT_VARIABLES, *REVIEW_VARIABLES, PROGRAM_VARIABLE, LOGO_VARIABLE),
    "diary": (*DIARY_VARIABLES, PROGRAM_VARIABLE, LOGO_VARIABLE),
    "coordinator-packet": (*PACKET_VARIABLES, PROGRAM_VARIABLE, LOGO_VARIABLE),
}
