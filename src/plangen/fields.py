"""The catalog of the workbook's fields: the one source of truth.

Reading (header matching), validation, the starter workbook, the template
check and docs/templates.md are all driven from ``CATALOG`` below. To add a
column, add one ``Field`` here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache


class Kind(str, Enum):
    """How a cell's value is read and shown."""

    TEXT = "text"
    DATE = "date"
    TIME = "time"
    INTEGER = "integer"
    CHOICE = "choice"
    YESNO = "yes/no"
    EMAIL = "email"
    LIST = "list"  # several values in one cell, separated by ; or ,


class Sheet(str, Enum):
    CHILDREN = "Children"
    OUTCOMES = "Outcomes"
    VISITS = "Visits"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    sheet: Sheet
    kind: Kind
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    example: str = ""
    # Required on a visit that happened (status done): the joint plan itself.
    required_when_done: bool = False
    # Sensitive fields never reach a family handout or a log line.
    sensitive: bool = False
    width: int = 18

    @property
    def header(self) -> str:
        """The header the starter workbook writes."""
        return self.label


VISIT_STATUSES = ("done", "cancelled by family", "cancelled by provider", "no-show")
OUTCOME_STATUSES = ("in progress", "met", "continue", "revise", "discontinued")
FOLLOWUP_USED = ("yes", "partly", "no")
DISCIPLINES = (
    "educator",
    "speech-language",
    "occupational therapy",
    "physical therapy",
    "social work",
    "nutrition",
    "nursing",
    "other",
)
REFERRAL_SOURCES = (
    "parent",
    "physician",
    "hospital",
    "relative",
    "child protective services",
    "court",
    "child care",
    "other",
)
CASE_STAGES = ("1", "2", "3")
OUTCOME_KINDS = ("child", "family")
MAX_STRATEGIES = 3

C, O, V = Sheet.CHILDREN, Sheet.OUTCOMES, Sheet.VISITS  # noqa: E741 (short names keep the catalog readable)

