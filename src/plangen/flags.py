"""What needs the service coordinator's action, judged on one date: the flags.

Every rule is a named function registered with ``@rule`` in ``RULES``, in the order
below; a rule looks at one child (and the run's period and as-of date) and returns
``Finding`` values, which the registry turns into ``Flag`` values with the rule's code,
citation and urgency. To add a rule, add one function here.

"Within 30 days" means a due date on or before the as-of date + 30 days; a due date
before the as-of date is overdue. Flag texts name no child (child id only): the
provider's own words, which may name people, travel in ``Flag.note`` to the
coordinator packet and nowhere else.

The concurrent-planning stage (seed 004) lives here too: it is a deadline of casework.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

from .assemble import Formatter, next_review_due, outcome_numbers
from .check import Child, Dataset
from .consent import ShareStatus, decide, requested_copies
from .dates import Period, add_months, age_in_months
from .read import Record

WINDOW_DAYS = 30
ANNUAL_MONTHS = 12
TRANSITION_OPENS_MONTHS = 27  # 2 years 3 months: 9 months before the 3rd birthday
TRANSITION_CLOSES_DAYS = 90  # the window closes 90 days before the 3rd birthday, counted in days
LEA_NOTICE_DAYS = 90
MISSED_IN_A_ROW = 2
CASE_MONTHS = 15
MISSED = ("cancelled by family", "cancelled by provider", "no-show")


class Urgency(str, Enum):
    """How soon: the packet lists overdue flags first, then those due soon, then follow-ups."""

    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    FOLLOW_UP = "follow up"

    @property
    def rank(self) -> int:
        return list(Urgency).index(self)


@dataclass(frozen=True)
class Source:
    """The visit a flag came from."""

    sheet: str
    row: int
    date: dt.date | None

    @property
    def cell(self) -> str:
        return f"{self.sheet}!{self.row}"


@dataclass(frozen=True)
class Flag:
    code: str
    child_id: str
    title: str
    detail: str  # what happened and what to do; never a child's name
    rule: str  # the regulation or the reason
    due: dt.date | None
    urgency: Urgency
    source: Source | None = None
    note: str = ""  # the provider's words from the workbook: for the packet only, may name people

    def sort_key(self) -> tuple[int, dt.date, dt.date, str, str]:
        """Overdue first, then due soon, then follow-ups; each by date, then child id."""
        when = self.source.date if self.source and self.source.date else dt.date.max
        return (self.urgency.rank, self.due or when, when, self.child_id, self.code)


@dataclass(frozen=True)
class Finding:
    """What a rule found; the registry adds the code, the rule's citation and the urgency."""

    title: str
    detail: str
    due: dt.date | None = None
    source: Record | None = None
    note: str = ""


@dataclass(frozen=True)
class Scope:
    """What a rule judges against: the as-of date, the run's period, how dates are written."""

    as_of: dt.date
    period: Period
    fmt: Formatter

    @property
    def horizon(self) -> dt.date:
        return self.as_of + dt.timedelta(days=WINDOW_DAYS)

    def day(self, day: dt.date | None) -> str:
        return self.fmt.date(day, "medium")

    def in_period(self, visit: Record) -> bool:
        return visit.get("visit_date") in self.period


