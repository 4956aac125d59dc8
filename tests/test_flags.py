"""Each flag rule fires on its boundary day and not one day beyond; the stage follows the case's months."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from plangen.assemble import Formatter
from plangen.check import Child
from plangen.dates import range_period
from plangen.flags import (
    RULES,
    Flag,
    Scope,
    Urgency,
    case_stage,
    child_flags,
    count_by_code,
    transition_window,
)
from plangen.read import Record

AS_OF = dt.date(2026, 11, 20)  # "within 30 days" = up to 2026-12-20
PERIOD = range_period(dt.date(2026, 11, 16), dt.date(2026, 11, 22))
DAY = dt.timedelta(days=1)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def make_child(
    visits: list[dict[str, Any]] = (), outcomes: list[dict[str, Any]] = (), **fields: Any
) -> Child:
    """A checked child, built directly: quiet on every rule unless ``fields`` say otherwise."""
    values = {
        "child_id": "C-1",
        "child_name": "Zoë",
        "date_of_birth": d("2025-06-01"),  # transition window opens 2027-09-01: quiet
        "ifsp_date": d("2026-09-01"),  # review due 2027-03-01, annual 2027-09-01: quiet
        "coordinator_name": "Dana Whitfield",
    }
    values.update(fields)
    child = Child(
        values["child_id"], Record("Children", 2, {k: v for k, v in values.items() if v is not None}, {})
    )
    child.outcomes = [Record("Outcomes", i, o, {}) for i, o in enumerate(outcomes, start=2)]
    recent = [{"visit_date": AS_OF - dt.timedelta(days=3), "visit_status": "done"}] if not visits else []
    child.visits = [
        Record("Visits", i, {"child_id": values["child_id"], **v}, {})
        for i, v in enumerate([*visits, *recent], start=2)
    ]
    child.visits.sort(key=lambda v: v.get("visit_date"))
    return child


def flags_of(child: Child, as_of: dt.date = AS_OF, period=PERIOD) -> list[Flag]:
    return child_flags(child, Scope(as_of, period, Formatter("en")))


def codes(child: Child, as_of: dt.date = AS_OF, period=PERIOD) -> list[str]:
    return [f.code for f in flags_of(child, as_of, period)]


def test_a_quiet_child_has_no_flags() -> None:
    assert codes(make_child()) == []


def test_the_registry_has_one_named_rule_per_code_with_a_citation() -> None:
    assert [r.code for r in RULES] == [
        "periodic-review",
        "annual-ifsp",
        "transition-window-opens",
        "transition-window-closes",
        "lea-notification",
        "services-ending",
        "outcome-met-not-marked",
        "change-requested",
        "resources-requested",
        "concern",
        "exit-requested",
        "copy-withheld",
        "missed-visits",
        "no-recent-visit",
        "case-past-15-months",
    ]
    for r in RULES:
        assert r.citation and r.kind and r.check.__name__ == r.code.replace("-", "_")


# --- deadlines: (fields, fires?) around each boundary day ------------------------------------------


@pytest.mark.parametrize(
    ("fields", "fires", "urgency"),
    [
        ({"ifsp_date": d("2026-06-20")}, True, Urgency.DUE_SOON),  # due 2026-12-20: the 30th day
        ({"ifsp_date": d("2026-06-21")}, False, None),  # due 2026-12-21: day 31
        ({"ifsp_date": d("2026-05-20")}, True, Urgency.DUE_SOON),  # due today
        ({"ifsp_date": d("2026-05-19")}, True, Urgency.OVERDUE),  # due yesterday
        ({"ifsp_date": d("2026-03-01"), "last_review_date": d("2026-06-21")}, False, None),
        ({"ifsp_date": d("2026-03-01"), "last_review_date": d("2026-06-20")}, True, Urgency.DUE_SOON),
    ],
)
def test_periodic_review_due_within_30_days_or_overdue(fields, fires: bool, urgency) -> None:
    found = [f for f in flags_of(make_child(**fields)) if f.code == "periodic-review"]
    assert bool(found) is fires
    if fires:
        assert found[0].urgency is urgency
        assert found[0].rule.startswith("34 CFR 303.342(b)")


@pytest.mark.parametrize(
    ("ifsp", "fires", "title"),
    [
        ("2025-12-20", True, "Annual IFSP meeting due"),
        ("2025-12-21", False, ""),
        ("2025-11-19", True, "Annual IFSP meeting overdue"),
    ],
)
def test_annual_ifsp_meeting_one_year_after_the_ifsp(ifsp: str, fires: bool, title: str) -> None:
    found = [
        f
        for f in flags_of(make_child(ifsp_date=d(ifsp), last_review_date=d("2026-09-01")))
        if f.code == "annual-ifsp"
    ]
    assert [f.title for f in found] == ([title] if fires else [])


@pytest.mark.parametrize(
    ("dob", "fires"),
    [
        ("2024-09-20", True),  # opens 2026-12-20 (DOB + 2 years 3 months): the 30th day
        ("2024-09-21", False),  # opens 2026-12-21
        ("2024-08-20", True),  # opens today
        ("2024-08-19", False),  # opened yesterday: no longer "opening"
    ],
)
def test_transition_window_opens_at_two_years_three_months(dob: str, fires: bool) -> None:
    assert ("transition-window-opens" in codes(make_child(date_of_birth=d(dob)))) is fires


def dob_for_closing(closes: dt.date) -> dt.date:
    """The date of birth whose window closes on ``closes`` (3rd birthday − 90 days)."""
    third = closes + dt.timedelta(days=90)
    return third.replace(year=third.year - 3)


@pytest.mark.parametrize(
    ("closes", "fires"),
    [
        (AS_OF + 30 * DAY, True),
        (AS_OF + 31 * DAY, False),
        (AS_OF, True),
        (AS_OF - DAY, False),
    ],
)
def test_transition_window_closes_90_days_before_the_third_birthday_counted_in_days(closes, fires) -> None:
    child = make_child(date_of_birth=dob_for_closing(closes))
    assert ("transition-window-closes" in codes(child)) is fires


def test_the_window_opens_at_two_years_three_months_and_closes_90_days_not_3_months_before_3() -> None:
    # 3rd birthday 2027-06-01: 90 days before is 2027-03-03 (3 months before would be 2027-03-01).
    assert transition_window(make_child(date_of_birth=d("2024-06-01"))) == (d("2026-09-01"), d("2027-03-03"))


@pytest.mark.parametrize(
    ("fields", "fires"),
    [
        ({"date_of_birth": dob_for_closing(AS_OF + 30 * DAY), "part_b_eligible": True}, True),
        ({"date_of_birth": dob_for_closing(AS_OF + 31 * DAY), "part_b_eligible": True}, False),
        ({"date_of_birth": dob_for_closing(AS_OF + 30 * DAY), "part_b_eligible": False}, False),
        ({"date_of_birth": d("2023-11-21"), "part_b_eligible": True}, True),  # overdue, turns 3 tomorrow
        ({"date_of_birth": d("2023-11-20"), "part_b_eligible": True}, False),  # turned 3 today
    ],
)
def test_lea_notification_90_days_before_the_third_birthday_when_part_b_eligible(fields, fires) -> None:
    assert ("lea-notification" in codes(make_child(**fields))) is fires


@pytest.mark.parametrize(
    ("fields", "fires", "title"),
    [
        ({"service_end_date": AS_OF + 30 * DAY}, True, "Services end soon without a review"),
        ({"service_end_date": AS_OF + 31 * DAY}, False, ""),
        (
            {"service_end_date": AS_OF - DAY, "last_review_date": d("2026-09-01")},
            True,
            "Services ended without a review",
        ),
        ({"service_end_date": AS_OF + 5 * DAY, "last_review_date": AS_OF + 5 * DAY}, False, ""),
        (
            {"service_end_date": AS_OF - DAY, "last_review_date": AS_OF - 2 * DAY},
            True,
            "Services ended without a review",
        ),
        ({"service_end_date": AS_OF - DAY, "exit_date": AS_OF - DAY}, False, ""),
    ],
)
def test_services_ending_within_30_days_or_past_without_a_review_on_or_after(fields, fires, title) -> None:
    found = [f.title for f in flags_of(make_child(**fields)) if f.code == "services-ending"]
    assert found == ([title] if fires else [])


@pytest.mark.parametrize(
    ("opened", "fires"),
    [
        ("2025-08-20", True),  # 15 months on the as-of date
        ("2025-08-21", False),  # 15 months tomorrow
    ],
)
def test_a_child_welfare_case_past_15_months(opened: str, fires: bool) -> None:
    assert ("case-past-15-months" in codes(make_child(case_open_date=d(opened)))) is fires


# --- what the provider reports -------------------------------------------------------------------

STATEMENT = {"child_id": "C-1", "outcome_number": 2, "outcome_statement": "Zoë will use a spoon."}


@pytest.mark.parametrize(
    ("outcome", "visit_day", "fires"),
    [
        ({"outcome_status": "in progress", "status_date": d("2026-09-01")}, AS_OF - 4 * DAY, True),
        ({"outcome_status": "met", "status_date": d("2026-09-01")}, AS_OF - 4 * DAY, False),
        ({"outcome_status": "continue", "status_date": AS_OF - 4 * DAY}, AS_OF - 4 * DAY, True),
        ({"outcome_status": "continue", "status_date": AS_OF - 3 * DAY}, AS_OF - 4 * DAY, False),
        ({"outcome_status": "in progress"}, AS_OF + DAY, False),  # a visit after the as-of date
    ],
)
def test_an_outcome_reported_met_while_the_ifsp_shows_it_otherwise(outcome, visit_day, fires) -> None:
    child = make_child(
        visits=[{"visit_date": visit_day, "visit_status": "done", "sc_outcome_met": ("2",)}],
        outcomes=[{**STATEMENT, **outcome}],
    )
    found = [f for f in flags_of(child) if f.code == "outcome-met-not-marked"]
    assert bool(found) is fires
    if fires:
        assert found[0].title == "Outcome 2 reported met"
        assert found[0].note == "Zoë will use a spoon."  # the statement goes to the packet, not the detail
        assert "Zoë" not in found[0].detail


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("sc_change_requested", "Add a speech consult", "change-requested"),
        ("sc_resources_requested", "Library story time", "resources-requested"),
        ("sc_concern", "Zoë's mother is exhausted", "concern"),
        ("family_wants_exit", True, "exit-requested"),
    ],
)
@pytest.mark.parametrize(("day", "fires"), [(PERIOD.start, True), (PERIOD.start - DAY, False)])
def test_requests_from_the_period_s_visits(
    field: str, value: Any, code: str, day: dt.date, fires: bool
) -> None:
    child = make_child(
        visits=[
            {"visit_date": day, "visit_status": "done", field: value},
            {"visit_date": AS_OF, "visit_status": "done"},
        ]
    )
    found = [f for f in flags_of(child) if f.code == code]
    assert bool(found) is fires
    if fires:
        assert found[0].source is not None and found[0].source.cell == "Visits!2"
        assert "Zoë" not in found[0].detail and "Zoë" not in found[0].title


def test_the_family_asking_to_leave_is_worded_with_respect() -> None:
    child = make_child(visits=[{"visit_date": AS_OF, "visit_status": "done", "family_wants_exit": True}])
    (flag,) = [f for f in flags_of(child) if f.code == "exit-requested"]
    assert flag.detail == (
        "The family asked to end services. Follow up on their choice, their rights and other resources."
    )
    assert flag.urgency is Urgency.FOLLOW_UP and flag.due is None


@pytest.mark.parametrize(
    ("statuses", "fires"),
    [
        (["done", "cancelled by family", "no-show"], True),
        (["cancelled by provider", "cancelled by family"], True),
        (["cancelled by family", "done", "no-show"], False),
        (["done", "no-show"], False),
    ],
)
def test_two_or_more_missed_visits_in_a_row(statuses: list[str], fires: bool) -> None:
    visits = [
        {"visit_date": AS_OF - (len(statuses) - i) * 7 * DAY + DAY, "visit_status": s}
        for i, s in enumerate(statuses)
    ]
    visits.append(
        {"visit_date": AS_OF + 7 * DAY, "visit_status": "done"}
    )  # after the as-of date: not counted
    assert ("missed-visits" in codes(make_child(visits=visits))) is fires


@pytest.mark.parametrize(
    ("visits", "fields", "fires"),
    [
        ([{"visit_date": AS_OF - 30 * DAY, "visit_status": "done"}], {}, False),
        ([{"visit_date": AS_OF - 31 * DAY, "visit_status": "done"}], {}, True),
        (
            [
                {"visit_date": AS_OF - 31 * DAY, "visit_status": "done"},
                {"visit_date": AS_OF - DAY, "visit_status": "no-show"},
            ],
            {},
            True,
        ),
        ([{"visit_date": AS_OF - 31 * DAY, "visit_status": "done"}], {"exit_date": AS_OF - 10 * DAY}, False),
    ],
)
def test_no_visit_done_in_the_last_30_days(visits, fields, fires: bool) -> None:
    assert ("no-recent-visit" in codes(make_child(visits=visits, **fields))) is fires


# --- consent -------------------------------------------------------------------------------------

CONSENT = {"consent_share_with": ("grandmother", "Little Steps child care"), "consent_date": d("2026-06-10")}


@pytest.mark.parametrize(
    ("consent", "recipient", "title"),
    [
        (CONSENT, "little steps CHILD care", None),  # named (case ignored), signed: the copy is made
        (CONSENT, "grandfather", "Copy withheld: no recorded consent for grandfather"),
        ({}, "grandmother", "Copy withheld: no recorded consent for grandmother"),
        (
            {**CONSENT, "consent_date": None},
            "grandmother",
            "Copy withheld: no recorded consent for grandmother",
        ),
        ({**CONSENT, "consent_expires": AS_OF}, "grandmother", None),  # valid through its last day
        (
            {**CONSENT, "consent_expires": AS_OF - DAY},
            "grandmother",
            "Copy withheld: consent for grandmother expired",
        ),
        (
            {**CONSENT, "consent_revoked": d("2026-10-02")},
            "grandmother",
            "Copy withheld: consent for grandmother was revoked",
        ),
        ({**CONSENT, "consent_revoked": d("2026-03-01")}, "grandmother", None),  # signed again after revoking
    ],
)
def test_a_copy_for_someone_beyond_the_team_needs_a_valid_consent_naming_them(
    consent, recipient, title
) -> None:
    visit = {"visit_date": AS_OF - DAY, "visit_status": "done", "share_copy_with": (recipient,)}
    found = [f.title for f in flags_of(make_child(visits=[visit], **consent)) if f.code == "copy-withheld"]
    assert found == ([title] if title else [])


# --- order, counts, names -------------------------------------------------------------------------


def test_flags_sort_overdue_first_then_due_soon_then_follow_ups() -> None:
    child = make_child(
        visits=[{"visit_date": AS_OF - DAY, "visit_status": "done", "sc_concern": "Sleep"}],
        ifsp_date=d("2026-05-01"),  # review overdue since 2026-11-01
        service_end_date=AS_OF + 10 * DAY,  # due soon
        date_of_birth=dob_for_closing(AS_OF + 5 * DAY),  # closes sooner
    )
    flags = sorted(flags_of(child), key=Flag.sort_key)
    assert [f.code for f in flags] == [
        "periodic-review",
        "transition-window-closes",
        "services-ending",
        "concern",
    ]
    assert count_by_code(flags) == {
        "periodic-review": 1,
        "transition-window-closes": 1,
        "services-ending": 1,
        "concern": 1,
    }


# --- concurrent planning stage (seed 004) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("opened", "stage", "months"),
    [
        ("2026-11-20", 1, 0),
        ("2026-07-21", 1, 3),  # the 4th month: still Doing For
        ("2026-07-20", 2, 4),  # the 5th month begins: Doing With
        ("2026-03-21", 2, 7),
        ("2026-03-20", 3, 8),  # the 9th month: Moving towards Independence
        ("2025-08-21", 3, 14),
        ("2025-08-20", 3, 15),  # past 15 months: still stage 3, and flagged
    ],
)
def test_the_stage_is_computed_from_the_months_since_the_case_opened(
    opened: str, stage: int, months: int
) -> None:
    found = case_stage(make_child(case_open_date=d(opened)), AS_OF)
    assert found is not None
    assert (found.info.number, found.months_open, found.by_hand) == (stage, months, False)
    assert found.past_limit is (months >= 15)


def test_a_stage_entered_by_hand_overrides_the_computed_one() -> None:
    found = case_stage(make_child(case_open_date=d("2026-05-26"), case_stage="1"), AS_OF)
    assert found is not None
    assert (found.info.number, found.info.name, found.computed, found.by_hand) == (1, "Doing For", 2, True)
    alone = case_stage(make_child(case_stage="3"), AS_OF)
    assert alone is not None and alone.info.name == "Moving towards Independence" and alone.computed is None
    assert case_stage(make_child(), AS_OF) is None