_CHILD_FIELDS: list[Field] = [
    Field(
        "child_id",
        "Child ID",
        C,
        Kind.TEXT,
        "The program's id for the child. Used in file names, never the name.",
        required=True,
        aliases=("id", "child #", "child number", "client id", "ei number"),
        example="C-1001",
        width=12,
    ),
    Field(
        "child_name",
        "Child's name",
        C,
        Kind.TEXT,
        "The child's name as the family uses it.",
        required=True,
        aliases=("child", "name", "child name", "first name"),
        example="Mateo",
        sensitive=True,
    ),
    Field(
        "date_of_birth",
        "Date of birth",
        C,
        Kind.DATE,
        "Used for transition deadlines (3rd birthday).",
        required=True,
        aliases=("dob", "birth date", "birthdate"),
        example="2024-08-14",
        width=14,
    ),
    Field(
        "caregiver_names",
        "Caregiver name(s)",
        C,
        Kind.TEXT,
        "Who the plan is made with, as they like to be called.",
        required=True,
        aliases=("caregiver", "caregivers", "parent", "parent name", "parents"),
        example="Ana and Luis",
        sensitive=True,
    ),
    Field(
        "caregiver_relationship",
        "Relationship",
        C,
        Kind.TEXT,
        "Caregiver's relationship to the child.",
        aliases=("relationship to child",),
        example="mother, father",
        sensitive=True,
    ),
    Field(
        "family_language",
        "Family language",
        C,
        Kind.TEXT,
        "Language of the family handout and diary: a name or code (English, Spanish, es). Blank means English.",
        aliases=("language", "home language", "primary language", "idioma"),
        example="Spanish",
        width=14,
    ),
    Field(
        "coordinator_name",
        "Service coordinator",
        C,
        Kind.TEXT,
        "Service coordinator who keeps the IFSP current.",
        required=True,
        aliases=("sc", "coordinator", "sc name", "service coordinator name"),
        example="Dana Whitfield",
    ),
    Field(
        "coordinator_email",
        "Coordinator email",
        C,
        Kind.EMAIL,
        "Where the coordinator packet goes.",
        aliases=("sc email",),
        example="dana.whitfield@example.org",
        width=26,
    ),
    Field(
        "primary_provider",
        "Primary provider",
        C,
        Kind.TEXT,
        "The family's primary service provider.",
        aliases=("psp", "primary service provider"),
        example="Priya Raman",
    ),
    Field(
        "referral_date",
        "Referral date",
        C,
        Kind.DATE,
        "Date of referral (45-day timeline).",
        aliases=("date of referral", "referred on"),
        example="2025-09-02",
        width=14,
    ),
    Field(
        "referral_source",
        "Referral source",
        C,
        Kind.CHOICE,
        "Who referred the family. Sensitive: never printed on family handouts.",
        choices=REFERRAL_SOURCES,
        aliases=("referred by", "referral"),
        example="physician",
        sensitive=True,
    ),
    Field(
        "ifsp_date",
        "IFSP date",
        C,
        Kind.DATE,
        "Date of the initial or most recent annual IFSP meeting.",
        required=True,
        aliases=("ifsp", "ifsp meeting date", "annual ifsp date"),
        example="2026-03-10",
        width=14,
    ),
    Field(
        "last_review_date",
        "Last IFSP review",
        C,
        Kind.DATE,
        "Date of the last periodic (6-month) IFSP review.",
        aliases=("last review", "review date", "periodic review date"),
        example="2026-09-08",
        width=14,
    ),
    Field(
        "service_end_date",
        "Services end date",
        C,
        Kind.DATE,
        "Date the current IFSP services are planned to end.",
        aliases=("service end", "end of services", "services end"),
        example="2027-03-09",
        width=14,
    ),
    Field(
        "part_b_eligible",
        "Potentially Part B eligible",
        C,
        Kind.YESNO,
        "Yes if the child may be eligible for preschool special education (LEA notification at 90 days before age 3).",
        aliases=("part b", "potentially eligible for part b", "lea notice needed"),
        example="yes",
        width=12,
    ),
    Field(
        "case_open_date",
        "Case open date",
        C,
        Kind.DATE,
        "For families with a child-welfare case: the date the case opened.",
        aliases=("cps case opened", "case opened"),
        example="2026-05-04",
        width=14,
    ),
    Field(
        "case_stage",
        "Case stage",
        C,
        Kind.CHOICE,
        "Concurrent-planning stage entered by hand (1 Doing For, 2 Doing With, 3 Moving towards Independence). Overrides the computed one.",
        choices=CASE_STAGES,
        aliases=("stage", "concurrent planning stage"),
        example="2",
        width=10,
    ),
    Field(
        "consent_share_with",
        "Consent to share with",
        C,
        Kind.LIST,
        "People or programs beyond the IFSP team the parent agreed in writing may get copies (e.g. grandmother; child care). Separate with ;",
        aliases=("consent", "release to", "consent to share"),
        example="grandmother; Little Steps child care",
        sensitive=True,
        width=26,
    ),
    Field(
        "consent_date",
        "Consent date",
        C,
        Kind.DATE,
        "Date the written consent to share was signed.",
        aliases=("consent signed", "release date"),
        example="2026-03-10",
        width=14,
    ),
    Field(
        "consent_expires",
        "Consent expires",
        C,
        Kind.DATE,
        "Date the consent ends, if it has one.",
        aliases=("consent expiry", "consent end date"),
        example="2027-03-10",
        width=14,
    ),
    Field(
        "consent_revoked",
        "Consent revoked",
        C,
        Kind.DATE,
        "Date the parent revoked the consent. A revoked consent stops all sharing.",
        aliases=("consent revoked date", "revoked"),
        example="",
        width=14,
    ),
    Field(
        "family_priorities",
        "Family priorities",
        C,
        Kind.TEXT,
        "What the family most wants right now, in their words.",
        aliases=("priorities", "family concerns and priorities"),
        example="Mealtimes with less stress",
        sensitive=True,
        width=30,
    ),
    Field(
        "family_strengths",
        "Family strengths",
        C,
        Kind.TEXT,
        "What the family does well and enjoys.",
        aliases=("strengths",),
        example="Big extended family, sings together",
        sensitive=True,
        width=30,
    ),
    Field(
        "exit_date",
        "Exit date",
        C,
        Kind.DATE,
        "Date the child left the program.",
        aliases=("discharge date", "exited"),
        example="",
        width=14,
    ),
    Field(
        "exit_reason",
        "Exit reason",
        C,
        Kind.TEXT,
        "Why the child left (family choice, moved, turned 3, …).",
        aliases=("discharge reason",),
        example="",
    ),
]