Check = Callable[[Child, Scope], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str  # what the flag is about, for counts and docs
    citation: str
    check: Check


RULES: list[Rule] = []


def rule(code: str, kind: str, citation: str) -> Callable[[Check], Check]:
    """Register a rule function under ``code``."""

    def register(check: Check) -> Check:
        if any(r.code == code for r in RULES):
            raise ValueError(f"flag code {code} is registered twice")
        RULES.append(Rule(code, kind, citation, check))
        return check

    return register


def _active(child: Child, scope: Scope) -> bool:
    """A child who left the program before the as-of date has no deadlines any more."""
    exit_date = child.get("exit_date")
    return not (exit_date and exit_date <= scope.as_of)


def third_birthday(child: Child) -> dt.date | None:
    born = child.get("date_of_birth")
    return add_months(born, 36) if born else None


def _due_text(scope: Scope, due: dt.date) -> str:
    return "overdue" if due < scope.as_of else "due"


def _visits_until(child: Child, day: dt.date) -> list[Record]:
    return [v for v in child.visits if v.get("visit_date") and v.get("visit_date") <= day]


# --- deadlines ------------------------------------------------------------------------------------


@rule(
    "periodic-review",
    "periodic IFSP review due or overdue",
    "34 CFR 303.342(b): periodic review of the IFSP at least every 6 months",
)
def periodic_review(child: Child, scope: Scope) -> Iterator[Finding]:
    due = next_review_due(child)
    if due is None or not _active(child, scope) or due > scope.horizon:
        return
    last = max(d for d in (child.get("ifsp_date"), child.get("last_review_date")) if d)
    yield Finding(
        f"Periodic IFSP review {_due_text(scope, due)}",
        f"The last IFSP meeting or review was on {scope.day(last)}; the next review is due by "
        f"{scope.day(due)}. Schedule it with the family and the team.",
        due,
    )


@rule(
    "annual-ifsp",
    "annual IFSP meeting due or overdue",
    "34 CFR 303.342(c): a meeting to evaluate the IFSP at least once a year",
)
def annual_ifsp(child: Child, scope: Scope) -> Iterator[Finding]:
    ifsp = child.get("ifsp_date")
    if ifsp is None or not _active(child, scope):
        return
    due = add_months(ifsp, ANNUAL_MONTHS)
    if due <= scope.horizon:
        yield Finding(
            f"Annual IFSP meeting {_due_text(scope, due)}",
            f"The IFSP was written on {scope.day(ifsp)}; the annual meeting is due by {scope.day(due)}.",
            due,
        )


def transition_window(child: Child) -> tuple[dt.date, dt.date] | None:
    """The transition-plan and conference window: DOB + 2 years 3 months … 3rd birthday − 90 days."""
    born, third = child.get("date_of_birth"), third_birthday(child)
    if born is None or third is None:
        return None
    return add_months(born, TRANSITION_OPENS_MONTHS), third - dt.timedelta(days=TRANSITION_CLOSES_DAYS)


@rule(
    "transition-window-opens",
    "transition window opens within 30 days",
    "34 CFR 303.209(c)–(d): transition plan and conference between 9 months and 90 days "
    "before the 3rd birthday",
)
def transition_window_opens(child: Child, scope: Scope) -> Iterator[Finding]:
    window = transition_window(child)
    if window is None or not _active(child, scope):
        return
    opens, closes = window
    if scope.as_of <= opens <= scope.horizon:
        yield Finding(
            "Transition window opens",
            f"The window for the transition plan and conference opens on {scope.day(opens)} and "
            f"closes on {scope.day(closes)}. Start planning the child's move at age 3 with the family.",
            opens,
        )


@rule(
    "transition-window-closes",
    "transition window closes within 30 days",
    "34 CFR 303.209(c)–(d): transition plan and conference at least 90 days before the 3rd birthday",
)
def transition_window_closes(child: Child, scope: Scope) -> Iterator[Finding]:
    window = transition_window(child)
    if window is None or not _active(child, scope):
        return
    _, closes = window
    if scope.as_of <= closes <= scope.horizon:
        yield Finding(
            "Transition window closes",
            f"The transition plan and conference must be done by {scope.day(closes)} "
            "(90 days before the 3rd birthday), if they are not done already.",
            closes,
        )


@rule(
    "lea-notification",
    "LEA notification due (potentially Part B eligible)",
    "34 CFR 303.209(b): notify the SEA and LEA at least 90 days before the 3rd birthday",
)
def lea_notification(child: Child, scope: Scope) -> Iterator[Finding]:
    third = third_birthday(child)
    if not child.get("part_b_eligible") or third is None or not _active(child, scope):
        return
    due = third - dt.timedelta(days=LEA_NOTICE_DAYS)
    if due <= scope.horizon and scope.as_of < third:
        yield Finding(
            f"LEA notification {_due_text(scope, due)}",
            "The child may be eligible for Part B preschool services: notify the state and local "
            f"education agencies by {scope.day(due)}, unless it is done already.",
            due,
        )


@rule(
    "services-ending",
    "services end within 30 days or ended, with no review after",
    "Seed 002: IFSP services must not end without an IFSP review",
)
def services_ending(child: Child, scope: Scope) -> Iterator[Finding]:
    end, review = child.get("service_end_date"), child.get("last_review_date")
    if end is None or not _active(child, scope) or end > scope.horizon:
        return
    if review is not None and review >= end:
        return
    ended = end < scope.as_of
    since = f"the last review was on {scope.day(review)}" if review else "there is no review on record"
    yield Finding(
        "Services ended without a review" if ended else "Services end soon without a review",
        f"The IFSP services {'ended' if ended else 'end'} on {scope.day(end)} and {since}. "
        "Hold a review to continue, change or end the services with the family.",
        end,
    )


# --- what the provider reports --------------------------------------------------------------------


@rule(
    "outcome-met-not-marked",
    "outcome reported met, not marked on the IFSP",
    "Seed 002: an outcome met is marked on the IFSP, so the plan stays true",
)
def outcome_met_not_marked(child: Child, scope: Scope) -> Iterator[Finding]:
    latest: dict[int, Record] = {}
    for visit in _visits_until(child, scope.as_of):
        for number in outcome_numbers(visit, "sc_outcome_met"):
            latest[number] = visit
    for number, visit in sorted(latest.items()):
        outcome = child.outcome(number)
        if outcome is None:
            continue  # check.py already warns: not one of this child's outcomes
        status, status_date = outcome.get("outcome_status", ""), outcome.get("status_date")
        if status == "met" or (status_date and status_date > visit.get("visit_date")):
            continue  # marked, or the team set the status after the visit
        yield Finding(
            f"Outcome {number} reported met",
            f"The provider saw outcome {number} met at the visit of {scope.day(visit.get('visit_date'))}; "
            f"the IFSP still shows it as '{status or 'no status'}'. Update the IFSP with the family.",
            source=visit,
            note=outcome.get("outcome_statement", ""),
        )


def _requests(child: Child, scope: Scope, name: str, title: str, detail: str) -> Iterator[Finding]:
    for visit in child.visits:
        if scope.in_period(visit) and visit.get(name):
            yield Finding(
                title,
                detail.format(day=scope.day(visit.get("visit_date"))),
                None,
                visit,
                str(visit.get(name)),
            )


@rule(
    "change-requested",
    "change to the IFSP requested",
    "34 CFR 303.342(b)(1): a review when the family asks; 303.421: prior written notice "
    "before a change of services",
)
def change_requested(child: Child, scope: Scope) -> Iterator[Finding]:
    yield from _requests(
        child,
        scope,
        "sc_change_requested",
        "Change to the IFSP requested",
        "At the visit of {day} a change to the IFSP was asked for. Review it with the family and the team.",
    )


@rule(
    "resources-requested",
    "resources requested",
    "34 CFR 303.34: service coordination links the family to resources",
)
def resources_requested(child: Child, scope: Scope) -> Iterator[Finding]:
    yield from _requests(
        child,
        scope,
        "sc_resources_requested",
        "Resources requested",
        "At the visit of {day} the family asked for resources.",
    )


@rule("concern", "concern for the coordinator", "The provider asks the coordinator to follow up")
def concern(child: Child, scope: Scope) -> Iterator[Finding]:
    yield from _requests(
        child,
        scope,
        "sc_concern",
        "Concern for the coordinator",
        "At the visit of {day} the provider noted a concern for you.",
    )


@rule(
    "exit-requested",
    "family asked to end services",
    "34 CFR 303.420: early intervention is voluntary; the family may decline services",
)
def exit_requested(child: Child, scope: Scope) -> Iterator[Finding]:
    for visit in child.visits:
        if scope.in_period(visit) and visit.get("family_wants_exit"):
            yield Finding(
                "The family asked to end services",
                "The family asked to end services. Follow up on their choice, their rights and "
                "other resources.",
                source=visit,
            )


@rule(
    "copy-withheld",
    "copy of a plan withheld: no valid consent",
    "34 CFR 303.414: written parental consent before sharing with anyone beyond the IFSP team",
)
def copy_withheld(child: Child, scope: Scope) -> Iterator[Finding]:
    for visit in child.visits:
        if not scope.in_period(visit) or visit.get("visit_status") != "done":
            continue
        for recipient in requested_copies(visit):
            decision = decide(child, recipient, scope.as_of)
            if decision.allowed:
                continue
            if decision.status is ShareStatus.REVOKED:
                title = f"Copy withheld: consent for {recipient} was revoked"
            elif decision.status is ShareStatus.EXPIRED:
                title = f"Copy withheld: consent for {recipient} expired"
            else:
                title = f"Copy withheld: no recorded consent for {recipient}"
            yield Finding(
                title,
                f"The plan of {scope.day(visit.get('visit_date'))} asks for a copy for {recipient}; "
                f"{decision.reason(scope.fmt)} No copy was made. Ask the parent for written consent "
                "naming them, or let the provider know it cannot be shared.",
                source=visit,
            )


# --- visits ---------------------------------------------------------------------------------------


@rule(
    "missed-visits",
    "two or more missed visits in a row",
    "Seed 003: check in with the family about their priorities and the plan",
)
def missed_visits(child: Child, scope: Scope) -> Iterator[Finding]:
    if not _active(child, scope):
        return
    streak: list[Record] = []
    for visit in reversed(_visits_until(child, scope.as_of)):
        if visit.get("visit_status") not in MISSED:
            break
        streak.append(visit)
    if len(streak) >= MISSED_IN_A_ROW:
        streak.reverse()
        listed = "; ".join(f"{scope.day(v.get('visit_date'))} {v.get('visit_status')}" for v in streak)
        yield Finding(
            f"{len(streak)} visits missed in a row",
            f"The last {len(streak)} visits did not happen ({listed}). Check in with the family: "
            "is the plan, the day or the time still right for them?",
            source=streak[-1],
        )


@rule(
    "no-recent-visit",
    "no visit done in the last 30 days",
    "Keep services going as the IFSP says; a plan needs a visit to follow it up",
)
def no_recent_visit(child: Child, scope: Scope) -> Iterator[Finding]:
    if not _active(child, scope):
        return
    done = [v for v in _visits_until(child, scope.as_of) if v.get("visit_status") == "done"]
    last = done[-1].get("visit_date") if done else child.get("ifsp_date")
    if last is None or last >= scope.as_of - dt.timedelta(days=WINDOW_DAYS):
        return
    days = (scope.as_of - last).days
    if done:
        detail = f"The last visit done was on {scope.day(last)}, {days} days before {scope.day(scope.as_of)}."
    else:
        detail = f"No visit is on record since the IFSP of {scope.day(last)}, {days} days ago."
    yield Finding(
        "No visit in the last 30 days",
        f"{detail} Reach out to the family and the provider.",
        last + dt.timedelta(days=WINDOW_DAYS),
        done[-1] if done else None,
    )


# --- concurrent planning (seed 004) -------------------------------------------------------------


@dataclass(frozen=True)
class StageInfo:
    number: int
    name: str
    months: str
    parent: str  # what the stage expects of the parent
    worker: str  # and of the worker


STAGES: dict[int, StageInfo] = {
    1: StageInfo(
        1,
        "Doing For",
        "months 1–4",
        "In crisis; capacity is very low (loss, shock, grief). The worker carries the work.",
        "Plans and gets the resources; role-models phone calls and appointments; visits often; "
        "stabilizes with basics and support.",
    ),
    2: StageInfo(
        2,
        "Doing With",
        "months 5–8",
        "Basic skills; does the tasks, sets up own appointments and reports progress.",
        "Plans together and gives feedback; offers information while the parent gets the "
        "resources; prompts the steps of problem-solving.",
    ),
    3: StageInfo(
        3,
        "Moving towards Independence",
        "months 9–15",
        "Good decision-making; secures resources, asks their own network for help, takes on more "
        "of the child's care.",
        "Teaches problem-solving and helps plan the future; supports the final planning "
        "(reunification or permanency).",
    ),
}


@dataclass(frozen=True)
class CaseStage:
    info: StageInfo
    computed: int | None  # from the case-open date, when there is one
    by_hand: bool  # entered in the workbook (overrides the computed stage)
    opened: dt.date | None
    months_open: int | None  # whole months since the case opened

    @property
    def past_limit(self) -> bool:
        return self.months_open is not None and self.months_open >= CASE_MONTHS


def computed_stage(months_open: int) -> int:
    """Months 1–4 (0 to 3 whole months since opening): 1; months 5–8: 2; from month 9: 3."""
    return 1 if months_open < 4 else 2 if months_open < 8 else 3


def case_stage(child: Child, on: dt.date) -> CaseStage | None:
    """The concurrent-planning stage on ``on``: the hand-entered one, else from the case-open date."""
    opened = child.get("case_open_date")
    months = age_in_months(opened, on) if opened and opened <= on else None
    computed = computed_stage(months) if months is not None else None
    hand = str(child.get("case_stage") or "").strip()
    if hand.isdigit() and int(hand) in STAGES:
        return CaseStage(STAGES[int(hand)], computed, True, opened, months)
    if computed is not None:
        return CaseStage(STAGES[computed], computed, False, opened, months)
    return None


@rule(
    "case-past-15-months",
    "child-welfare case past 15 months",
    "Seed 004: concurrent planning runs 15 months; check the permanency plan with the caseworker",
)
def case_past_15_months(child: Child, scope: Scope) -> Iterator[Finding]:
    opened = child.get("case_open_date")
    if opened is None or not _active(child, scope):
        return
    limit = add_months(opened, CASE_MONTHS)
    if scope.as_of >= limit:
        yield Finding(
            "Child-welfare case past 15 months",
            f"The case opened on {scope.day(opened)} and passed 15 months on {scope.day(limit)}. "
            "Talk with the caseworker about the permanency plan and what the family needs from EI now.",
            limit,
        )


# --- running the rules ----------------------------------------------------------------------------


def _source(record: Record | None) -> Source | None:
    if record is None:
        return None
    return Source(record.sheet, record.row, record.get("visit_date"))


def child_flags(child: Child, scope: Scope) -> list[Flag]:
    flags = []
    for r in RULES:
        for found in r.check(child, scope):
            if found.due is None:
                urgency = Urgency.FOLLOW_UP
            else:
                urgency = Urgency.OVERDUE if found.due < scope.as_of else Urgency.DUE_SOON
            flags.append(
                Flag(
                    r.code,
                    child.child_id,
                    found.title,
                    found.detail,
                    r.citation,
                    found.due,
                    urgency,
                    _source(found.source),
                    found.note,
                )
            )
    return flags


def flags_of_children(period: Period, as_of: dt.date, locale: str = "en") -> Callable[[Child], list[Flag]]:
    """A child's flags, worked out when asked for: a build asks a coordinator's packet at a time."""
    scope = Scope(as_of, period, Formatter(locale))
    return lambda child: child_flags(child, scope)


def compute_flags(dataset: Dataset, period: Period, as_of: dt.date, locale: str = "en") -> list[Flag]:
    """Every flag of every child, most urgent first."""
    flags_of = flags_of_children(period, as_of, locale)
    return sorted((f for child in dataset.children.values() for f in flags_of(child)), key=Flag.sort_key)


def count_by_code(flags: Iterable[Flag]) -> dict[str, int]:
    """How many flags of each kind, in the registry's order (kinds with none are left out)."""
    counts = Counter(f.code for f in flags)
    return {r.code: counts[r.code] for r in RULES if counts[r.code]}