_OUTCOME_FIELDS: list[Field] = [
    Field(
        "child_id",
        "Child ID",
        O,
        Kind.TEXT,
        "The child this outcome belongs to.",
        required=True,
        aliases=("id", "child #", "client id"),
        example="C-1001",
        width=12,
    ),
    Field(
        "outcome_number",
        "Outcome #",
        O,
        Kind.INTEGER,
        "The outcome's number on the IFSP.",
        required=True,
        aliases=("outcome number", "outcome no", "#"),
        example="1",
        width=10,
    ),
    Field(
        "outcome_kind",
        "Outcome for",
        O,
        Kind.CHOICE,
        "Child outcome or family outcome.",
        choices=OUTCOME_KINDS,
        aliases=("kind", "type", "outcome type"),
        example="child",
        width=10,
    ),
    Field(
        "outcome_statement",
        "Outcome",
        O,
        Kind.TEXT,
        "The outcome as written on the IFSP.",
        required=True,
        aliases=("statement", "outcome statement", "ifsp outcome"),
        example="Mateo will ask for more food with a word or sign.",
        width=40,
    ),
    Field(
        "outcome_criteria",
        "We'll know when",
        O,
        Kind.TEXT,
        "Criteria: how the family and team will know it is met.",
        aliases=("criteria", "we will know when", "success criteria"),
        example="He asks for 'more' at 3 meals in a week.",
        width=34,
    ),
    Field(
        "target_date",
        "Target date",
        O,
        Kind.DATE,
        "When the team hopes to see it met.",
        aliases=("target",),
        example="2026-12-15",
        width=14,
    ),
    Field(
        "outcome_status",
        "Status",
        O,
        Kind.CHOICE,
        "Status on the IFSP.",
        required=True,
        choices=OUTCOME_STATUSES,
        aliases=("outcome status", "ifsp status"),
        example="in progress",
        width=14,
    ),
    Field(
        "status_date",
        "Status date",
        O,
        Kind.DATE,
        "When the status was last set on the IFSP.",
        aliases=("status updated",),
        example="2026-09-08",
        width=14,
    ),
    Field(
        "progress_notes",
        "Progress notes",
        O,
        Kind.TEXT,
        "Progress seen so far, for the coordinator.",
        aliases=("progress", "notes"),
        example="Signs 'more' with help.",
        width=34,
    ),
]


def _strategy_fields(n: int) -> list[Field]:
    plan_core = n == 1
    hint = "" if n == 1 else f" (strategy {n} is optional)"
    third = " A third strategy is allowed but most families pick 1–2." if n == 3 else ""
    return [
        Field(
            f"strategy_{n}",
            f"Strategy {n}",
            V,
            Kind.TEXT,
            f"The strategy in a few words{hint}.{third}",
            required_when_done=plan_core,
            aliases=(f"strategy #{n}", f"strategy{n}", f"strat {n}"),
            example="Offer a choice of two foods" if n == 1 else "",
            width=28,
        ),
        Field(
            f"strategy_{n}_steps",
            f"Strategy {n}: steps",
            V,
            Kind.TEXT,
            "The specific steps, in the family's words. One step per line.",
            required_when_done=plan_core,
            aliases=(f"steps {n}", f"strategy {n} steps", f"strategy #{n} steps"),
            example="Hold up two foods\nWait for him to reach or say\nName the one he picks"
            if n == 1
            else "",
            width=36,
        ),
        Field(
            f"strategy_{n}_who",
            f"Strategy {n}: who",
            V,
            Kind.TEXT,
            "Who will do it.",
            aliases=(f"who {n}", f"strategy {n} who"),
            example="Ana; Luis at dinner" if n == 1 else "",
            width=16,
        ),
        Field(
            f"strategy_{n}_when",
            f"Strategy {n}: when",
            V,
            Kind.TEXT,
            "When: which routine, how often.",
            aliases=(f"when {n}", f"strategy {n} when"),
            example="Breakfast and dinner, every day" if n == 1 else "",
            width=20,
        ),
        Field(
            f"strategy_{n}_why",
            f"Strategy {n}: why",
            V,
            Kind.TEXT,
            "Why: what the child will learn.",
            aliases=(f"why {n}", f"strategy {n} why", f"what {n} will learn"),
            example="He learns his words and gestures get him what he wants" if n == 1 else "",
            width=28,
        ),
        Field(
            f"strategy_{n}_plan_b",
            f"Strategy {n}: Plan B",
            V,
            Kind.TEXT,
            "What to try if the child doesn't respond.",
            aliases=(f"plan b {n}", f"plan b? {n}", f"strategy {n} plan b")
            + (("plan b", "plan b?") if n == 1 else ()),
            example="Say just the first sound: 'mmm'" if n == 1 else "",
            width=28,
        ),
    ]


_VISIT_FIELDS: list[Field] = [
    Field(
        "child_id",
        "Child ID",
        V,
        Kind.TEXT,
        "The child visited. Must be on the Children sheet (or have child columns on this row).",
        required=True,
        aliases=("id", "child #", "client id"),
        example="C-1001",
        width=12,
    ),
    Field(
        "visit_date",
        "Visit date",
        V,
        Kind.DATE,
        "Date of the visit.",
        required=True,
        aliases=("date", "date of visit", "session date"),
        example="2026-11-17",
        width=14,
    ),
    Field(
        "visit_time",
        "Visit time",
        V,
        Kind.TIME,
        "Start time of the visit.",
        aliases=("time", "time of visit", "start time"),
        example="10:30",
        width=10,
    ),
    Field(
        "provider_name",
        "Provider",
        V,
        Kind.TEXT,
        "Who made the visit.",
        required=True,
        aliases=("provider name", "therapist", "interventionist", "staff"),
        example="Priya Raman",
    ),
    Field(
        "provider_discipline",
        "Discipline",
        V,
        Kind.CHOICE,
        "The provider's discipline.",
        choices=DISCIPLINES,
        aliases=("provider discipline", "service type", "service"),
        example="speech-language",
    ),
    Field(
        "visit_status",
        "Visit status",
        V,
        Kind.CHOICE,
        "done, or why it did not happen. Only done visits get a family plan.",
        required=True,
        choices=VISIT_STATUSES,
        aliases=("status", "session status", "attended"),
        example="done",
        width=16,
    ),
    Field(
        "routine",
        "Routine",
        V,
        Kind.TEXT,
        "The daily routine or activity the plan lives in (mealtime, bath, play…).",
        required_when_done=True,
        aliases=("routine/activity", "activity", "daily routine"),
        example="Mealtime",
        width=16,
    ),
    Field(
        "outcomes_addressed",
        "Outcome(s) addressed",
        V,
        Kind.LIST,
        "IFSP outcome numbers this visit worked on, e.g. 1; 2",
        aliases=("outcomes", "outcome #", "ifsp outcomes addressed"),
        example="1",
        width=12,
    ),
    Field(
        "practiced",
        "What we practiced",
        V,
        Kind.TEXT,
        "What the caregiver and provider practiced together today.",
        aliases=("practiced today", "what we did", "session notes"),
        example="Offering choices at lunch",
        width=30,
    ),
    Field(
        "followup_used",
        "Last plan used?",
        V,
        Kind.CHOICE,
        "Follow-up of the last plan: did the family use it? yes / partly / no.",
        choices=FOLLOWUP_USED,
        aliases=("plan used", "used last plan", "follow-up used"),
        example="partly",
        width=12,
    ),
    Field(
        "followup_worked",
        "What worked",
        V,
        Kind.TEXT,
        "Follow-up: what went well with the last plan.",
        aliases=("worked", "what went well"),
        example="He reached for the banana every time",
        width=28,
    ),
    Field(
        "followup_hard",
        "What was hard",
        V,
        Kind.TEXT,
        "Follow-up: what was hard with the last plan.",
        aliases=("hard", "challenges", "what was challenging"),
        example="Busy mornings",
        width=28,
    ),
    Field(
        "followup_still_priority",
        "Still a priority?",
        V,
        Kind.YESNO,
        "Follow-up: is the plan still the family's priority?",
        aliases=("still priority", "priority still"),
        example="yes",
        width=10,
    ),
    *_strategy_fields(1),
    *_strategy_fields(2),
    *_strategy_fields(3),
    Field(
        "caregiver_words",
        "Caregiver's words",
        V,
        Kind.TEXT,
        "The plan in the caregiver's own words, if recorded.",
        aliases=("parent's words", "in the parent's words", "caregiver quote"),
        example="I'll hold up two and wait.",
        width=30,
    ),
    Field(
        "next_visit_date",
        "Next visit date",
        V,
        Kind.DATE,
        "Date of the next visit. Must be after this visit.",
        aliases=("next visit", "next appointment", "next session"),
        example="2026-11-24",
        width=14,
    ),
    Field(
        "next_visit_time",
        "Next visit time",
        V,
        Kind.TIME,
        "Time of the next visit.",
        aliases=("next time",),
        example="10:30",
        width=10,
    ),
    Field(
        "next_visit_focus",
        "Next visit focus",
        V,
        Kind.TEXT,
        "What we will do together at the next visit.",
        aliases=("next focus", "plan for next visit"),
        example="Try the same at snack time",
        width=28,
    ),
    Field(
        "sc_change_requested",
        "Change to IFSP requested",
        V,
        Kind.TEXT,
        "For the coordinator: a change to the IFSP the family or provider asks for.",
        aliases=("change requested", "ifsp change"),
        example="",
        width=26,
    ),
    Field(
        "sc_resources_requested",
        "Resources requested",
        V,
        Kind.TEXT,
        "For the coordinator: resources the family asked for.",
        aliases=("resources", "resource request"),
        example="",
        width=26,
    ),
    Field(
        "sc_concern",
        "Concern for coordinator",
        V,
        Kind.TEXT,
        "For the coordinator: a concern to follow up.",
        aliases=("concern", "concerns", "notes for sc"),
        example="",
        width=26,
    ),
    Field(
        "sc_outcome_met",
        "Outcome met (#)",
        V,
        Kind.LIST,
        "Outcome number(s) the provider saw met at this visit.",
        aliases=("outcome met", "outcomes met"),
        example="",
        width=12,
    ),
    Field(
        "family_wants_exit",
        "Family asked to end services",
        V,
        Kind.YESNO,
        "Yes if the family said they want to leave the program.",
        aliases=("wants to exit", "discharge requested"),
        example="no",
        width=12,
    ),
    Field(
        "share_copy_with",
        "Copy of plan for",
        V,
        Kind.LIST,
        "Someone beyond the IFSP team who should get a copy of this plan (needs recorded consent naming them).",
        aliases=("copy to", "share with"),
        example="",
        sensitive=True,
        width=22,
    ),
]

CATALOG: dict[Sheet, tuple[Field, ...]] = {
    C: tuple(_CHILD_FIELDS),
    O: tuple(_OUTCOME_FIELDS),
    V: tuple(_VISIT_FIELDS),
}

# The fields of a child that a flat workbook repeats on each visit row.
CHILD_FIELDS_ON_VISITS: tuple[Field, ...] = tuple(f for f in CATALOG[C] if f.name != "child_id")

# What a row keeps in memory for the whole run once it is read (``rowstore``): the short values
# the rules across rows, the filters, the flags, the packets and the charts look at again and again.
# The free text (plans, notes, names) goes to a temporary file and is read back for the documents.
VISIT_SUMMARY_FIELDS: frozenset[str] = frozenset(
    {f.name for f in CATALOG[V] if f.kind is not Kind.TEXT}
    | {"child_id", "provider_name"}
    | {f.name for f in CHILD_FIELDS_ON_VISITS}  # a flat workbook's child is its first visit row
)
SUMMARY_FIELDS: dict[Sheet, frozenset[str]] = {
    V: VISIT_SUMMARY_FIELDS,
    # A coordinator's packet and the filters group children by these.
    C: frozenset({f.name for f in CATALOG[C] if f.kind is not Kind.TEXT}
                 | {"child_id", "coordinator_name", "family_language", "primary_provider"}),
    O: frozenset({f.name for f in CATALOG[O] if f.kind is not Kind.TEXT} | {"child_id"}),
}


def fields_of(sheet: Sheet) -> tuple[Field, ...]:
    return CATALOG[sheet]


def field_by_name(sheet: Sheet, name: str) -> Field:
    for f in CATALOG[sheet]:
        if f.name == name:
            return f
    raise KeyError(f"{sheet.value}.{name}")


@lru_cache(maxsize=4096)  # called for every choice cell; a sheet has few distinct values
def normalize_header(text: str) -> str:
    """Fold a header for matching: case, accents, spaces and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    no_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # "Strategy #1" is "Strategy 1"; a lone "#" ("Child #") stands for "number".
    no_accents = re.sub(r"#\s*(?=\d)", "", no_accents).replace("#", " number ")
    return re.sub(r"[^a-z0-9]+", "", no_accents.casefold())


@dataclass
class HeaderIndex:
    """Normalized header text → field name, for one sheet."""

    by_key: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_fields(cls, fields: tuple[Field, ...]) -> HeaderIndex:
        index = cls()
        # Names and labels first, aliases after: an alias never steals a label.
        for f in fields:
            for text in (f.name, f.label):
                index.by_key.setdefault(normalize_header(text), f.name)
        for f in fields:
            for text in f.aliases:
                index.by_key.setdefault(normalize_header(text), f.name)
        return index

    def match(self, header: str) -> str | None:
        return self.by_key.get(normalize_header(header))
